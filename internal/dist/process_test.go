//go:build unix

package dist_test

import (
	"bufio"
	"bytes"
	"context"
	"debug/buildinfo"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/internal/dist"
	"github.com/gbkit/gameball-go/internal/syncbuf"
)

// testVersion is what the tests stamp, as make dist stamps what git
// describe says.
const testVersion = "v1.2.3-test.1"

// requireNodeEnv, when set (make test sets it), makes a missing Node or npm
// a failure instead of a skip.
const requireNodeEnv = "GAMEBALL_DIST_REQUIRE_NODE"

// bound is how long any one step (a build, an npm install, a start) may take
// before the test gives up: a bound on a hung step, not a speed check.
const bound = 5 * time.Minute

// exitBound is how long a stop may take: the mock gives in-flight requests
// 10s, so a minute means it did not stop.
const exitBound = time.Minute

// built is the host's binary, built once for the tests that need it.
var built struct {
	once sync.Once
	dir  string
	err  error
}

// distDir builds the host platform's binary as make dist builds it (the same
// function, with the same flags), once, and answers the dist directory.
func distDir(t *testing.T) (string, dist.Platform) {
	t.Helper()
	p := host(t)
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "gameball-dist-test-")
		if built.err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), bound)
		defer cancel()
		var log bytes.Buffer
		built.err = dist.Build(ctx, dist.BuildOptions{
			ModuleDir: moduleDir(t), OutDir: built.dir, Version: testVersion,
			Platforms: []dist.Platform{p}, Log: &log,
		})
		if built.err != nil {
			built.err = fmt.Errorf("%w\n%s", built.err, log.String())
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.dir, p
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// TestBinary builds the host's binary the way make dist does, checks what
// its build records and what -version says, starts it, sends the README's
// curl line and stops it with SIGINT.
func TestBinary(t *testing.T) {
	dir, p := distDir(t)
	bin := filepath.Join(dir, p.Binary())

	sums, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	if fields := strings.Fields(string(sums)); len(fields) != 2 || len(fields[0]) != 64 || fields[1] != p.Binary() {
		t.Errorf("SHA256SUMS = %q, want one sha256sum line for %s", sums, p.Binary())
	}

	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	for key, want := range map[string]string{"CGO_ENABLED": "0", "-trimpath": "true", "GOOS": p.OS, "GOARCH": p.Arch} {
		if settings[key] != want {
			t.Errorf("build setting %s = %q, want %q", key, settings[key], want)
		}
	}

	out, err := exec.Command(bin, "-version").Output()
	if err != nil {
		t.Fatalf("-version: %v", err)
	}
	want := "gameball-mock " + testVersion
	if rev := settings["vcs.revision"]; rev != "" { // built in a git clone (not a worktree, where Go records none)
		want += " (commit " + rev
	}
	if !strings.HasPrefix(string(out), want) {
		t.Errorf("-version printed %q, want it to start with %q", out, want)
	}

	mock := start(t, exec.Command(bin, "-addr", "127.0.0.1:0"))
	readmeCurl(t, mock.url)
	mock.stop(t, syscall.SIGINT, false, false)
}

// TestNPM packs the npm tarballs from make dist's binary, installs them into
// a new project with no registry to reach, and runs the mock through npx: the
// version, an exit code and an environment variable passed through, the
// README's curl line answered, and Ctrl-C's SIGINT, sent to npx alone,
// reaching the binary, which drains and exits cleanly; and SIGTERM too.
func TestNPM(t *testing.T) {
	for _, tool := range []string{"node", "npm", "npx"} {
		if _, err := exec.LookPath(tool); err != nil {
			how := tool + " is not on PATH: install Node 20 or later (with npm), e.g. apt-get install nodejs npm"
			if os.Getenv(requireNodeEnv) != "" {
				t.Fatalf("the npm package test must run here (%s is set), but %s", requireNodeEnv, how)
			}
			t.Skip("npm package test skipped: " + how)
		}
	}
	dir, p := distDir(t)
	work := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()

	var log bytes.Buffer
	tarballs, err := dist.Pack(ctx, dist.PackOptions{
		DistDir: dir, LauncherDir: filepath.Join(moduleDir(t), "npm", "gameball-mock"),
		LicenseFile: filepath.Join(moduleDir(t), "LICENSE"), OutDir: filepath.Join(work, "npm"), Log: &log,
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	npmVersion := strings.TrimPrefix(testVersion, "v")
	for i, name := range []string{dist.LauncherPackage, p.NPMPackage()} {
		want := strings.ReplaceAll(strings.TrimPrefix(name, "@"), "/", "-") + "-" + npmVersion + ".tgz"
		if len(tarballs) != 2 || filepath.Base(tarballs[i]) != want {
			t.Fatalf("tarballs %v, want the launcher's and %s's, at %s", tarballs, p.NPMPackage(), npmVersion)
		}
	}

	// A frontend project as the README shows it. npm gets a cache of its
	// own, no user configuration and a registry on a closed loopback port:
	// anything it tried to fetch would fail.
	project := filepath.Join(work, "frontend")
	write(t, filepath.Join(project, "package.json"), `{"name": "frontend", "private": true, "scripts": {"mock": "gameball-mock"}}`+"\n")
	env := append(os.Environ(),
		"npm_config_cache="+filepath.Join(work, "npm-cache"),
		"npm_config_userconfig="+filepath.Join(work, "npmrc"),
		"npm_config_registry=http://127.0.0.1:9/",
		"npm_config_offline=true", "npm_config_audit=false", "npm_config_fund=false",
		"npm_config_update_notifier=false", "npm_config_yes=false")
	npm := func(args ...string) *exec.Cmd {
		cmd := exec.CommandContext(ctx, args[0], args[1:]...)
		cmd.Dir, cmd.Env = project, env
		return cmd
	}
	if out, err := npm(append([]string{"npm", "install", "--offline", "--save-dev"}, tarballs...)...).CombinedOutput(); err != nil {
		t.Fatalf("npm install --offline: %v\n%s", err, out)
	}

	t.Run("version", func(t *testing.T) {
		for _, args := range [][]string{{"npx", "--offline", dist.LauncherPackage, "-version"}, {"npm", "run", "--silent", "mock", "--", "-version"}} {
			out, err := npm(args...).Output()
			if err != nil {
				t.Fatalf("%s: %v", strings.Join(args, " "), err)
			}
			if !strings.HasPrefix(string(out), "gameball-mock "+testVersion) {
				t.Errorf("%s printed %q, want the version of make dist, %s", strings.Join(args, " "), out, testVersion)
			}
		}
	})

	t.Run("environment and exit code", func(t *testing.T) {
		cmd := npm("npx", "--offline", dist.LauncherPackage, "-addr", "127.0.0.1:0")
		cmd.Env = append(cmd.Env, "GAMEBALL_MOCK_LOG=chatty")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Fatalf("npx with GAMEBALL_MOCK_LOG=chatty: %v, want exit code 1\n%s", err, stderr.String())
		}
		if !strings.Contains(stderr.String(), "-log") {
			t.Errorf("stderr %q does not say -log is wrong: the variable did not reach the binary", stderr.String())
		}
	})

	// Through npx, Ctrl-C: the terminal signals the whole process group
	// (npm, its shell, the launcher, the binary). A SIGINT sent to npm alone
	// stops at the shell npm runs the launcher in, which does not pass it on.
	t.Run("npx and Ctrl-C", func(t *testing.T) {
		mock := start(t, npm("npx", "--offline", dist.LauncherPackage, "-addr", "127.0.0.1:0"))
		readmeCurl(t, mock.url)
		mock.stop(t, syscall.SIGINT, true, true)
		mock.gone(t)
	})

	// A process manager stopping npx alone: the shell npm runs the launcher
	// in dies without passing SIGTERM on, and the launcher, orphaned, stops
	// the mock.
	t.Run("npx and SIGTERM", func(t *testing.T) {
		mock := start(t, npm("npx", "--offline", dist.LauncherPackage, "-addr", "127.0.0.1:0"))
		readmeCurl(t, mock.url)
		mock.stop(t, syscall.SIGTERM, false, true)
		mock.gone(t)
	})

	// The launcher alone, as a process manager or a test runner starts
	// it: SIGINT reaches the binary only because the launcher passes it on.
	t.Run("launcher and SIGINT", func(t *testing.T) {
		mock := start(t, npm("node", filepath.Join(project, "node_modules", ".bin", "gameball-mock"), "-addr", "127.0.0.1:0"))
		readmeCurl(t, mock.url)
		mock.stop(t, syscall.SIGINT, false, false)
		mock.gone(t)
	})
}

// process is a running mock, in a process group of its own so that the end
// of the test can take down npx and everything it started.
type process struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncbuf.Buffer
	done   chan error
}

func start(t *testing.T, cmd *exec.Cmd) *process {
	t.Helper()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p := &process{cmd: cmd, stderr: &syncbuf.Buffer{}, done: make(chan error, 1)}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if url, ok := strings.CutPrefix(sc.Text(), "gameball-mock listening on "); ok {
				urls <- url
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		p.done <- cmd.Wait()
	}()
	select {
	case p.url = <-urls:
		return p
	case err := <-p.done:
		t.Fatalf("%s exited before listening: %v\n%s", cmd.Args, err, p.stderr)
	case <-time.After(bound):
		t.Fatalf("%s did not listen within %s\n%s", cmd.Args, bound, p.stderr)
	}
	return nil
}

// stop sends sig to the process's group, as a terminal's Ctrl-C does, or to
// the process alone, as a process manager would, and requires the mock's
// graceful shutdown, with no error, and then an exit code of 0, or, when
// shellBetween, death by that signal. The wait lasts until every process
// holding the test's stdout and stderr, the binary included, has exited.
//
// shellBetween is for npx: npm runs the launcher through sh, which, signalled
// while it waits, dies of the same signal (at once for SIGTERM, after its
// child for SIGINT: the convention that stops a calling script), and npm
// then raises it on itself. npx's status is the signal however cleanly the
// mock stopped, so there the mock's own log says whether it did.
func (p *process) stop(t *testing.T, sig syscall.Signal, group, shellBetween bool) {
	t.Helper()
	pid := p.cmd.Process.Pid
	if group {
		pid = -pid
	}
	if err := syscall.Kill(pid, sig); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		var exit *exec.ExitError
		signalled := errors.As(err, &exit) && exit.Sys().(syscall.WaitStatus).Signal() == sig
		if err != nil && !(shellBetween && signalled) {
			t.Fatalf("%s after %s: %v, want exit code 0\n%s", p.cmd.Args, sig, err, p.stderr)
		}
	case <-time.After(exitBound):
		t.Fatalf("%s did not exit within %s of %s\n%s", p.cmd.Args, exitBound, sig, p.stderr)
	}
	stderr := p.stderr.String()
	if !strings.Contains(stderr, `msg="shutting down"`) || strings.Contains(stderr, "gameball-mock:") || strings.Contains(stderr, "level=ERROR") {
		t.Errorf("%s: no clean graceful shutdown of the mock\n%s", p.cmd.Args, stderr)
	}
}

// gone requires that nothing answers at the mock's address any more: the
// binary did not outlive what started it.
func (p *process) gone(t *testing.T) {
	t.Helper()
	if conn, err := net.Dial("tcp", strings.TrimPrefix(p.url, "http://")); err == nil {
		conn.Close()
		t.Errorf("%s still answers after %s exited", p.url, p.cmd.Args)
	}
}

// readmeCurl sends the README's curl line ("Try it while it runs") to the
// mock at url and requires 200 with a JSON object.
func readmeCurl(t *testing.T, url string) {
	t.Helper()
	req := readmeRequest(t, url)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var object map[string]any
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &object) != nil {
		t.Fatalf("the README's curl line: %d %s, want 200 and a JSON object", res.StatusCode, body)
	}
}

// readmeRequest reads the README's curl line (the first, with its
// continuation lines) and makes it a request to the mock at base instead of
// the default address.
func readmeRequest(t *testing.T, base string) *http.Request {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(moduleDir(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "curl -s http://127.0.0.1:8741/api/"
	_, after, ok := strings.Cut(string(data), "\n"+prefix)
	if !ok {
		t.Fatalf("README.md has no line starting %q", prefix)
	}
	var line strings.Builder
	line.WriteString(prefix)
	for l := range strings.Lines(after) {
		l = strings.TrimRight(l, "\n")
		cont, more := strings.CutSuffix(l, `\`)
		line.WriteString(cont)
		if !more {
			break
		}
	}
	words := shellWords(t, line.String())
	method, url, header, body := http.MethodGet, "", http.Header{}, ""
	for i := 1; i < len(words); i++ {
		switch w := words[i]; {
		case w == "-s":
		case (w == "-H" || w == "-d") && i+1 < len(words):
			i++
			if w == "-d" {
				method, body = http.MethodPost, words[i]
				continue
			}
			name, value, _ := strings.Cut(words[i], ":")
			header.Add(name, strings.TrimSpace(value))
		case strings.HasPrefix(w, "http://127.0.0.1:8741/"):
			url = base + strings.TrimPrefix(w, "http://127.0.0.1:8741")
		default:
			t.Fatalf("README's curl line: %q is an argument this test does not read", w)
		}
	}
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header
	return req
}

// shellWords splits a shell line into words: blanks separate them, single
// quotes keep what they enclose; anything else a shell would do is refused.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var word strings.Builder
	inWord, quoted := false, false
	for _, r := range line {
		switch {
		case quoted && r == '\'':
			quoted = false
		case quoted:
			word.WriteRune(r)
		case r == '\'':
			quoted, inWord = true, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		case strings.ContainsRune("\"$`\\;&|<>(){}*?", r):
			t.Fatalf("README's curl line %q uses %q, which this test does not read", line, r)
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("README's curl line %q has an unclosed quote", line)
	}
	if inWord {
		words = append(words, word.String())
	}
	return words
}

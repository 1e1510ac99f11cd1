package dist_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gbkit/gameball-go/internal/dist"
)

// TestDockerfile checks, as far as can be done without Docker, that the
// Dockerfile copies the binary make dist makes, runs it as a non-root user
// and listens on 0.0.0.0:8741, and that .dockerignore lets the binary in.
func TestDockerfile(t *testing.T) {
	mod := moduleDir(t)
	data, err := os.ReadFile(filepath.Join(mod, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	instructions := map[string][]string{}
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		op, rest, _ := strings.Cut(line, " ")
		instructions[strings.ToUpper(op)] = append(instructions[strings.ToUpper(op)], strings.TrimSpace(rest))
	}
	one := func(op string) string {
		t.Helper()
		if len(instructions[op]) != 1 {
			t.Fatalf("Dockerfile: %d %s instructions, want 1", len(instructions[op]), op)
		}
		return instructions[op][0]
	}
	if from := one("FROM"); from != "scratch" {
		t.Errorf("FROM %s, want scratch: the static binary needs nothing else", from)
	}
	src, dst, _ := strings.Cut(one("COPY"), " ")
	for _, arch := range []string{"amd64", "arm64"} {
		want := "dist/" + dist.Platform{OS: "linux", Arch: arch}.Binary()
		if got := strings.ReplaceAll(src, "${TARGETARCH}", arch); got != want {
			t.Errorf("COPY %s, for %s: %s, want make dist's %s", src, arch, got, want)
		}
		if !admitted(t, filepath.Join(mod, ".dockerignore"), want) {
			t.Errorf(".dockerignore leaves %s out of the build context", want)
		}
	}
	if user := one("USER"); user == "" || strings.Trim(user, "0123456789:") != "" || strings.HasPrefix(user, "0") {
		t.Errorf("USER %s, want a numeric non-root uid:gid (scratch has no /etc/passwd)", user)
	}
	if expose := one("EXPOSE"); expose != "8741" {
		t.Errorf("EXPOSE %s, want 8741", expose)
	}
	if entry := one("ENTRYPOINT"); entry != `["`+dst+`"]` {
		t.Errorf("ENTRYPOINT %s, want [%q], the copied binary", entry, dst)
	}
	if cmd := one("CMD"); cmd != `["-addr", "0.0.0.0:8741"]` {
		t.Errorf(`CMD %s, want ["-addr", "0.0.0.0:8741"]: loopback inside a container is unreachable from outside`, cmd)
	}
}

// admitted says whether a .dockerignore of "*" and "!pattern" lines lets
// path into the build context (the last matching line wins).
func admitted(t *testing.T, dockerignore, path string) bool {
	t.Helper()
	data, err := os.ReadFile(dockerignore)
	if err != nil {
		t.Fatal(err)
	}
	in := true
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		pattern, keep := strings.CutPrefix(line, "!")
		if ok, err := filepath.Match(pattern, path); err != nil {
			t.Fatalf(".dockerignore: %q: %v", line, err)
		} else if ok {
			in = keep
		}
	}
	return in
}

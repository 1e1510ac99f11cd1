package driftdrill

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Result is how one drill went.
type Result struct {
	Drill   Drill
	Caught  bool
	Why     string // for a miss: what happened instead
	Elapsed time.Duration
}

// Run applies d to a fresh copy of the repository at repo (made under
// workDir) and reports whether its mechanism caught the change.
func Run(ctx context.Context, repo, workDir string, d Drill) Result {
	start := time.Now()
	res := Result{Drill: d}
	finish := func(caught bool, why string) Result {
		res.Caught, res.Why, res.Elapsed = caught, why, time.Since(start)
		return res
	}
	dir, err := os.MkdirTemp(workDir, "drill-")
	if err != nil {
		return finish(false, err.Error())
	}
	defer os.RemoveAll(dir)
	if err := copyTree(repo, dir); err != nil {
		return finish(false, "copy: "+err.Error())
	}
	for _, e := range d.Edits {
		if err := apply(filepath.Join(dir, "spec", e.Doc), e); err != nil {
			return finish(false, err.Error())
		}
	}
	for name, text := range d.Files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return finish(false, err.Error())
		}
	}
	if d.Regenerate {
		if out, err := run(ctx, dir, "go", "generate", "./..."); err != nil {
			return finish(false, "go generate failed before the mechanism could run:\n"+tail(out))
		}
	}
	out, err := run(ctx, dir, d.Command[0], d.Command[1:]...)
	switch {
	case err == nil:
		return finish(false, strings.Join(d.Command, " ")+" passed")
	case !strings.Contains(out, d.Marker):
		return finish(false, fmt.Sprintf("%s failed, but without %q:\n%s", strings.Join(d.Command, " "), d.Marker, tail(out)))
	}
	for _, shown := range d.Shows {
		if !strings.Contains(out, shown) {
			return finish(false, fmt.Sprintf("%s failed with %q, but without %q:\n%s", strings.Join(d.Command, " "), d.Marker, shown, tail(out)))
		}
	}
	return finish(true, "")
}

// apply makes one edit; an anchor that is gone (Gameball's document changed
// under the drill) is an error, so the drill cannot pass by editing nothing.
func apply(path string, e Edit) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if n := strings.Count(string(data), e.Old); n != 1 {
		return fmt.Errorf("%s: the text to change occurs %d times, want once: %q", e.Doc, n, e.Old)
	}
	return os.WriteFile(path, []byte(strings.Replace(string(data), e.Old, e.New, 1)), 0o644)
}

func run(ctx context.Context, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false -trimpath", "GOWORK=off")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func tail(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return "    " + strings.Join(lines, "\n    ")
}

// copyTree copies the repository's files, without .git.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		info, err := in.Stat()
		if err != nil {
			return err
		}
		out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, info.Mode().Perm())
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

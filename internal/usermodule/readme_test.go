package shop_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// goBlock is a ```go fenced block of the README.
var goBlock = regexp.MustCompile("(?s)\n```go\n(.*?)\n```\n")

// TestREADMESnippetsCompile compiles every ```go block of the README's
// "Using the client" section as it is written, each as a Go file of its
// own package (the block plus a package clause), in a module like this one:
// the snippets a user copies are checked by `go vet` with the module's real
// API, from outside the module, as the user's code would be.
func TestREADMESnippetsCompile(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start := strings.Index(text, "\n## Using the client\n")
	if start < 0 {
		t.Fatal(`README.md has no "## Using the client" section`)
	}
	section := text[start+1:]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end+1]
	}
	firstLine := strings.Count(text[:start+1], "\n") + 1
	blocks := goBlock.FindAllStringSubmatchIndex(section, -1)
	if len(blocks) < 6 {
		t.Fatalf("found %d go blocks in the section; the extraction no longer matches the README", len(blocks))
	}

	dir := t.TempDir()
	gomod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	mod := strings.Replace(string(gomod), "module example.com/shop", "module example.com/readme", 1)
	mod = strings.Replace(mod, "=> ../..", "=> "+root, 1)
	gosum, err := os.ReadFile("go.sum")
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, content string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", mod)
	write("go.sum", string(gosum))
	where := map[string]int{} // package directory → README line of the block
	for i, b := range blocks {
		pkg := fmt.Sprintf("snippet%d", i+1)
		where[pkg] = firstLine + strings.Count(section[:b[2]], "\n")
		write(filepath.Join(pkg, "readme.go"), "package "+pkg+"\n\n"+section[b[2]:b[3]]+"\n")
	}

	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = dir
	// Offline: every module the snippets need is this module's, already in
	// the module cache.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOWORK=off", "GOPROXY=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		msg := string(out)
		for pkg, line := range where {
			msg = strings.ReplaceAll(msg, pkg+"/readme.go", fmt.Sprintf("README.md block at line %d (%s)", line, pkg))
		}
		t.Fatalf("the README's Go snippets do not compile as written: %v\n%s", err, msg)
	}
}

package gameball

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestPackagesAsTheREADMESays: every package of the module is a row of the
// README's "The packages" table, and imports (outside its tests) only the
// module's packages its row allows. A new package or import fails here
// until the table says it.
func TestPackagesAsTheREADMESays(t *testing.T) {
	allowed := readmePackages(t)
	const module = "github.com/gbkit/gameball-go"
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := map[string]bool{}
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(strings.TrimPrefix(fields[0], module), "/")
		if pkg == "" {
			pkg = "."
		}
		seen[pkg] = true
		may, ok := allowed[pkg]
		if !ok {
			t.Errorf("package %s is not in the README's package table", pkg)
			continue
		}
		for _, imp := range fields[1:] {
			own, ok := strings.CutPrefix(imp, module+"/")
			if ok && !slices.Contains(may, own) {
				t.Errorf("%s imports %s, which its README row does not allow (%v)", pkg, own, may)
			}
		}
	}
	for pkg := range allowed {
		if !seen[pkg] {
			t.Errorf("the README's package table lists %s, which go list does not find", pkg)
		}
	}
}

// readmePackages reads the table: package → the packages it may import.
func readmePackages(t *testing.T) map[string][]string {
	f, err := os.Open("README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]string{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "### The packages":
			in = true
		case in && strings.HasPrefix(line, "#"):
			in = false
		case in && strings.HasPrefix(line, "| `"):
			cells := strings.Split(line, "|")
			pkg := strings.Trim(strings.Fields(cells[1])[0], "`")
			out[pkg] = []string{}
			if may := strings.TrimSpace(cells[len(cells)-2]); may != "nothing" {
				for p := range strings.SplitSeq(may, ",") {
					out[pkg] = append(out[pkg], strings.Trim(strings.TrimSpace(p), "`"))
				}
			}
		}
	}
	if len(out) < 10 {
		t.Fatalf("found %d rows in the README's package table", len(out))
	}
	return out
}

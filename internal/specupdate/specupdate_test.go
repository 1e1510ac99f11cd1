package specupdate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copySpec copies the repository's spec directory, so tests can replace documents.
func copySpec(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	paths, err := filepath.Glob("../../spec/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no spec documents found: %v", err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(p)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestExtractFromDocsPage(t *testing.T) {
	page := "# Page\n\nprose\n\n````yaml POST /x\nopenapi: 3.1.0\ninfo: {title: t, version: v}\n````\n"
	got, err := Extract([]byte(page))
	if err != nil || !strings.HasPrefix(string(got), "openapi: 3.1.0\n") {
		t.Fatalf("Extract = %q, %v", got, err)
	}
	if _, err := Extract([]byte("# no spec here\n```yaml\nfoo: bar\n```\n")); err == nil {
		t.Error("Extract found a document in a page without one")
	}
	plain := []byte("# comment\nopenapi: 3.1.0\n")
	if got, err := Extract(plain); err != nil || string(got) != string(plain) {
		t.Errorf("Extract of a plain document = %q, %v", got, err)
	}
}

func TestPlanReportsBreakingChanges(t *testing.T) {
	dir := copySpec(t)
	old, err := os.ReadFile(filepath.Join(dir, "adjust-balance-batch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name         string
		edit         func(string) string
		wantBreaking string
		wantOther    string
	}{
		{"a new required request property",
			func(s string) string {
				return strings.Replace(s, "                      - amount\n", "                      - amount\n                      - reason\n", 1)
			},
			"`body/items/reason` became required", ""},
		{"a new optional response property",
			func(s string) string {
				return strings.Replace(s, "                  jobId:\n", "                  queuedAt:\n                    type: string\n                  jobId:\n", 1)
			},
			"", "queuedAt"},
		{"a property's type changed",
			func(s string) string {
				return strings.Replace(s, "                      amount:\n                        type: number", "                      amount:\n                        type: string", 1)
			},
			"amount", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Plan(dir, "adjust-balance-batch", []byte(c.edit(string(old))))
			if err != nil {
				t.Fatal(err)
			}
			if c.wantBreaking != "" && !strings.Contains(strings.Join(res.Breaking, "\n"), c.wantBreaking) {
				t.Errorf("breaking changes %q lack %q", res.Breaking, c.wantBreaking)
			}
			if c.wantOther != "" && !strings.Contains(strings.Join(res.NonBreaking, "\n"), c.wantOther) {
				t.Errorf("non-breaking changes %q lack %q", res.NonBreaking, c.wantOther)
			}
			var out strings.Builder
			res.Report(&out)
			if !strings.Contains(out.String(), "adjustBalanceBatch (POST /api/v4.0/integrations/batch/balance-adjustment)") {
				t.Errorf("report does not name the operation:\n%s", out.String())
			}
		})
	}
}

func TestPlanRefusesWhatDoesNotBundle(t *testing.T) {
	dir := copySpec(t)
	renamed := strings.Replace(mustRead(t, filepath.Join(dir, "stop-batch.yaml")), "/stop:", "/halt:", 1)
	if _, err := Plan(dir, "stop-batch", []byte(renamed)); err == nil || !strings.Contains(err.Error(), "did not match") {
		t.Errorf("a renamed path (leaving the overlay's names without a target) gave %v", err)
	}
	if _, err := Plan(dir, "stop-batch", []byte("openapi: 3.1.0\ninfo: {}\n")); err == nil {
		t.Error("an invalid document was accepted")
	}
	if _, err := Plan(dir, "no-such-page", []byte("openapi: 3.1.0\n")); err == nil {
		t.Error("an unknown document name was accepted")
	}
	if _, err := Plan(dir, "overlay", []byte("openapi: 3.1.0\n")); err == nil {
		t.Error("the overlay was accepted as a vendored document")
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

package specdiff

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gbkit/gameball-go/internal/bundle"
)

// copySpec copies what the bundle is made of, so tests can replace the published document.
func copySpec(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{bundle.PublishedFile, bundle.OperationsFile, bundle.OverlayFile} {
		data, err := os.ReadFile(filepath.Join("../../spec", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// edited is the published document with edit applied to it, decoded.
func edited(t *testing.T, dir string, edit func(doc map[string]any)) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(mustRead(t, filepath.Join(dir, bundle.PublishedFile))), &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc)
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// at walks a decoded document by keys.
func at(v any, keys ...string) map[string]any {
	for _, k := range keys {
		v = v.(map[string]any)[k]
	}
	return v.(map[string]any)
}

const adjust = "/api/v4.0/integrations/batch/balance-adjustment"

func adjustItems(doc map[string]any) map[string]any {
	return at(doc, "paths", adjust, "post", "requestBody", "content", "application/json", "schema", "properties", "body", "items")
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
	plain := []byte(`{"openapi": "3.1.0"}`)
	if got, err := Extract(plain); err != nil || string(got) != string(plain) {
		t.Errorf("Extract of a plain document = %q, %v", got, err)
	}
}

func TestPlanReportsChanges(t *testing.T) {
	dir := copySpec(t)
	cases := []struct {
		name         string
		edit         func(doc map[string]any)
		wantBreaking string
		wantOther    string
	}{
		{"a new required request property",
			func(doc map[string]any) {
				items := adjustItems(doc)
				items["required"] = append(items["required"].([]any), "reason")
			},
			"`body/items/reason` became required", ""},
		{"a new optional response property",
			func(doc map[string]any) {
				props := at(doc, "paths", adjust, "post", "responses", "200", "content", "application/json", "schema", "properties")
				props["queuedAt"] = map[string]any{"type": "string"}
			},
			"", "queuedAt"},
		{"a property's type changed",
			func(doc map[string]any) {
				at(adjustItems(doc), "properties", "amount")["type"] = "string"
			},
			"amount", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Plan(dir, edited(t, dir, c.edit))
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
			if !strings.Contains(out.String(), "adjustBalanceBatch (POST "+adjust+")") {
				t.Errorf("report does not name the operation:\n%s", out.String())
			}
		})
	}
}

// An operation Gameball adds is listed as not taken, and changes nothing taken.
func TestPlanListsUntakenOperations(t *testing.T) {
	dir := copySpec(t)
	res, err := Plan(dir, edited(t, dir, func(doc map[string]any) {
		at(doc, "paths")["/api/v4.0/integrations/transactions/reverse"] = map[string]any{
			"post": map[string]any{"responses": map[string]any{"200": map[string]any{"description": "ok"}}}}
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := bundle.Operation{Method: "POST", Path: "/api/v4.0/integrations/transactions/reverse"}
	if !slices.Contains(res.Untaken, want) {
		t.Errorf("untaken %v lacks %v", res.Untaken, want)
	}
	if slices.Contains(res.Untaken, bundle.Operation{Method: "POST", Path: adjust}) {
		t.Error("a taken operation is listed as not taken")
	}
	if len(res.Breaking)+len(res.NonBreaking) != 0 {
		t.Errorf("an untaken operation counted as changes: %v %v", res.Breaking, res.NonBreaking)
	}
	var out strings.Builder
	res.Report(&out)
	if !strings.Contains(out.String(), "changes nothing the project takes") || !strings.Contains(out.String(), "  - "+want.String()+"\n") {
		t.Errorf("report:\n%s", out.String())
	}
}

func TestPlanRefusesWhatDoesNotBundle(t *testing.T) {
	dir := copySpec(t)
	renamed := edited(t, dir, func(doc map[string]any) {
		paths := at(doc, "paths")
		paths["/api/v4.0/integrations/batches/{batchId}/halt"] = paths["/api/v4.0/integrations/batches/{batchId}/stop"]
		delete(paths, "/api/v4.0/integrations/batches/{batchId}/stop")
	})
	if _, err := Plan(dir, renamed); err == nil || !strings.Contains(err.Error(), "has no POST /api/v4.0/integrations/batches/{batchId}/stop") {
		t.Errorf("a renamed path (a taken operation gone) gave %v", err)
	}
	if _, err := Plan(dir, []byte(`{"openapi": "3.1.0", "info": {}}`)); err == nil {
		t.Error("an invalid document was accepted")
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

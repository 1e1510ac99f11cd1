// Package specdiff replaces the vendored published document of spec/ with
// a new version and tells what the change breaks, with oasdiff's checker over
// the bundles before and after (so only the operations the project takes are
// compared, named by the overlay's operationIds), and which operations the new
// version has that the project does not take yet.
package specdiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/gbkit/gameball-go/internal/bundle"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"
)

// fence finds the OpenAPI document a Gameball docs page embeds: a ```yaml
// (or ````yaml) block.
var fence = regexp.MustCompile("(?s)(`{3,})yaml[^\n]*\n(.*?)\n?(`{3,})")

// Extract returns the OpenAPI document in data: data itself, or the first
// fenced YAML block of a docs page that starts like an OpenAPI document.
func Extract(data []byte) ([]byte, error) {
	if looksLikeOpenAPI(data) {
		return data, nil
	}
	for _, m := range fence.FindAllSubmatch(data, -1) {
		if len(m[1]) == len(m[3]) && looksLikeOpenAPI(m[2]) {
			return append(m[2], '\n'), nil
		}
	}
	return nil, fmt.Errorf("no OpenAPI document found: neither the file nor a fenced yaml block in it starts with `openapi:`")
}

func looksLikeOpenAPI(data []byte) bool {
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '{' {
		var doc struct {
			OpenAPI string `json:"openapi"`
		}
		return json.Unmarshal(trimmed, &doc) == nil && doc.OpenAPI != ""
	}
	for line := range strings.Lines(string(data)) {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		return strings.HasPrefix(t, "openapi:") || strings.HasPrefix(t, `{"openapi"`) || strings.HasPrefix(t, `"openapi"`)
	}
	return false
}

// Result is what replacing the published document would do.
type Result struct {
	Breaking    []string
	NonBreaking []string
	Untaken     []bundle.Operation // operations of the new document spec/operations.txt does not take
	Before      []byte             // the bundle now
	After       []byte             // the bundle with the new document
}

// Plan bundles dir with newDoc as its published document and compares the
// result with the current bundle. It writes nothing: a document that does not
// bundle (invalid, lacking a taken operation, or leaving an overlay target
// without a match) is an error, and the tree stays as it was.
func Plan(dir string, newDoc []byte) (*Result, error) {
	before, err := bundle.FromDir(dir)
	if err != nil {
		return nil, fmt.Errorf("the current document does not bundle: %w", err)
	}
	after, err := bundle.FromDirWith(dir, newDoc)
	if err != nil {
		return nil, fmt.Errorf("the new document does not bundle: %w", err)
	}
	list, err := os.ReadFile(filepath.Join(dir, bundle.OperationsFile))
	if err != nil {
		return nil, err
	}
	ops, err := bundle.ParseOperations(list)
	if err != nil {
		return nil, err
	}
	untaken, err := bundle.Untaken(newDoc, ops)
	if err != nil {
		return nil, err
	}
	res := &Result{Before: before, After: after, Untaken: untaken}
	changes, err := compare(before, after)
	if err != nil {
		return nil, err
	}
	l := checker.NewDefaultLocalizer()
	for _, c := range changes {
		line := fmt.Sprintf("%s %s: %s", c.GetOperation(), c.GetPath(), c.GetUncolorizedText(l))
		if c.GetOperationId() != "" {
			line = fmt.Sprintf("%s (%s %s): %s", c.GetOperationId(), c.GetOperation(), c.GetPath(), c.GetUncolorizedText(l))
		}
		if c.IsBreaking() {
			res.Breaking = append(res.Breaking, line)
		} else {
			res.NonBreaking = append(res.NonBreaking, line)
		}
	}
	slices.Sort(res.Breaking)
	slices.Sort(res.NonBreaking)
	return res, nil
}

func compare(before, after []byte) (checker.Changes, error) {
	// A loader per document: oasdiff's advice, so the two do not share a cache.
	base, err := load.NewSpecInfoFromData(openapi3.NewLoader(), before, "before")
	if err != nil {
		return nil, err
	}
	revision, err := load.NewSpecInfoFromData(openapi3.NewLoader(), after, "after")
	if err != nil {
		return nil, err
	}
	d, sources, err := diff.GetPathsDiff(diff.NewConfig(), []*load.SpecInfo{base}, []*load.SpecInfo{revision})
	if err != nil {
		return nil, err
	}
	return checker.CheckBackwardCompatibilityUntilLevel(checker.NewConfig(checker.GetAllChecks()), d, sources, checker.INFO), nil
}

// Report writes the result for a maintainer.
func (r *Result) Report(w io.Writer) {
	if bytes.Equal(r.Before, r.After) {
		fmt.Fprintf(w, "%s: the new version changes nothing the project takes\n", bundle.PublishedFile)
	} else {
		fmt.Fprintf(w, "%s: %d breaking, %d non-breaking change(s) to the operations taken\n", bundle.PublishedFile, len(r.Breaking), len(r.NonBreaking))
	}
	for _, group := range []struct {
		title string
		lines []string
	}{{"Breaking", r.Breaking}, {"Non-breaking", r.NonBreaking}} {
		if len(group.lines) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", group.title)
		for _, l := range group.lines {
			fmt.Fprintf(w, "  - %s\n", l)
		}
	}
	if !bytes.Equal(r.Before, r.After) && len(r.Breaking)+len(r.NonBreaking) == 0 {
		fmt.Fprintln(w, "(descriptions or examples changed; nothing oasdiff rates as an API change)")
	}
	// The docs template's paths (/plants) are outside the API and never taken.
	var api, template []string
	for _, op := range r.Untaken {
		if strings.HasPrefix(op.Path, "/api/") {
			api = append(api, op.String())
		} else {
			template = append(template, op.String())
		}
	}
	fmt.Fprintf(w, "\nUpstream, not taken yet (%d; add a line to spec/%s and name it in spec/%s):\n", len(api), bundle.OperationsFile, bundle.OverlayFile)
	for _, op := range api {
		fmt.Fprintf(w, "  - %s\n", op)
	}
	if len(template) > 0 {
		fmt.Fprintf(w, "Outside /api/ (the docs template's), never taken: %s\n", strings.Join(template, ", "))
	}
}

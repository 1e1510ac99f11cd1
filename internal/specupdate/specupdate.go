// Package specupdate replaces one vendored document of spec/ with a new
// version and tells what the change breaks, with oasdiff's checker over the
// bundles before and after (so changes are named by the overlay's
// operationIds).
package specupdate

import (
	"bytes"
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
	for line := range strings.Lines(string(data)) {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		return strings.HasPrefix(t, "openapi:") || strings.HasPrefix(t, `{"openapi"`) || strings.HasPrefix(t, `"openapi"`)
	}
	return false
}

// Result is what replacing a document would do.
type Result struct {
	Doc         string // file name in the spec directory
	Breaking    []string
	NonBreaking []string
	Before      []byte // the bundle now
	After       []byte // the bundle with the new document
}

// Plan bundles dir with doc replaced by newDoc and compares the result with
// the current bundle. It writes nothing: a document that does not bundle
// (invalid, or clashing, or leaving an overlay target without a match) is an
// error, and the tree stays as it was.
func Plan(dir, doc string, newDoc []byte) (*Result, error) {
	name := strings.TrimSuffix(filepath.Base(doc), ".yaml") + ".yaml"
	path := filepath.Join(dir, name)
	if name == bundle.OverlayFile || name == bundle.BundleFile || name == bundle.OpenAPI30File {
		return nil, fmt.Errorf("%s is not a vendored document", name)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no vendored document %s: %w", path, err)
	}
	before, err := bundle.FromDir(dir)
	if err != nil {
		return nil, fmt.Errorf("the current documents do not bundle: %w", err)
	}
	after, err := bundle.FromDirWith(dir, map[string][]byte{name: newDoc})
	if err != nil {
		return nil, fmt.Errorf("with the new %s the documents do not bundle: %w", name, err)
	}
	res := &Result{Doc: name, Before: before, After: after}
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
		fmt.Fprintf(w, "%s: the new version changes nothing in the bundle\n", r.Doc)
		return
	}
	fmt.Fprintf(w, "%s: %d breaking, %d non-breaking change(s)\n", r.Doc, len(r.Breaking), len(r.NonBreaking))
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
	if len(r.Breaking)+len(r.NonBreaking) == 0 {
		fmt.Fprintln(w, "(descriptions or examples changed; nothing oasdiff rates as an API change)")
	}
}

package mockserver

import (
	_ "embed"
	"html"
	"strings"

	"github.com/gbkit/gameball-go/internal/optable"
)

//go:embed dashboard.html
var dashboardPage string

// dashboardHTML is the dashboard at /_mock/ui: one page with its style and
// script inline, no build step and no external assets, that polls the
// control API. Its fault form offers the operations of the operations
// table, so a new operation appears there without an edit.
var dashboardHTML = []byte(withOperations(dashboardPage))

// operationsMarker is where the page lists the operations.
const operationsMarker = "<!-- operations: dashboard.go lists the operations table here -->"

func withOperations(page string) string {
	var options strings.Builder
	for _, id := range optable.IDs() {
		options.WriteString(`<option value="` + html.EscapeString(id) + `">`)
	}
	return strings.Replace(page, operationsMarker, options.String(), 1)
}

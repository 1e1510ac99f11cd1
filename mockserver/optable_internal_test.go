package mockserver

import (
	"slices"
	"strconv"
	"testing"

	"github.com/gbkit/gameball-go/internal/optable"
	"github.com/gbkit/gameball-go/spec"
)

// TestValidationDocumentMatchesTheOperationsTable: the mock validates with
// the 3.0 rendering and steers with the table generated from the bundle;
// both must list the same operations, methods, paths and statuses.
func TestValidationDocumentMatchesTheOperationsTable(t *testing.T) {
	doc, err := spec.LoadForValidation()
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			seen++
			row, ok := optable.ByID(op.OperationID)
			if !ok {
				t.Errorf("%s is in the validation document, not in the table", op.OperationID)
				continue
			}
			var statuses []int
			for code := range op.Responses.Map() {
				status, _ := strconv.Atoi(code)
				statuses = append(statuses, status)
			}
			slices.Sort(statuses)
			if row.Method != method || row.Path != path || !slices.Equal(row.Statuses, statuses) {
				t.Errorf("%s: the table has %s %s %v, the validation document %s %s %v",
					op.OperationID, row.Method, row.Path, row.Statuses, method, path, statuses)
			}
		}
	}
	if seen != len(optable.All) {
		t.Errorf("the validation document has %d operations, the table %d", seen, len(optable.All))
	}
}

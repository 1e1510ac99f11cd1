package contracttest

import (
	"testing"

	"github.com/gbkit/gameball-go/spec"
)

// TestExamples checks every example of the bundled spec: it validates, and
// the generated models decode it without dropping a member.
func TestExamples(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	examples := Examples(doc)
	if len(examples) < 16 {
		t.Fatalf("found only %d examples; the walk misses some", len(examples))
	}
	for _, ex := range examples {
		if err := CheckExample(ex); err != nil {
			t.Error(err)
		}
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			if responseParsers[op.OperationID] == nil {
				t.Errorf("no response parser listed for %s", op.OperationID)
			}
			if op.RequestBody != nil && requestBodies[op.OperationID] == nil {
				t.Errorf("no request body type listed for %s", op.OperationID)
			}
		}
	}
}

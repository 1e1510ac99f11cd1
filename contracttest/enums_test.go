package contracttest

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/spec"
	"github.com/getkin/kin-openapi/openapi3"
)

// enumsByTypeName collects the enum values of every schema in doc's request
// and response bodies that the overlay names (x-go-type-name).
func enumsByTypeName(doc *openapi3.T) map[string][]string {
	out := map[string][]string{}
	var walk func(s *openapi3.Schema, depth int)
	walk = func(s *openapi3.Schema, depth int) {
		if s == nil || depth > 16 {
			return
		}
		if name, ok := s.Extensions["x-go-type-name"].(string); ok && len(s.Enum) > 0 {
			for _, v := range s.Enum {
				out[name] = append(out[name], fmt.Sprint(v))
			}
		}
		for _, p := range s.Properties {
			if p != nil {
				walk(p.Value, depth+1)
			}
		}
		if s.Items != nil {
			walk(s.Items.Value, depth+1)
		}
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			for _, r := range op.Responses.Map() {
				if r.Value != nil {
					for _, mt := range r.Value.Content {
						if mt.Schema != nil {
							walk(mt.Schema.Value, 0)
						}
					}
				}
			}
		}
	}
	return out
}

// TestBatchStatesMatchTheEngine is the enum gate: the batch statuses the
// spec allows are exactly the states the mock's engine has. A value Gameball
// adds (say "cancelled") fails here until the engine, and so the mock, can
// answer it.
func TestBatchStatesMatchTheEngine(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	var engine []string
	for _, s := range loyalty.BatchStates {
		engine = append(engine, string(s))
	}
	slices.Sort(engine)
	enums := enumsByTypeName(doc)
	values := slices.Sorted(slices.Values(enums["BatchState"]))
	if !slices.Equal(values, engine) {
		t.Errorf("the spec's BatchState values %v differ from the engine's batch states %v", values, engine)
	}
	// Stop's status is a plain string in the published document: the mock answers the engine's states there too.
	if len(enums) != 1 {
		t.Errorf("the spec has enums %v; this gate knows BatchState: decide how the mock answers the others", slices.Sorted(maps.Keys(enums)))
	}
}

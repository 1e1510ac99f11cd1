package contracttest

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// Uncovered names every documented (operation, response status) of doc that
// seen does not hold, as "operationId status (METHOD path)". A new operation
// or a new documented status in the spec shows up here until a test
// exercises it.
func Uncovered(doc *openapi3.T, seen map[string][]int) []string {
	var out []string
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for _, method := range slices.Sorted(maps.Keys(item.Operations())) {
			op := item.Operations()[method]
			for _, code := range slices.Sorted(maps.Keys(op.Responses.Map())) {
				status, err := strconv.Atoi(code)
				if err != nil {
					// "default" or "4XX": no single status a test could aim at.
					out = append(out, fmt.Sprintf("%s %s (%s %s): only exact statuses can be covered", op.OperationID, code, method, path))
					continue
				}
				if !slices.Contains(seen[op.OperationID], status) {
					out = append(out, fmt.Sprintf("%s %d (%s %s)", op.OperationID, status, method, path))
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// Merge unions the statuses several transports have seen.
func Merge(transports ...*Transport) map[string][]int {
	out := map[string][]int{}
	for _, tr := range transports {
		for op, statuses := range tr.Seen() {
			for _, s := range statuses {
				if !slices.Contains(out[op], s) {
					out[op] = append(out[op], s)
				}
			}
		}
	}
	for op := range out {
		slices.Sort(out[op])
	}
	return out
}

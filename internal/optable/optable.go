// Package optable is the one list of the Gameball API's operations, generated
// from the bundled spec by internal/cmd/optable (optable.gen.go). The client
// reads it for its retries and keys; the mock server for its steering, fault
// rules, journal and dashboard; the tests for their fuzz targets and
// benchmarks. An operation taken into the spec reaches all of them with no
// hand edit. It imports nothing of this module.
package optable

import "strings"

// Operation is one row of the table.
type Operation struct {
	ID      string // the spec's operationId
	Method  string
	Path    string   // the spec's path template, e.g. /api/v4.0/integrations/batches/{batchId}/status
	Headers []string // the key headers its security requires, lower case
	// ReplaySafe says a second copy of the request cannot apply anything
	// twice, so the client may retry it after the first may have reached
	// Gameball; Replay says why, or why not.
	ReplaySafe bool
	Replay     string
	Statuses   []int // the documented response statuses, ascending
	Body       bool  // the operation takes a request body
}

// Find is the operation a request targets. path is the request's path with
// the base URL's own path removed.
func Find(method, path string) (Operation, bool) {
	for _, op := range All {
		if op.Method == method && MatchTemplate(op.Path, path) {
			return op, true
		}
	}
	return Operation{}, false
}

// ByID is the operation of an operationId.
func ByID(id string) (Operation, bool) {
	for _, op := range All {
		if op.ID == id {
			return op, true
		}
	}
	return Operation{}, false
}

// ByGoName is the operation whose operationId, as oapi-codegen writes it as
// a Go identifier (RewardCashback for rewardCashback), is name: what the
// generated strict middlewares are given.
func ByGoName(name string) (Operation, bool) {
	for _, op := range All {
		if strings.EqualFold(op.ID, name) {
			return op, true
		}
	}
	return Operation{}, false
}

// IDs are the operationIds, sorted.
func IDs() []string {
	ids := make([]string, len(All))
	for i, op := range All {
		ids[i] = op.ID
	}
	return ids
}

// MatchTemplate reports whether path fits template, where a {name} segment
// matches any one non-empty segment.
func MatchTemplate(template, path string) bool {
	for template != "" || path != "" {
		var t, p string
		t, template, _ = strings.Cut(strings.TrimPrefix(template, "/"), "/")
		p, path, _ = strings.Cut(strings.TrimPrefix(path, "/"), "/")
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			if p == "" {
				return false
			}
			continue
		}
		if t != p {
			return false
		}
	}
	return true
}

// Needs reports whether op's security requires header (lower case).
func (op Operation) Needs(header string) bool {
	for _, h := range op.Headers {
		if h == header {
			return true
		}
	}
	return false
}

// Fill is op's path with every {name} segment replaced by value, as given
// (escape it first if it must be).
func (op Operation) Fill(value string) string {
	segs := strings.Split(op.Path, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			segs[i] = value
		}
	}
	return strings.Join(segs, "/")
}

// HasParam reports whether op's path has a {name} segment.
func (op Operation) HasParam() bool { return strings.Contains(op.Path, "{") }

package client

import "strings"

// operation is one row of the generated operations table (operations.gen.go).
type operation struct {
	ID      string
	Method  string
	Path    string   // the spec's path template, e.g. /api/v4.0/integrations/batches/{batchId}/status
	Headers []string // the key headers its security requires, lower case
	// ReplaySafe says a second copy of the request cannot apply anything
	// twice, so the client may retry it after the first may have reached
	// Gameball; Replay says why, or why not.
	ReplaySafe bool
	Replay     string
}

// operationFor finds the operation a request targets. path is the request's
// path with the base URL's own path removed.
func operationFor(method, path string) (operation, bool) {
	for _, op := range operations {
		if op.Method == method && matchTemplate(op.Path, path) {
			return op, true
		}
	}
	return operation{}, false
}

// matchTemplate reports whether path fits template, where a {name} segment
// matches any one non-empty segment.
func matchTemplate(template, path string) bool {
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

// needs reports whether op's security requires header.
func (op operation) needs(header string) bool {
	for _, h := range op.Headers {
		if h == header {
			return true
		}
	}
	return false
}

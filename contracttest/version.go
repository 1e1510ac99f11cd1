package contracttest

import (
	"net/http"
	"strings"
)

// Gameball's API v4.1 (Secure Integration Mode) has the spec's v4.0
// operations under its own prefix; every one of them needs both keys.
const (
	v40Prefix = "/api/v4.0/integrations/"
	v41Prefix = "/api/v4.1/integrations/"
)

// withPrefix is req with its path's integration prefix from replaced by to,
// or req itself when its path has none.
func withPrefix(req *http.Request, from, to string) *http.Request {
	i := strings.Index(req.URL.Path, from)
	if i < 0 {
		return req
	}
	r := req.Clone(req.Context())
	r.URL.Path = req.URL.Path[:i] + to + req.URL.Path[i+len(from):]
	r.URL.RawPath = ""
	return r
}

// routable is req as the spec routes it: a v4.1 path as its v4.0 operation.
func routable(req *http.Request) *http.Request { return withPrefix(req, v41Prefix, v40Prefix) }

// toV41 sends the generated client's v4.0 paths as v4.1's, for the raw
// clients the sequence builds with keys of its choosing.
type toV41 struct{ next http.RoundTripper }

func (t toV41) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.next.RoundTrip(withPrefix(req, v40Prefix, v41Prefix))
}

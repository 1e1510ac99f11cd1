package mockserver

import (
	"net/http"
	"strings"
)

// The prefixes of Gameball's integration API versions. The spec describes
// v4.0; v4.1 (Secure Integration Mode) has the same operations under its own
// prefix, and every one of them needs both keys.
const (
	v40Prefix = "/api/v4.0/integrations/"
	v41Prefix = "/api/v4.1/integrations/"
)

// apiVersion serves a v4.1 request as the v4.0 operation it names, from the
// same engine and state, with validation, steering and faults as for v4.0;
// x remembers the version, so authentication asks for both keys. The
// journal and the logs keep the request as sent (r itself is not changed).
func apiVersion(r *http.Request, x *exchange) *http.Request {
	rest, ok := strings.CutPrefix(r.URL.Path, v41Prefix)
	if !ok {
		return r
	}
	x.v41 = true
	v40 := r.Clone(r.Context())
	v40.URL.Path = v40Prefix + rest
	if r.URL.RawPath != "" {
		if raw, ok := strings.CutPrefix(r.URL.RawPath, v41Prefix); ok {
			v40.URL.RawPath = v40Prefix + raw
		} else {
			v40.URL.RawPath = ""
		}
	}
	return v40
}

package client

import (
	"net/http"
	"strings"
)

// The prefixes of Gameball's integration API versions. The spec, and so the
// generated client, is v4.0's; v4.1 has the same operations under its own
// prefix.
const (
	v40Prefix = "/api/v4.0/integrations/"
	v41Prefix = "/api/v4.1/integrations/"
)

// APIv41 calls Gameball's API v4.1, Secure Integration Mode: the same
// operations under /api/v4.1/integrations/, where every call needs both
// keys, so the secretkey goes with every call (as with HighSecurity).
// Everything else (retries, errors, logging) is as for v4.0; logs name the
// operation's v4.0 path template.
func APIv41() Option {
	return func(c *Client) error {
		c.highSecurity = true
		c.v41 = true
		return nil
	}
}

// v41Client is hc sending every v4.0 integration path under v4.1's prefix.
// hc itself is left as it is: it may be shared.
func v41Client(hc *http.Client) *http.Client {
	out := *hc
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	out.Transport = v41Transport{base}
	return &out
}

type v41Transport struct{ base http.RoundTripper }

func (t v41Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	i := strings.Index(req.URL.Path, v40Prefix)
	if i < 0 {
		return t.base.RoundTrip(req)
	}
	// A RoundTripper must not change the request it is given.
	r := req.Clone(req.Context())
	r.URL.Path = req.URL.Path[:i] + v41Prefix + req.URL.Path[i+len(v40Prefix):]
	if req.URL.RawPath != "" {
		if j := strings.Index(req.URL.RawPath, v40Prefix); j >= 0 {
			r.URL.RawPath = req.URL.RawPath[:j] + v41Prefix + req.URL.RawPath[j+len(v40Prefix):]
		}
	}
	return t.base.RoundTrip(r)
}

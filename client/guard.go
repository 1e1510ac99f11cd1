package client

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// keyHeaders are the headers that carry the account's keys. http.Client
// strips Authorization and cookies on a redirect to another host, but not
// headers of other names: these would follow a redirect anywhere.
var keyHeaders = []string{"apikey", "secretkey"}

// maxRedirects is http.Client's own bound, kept when the caller's client
// has no redirect policy of its own.
const maxRedirects = 10

// guardedHTTPClient is the copy of hc the client sends with: the same
// Transport, Jar, Timeout and redirect policy, with two additions. The
// transport drops the key headers from any request to an origin other than
// the base URL's (a redirect to another host, or from https to http, must
// not deliver the secret key there), whatever hc's own policy; and a
// redirect that hc's policy stops (a loop) is marked, so the retry loop
// does not repeat it. hc itself is left as the caller made it: it may be
// shared with code that wants its redirects as they were.
func guardedHTTPClient(hc *http.Client, base *url.URL) *http.Client {
	guarded := *hc
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	guarded.Transport = keyGuard{base: base, next: next}
	check := hc.CheckRedirect
	guarded.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		var err error
		if check != nil {
			err = check(req, via)
		} else if len(via) >= maxRedirects {
			err = errors.New("stopped after 10 redirects")
		}
		if err != nil && !errors.Is(err, http.ErrUseLastResponse) {
			return &redirectError{err: err}
		}
		return err
	}
	return &guarded
}

// redirectError is a redirect the policy refused to follow. Sending the
// same request again meets the same redirects, so it is not retried.
type redirectError struct{ err error }

func (e *redirectError) Error() string { return "redirect: " + e.err.Error() }
func (e *redirectError) Unwrap() error { return e.err }

// keyGuard is the transport that keeps the keys to the base URL's origin.
// It is the last step before the wire, so it sees every request the
// http.Client makes, redirects included.
type keyGuard struct {
	base *url.URL
	next http.RoundTripper
}

func (g keyGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	if sameOrigin(req.URL, g.base) || !hasKeys(req.Header) {
		return g.next.RoundTrip(req)
	}
	// A RoundTripper must not change the request it is given.
	r := req.Clone(req.Context())
	for name := range r.Header {
		for _, k := range keyHeaders {
			if strings.EqualFold(name, k) {
				delete(r.Header, name)
			}
		}
	}
	return g.next.RoundTrip(r)
}

// hasKeys reports whether h holds a key header under any spelling of its
// name (a request editor may write the map directly).
func hasKeys(h http.Header) bool {
	for name := range h {
		for _, k := range keyHeaders {
			if strings.EqualFold(name, k) {
				return true
			}
		}
	}
	return false
}

// sameOrigin reports whether u has a's scheme, host and port: the keys
// travel only where the caller pointed the client, and never in clear text
// once the base URL is https.
func sameOrigin(u, a *url.URL) bool {
	return strings.EqualFold(u.Scheme, a.Scheme) &&
		strings.EqualFold(u.Hostname(), a.Hostname()) &&
		portOf(u) == portOf(a)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

package mockserver

import (
	"io"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/gbkit/gameball-go/internal/errcode"
	"github.com/gbkit/gameball-go/spec"
)

// The guards every request passes before either API sees it: the Host name
// (DNS rebinding), cross-site writes, and content codings.

// hostAllowed reports whether host (a Host header, with or without a port)
// names this machine or one of extra.
func hostAllowed(host string, extra []string) bool {
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	name = strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(name, "["), "]"), "."))
	switch name {
	case "localhost", "127.0.0.1", "::1":
		return true
	}
	return slices.Contains(extra, name)
}

// normalizeHosts lowercases the configured names and drops their ports.
func normalizeHosts(hosts []string) []string {
	var out []string
	for _, h := range hosts {
		h = strings.TrimSpace(h)
		if name, _, err := net.SplitHostPort(h); err == nil {
			h = name
		}
		if h = strings.ToLower(strings.Trim(h, "[]")); h != "" {
			out = append(out, h)
		}
	}
	return out
}

// originPolicy is who may call the server: the Host names it answers
// (against DNS rebinding), the browser origins CORS allows, and the
// cross-site writes it refuses. Each refusal is logged once (refusalLog).
type originPolicy struct {
	loopbackHosts bool        // answer only Host names of this machine...
	allowedHosts  []string    // ...and these
	cors          *corsPolicy // nil: CORS off
	crossOrigin   *http.CrossOriginProtection
	refusals      *refusalLog
}

// refuseHost answers r itself with 403, reporting true, when the server
// answers only loopback names and r's Host is none of them: first of all,
// preflights included.
func (p *originPolicy) refuseHost(w http.ResponseWriter, r *http.Request) bool {
	if !p.loopbackHosts || hostAllowed(r.Host, p.allowedHosts) {
		return false
	}
	p.refusals.note("Host name not allowed; allow it with -allowed-hosts (GAMEBALL_MOCK_ALLOWED_HOSTS)", "host", r.Host)
	writeError(w, r, newError(errcode.Forbidden, "this mock answers only requests for localhost, 127.0.0.1 and [::1] and the names given with -allowed-hosts, not %q", truncate(r.Host, 100)))
	return true
}

// preflight adds the CORS headers for r's origin and answers a preflight,
// reporting whether it did.
func (p *originPolicy) preflight(w http.ResponseWriter, r *http.Request) bool {
	return p.cors != nil && p.cors.handle(w, r)
}

// crossOriginAllowed refuses state-changing requests a browser sends from
// another origin (Go's net/http.CrossOriginProtection reads Sec-Fetch-Site
// and Origin; GET, HEAD and OPTIONS always pass). An origin the CORS policy
// allows passes too: the policy's patterns (any port) are more than
// AddTrustedOrigin takes, so the policy is consulted on a refusal.
func (p *originPolicy) crossOriginAllowed(r *http.Request) bool {
	if p.cors != nil && p.cors.any {
		return true // -cors '*': every origin is trusted
	}
	if p.crossOrigin.Check(r) == nil {
		return true
	}
	origin := r.Header.Get("Origin")
	return p.cors != nil && origin != "" && p.cors.allows(origin)
}

// refuseCrossSite answers a cross-site write itself with 403, reporting true.
func (p *originPolicy) refuseCrossSite(w http.ResponseWriter, r *http.Request) bool {
	if p.crossOriginAllowed(r) {
		return false
	}
	p.refusals.note("cross-origin write refused; allow the origin with -cors (GAMEBALL_MOCK_CORS)", "origin", r.Header.Get("Origin"))
	writeError(w, r, newError(errcode.Forbidden, "cross-origin %s refused: the page's origin is not allowed (-cors)", r.Method))
	return true
}

// refuseCodedBody answers r itself with 415, reporting true, when its body
// has a content coding: bodies are read as sent, and a coded body would be
// judged as JSON.
func refuseCodedBody(w http.ResponseWriter, r *http.Request) bool {
	hasBody := r.Body != nil && r.Body != http.NoBody
	if coding := r.Header.Get("Content-Encoding"); hasBody && coding != "" && !strings.EqualFold(strings.TrimSpace(coding), "identity") {
		w.Header().Set("Accept-Encoding", "identity")
		writeError(w, r, newError(errcode.NotSupported, "Content-Encoding %q is not supported: send the body uncoded", truncate(coding, 40)))
		return true
	}
	return false
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// maxDrainBytes bounds how much of a refused body's rest is read and thrown
// away, so that a client sending it whole before reading (no Expect:
// 100-continue) reads the 413 rather than a connection reset.
const maxDrainBytes = 16 << 20

// drain reads what is left of a body refused as too large, up to
// maxDrainBytes; a body announced longer than that is not read at all (the
// connection closes after the answer, as before).
func drain(w http.ResponseWriter, body io.Reader, contentLength, limit int64) {
	if contentLength > limit+maxDrainBytes {
		return
	}
	// The answer first, so the client has it while the rest is read.
	_ = http.NewResponseController(w).Flush()
	_, _ = io.CopyN(io.Discard, body, maxDrainBytes)
}

// methodTable finds the methods a path takes, in both documents, for the
// Allow header of a 405 and for answering HEAD as GET.
type methodTable struct {
	routers []routers.Router
}

func newMethodTable(docs ...*openapi3.T) (*methodTable, error) {
	t := &methodTable{}
	for _, doc := range docs {
		// PathRouter drops the document's servers; route on a copy.
		copied := *doc
		router, err := spec.PathRouter(&copied)
		if err != nil {
			return nil, err
		}
		t.routers = append(t.routers, router)
	}
	return t, nil
}

var routedMethods = []string{http.MethodDelete, http.MethodGet, http.MethodPatch, http.MethodPost, http.MethodPut}

// allowed lists the methods r's path takes, sorted, HEAD with GET.
func (t *methodTable) allowed(r *http.Request) []string {
	var out []string
	for _, method := range routedMethods {
		probe := r.Clone(r.Context())
		probe.Method = method
		for _, router := range t.routers {
			if _, _, err := router.FindRoute(probe); err == nil {
				out = append(out, method)
				if method == http.MethodGet {
					out = append(out, http.MethodHead)
				}
				break
			}
		}
	}
	return out
}

// headAsGet is r as a GET when r is a HEAD on a path that takes GET: the
// answer is GET's, and net/http sends HEAD's without the body.
func (t *methodTable) headAsGet(r *http.Request) *http.Request {
	if r.Method != http.MethodHead || !slices.Contains(t.allowed(r), http.MethodGet) {
		return r
	}
	get := r.WithContext(r.Context())
	get.Method = http.MethodGet
	return get
}

package mockserver

import (
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// DefaultCORSOrigins are the origins browsers may call the mock from when
// none are configured: any port of localhost, 127.0.0.1 and [::1], over http
// and https, where frontend dev servers run.
var DefaultCORSOrigins = []string{
	"http://localhost:*", "https://localhost:*",
	"http://127.0.0.1:*", "https://127.0.0.1:*",
	"http://[::1]:*", "https://[::1]:*",
}

// exposedHeaders are the response headers a page may read.
const exposedHeaders = "X-Request-Id, Retry-After, X-Mock-Fault"

// corsPolicy answers CORS for allowed origins: preflights (without
// authentication, before anything else) and the headers of actual requests.
type corsPolicy struct {
	any     bool
	exact   []string
	anyPort []string // scheme://host of the patterns ending in :*
	headers string   // Access-Control-Allow-Headers
	refused *refusalLog
}

func newCORSPolicy(origins []string, headers []string, refused *refusalLog) *corsPolicy {
	p := &corsPolicy{headers: strings.Join(headers, ", "), refused: refused}
	for _, o := range origins {
		o = strings.TrimRight(strings.TrimSpace(o), "/")
		switch {
		case o == "*":
			p.any = true
		case strings.HasSuffix(o, ":*"):
			p.anyPort = append(p.anyPort, strings.ToLower(strings.TrimSuffix(o, ":*")))
		case o != "":
			p.exact = append(p.exact, strings.ToLower(o))
		}
	}
	return p
}

func (p *corsPolicy) allows(origin string) bool {
	if p.any {
		return true
	}
	o := strings.ToLower(origin)
	if slices.Contains(p.exact, o) {
		return true
	}
	for _, base := range p.anyPort {
		if o == base {
			return true
		}
		if port, ok := strings.CutPrefix(o, base+":"); ok && port != "" && strings.Trim(port, "0123456789") == "" {
			return true
		}
	}
	return false
}

// handle adds the CORS headers for r's origin and answers a preflight,
// reporting whether it did.
func (p *corsPolicy) handle(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	h := w.Header()
	h.Add("Vary", "Origin")
	preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
	if !p.allows(origin) {
		p.refused.note("CORS: origin not allowed; allow it with -cors (GAMEBALL_MOCK_CORS)", "origin", origin)
		if preflight {
			w.WriteHeader(http.StatusForbidden)
			return true
		}
		return false
	}
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Expose-Headers", exposedHeaders)
	if !preflight {
		return false
	}
	h.Add("Vary", "Access-Control-Request-Method")
	h.Add("Vary", "Access-Control-Request-Headers")
	h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
	h.Set("Access-Control-Allow-Headers", p.headers)
	h.Set("Access-Control-Max-Age", "600")
	// Chrome's Private Network Access: a public page calling the local mock.
	if r.Header.Get("Access-Control-Request-Private-Network") == "true" {
		h.Set("Access-Control-Allow-Private-Network", "true")
	}
	w.WriteHeader(http.StatusNoContent)
	return true
}

// refusalLog logs each distinct refusal (an origin, a Host name) once, and
// remembers a bounded number of them: anyone can send endless distinct,
// long values, and neither the log nor the memory may grow with them.
type refusalLog struct {
	logger *slog.Logger
	redact *redactor
	mu     sync.Mutex
	seen   map[string]struct{}
	full   bool
}

// maxRefusalsLogged bounds the distinct refusals logged (and remembered);
// maxRefusalValue bounds each value as logged and remembered.
const (
	maxRefusalsLogged = 32
	maxRefusalValue   = 200
)

func newRefusalLog(logger *slog.Logger, redact *redactor) *refusalLog {
	return &refusalLog{logger: logger, redact: redact, seen: map[string]struct{}{}}
}

// note logs msg with key=value the first time value is refused.
func (l *refusalLog) note(msg, key, value string) {
	value = l.redact.text(truncate(value, maxRefusalValue))
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, logged := l.seen[key+"="+value]; logged || l.full {
		return
	}
	if len(l.seen) >= maxRefusalsLogged {
		l.full = true
		l.logger.Warn("more distinct refusals than are logged; further ones are answered but not logged", "logged", len(l.seen))
		return
	}
	l.seen[key+"="+value] = struct{}{}
	l.logger.Warn(msg, key, value)
}

// allowedHeaders are the request headers the documents declare (security
// schemes' and header parameters'), plus Content-Type and Prefer (per-request
// steering).
func allowedHeaders(docs ...*openapi3.T) []string {
	headers := []string{"Content-Type", "Prefer"}
	add := func(name string) {
		if !slices.ContainsFunc(headers, func(h string) bool { return strings.EqualFold(h, name) }) {
			headers = append(headers, name)
		}
	}
	for _, doc := range docs {
		if doc.Components == nil {
			continue
		}
		for _, name := range slices.Sorted(maps.Keys(doc.Components.SecuritySchemes)) {
			ss := doc.Components.SecuritySchemes[name].Value
			switch {
			case ss == nil:
			case ss.Type == "apiKey" && ss.In == "header":
				add(ss.Name)
			case ss.Type == "http":
				add("Authorization")
			}
		}
		for _, path := range doc.Paths.InMatchingOrder() {
			for _, op := range doc.Paths.Value(path).Operations() {
				for _, param := range op.Parameters {
					if param.Value != nil && param.Value.In == openapi3.ParameterInHeader {
						add(param.Value.Name)
					}
				}
			}
		}
	}
	return headers
}

// Package mockserver is a stateful mock of Gameball's v4.0 cashback and points
// API. Requests are validated against Gameball's documents (the bundled spec)
// before the generated strict server hands them to the loyalty engine, which
// keeps balances, ledgers and batch jobs per account. Every refusal is
// Gameball's error object with Gameball's code and status.
//
// Under the reserved prefix /_mock/ the server answers its own control API
// (spec/controldoc/mock-control.yaml, generated into mockserver/control and
// internal/controlserver): reset, seed, dump and load the state, move
// the clock, inject faults, read the journal of Gameball API exchanges, health
// and readiness, and the dashboard at /_mock/ui. Browsers on local origins may
// call both APIs (CORS), and StateFile keeps the state in a file.
package mockserver

import (
	"context"
	"crypto/sha256"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gbkit/gameball-go/internal/gameballserver"

	"github.com/gbkit/gameball-go/internal/errcode"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/spec"
)

// DefaultMaxBodyBytes bounds a request body: a full 1,000-item batch with long
// ids is about 300 KB.
const DefaultMaxBodyBytes = 1 << 20

// maxControlBodyBytes bounds a control API request body: a state to load may
// be far larger than any Gameball request.
const maxControlBodyBytes = 256 << 20

// ControlPrefix is the path prefix reserved for the control API.
const ControlPrefix = "/_mock/"

// Options tune a Server. The zero value is ready to use.
type Options struct {
	// Logger receives one debug line per request; nil discards.
	Logger *slog.Logger
	// MaxBodyBytes bounds request bodies (413 beyond); 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// AdminKey, when set, protects the control API: every control operation
	// but health, readiness and the dashboard page needs it in the
	// X-Mock-Admin-Key header. Empty leaves the control API open.
	AdminKey string
	// CORSOrigins are the browser origins allowed to call the server: exact
	// origins (http://localhost:5173), patterns for any port
	// (http://localhost:*), or "*" for any origin. Nil means
	// DefaultCORSOrigins; see NoCORS to turn CORS off.
	CORSOrigins []string
	// NoCORS answers no CORS headers and no preflights.
	NoCORS bool
	// LoopbackHosts answers only requests whose Host names the machine
	// itself (localhost, 127.0.0.1, [::1], any port) or one of AllowedHosts,
	// against DNS rebinding: a page whose name is made to resolve to
	// 127.0.0.1 sends its own name. gameball-mock sets it when it listens
	// on loopback; others are refused with 403.
	LoopbackHosts bool
	// AllowedHosts are further Host names (any port) a LoopbackHosts
	// server answers, such as a name in /etc/hosts or a container's.
	AllowedHosts []string
	// JournalSize is how many Gameball API exchanges the journal keeps; 0
	// means DefaultJournalSize, negative turns the journal off.
	JournalSize int
	// Secrets are strings never to show in the journal, logs and error
	// messages, wherever they appear: give every account's secret key. The
	// admin key is added. Values that are an account's secret key are
	// redacted even when not listed, but only as whole values.
	Secrets []string
}

// Server is the mock's http.Handler. Its fields are the stops of a request,
// in the order ServeHTTP takes them; each concern keeps its own state behind
// its own type.
type Server struct {
	engine       *loyalty.Engine
	highSecurity bool          // the engine's program: every call needs the secret key too
	logger       *slog.Logger  // one debug line per request
	ids          *requestIDs   // X-Request-Id
	redact       *redactor     // secrets out of logs, journal and messages
	origin       *originPolicy // Host names, CORS, cross-site writes (guard.go, cors.go)
	methods      *methodTable  // HEAD as GET, the Allow header of a 405

	maxBody  int64              // the Gameball API's body limit
	control  http.Handler       // the control API under ControlPrefix (control.go)
	adminKey *[sha256.Size]byte // the control API's key; nil: none

	journal *journal     // the Gameball API's exchanges (journal.go); nil: off
	handler http.Handler // the Gameball API: validation, then the strict handlers
	faults  *faultRules  // what the handlers' fault middleware fires (faults.go)

	readiness readiness // what GET /_mock/ready answers (readiness.go)
}

// New returns a server answering for engine's accounts.
func New(engine *loyalty.Engine, opts Options) (*Server, error) {
	s := &Server{
		engine:       engine,
		highSecurity: engine.Program().HighSecurity,
		logger:       opts.Logger,
		maxBody:      opts.MaxBodyBytes,
		ids:          newRequestIDs(),
		faults:       newFaultRules(),
	}
	if s.logger == nil {
		s.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	secrets := opts.Secrets
	if opts.AdminKey != "" {
		digest := sha256.Sum256([]byte(opts.AdminKey))
		s.adminKey = &digest
		secrets = append(secrets[:len(secrets):len(secrets)], opts.AdminKey)
	}
	s.redact = newRedactor(engine, secrets, s.adminKey)
	s.origin = &originPolicy{
		loopbackHosts: opts.LoopbackHosts,
		allowedHosts:  normalizeHosts(opts.AllowedHosts),
		crossOrigin:   http.NewCrossOriginProtection(),
		refusals:      newRefusalLog(s.logger, s.redact),
	}
	switch {
	case opts.JournalSize == 0:
		s.journal = newJournal(DefaultJournalSize)
	case opts.JournalSize > 0:
		s.journal = newJournal(opts.JournalSize)
	}

	// The validation document: the bundle as its equivalent OpenAPI 3.0.3
	// rendering, which kin-openapi validates without compiling a JSON Schema
	// validator per request (see package spec). Same operations and statuses.
	doc, err := spec.LoadForValidation()
	if err != nil {
		return nil, err
	}
	// Generated strict middlewares run last-listed first: recordOperation,
	// then steer (the request's own Prefer header), then the fault rules,
	// then the refusal of customerIds that could not be read back.
	middlewares := []gameballserver.StrictMiddlewareFunc{refuseUnreadableIDs, s.faults.middleware, steer, recordOperation}
	strict := gameballserver.NewStrictHandlerWithOptions(&handlers{engine: engine}, middlewares, gameballserver.StrictHTTPServerOptions{
		// The validator has checked the body already; what still fails to
		// bind is a value beyond its Go type (an integer past int64).
		RequestErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, r, decodeError(err))
		},
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, r, asAPIError(err))
		},
	})
	routes := gameballserver.HandlerWithOptions(strict, gameballserver.StdHTTPServerOptions{
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, r, newError(errcode.InvalidValue, "%v", err))
		},
	})
	s.handler = s.validator(doc)(refuseMalformedBody(routes))

	controlDoc, control, err := s.newControl()
	if err != nil {
		return nil, err
	}
	s.control = control
	if s.methods, err = newMethodTable(doc, controlDoc); err != nil {
		return nil, err
	}
	if !opts.NoCORS {
		origins := opts.CORSOrigins
		if origins == nil {
			origins = DefaultCORSOrigins
		}
		s.origin.cors = newCORSPolicy(origins, allowedHeaders(doc, controlDoc), s.origin.refusals)
	}
	return s, nil
}

// Engine is the loyalty engine behind the server.
func (s *Server) Engine() *loyalty.Engine { return s.engine }

// SetReady sets what readiness (GET /_mock/ready) answers: a server is ready
// from New on; a program sets it false when it starts shutting down, so a
// load balancer or a test harness stops sending it requests.
func (s *Server) SetReady(ready bool) { s.readiness.stopping.Store(!ready) }

// ServeHTTP answers one request, top to bottom: an exchange for the layers
// below to fill in; the origin policy (Host, CORS preflight, cross-site
// writes) and coded bodies; the body, read once under its limit (a body
// that cannot be read is answered at once, 413 or 400); then the control
// API, or the journal's capture and the Gameball API (validation and
// authentication, the strict handlers with their fault, steering and
// recording middlewares, the engine); last the journal entry and the log
// line.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{requestID: s.ids.new(), started: time.Now(), redact: s.redact}
	r = r.WithContext(withExchange(r.Context(), x))
	w.Header().Set("X-Request-Id", x.requestID)
	if s.origin.refuseHost(w, r) {
		s.logRequest(r, x, &statusRecorder{status: http.StatusForbidden})
		return
	}
	if s.origin.preflight(w, r) {
		return
	}
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK, methods: s.methods, req: r}
	if s.origin.refuseCrossSite(rec, r) || refuseCodedBody(rec, r) {
		s.logRequest(r, x, rec)
		return
	}

	control := r.URL.Path == "/_mock" || strings.HasPrefix(r.URL.Path, ControlPrefix)
	limit := s.maxBody
	if control {
		limit = maxControlBodyBytes
	}
	sent := r.Body
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
	}
	defer func() {
		if rec.status == http.StatusRequestEntityTooLarge && sent != nil {
			drain(w, sent, r.ContentLength, limit)
		}
	}()
	readErr := readBody(r, x)
	if !control {
		s.journal.capture(r, rec, x)
	}
	switch {
	case readErr != nil:
		writeError(rec, r, bodyReadError(readErr))
	case control:
		s.serveControl(rec, s.methods.headAsGet(r))
	default:
		api := apiVersion(r, x) // v4.1 is served as v4.0; the journal keeps r as sent
		rec.req = api
		s.handler.ServeHTTP(rec, s.methods.headAsGet(api))
	}
	x.journal() // a no-op unless captured
	s.logRequest(r, x, rec)
}

func (s *Server) logRequest(r *http.Request, x *exchange, rec *statusRecorder) {
	if !s.logger.Enabled(r.Context(), slog.LevelDebug) {
		return
	}
	s.logger.LogAttrs(r.Context(), slog.LevelDebug, "request",
		slog.String("id", x.requestID),
		slog.String("method", r.Method),
		slog.String("path", s.redact.text(r.URL.Path)),
		slog.String("operation", x.operation),
		slog.Int("status", rec.answered(x)),
		slog.Duration("latency", time.Since(x.started)))
}

// recordOperation notes the operation's spec operationId and the typed
// request on the exchange, for logs, journals and fault rules.
func recordOperation(next gameballserver.StrictHandlerFunc, operationID string) gameballserver.StrictHandlerFunc {
	id := operationNamed(operationID).ID
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, request any) (any, error) {
		if x := exchangeFrom(ctx); x != nil {
			x.operation = id
			x.request = request
		}
		return next(ctx, w, r, request)
	}
}

// statusRecorder remembers the status a handler wrote and, for the journal,
// the start of the body.
type statusRecorder struct {
	http.ResponseWriter
	status int

	capture   bool
	body      []byte
	truncated bool

	methods *methodTable // for the Allow header of a 405
	req     *http.Request
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	if status == http.StatusMethodNotAllowed && r.methods != nil {
		r.Header().Set("Allow", strings.Join(r.methods.allowed(r.req), ", "))
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	if r.capture {
		room := journalBodyLimit - len(r.body)
		if len(p) > room {
			r.truncated = true
		}
		r.body = append(r.body, p[:max(0, min(room, len(p)))]...)
	}
	return r.ResponseWriter.Write(p)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// answered is the status the client got: 0 when a fault closed the connection.
func (r *statusRecorder) answered(x *exchange) int {
	if x.closed {
		return 0
	}
	return r.status
}

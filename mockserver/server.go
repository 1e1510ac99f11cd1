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
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
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

// Server is the mock's http.Handler.
type Server struct {
	engine  *loyalty.Engine
	logger  *slog.Logger
	maxBody int64
	ids     *requestIDs

	handler http.Handler // the Gameball API
	control http.Handler // the control API under ControlPrefix

	cors       *corsPolicy // nil: off
	journal    *journal    // nil: off
	faults     *faultRules
	redact     *redactor
	adminKey   *[sha256.Size]byte // nil: no admin key
	operations []string           // the Gameball API's operationIds, sorted

	ready     atomic.Bool
	stateFile atomic.Pointer[string]
	watchers  watchers // told when the clock moves

	// What guard.go checks before either API, and how it logs refusals.
	refusals      *refusalLog
	methods       *methodTable
	crossOrigin   *http.CrossOriginProtection
	loopbackHosts bool
	allowedHosts  []string

	saveFailing atomic.Bool // the state file's last save failed: not ready
}

// New returns a server answering for engine's accounts.
func New(engine *loyalty.Engine, opts Options) (*Server, error) {
	s := &Server{
		engine:  engine,
		logger:  opts.Logger,
		maxBody: opts.MaxBodyBytes,
		ids:     newRequestIDs(),
		faults:  newFaultRules(),

		crossOrigin:   http.NewCrossOriginProtection(),
		loopbackHosts: opts.LoopbackHosts,
		allowedHosts:  normalizeHosts(opts.AllowedHosts),
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
	s.refusals = newRefusalLog(s.logger, s.redact)
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
	ops := specOperations(doc)
	for _, op := range ops {
		s.operations = append(s.operations, op.id)
	}
	slices.Sort(s.operations)
	// Generated strict middlewares run last-listed first: recordOperation,
	// then steer (the request's own Prefer header), then the fault rules,
	// then the refusal of customerIds that could not be read back.
	middlewares := []gameballserver.StrictMiddlewareFunc{refuseUnreadableIDs, s.applyFaults(ops), steer(ops), recordOperation(ops)}
	strict := gameballserver.NewStrictHandlerWithOptions(&handlers{engine: engine}, middlewares, gameballserver.StrictHTTPServerOptions{
		// The validator has checked the body already; a decode failure here
		// means the generated types and the spec disagree.
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
	s.handler = s.validator(doc)(checkBody(routes))

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
		s.cors = newCORSPolicy(origins, allowedHeaders(doc, controlDoc), s.refusals)
	}
	s.ready.Store(true)
	return s, nil
}

// Engine is the loyalty engine behind the server.
func (s *Server) Engine() *loyalty.Engine { return s.engine }

// SetReady sets what readiness (GET /_mock/ready) answers: a server is ready
// from New on; a program sets it false when it starts shutting down, so a
// load balancer or a test harness stops sending it requests.
func (s *Server) SetReady(ready bool) { s.ready.Store(ready) }

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{requestID: s.ids.new(), started: time.Now(), redact: s.redact}
	r = r.WithContext(withExchange(r.Context(), x))
	w.Header().Set("X-Request-Id", x.requestID)
	if s.guardHost(w, r) {
		s.logRequest(r, x, &statusRecorder{status: http.StatusForbidden})
		return
	}
	if s.cors != nil && s.cors.handle(w, r) {
		return // a preflight, answered
	}
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK, methods: s.methods, req: r}
	if s.guard(rec, r) {
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
	if control {
		s.serveControl(rec, s.methods.headAsGet(r))
		s.logRequest(r, x, rec)
		return
	}

	var body []byte
	var bodyErr error
	if s.journal != nil {
		// The journal shows the body as sent, even when the request is
		// refused before anything reads it; the validator then reads the
		// same bytes, and the same error past the limit.
		if r.Body != nil && r.Body != http.NoBody {
			body, bodyErr = io.ReadAll(r.Body)
			r.Body = &replayBody{Reader: bytes.NewReader(body), err: bodyErr}
		}
		rec.capture = true
	}
	if s.journal != nil {
		x.record = func() { s.journal.add(newRecord(r, x, rec, body)) }
	}
	api := apiVersion(r, x) // v4.1 is served as v4.0; the journal keeps r as sent
	rec.req = api
	s.handler.ServeHTTP(rec, s.methods.headAsGet(api))
	x.journal()
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
func recordOperation(ops operations) gameballserver.StrictMiddlewareFunc {
	return func(next gameballserver.StrictHandlerFunc, operationID string) gameballserver.StrictHandlerFunc {
		id := ops.named(operationID).id
		return func(ctx context.Context, w http.ResponseWriter, r *http.Request, request any) (any, error) {
			if x := exchangeFrom(ctx); x != nil {
				x.operation = id
				x.request = request
			}
			return next(ctx, w, r, request)
		}
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

// replayBody hands the validator a body already read: its bytes, then the
// error reading it ended with (a *http.MaxBytesError past the limit).
type replayBody struct {
	*bytes.Reader
	err error
}

func (b *replayBody) Read(p []byte) (int, error) {
	n, err := b.Reader.Read(p)
	if err == io.EOF && b.err != nil {
		return n, b.err
	}
	return n, err
}

func (b *replayBody) Close() error { return nil }

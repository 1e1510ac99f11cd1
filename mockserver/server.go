// Package mockserver is a stateful mock of Gameball's v4.0 cashback and points
// API. Requests are validated against Gameball's documents (the bundled spec)
// before the generated strict server hands them to the loyalty engine, which
// keeps balances, ledgers and batch jobs per account. Every refusal is
// Gameball's error object with Gameball's code and status.
package mockserver

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/gbkit/gameball-go/mockserver/api"

	"github.com/gbkit/gameball-go/internal/errcode"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/spec"
)

// DefaultMaxBodyBytes bounds a request body: a full 1,000-item batch with long
// ids is about 300 KB.
const DefaultMaxBodyBytes = 1 << 20

// Options tune a Server. The zero value is ready to use.
type Options struct {
	// Logger receives one debug line per request; nil discards.
	Logger *slog.Logger
	// MaxBodyBytes bounds request bodies (413 beyond); 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
}

// Server is the mock's http.Handler.
type Server struct {
	engine  *loyalty.Engine
	logger  *slog.Logger
	maxBody int64
	ids     *requestIDs
	handler http.Handler
}

// New returns a server answering for engine's accounts.
func New(engine *loyalty.Engine, opts Options) (*Server, error) {
	s := &Server{
		engine:  engine,
		logger:  opts.Logger,
		maxBody: opts.MaxBodyBytes,
		ids:     newRequestIDs(),
	}
	if s.logger == nil {
		s.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	doc, err := spec.Load()
	if err != nil {
		return nil, err
	}
	// Generated strict middlewares run last-listed first: recordOperation, then steer.
	ops := specOperations(doc)
	middlewares := []api.StrictMiddlewareFunc{steer(ops), recordOperation(ops)}
	strict := api.NewStrictHandlerWithOptions(&handlers{engine: engine}, middlewares, api.StrictHTTPServerOptions{
		// The validator has checked the body already; a decode failure here
		// means the generated types and the spec disagree.
		RequestErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, r, newError(errcode.InvalidPayload, "%v", err))
		},
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, r, asAPIError(err))
		},
	})
	routes := api.HandlerWithOptions(strict, api.StdHTTPServerOptions{
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, r, newError(errcode.InvalidValue, "%v", err))
		},
	})
	s.handler = s.validator(doc)(routes)
	return s, nil
}

// Engine is the loyalty engine behind the server.
func (s *Server) Engine() *loyalty.Engine { return s.engine }

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{requestID: s.ids.new(), started: time.Now()}
	r = r.WithContext(withExchange(r.Context(), x))
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	}
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	rec.Header().Set("X-Request-Id", x.requestID)
	s.handler.ServeHTTP(rec, r)
	s.logger.LogAttrs(r.Context(), slog.LevelDebug, "request",
		slog.String("id", x.requestID),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("operation", x.operation),
		slog.Int("status", rec.status),
		slog.Duration("latency", time.Since(x.started)))
}

// recordOperation notes the operation's spec operationId on the exchange,
// for logs and journals.
func recordOperation(ops operations) api.StrictMiddlewareFunc {
	return func(next api.StrictHandlerFunc, operationID string) api.StrictHandlerFunc {
		id := ops.named(operationID).id
		return func(ctx context.Context, w http.ResponseWriter, r *http.Request, request any) (any, error) {
			if x := exchangeFrom(ctx); x != nil {
				x.operation = id
			}
			return next(ctx, w, r, request)
		}
	}
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

package mockserver

import (
	"log"
	"net/http"
	"time"
)

// The limits of one connection. A request body over MaxBodyBytes
// (DefaultMaxBodyBytes, 1 MiB) is answered 413 with Gameball's error object
// (code 3011) as soon as the limit is crossed, without reading the rest.
// The timeouts below bound what a slow or stalled client can hold: a client
// that stops sending headers, or sends half a body and stalls, has its
// connection closed at the deadline, and the handler reading the body gets
// an error and answers. Deliberate delays (Prefer: delay=, at most 30s, and
// fault latency, at most 60s) fit within WriteTimeout.

// Timeouts bound the phases of a connection; see DefaultTimeouts.
type Timeouts struct {
	// ReadHeader bounds reading the request line and headers.
	ReadHeader time.Duration
	// Read bounds reading the whole request, body included, from its first
	// byte: a half-sent body holds a handler at most this long.
	Read time.Duration
	// Write bounds the handler and its answer, from the end of the headers.
	Write time.Duration
	// Idle bounds a keep-alive connection between two requests.
	Idle time.Duration
}

// DefaultTimeouts are what gameball-mock serves with.
var DefaultTimeouts = Timeouts{
	ReadHeader: 10 * time.Second,
	Read:       30 * time.Second,
	Write:      2 * time.Minute,
	Idle:       2 * time.Minute,
}

// DefaultMaxHeaderBytes bounds a request's line and headers (431 beyond).
const DefaultMaxHeaderBytes = 64 << 10

// NewHTTPServer is the http.Server to serve h with: t's timeouts, headers up
// to DefaultMaxHeaderBytes, errors (a TLS handshake on the plain port, a
// malformed request line) to errorLog, which may be nil.
func NewHTTPServer(h http.Handler, t Timeouts, errorLog *log.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    DefaultMaxHeaderBytes,
		ErrorLog:          errorLog,
	}
}

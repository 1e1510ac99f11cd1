// Package gameballtest runs the gameball-go mock of Gameball in process, for
// tests of code that calls Gameball through package client. One line in a
// test starts it and hands back a client that is ready to call it:
//
//	func TestCheckout(t *testing.T) {
//		srv := gameballtest.NewServer(t) // stopped when the test ends
//		shop := checkout.New(srv.Client)
//		...
//	}
//
// The mock keeps state as Gameball does (balances move, pending points
// mature, a replayed transactionId is refused with 9004, batch jobs run in
// the background), so a test exercises your code against Gameball's rules
// rather than against answers you wrote yourself. Server.Control steers it
// through its control API: reset or seed state, inject faults (a 503 for
// one operation), move its clock, read the journal of what your code sent.
//
// Each Server has its own state, so tests using one each may run in
// parallel. Start and Close do the same outside a test (an Example, a
// program's own harness).
package gameballtest

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/mockserver/control"
)

// Server is a running mock with a client for its first account.
type Server struct {
	// URL is the mock's base URL: client.BaseURL(URL) points another client
	// at it, and its control API is below URL + "/_mock/".
	URL string
	// Client calls the mock as the first account (by default the account
	// with keys gb_test_apikey and gb_test_secretkey), with the options
	// given to WithClientOptions.
	Client *client.Client
	// Control is a client of the mock's control API: reset, seed, faults,
	// clock, journal (see package control and the README's "From tests and
	// frontends").
	Control *control.ClientWithResponses
	// Mock is the mock server itself, for what the control API does not
	// reach (Mock.Engine(), the loyalty engine behind it).
	Mock *mockserver.Server

	cfg        loyalty.Config
	accounts   []loyalty.AccountConfig // WithAccounts: replace cfg.Accounts
	clock      loyalty.Clock
	clientOpts []client.Option
	http       *httptest.Server
	hc         *http.Client // http's client: its transport trusts nothing but this server
	engine     *loyalty.Engine
	closing    sync.Once
}

// Option configures a Server.
type Option func(*Server)

// WithConfig runs the mock with cfg instead of loyalty.DefaultConfig(): its
// program (rates, tiers, campaigns, return window), accounts and batch
// settings. Start from loyalty.DefaultConfig() and change what the test
// needs.
func WithConfig(cfg loyalty.Config) Option {
	return func(s *Server) { s.cfg = cfg }
}

// WithAccounts replaces the configuration's accounts; Server.Client is the
// first one's, ClientFor gives the others'. Applied after WithConfig,
// whatever the order the options are given in.
func WithAccounts(accounts ...loyalty.AccountConfig) Option {
	return func(s *Server) {
		s.accounts = append([]loyalty.AccountConfig{}, accounts...)
	}
}

// WithClock runs the mock on clock instead of real time: a
// loyalty.FakeClock stands still until the test moves it (Set, Advance),
// so pending points mature exactly when the test says. The control API's
// clock endpoints move it too. Without this option the mock runs on real
// time that Control can shift (PUT /_mock/clock, POST /_mock/clock/advance).
func WithClock(clock loyalty.Clock) Option {
	return func(s *Server) { s.clock = clock }
}

// WithClientOptions adds options to Server.Client and the clients ClientFor
// makes, after gameballtest's own (the mock's URL, and batch polling every
// 10ms up to 100ms, since the mock's jobs take milliseconds).
func WithClientOptions(opts ...client.Option) Option {
	return func(s *Server) { s.clientOpts = append(s.clientOpts, opts...) }
}

// NewServer starts a mock for the test and stops it when the test and its
// subtests end (t.Cleanup). It fails the test if the mock cannot start,
// which happens only for an invalid configuration.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatalf("gameballtest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Start starts a mock outside a test's lifetime; Close stops it.
func Start(opts ...Option) (*Server, error) {
	s := &Server{cfg: loyalty.DefaultConfig()}
	for _, opt := range opts {
		opt(s)
	}
	if s.accounts != nil {
		s.cfg.Accounts = s.accounts
	}
	if len(s.cfg.Accounts) == 0 {
		return nil, errors.New("the configuration has no account")
	}
	if s.clock == nil {
		s.clock = loyalty.NewShiftedClock()
	}
	engine, err := loyalty.New(s.cfg, s.clock)
	if err != nil {
		return nil, fmt.Errorf("the mock's configuration: %w", err)
	}
	var secrets []string
	for _, a := range s.cfg.Accounts {
		secrets = append(secrets, a.SecretKey)
	}
	mock, err := mockserver.New(engine, mockserver.Options{Secrets: secrets, NoCORS: true})
	if err != nil {
		engine.Close()
		return nil, err
	}
	s.engine, s.Mock = engine, mock
	s.http = httptest.NewServer(mock)
	s.URL, s.hc = s.http.URL, s.http.Client()
	if s.Control, err = control.NewClientWithResponses(s.URL, control.WithHTTPClient(s.hc)); err != nil {
		s.Close()
		return nil, err
	}
	if s.Client, err = s.ClientFor(s.cfg.Accounts[0].Name); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// ClientFor is a client for the configured account named name, with the
// options of WithClientOptions and then opts.
func (s *Server) ClientFor(name string, opts ...client.Option) (*client.Client, error) {
	for _, a := range s.cfg.Accounts {
		if a.Name == name {
			all := []client.Option{
				client.BaseURL(s.URL),
				client.HTTPClient(s.hc),
				client.BatchPolling(10*time.Millisecond, 100*time.Millisecond),
			}
			all = append(all, s.clientOpts...)
			return client.New(a.APIKey, a.SecretKey, append(all, opts...)...)
		}
	}
	return nil, fmt.Errorf("gameballtest: no account named %q", name)
}

// Now is the mock's time: for transaction times on a mock with a fake or
// shifted clock, since the mock refuses times in its future (9007).
func (s *Server) Now() time.Time { return s.clock.Now() }

// Close stops the mock: it waits for requests in flight, then stops the
// background batch jobs. NewServer's cleanup calls it; calling it again
// does nothing.
func (s *Server) Close() {
	s.closing.Do(func() {
		s.http.Close()
		s.engine.Close()
	})
}

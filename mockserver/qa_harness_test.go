package mockserver_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/client/gbapi"
	"github.com/gbkit/gameball-go/gbtime"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/mockserver/control"
	"github.com/gbkit/gameball-go/spec"
	"github.com/gbkit/gameball-go/spec/controldoc"
)

// qaMock is a mock server on a loopback port, as the people it is for run
// it: a movable clock, two accounts, and both generated clients, the
// control one behind a transport that checks every exchange against the
// control document.
type qaMock struct {
	engine *loyalty.Engine
	server *mockserver.Server
	url    string
	ctl    *control.ClientWithResponses
	gb     *gbapi.ClientWithResponses // the first account's keys
	gb2    *gbapi.ClientWithResponses // the second account's keys
	checks *controlChecks
}

// twoAccounts is the default program with a second account.
func twoAccounts() loyalty.Config {
	cfg := loyalty.DefaultConfig()
	cfg.Accounts = append(cfg.Accounts, loyalty.AccountConfig{Name: "second", APIKey: "gb_second_apikey", SecretKey: "gb_second_secretkey_0123"})
	return cfg
}

// qaConfig is twoAccounts, edited by edit if given.
func qaConfig(edit func(*loyalty.Config)) loyalty.Config {
	cfg := twoAccounts()
	if edit != nil {
		edit(&cfg)
	}
	return cfg
}

// newMock is an engine on cfg and clock with a server on it, without HTTP;
// both close when tb ends. Every mock of these tests is made here; the
// start helpers differ only in how they serve it (startQA and startPerfMock
// on httptest, startLimitServer on NewHTTPServer) and the clients they give.
func newMock(tb testing.TB, cfg loyalty.Config, clock loyalty.Clock, opts mockserver.Options) (*loyalty.Engine, *mockserver.Server) {
	tb.Helper()
	engine, err := loyalty.New(cfg, clock)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(engine.Close)
	srv, err := mockserver.New(engine, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return engine, srv
}

// newEngineServer is newMock with a movable clock.
func newEngineServer(t *testing.T, cfg loyalty.Config, opts mockserver.Options) (*loyalty.Engine, *mockserver.Server) {
	t.Helper()
	return newMock(t, cfg, loyalty.NewShiftedClock(), opts)
}

func startQA(t *testing.T, opts mockserver.Options, edit func(*loyalty.Config)) *qaMock {
	t.Helper()
	cfg := qaConfig(edit)
	engine, srv := newEngineServer(t, cfg, opts)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	m := &qaMock{engine: engine, server: srv, url: ts.URL, checks: newControlChecks(t)}
	editors := []control.ClientOption{control.WithHTTPClient(&http.Client{Transport: m.checks, Timeout: 30 * time.Second})}
	if opts.AdminKey != "" {
		editors = append(editors, control.WithAdminKey(opts.AdminKey))
	}
	var err error
	if m.ctl, err = control.NewClientWithResponses(ts.URL, editors...); err != nil {
		t.Fatal(err)
	}
	m.gb = gameballClient(t, ts.URL, cfg.Accounts[0])
	m.gb2 = gameballClient(t, ts.URL, cfg.Accounts[1])
	return m
}

// gameballClient is the generated Gameball client with an account's keys
// and no retries, so a test sees each answer the mock gives.
func gameballClient(t *testing.T, url string, a loyalty.AccountConfig) *gbapi.ClientWithResponses {
	t.Helper()
	c, err := gbapi.NewClientWithResponses(url, gbapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("apikey", a.APIKey)
		r.Header.Set("secretkey", a.SecretKey)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// controlChecks is the control client's transport: it notes the operation
// of every request and validates every response against the control
// document (an undocumented status included), failing the test on a misfit.
type controlChecks struct {
	t      *testing.T
	router routers.Router

	mu  sync.Mutex
	ops map[string]int
}

func newControlChecks(t *testing.T) *controlChecks {
	t.Helper()
	doc, err := controldoc.Load()
	if err != nil {
		t.Fatal(err)
	}
	router, err := spec.PathRouter(doc) // the control document, routed the same way
	if err != nil {
		t.Fatal(err)
	}
	return &controlChecks{t: t, router: router, ops: map[string]int{}}
}

func (c *controlChecks) RoundTrip(req *http.Request) (*http.Response, error) {
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		c.t.Errorf("control client sent %s %s, which the control document does not have: %v", req.Method, req.URL.Path, err)
		return http.DefaultTransport.RoundTrip(req)
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 res.StatusCode,
		Header:                 res.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, ExcludeResponseBody: !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json")},
	}
	if err := openapi3filter.ValidateResponse(req.Context(), input); err != nil {
		c.t.Errorf("%s (%s %s) answered %d, which the control document does not allow: %v\n%s", route.Operation.OperationID, req.Method, req.URL.Path, res.StatusCode, err, body)
	}
	c.mu.Lock()
	c.ops[route.Operation.OperationID]++
	c.mu.Unlock()
	return res, nil
}

// missing lists the control document's operations no request reached.
func (c *controlChecks) missing(doc *openapi3.T) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			if c.ops[op.OperationID] == 0 {
				out = append(out, op.OperationID)
			}
		}
	}
	slices.Sort(out)
	return out
}

// eventually polls cond until it holds, failing after a generous deadline:
// for what happens in the background (batch jobs, debounced saves).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after 15s for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func cashbackBody(customer, txn string, amount float64) client.RewardCashbackRequest {
	return client.RewardCashbackRequest{
		CustomerID: customer, TransactionID: txn, Amount: amount,
		TransactionTime: gbtime.New(time.Now().Add(-time.Minute).UTC().Truncate(time.Second)),
	}
}

// customer finds a customer in a listing.
func customer(t *testing.T, m *qaMock, account, id string) (control.Customer, bool) {
	t.Helper()
	res, err := m.ctl.ListCustomersWithResponse(context.Background(), account)
	if err != nil || res.JSON200 == nil {
		t.Fatalf("listCustomers(%s): %v %s", account, err, bodyOf(res, func(r *control.ListCustomersResponse) []byte { return r.Body }))
	}
	for _, c := range *res.JSON200 {
		if c.ID == id {
			return c, true
		}
	}
	return control.Customer{}, false
}

// bodyOf is a generated response's body, for a failure message.
func bodyOf[R any](res *R, body func(*R) []byte) string {
	if res == nil {
		return "(no response)"
	}
	return string(body(res))
}

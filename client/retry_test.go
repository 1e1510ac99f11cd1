package client_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
)

// errNetwork stands for "a transport error, not an *APIError".
var errNetwork = errors.New("a network error")

func ms(n ...int) []time.Duration {
	out := make([]time.Duration, len(n))
	for i, v := range n {
		out[i] = time.Duration(v) * time.Millisecond
	}
	return out
}

// TestRetries checks, per case, how many attempts a call makes and exactly
// how long it waits between them. The jitter source draws half its
// ceiling, so the default policy's backoff waits are 250ms, 500ms, 1s.
func TestRetries(t *testing.T) {
	const busy = `{"code":4029,"type":"GeneralError","message":"slow down"}`
	cases := []struct {
		name     string
		op       string
		steps    []step
		policy   *client.RetryPolicy
		attempts int
		sleeps   []time.Duration
		want     error // nil, a sentinel, or errNetwork
	}{
		{"429 with Retry-After in seconds", "rewardCashback",
			[]step{answer(429, "application/json", busy, "Retry-After", "2"), ok(`{}`)}, nil, 2, ms(2000), nil},
		{"503 with Retry-After as an HTTP date", "getCustomerBalance",
			[]step{refusal(503, 5003, "Retry-After", epoch.Add(3*time.Second).Format(http.TimeFormat)), ok(`{}`)}, nil, 2, ms(3000), nil},
		{"a Retry-After date in the past means no wait", "getCustomerBalance",
			[]step{refusal(503, 5003, "Retry-After", epoch.Add(-time.Minute).Format(http.TimeFormat)), ok(`{}`)}, nil, 2, ms(0), nil},
		{"Retry-After above MaxDelay is still obeyed", "getBatchStatus",
			[]step{refusal(429, 4029, "Retry-After", "20"), ok(`{}`)}, nil, 2, ms(20000), nil},
		{"Retry-After beyond MaxTotalDelay ends the call at once", "getBatchStatus",
			[]step{refusal(429, 4029, "Retry-After", "31")}, nil, 1, nil, client.ErrRateLimited},
		{"503 without Retry-After: exponential backoff, full jitter", "rewardCashback",
			[]step{answer(503, "", ""), answer(503, "", ""), answer(503, "", ""), ok(`{}`)}, nil, 4, ms(250, 500, 1000), nil},
		{"500 every time: attempts run out", "getCustomerBalance",
			[]step{refusal(500, 5000)}, nil, 4, ms(250, 500, 1000), client.ErrServer},
		{"an HTML 502 from a proxy", "calculatePaymentCashback",
			[]step{answer(502, "text/html", "<html>Bad Gateway</html>"), ok(`{}`)}, nil, 2, ms(250), nil},
		{"504 then 200 for a replay-safe batch", "rewardCashbackBatch",
			[]step{answer(504, "", ""), ok(`{"jobId":7}`)}, nil, 2, ms(250), nil},
		{"stopBatch is replayed (a rule of the generator)", "stopBatch",
			[]step{answer(503, "", ""), ok(`{}`)}, nil, 2, ms(250), nil},
		{"a lost answer on a read", "getBatchStatus",
			[]step{hangUp, ok(`{}`)}, nil, 2, ms(250), nil},
		{"a lost answer on a write with a transactionId", "addManualTransaction",
			[]step{hangUp, hangUp, ok(`{}`)}, nil, 3, ms(250, 500), nil},
		{"a lost answer every time", "rewardCashback",
			[]step{hangUp}, nil, 4, ms(250, 500, 1000), errNetwork},
		{"the total delay budget stops early", "getCustomerBalance",
			[]step{answer(503, "", "")}, &client.RetryPolicy{MaxTotalDelay: time.Second}, 3, ms(250, 500), client.ErrServer},
		{"MaxAttempts 1 turns retries off", "getCustomerBalance",
			[]step{answer(503, "", "")}, &client.RetryPolicy{MaxAttempts: 1}, 1, nil, client.ErrServer},
		{"the backoff ceiling stops at MaxDelay", "getCustomerBalance",
			[]step{answer(500, "", "")}, &client.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Second, MaxDelay: 3 * time.Second}, 5, ms(500, 1000, 1500, 1500), client.ErrServer},
		{"400 is not retried", "rewardCashback", []step{refusal(400, 3000)}, nil, 1, nil, client.ErrValidation},
		{"401 is not retried", "getCustomerBalance", []step{refusal(401, 1001)}, nil, 1, nil, client.ErrUnauthorized},
		{"404 is not retried", "getCustomerBalance", []step{refusal(404, 7000)}, nil, 1, nil, client.ErrNotFound},
		{"422 is not retried", "addManualTransaction", []step{refusal(422, 9008)}, nil, 1, nil, client.ErrInsufficientBalance},
		{"adjustBalanceBatch: 503 is not retried", "adjustBalanceBatch", []step{refusal(503, 5003, "Retry-After", "1")}, nil, 1, nil, client.ErrServer},
		{"adjustBalanceBatch: 429 is not retried", "adjustBalanceBatch", []step{refusal(429, 4029, "Retry-After", "1")}, nil, 1, nil, client.ErrRateLimited},
		{"adjustBalanceBatch: a lost answer is not retried", "adjustBalanceBatch", []step{hangUp}, nil, 1, nil, errNetwork},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, url := serve(t, tc.steps...)
			w := &waits{}
			var opts []client.Option
			if tc.policy != nil {
				opts = append(opts, client.Retries(*tc.policy))
			}
			err := calls[tc.op](context.Background(), newClient(t, url, w, opts...))
			checkErr(t, err, tc.want)
			reqs := srv.seen()
			if len(reqs) != tc.attempts {
				t.Errorf("%d attempts, want %d", len(reqs), tc.attempts)
			}
			if got := w.slept(); !slices.Equal(got, tc.sleeps) {
				t.Errorf("waited %v, want %v", got, tc.sleeps)
			}
			for i, r := range reqs {
				if route(r) != routes[tc.op] || r.body != reqs[0].body {
					t.Errorf("attempt %d sent %s %q; the first sent %s %q", i+1, route(r), r.body, route(reqs[0]), reqs[0].body)
				}
			}
		})
	}
}

func checkErr(t *testing.T, err, want error) {
	t.Helper()
	var apiErr *client.APIError
	switch {
	case want == nil && err != nil:
		t.Errorf("error %v, want none", err)
	case want == errNetwork && (err == nil || errors.As(err, &apiErr)):
		t.Errorf("error %v, want a network error", err)
	case want != nil && want != errNetwork && !errors.Is(err, want):
		t.Errorf("error %v, want one matching %v", err, want)
	}
}

// TestRetryAfterIsKeptOnTheError: a rate limit that outlasts the budget
// tells the caller how long Gameball asked to wait.
func TestRetryAfterIsKeptOnTheError(t *testing.T) {
	_, url := serve(t, refusal(429, 4029, "Retry-After", "45"))
	err := calls["getCustomerBalance"](context.Background(), newClient(t, url, &waits{}))
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.RetryAfter != 45*time.Second || apiErr.Attempts != 1 {
		t.Fatalf("error %#v, want an *APIError with RetryAfter 45s after 1 attempt", err)
	}
}

// refuseFirst fails the first n round trips as a refused connection would,
// before anything is sent, then passes requests on.
type refuseFirst struct {
	n     int32
	tries atomic.Int32
	next  http.RoundTripper
}

func (r *refuseFirst) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.tries.Add(1) <= r.n {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	}
	return r.next.RoundTrip(req)
}

// TestNotSentIsRetriedForAnyOperation: a connection that failed before the
// request left cannot have applied it, so even adjustBalanceBatch retries.
func TestNotSentIsRetriedForAnyOperation(t *testing.T) {
	for _, op := range []string{"adjustBalanceBatch", "rewardCashback", "getCustomerBalance"} {
		t.Run(op, func(t *testing.T) {
			srv, url := serve(t, ok(`{"jobId":1}`))
			rt := &refuseFirst{n: 2, next: &http.Transport{DisableKeepAlives: true}}
			w := &waits{}
			c := newClient(t, url, w, client.HTTPClient(&http.Client{Transport: rt}))
			if err := calls[op](context.Background(), c); err != nil {
				t.Fatal(err)
			}
			if got := rt.tries.Load(); got != 3 || len(srv.seen()) != 1 {
				t.Errorf("%d round trips, %d reached the server; want 3 and 1", got, len(srv.seen()))
			}
			if got := w.slept(); !slices.Equal(got, ms(250, 500)) {
				t.Errorf("waited %v, want 250ms, 500ms", got)
			}
		})
	}
}

// TestConnectionRefused dials a loopback port nobody listens on: Go's own
// error for it must read as "not sent".
func TestConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	_ = l.Close()
	w := &waits{}
	err = calls["adjustBalanceBatch"](context.Background(), newClient(t, url, w, client.Retries(client.RetryPolicy{MaxAttempts: 3})))
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "dial" {
		t.Fatalf("error %v, want a dial error", err)
	}
	if got := w.slept(); len(got) != 2 {
		t.Errorf("waited %v; want two waits for three attempts", got)
	}
}

// TestAlreadyApplied: a duplicate refusal after an attempt whose answer
// was lost (or was a 500) is the call's own earlier attempt, applied once;
// after a 429 or 503, which Gameball answers without applying anything, it
// is a true duplicate.
func TestAlreadyApplied(t *testing.T) {
	duplicate := refusal(422, 9004)
	cases := []struct {
		name    string
		steps   []step
		applied bool
	}{
		{"a lost answer, then 9004", []step{hangUp, duplicate}, true},
		{"a 500, then 9004", []step{refusal(500, 5000), duplicate}, true},
		{"a lost answer, a 503, then 9004", []step{hangUp, answer(503, "", ""), duplicate}, true},
		{"9004 at once", []step{duplicate}, false},
		{"a 429, then 9004", []step{refusal(429, 4029, "Retry-After", "1"), duplicate}, false},
		{"a 503, then 9004", []step{refusal(503, 5003), duplicate}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, url := serve(t, tc.steps...)
			err := calls["rewardCashback"](context.Background(), newClient(t, url, &waits{}))
			var apiErr *client.APIError
			if !errors.As(err, &apiErr) || apiErr.Code != 9004 || apiErr.Attempts != len(tc.steps) {
				t.Fatalf("error %v, want a 9004 *APIError after %d attempts", err, len(tc.steps))
			}
			if errors.Is(err, client.ErrAlreadyApplied) != tc.applied || errors.Is(err, client.ErrDuplicateTransaction) == tc.applied {
				t.Errorf("already applied %v, duplicate %v; want already applied %v", errors.Is(err, client.ErrAlreadyApplied), errors.Is(err, client.ErrDuplicateTransaction), tc.applied)
			}
		})
	}
}

// TestCancelStopsBackoff cancels the context while the client waits to
// retry: the wait ends, no further attempt is made, and the error is the
// cancellation.
func TestCancelStopsBackoff(t *testing.T) {
	srv, url := serve(t, answer(503, "", "", "Retry-After", "3600"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var waited []time.Duration
	sleep := func(ctx context.Context, d time.Duration) error {
		waited = append(waited, d)
		cancel() // the caller gives up while the client waits
		return client.SleepContext(ctx, d)
	}
	c, err := client.New(testAPIKey, testSecretKey, client.BaseURL(url), client.HTTPClient(noKeepAlive()),
		client.WithSleep(sleep), client.Retries(client.RetryPolicy{MaxTotalDelay: 2 * time.Hour}))
	if err != nil {
		t.Fatal(err)
	}
	err = calls["rewardCashback"](ctx, c)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if n := len(srv.seen()); n != 1 || !slices.Equal(waited, ms(3600_000)) {
		t.Errorf("%d attempts after waits %v; want 1 attempt and one wait of an hour, cut short", n, waited)
	}
}

// TestSleepContext: the real wait returns as soon as its context ends (an
// hour-long wait that ignored it would hang the test).
func TestSleepContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := client.SleepContext(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("SleepContext = %v, want context.Canceled", err)
	}
	if err := client.SleepContext(context.Background(), 0); err != nil {
		t.Errorf("a zero wait = %v", err)
	}
}

// TestDeadlineBeforeWait: a wait that would outlast the context's deadline
// is not started; the caller gets the last answer instead of a timeout.
func TestDeadlineBeforeWait(t *testing.T) {
	srv, url := serve(t, refusal(503, 5003, "Retry-After", "20"))
	w := &waits{}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := calls["getCustomerBalance"](ctx, newClient(t, url, w))
	if !errors.Is(err, client.ErrServer) || len(srv.seen()) != 1 || len(w.slept()) != 0 {
		t.Errorf("error %v after %d attempts and waits %v; want the 503 after 1 attempt, no wait", err, len(srv.seen()), w.slept())
	}
}

// TestAttemptTimeout: an attempt that outlasts Timeout is abandoned and,
// the operation being a read, retried.
func TestAttemptTimeout(t *testing.T) {
	stall := func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	srv, url := serve(t, stall, ok(`{"availablePointsBalance":7}`))
	w := &waits{}
	c := newClient(t, url, w, client.Timeout(20*time.Millisecond))
	bal, err := c.GetCustomerBalance(context.Background(), "cust_1")
	if err != nil || bal.AvailablePointsBalance != 7 {
		t.Fatalf("balance %v, error %v", bal, err)
	}
	if n := len(srv.seen()); n != 2 {
		t.Errorf("%d attempts, want 2", n)
	}
}

// TestRawSharesThePipeline: the generated client gets the same retries.
func TestRawSharesThePipeline(t *testing.T) {
	srv, url := serve(t, refusal(503, 5003, "Retry-After", "1"), ok(`{"availablePointsBalance":7}`))
	res, err := newClient(t, url, &waits{}).Raw().GetCustomerBalanceWithResponse(context.Background(), "cust_1", nil)
	if err != nil || res.StatusCode() != 200 || res.JSON200.AvailablePointsBalance != 7 {
		t.Fatalf("response %v, error %v", res, err)
	}
	if n := len(srv.seen()); n != 2 {
		t.Errorf("%d attempts, want 2", n)
	}
}

// TestRetryPolicyValidation: New refuses a policy that cannot work.
func TestRetryPolicyValidation(t *testing.T) {
	for i, p := range []client.RetryPolicy{
		{MaxAttempts: -1},
		{BaseDelay: -time.Second},
		{BaseDelay: 2 * time.Second, MaxDelay: time.Second},
		{MaxTotalDelay: -time.Second},
	} {
		if _, err := client.New("k", "s", client.Retries(p)); err == nil {
			t.Errorf("policy %d (%+v) accepted", i, p)
		}
	}
	if _, err := client.New("k", "s", client.Retries(client.RetryPolicy{BaseDelay: 20 * time.Second})); err != nil {
		t.Errorf("a BaseDelay above the default MaxDelay: %v", err)
	}
}

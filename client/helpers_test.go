package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/gbtime"
)

const (
	testAPIKey    = "the-apikey-4f1c"
	testSecretKey = "the-secretkey-9b2e"
)

// epoch is the fake clock's time: Retry-After dates are measured from it.
var epoch = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// step answers one request.
type step func(w http.ResponseWriter, r *http.Request)

// script is a server that answers each request with the next of its steps,
// the last one repeating, and remembers what it was sent.
type script struct {
	mu       sync.Mutex
	steps    []step
	requests []seen
}

type seen struct {
	method, path string
	header       http.Header
	body         string
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	n := len(s.requests)
	s.requests = append(s.requests, seen{r.Method, r.URL.Path, r.Header.Clone(), string(body)})
	next := s.steps[min(n, len(s.steps)-1)]
	s.mu.Unlock()
	next(w, r)
}

func (s *script) seen() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.requests...)
}

// serve starts a loopback server playing steps.
func serve(t *testing.T, steps ...step) (*script, string) {
	t.Helper()
	s := &script{steps: steps}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv.URL
}

// answer writes status and body with the given header pairs.
func answer(status int, contentType, body string, headers ...string) step {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// ok answers 200 with a JSON body.
func ok(body string) step { return answer(http.StatusOK, "application/json", body) }

// refusal answers with Gameball's error object.
func refusal(status, code int, headers ...string) step {
	body, _ := json.Marshal(map[string]any{
		"code": code, "type": "SomeError", "message": fmt.Sprintf("refused with %d", code),
		"documentationUrl": "https://docs.gameball.co/api-reference/errors", "requestId": fmt.Sprintf("req-%d", code),
	})
	return answer(status, "application/json", string(body), headers...)
}

// hangUp closes the connection after reading the request: the client sees
// a network error once the request may have been applied.
func hangUp(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// waits records the client's waits and jitter ceilings instead of waiting.
type waits struct {
	mu       sync.Mutex
	sleeps   []time.Duration
	ceilings []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.sleeps = append(w.sleeps, d)
	w.mu.Unlock()
	return ctx.Err()
}

// jitter draws half the ceiling, so a test sees both the ceiling and that
// the draw is what the client waits.
func (w *waits) jitter(ceiling time.Duration) time.Duration {
	w.mu.Lock()
	w.ceilings = append(w.ceilings, ceiling)
	w.mu.Unlock()
	return ceiling / 2
}

func (w *waits) slept() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.sleeps...)
}

// noKeepAlive keeps Go's transport from silently resending a read over a
// fresh connection when a reused one was closed: every attempt a server
// sees is then one the client made.
func noKeepAlive() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
}

// newClient is a client for url with recorded waits and a fixed clock.
func newClient(t *testing.T, url string, w *waits, opts ...client.Option) *client.Client {
	t.Helper()
	base := []client.Option{
		client.BaseURL(url),
		client.HTTPClient(noKeepAlive()),
		client.WithSleep(w.sleep),
		client.WithJitter(w.jitter),
		client.WithClock(func() time.Time { return epoch }),
	}
	c, err := client.New(testAPIKey, testSecretKey, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var past = gbtime.New(epoch.Add(-time.Hour))

// calls holds one valid call per operation, through the convenience
// methods.
var calls = map[string]func(ctx context.Context, c *client.Client) error{
	"rewardCashback": func(ctx context.Context, c *client.Client) error {
		_, err := c.RewardCashback(ctx, client.RewardCashbackRequest{CustomerID: "cust_1", TransactionID: "TXN-1", TransactionTime: past, Amount: 150.75})
		return err
	},
	"rewardCashbackBatch": func(ctx context.Context, c *client.Client) error {
		_, err := c.RewardCashbackBatch(ctx, client.RewardCashbackBatchRequest{Body: []client.CashbackBatchItem{
			{CustomerID: "cust_1", TransactionID: "TXN-2", TransactionTime: past, Amount: 10},
		}})
		return err
	},
	"calculatePaymentCashback": func(ctx context.Context, c *client.Client) error {
		total := 100.0
		_, err := c.CalculatePaymentCashback(ctx, client.CalculatePaymentCashbackRequest{TotalPaid: total})
		return err
	},
	"adjustBalanceBatch": func(ctx context.Context, c *client.Client) error {
		_, err := c.AdjustBalanceBatch(ctx, client.AdjustBalanceBatchRequest{Body: []client.BalanceAdjustmentItem{{CustomerID: "cust_1", Amount: 5}}})
		return err
	},
	"addManualTransaction": func(ctx context.Context, c *client.Client) error {
		_, err := c.AddManualTransaction(ctx, client.AddManualTransactionRequest{
			CustomerID: "cust_1", TransactionID: "TXN-3", TransactionTime: past, Username: "admin", Reason: "goodwill", Points: new(50),
		})
		return err
	},
	"getBatchStatus": func(ctx context.Context, c *client.Client) error {
		_, err := c.GetBatchStatus(ctx, 4821)
		return err
	},
	"stopBatch": func(ctx context.Context, c *client.Client) error {
		_, err := c.StopBatch(ctx, 4821)
		return err
	},
	"getCustomerBalance": func(ctx context.Context, c *client.Client) error {
		_, err := c.GetCustomerBalance(ctx, "cust_1")
		return err
	},
}

// routes are the request lines calls send, by operation.
var routes = map[string]string{
	"rewardCashback":           "POST /api/v4.0/integrations/transactions/cashback",
	"rewardCashbackBatch":      "POST /api/v4.0/integrations/batch/cashback",
	"calculatePaymentCashback": "POST /api/v4.0/integrations/payments/cashback",
	"adjustBalanceBatch":       "POST /api/v4.0/integrations/batch/balance-adjustment",
	"addManualTransaction":     "POST /api/v4.0/integrations/transactions/manual",
	"getBatchStatus":           "GET /api/v4.0/integrations/batches/4821/status",
	"stopBatch":                "POST /api/v4.0/integrations/batches/4821/stop",
	"getCustomerBalance":       "GET /api/v4.0/integrations/customers/cust_1/balance",
}

func route(s seen) string { return s.method + " " + strings.TrimPrefix(s.path, "/proxy") }

package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/gbtime"
)

// headerRecorder answers 200 {} and remembers the key headers per request.
type headerRecorder struct {
	mu   sync.Mutex
	seen map[string]http.Header // "METHOD path" → headers
}

func (h *headerRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.seen[r.Method+" "+r.URL.Path] = r.Header.Clone()
	h.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{}`))
}

// TestKeyHeaders checks the secretkey header goes exactly where Gameball's
// documents require it (every operation here but the payment cashback
// calculation), and everywhere in high security mode.
func TestKeyHeaders(t *testing.T) {
	now := gbtime.New(time.Now())
	calls := []struct {
		route      string
		wantSecret bool
		do         func(c *client.ClientWithResponses) error
	}{
		{"POST /api/v4.0/integrations/transactions/cashback", true, func(c *client.ClientWithResponses) error {
			_, err := c.RewardCashbackWithResponse(context.Background(), client.RewardCashbackRequest{CustomerId: "c", TransactionId: "t", TransactionTime: now})
			return err
		}},
		{"POST /api/v4.0/integrations/transactions/manual", true, func(c *client.ClientWithResponses) error {
			_, err := c.AddManualTransactionWithResponse(context.Background(), client.AddManualTransactionRequest{CustomerId: "c", TransactionTime: now})
			return err
		}},
		{"POST /api/v4.0/integrations/batch/cashback", true, func(c *client.ClientWithResponses) error {
			_, err := c.RewardCashbackBatchWithResponse(context.Background(), client.RewardCashbackBatchRequest{})
			return err
		}},
		{"POST /api/v4.0/integrations/batch/balance-adjustment", true, func(c *client.ClientWithResponses) error {
			_, err := c.AdjustBalanceBatchWithResponse(context.Background(), client.AdjustBalanceBatchRequest{})
			return err
		}},
		{"POST /api/v4.0/integrations/payments/cashback", false, func(c *client.ClientWithResponses) error {
			_, err := c.CalculatePaymentCashbackWithResponse(context.Background(), client.CalculatePaymentCashbackRequest{})
			return err
		}},
		{"GET /api/v4.0/integrations/batches/42/status", true, func(c *client.ClientWithResponses) error {
			_, err := c.GetBatchStatusWithResponse(context.Background(), "42")
			return err
		}},
		{"POST /api/v4.0/integrations/batches/42/stop", true, func(c *client.ClientWithResponses) error {
			_, err := c.StopBatchWithResponse(context.Background(), "42")
			return err
		}},
		{"GET /api/v4.0/integrations/customers/cust_1/balance", true, func(c *client.ClientWithResponses) error {
			_, err := c.GetCustomerBalanceWithResponse(context.Background(), "cust_1")
			return err
		}},
	}
	for _, mode := range []struct {
		name string
		opts []client.Option
		all  bool
	}{{"normal", nil, false}, {"high security", []client.Option{client.HighSecurity()}, true}} {
		t.Run(mode.name, func(t *testing.T) {
			rec := &headerRecorder{seen: map[string]http.Header{}}
			srv := httptest.NewServer(rec)
			defer srv.Close()
			// A base URL with a path: requests go below it, and the operation is still recognised.
			c, err := client.New("the-apikey", "the-secretkey", append([]client.Option{client.BaseURL(srv.URL + "/proxy/")}, mode.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			for _, call := range calls {
				if err := call.do(c.Raw()); err != nil {
					t.Fatalf("%s: %v", call.route, err)
				}
				method, path, _ := strings.Cut(call.route, " ")
				h := rec.seen[method+" /proxy"+path]
				if h == nil {
					t.Fatalf("%s was not sent to /proxy%s", call.route, path)
				}
				if got := h.Get("apikey"); got != "the-apikey" {
					t.Errorf("%s: apikey %q", call.route, got)
				}
				want := ""
				if call.wantSecret || mode.all {
					want = "the-secretkey"
				}
				if got := h.Get("secretkey"); got != want {
					t.Errorf("%s: secretkey %q, want %q", call.route, got, want)
				}
			}
		})
	}
}

func TestNewRefuses(t *testing.T) {
	cases := []struct {
		name string
		key  string
		opts []client.Option
	}{
		{"no apikey", "", nil},
		{"a relative base URL", "k", []client.Option{client.BaseURL("/api")}},
		{"a base URL that is not http", "k", []client.Option{client.BaseURL("ftp://example.com")}},
		{"a nil http client", "k", []client.Option{client.HTTPClient(nil)}},
	}
	for _, c := range cases {
		if _, err := client.New(c.key, "s", c.opts...); err == nil {
			t.Errorf("%s: New succeeded", c.name)
		}
	}
}

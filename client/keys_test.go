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
	"github.com/gbkit/gameball-go/client/gbapi"
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
		do         func(c *gbapi.ClientWithResponses) error
	}{
		{"POST /api/v4.0/integrations/transactions/cashback", true, func(c *gbapi.ClientWithResponses) error {
			_, err := c.RewardCashbackWithResponse(context.Background(), client.RewardCashbackRequest{CustomerID: "c", TransactionID: "t", TransactionTime: now})
			return err
		}},
		{"POST /api/v4.0/integrations/transactions/manual", true, func(c *gbapi.ClientWithResponses) error {
			_, err := c.AddManualTransactionWithResponse(context.Background(), client.AddManualTransactionRequest{CustomerID: "c", TransactionTime: now})
			return err
		}},
		{"POST /api/v4.0/integrations/batch/cashback", true, func(c *gbapi.ClientWithResponses) error {
			_, err := c.RewardCashbackBatchWithResponse(context.Background(), client.RewardCashbackBatchRequest{})
			return err
		}},
		{"POST /api/v4.0/integrations/batch/balance-adjustment", true, func(c *gbapi.ClientWithResponses) error {
			_, err := c.AdjustBalanceBatchWithResponse(context.Background(), client.AdjustBalanceBatchRequest{})
			return err
		}},
		{"POST /api/v4.0/integrations/payments/cashback", false, func(c *gbapi.ClientWithResponses) error {
			_, err := c.CalculatePaymentCashbackWithResponse(context.Background(), client.CalculatePaymentCashbackRequest{})
			return err
		}},
		{"GET /api/v4.0/integrations/batches/42/status", true, func(c *gbapi.ClientWithResponses) error {
			_, err := c.GetBatchStatusWithResponse(context.Background(), "42")
			return err
		}},
		{"POST /api/v4.0/integrations/batches/42/stop", true, func(c *gbapi.ClientWithResponses) error {
			_, err := c.StopBatchWithResponse(context.Background(), "42")
			return err
		}},
		{"GET /api/v4.0/integrations/customers/cust_1/balance", true, func(c *gbapi.ClientWithResponses) error {
			_, err := c.GetCustomerBalanceWithResponse(context.Background(), "cust_1", nil)
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
		{"a negative timeout", "k", []client.Option{client.Timeout(-time.Second)}},
		{"an empty user agent", "k", []client.Option{client.UserAgent(" ")}},
		{"a user agent of two lines", "k", []client.Option{client.UserAgent("a\r\nX-Evil: 1")}},
		{"batch polling that never waits", "k", []client.Option{client.BatchPolling(0, time.Second)}},
		{"batch polling with longest below first", "k", []client.Option{client.BatchPolling(time.Second, time.Millisecond)}},
	}
	for _, c := range cases {
		if _, err := client.New(c.key, "s", c.opts...); err == nil {
			t.Errorf("%s: New succeeded", c.name)
		}
	}
}

// TestKeyHeadersOfConvenienceMethods: the methods named after the
// operations send the same keys: the secretkey everywhere but the payment
// cashback calculation (Gameball's documents), everywhere in high security
// mode; and the User-Agent names the client, after the application.
func TestKeyHeadersOfConvenienceMethods(t *testing.T) {
	for _, mode := range []struct {
		name string
		opts []client.Option
		all  bool
		ua   string
	}{
		{"normal", nil, false, "gameball-go/" + client.Version()},
		{"high security", []client.Option{client.HighSecurity(), client.UserAgent("shop/2.1")}, true, "shop/2.1 gameball-go/" + client.Version()},
	} {
		t.Run(mode.name, func(t *testing.T) {
			srv, url := serve(t, ok(`{"jobId":1}`))
			c := newClient(t, url+"/proxy", &waits{}, mode.opts...)
			for op, do := range calls {
				if err := do(context.Background(), c); err != nil {
					t.Fatalf("%s: %v", op, err)
				}
			}
			for _, r := range srv.seen() {
				if !strings.HasPrefix(r.path, "/proxy/") {
					t.Errorf("%s was not sent below the base URL's path", route(r))
				}
				want := testSecretKey
				if route(r) == routes["calculatePaymentCashback"] && !mode.all {
					want = ""
				}
				if got := r.header.Get("secretkey"); got != want {
					t.Errorf("%s: secretkey %q, want %q", route(r), got, want)
				}
				if got := r.header.Get("apikey"); got != testAPIKey {
					t.Errorf("%s: apikey %q", route(r), got)
				}
				if got := r.header.Get("User-Agent"); got != mode.ua {
					t.Errorf("%s: User-Agent %q, want %q", route(r), got, mode.ua)
				}
			}
			if n := len(srv.seen()); n != len(calls) {
				t.Errorf("%d requests for %d calls", n, len(calls))
			}
		})
	}
}

package client_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
)

// recordingTransport notes the operation each request's context carries,
// as a tracing transport under the client would read it.
type recordingTransport struct {
	mu  sync.Mutex
	ops []string
}

func (rt *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	op, ok := client.OperationFromContext(r.Context())
	if !ok {
		op = "(none)"
	}
	rt.mu.Lock()
	rt.ops = append(rt.ops, op)
	rt.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// TestOperationFromContext: every attempt, retries included, carries its
// operationId to the transport, from the methods and from Raw.
func TestOperationFromContext(t *testing.T) {
	for op, call := range calls {
		t.Run(op, func(t *testing.T) {
			_, url := serve(t, refusal(503, 5003), ok(`{}`))
			rt := &recordingTransport{}
			c := newClient(t, url, &waits{}, client.HTTPClient(&http.Client{Transport: rt}))
			_ = call(context.Background(), c)
			if len(rt.ops) == 0 || rt.ops[0] != op {
				t.Fatalf("transport saw %v, want %s first", rt.ops, op)
			}
			for _, got := range rt.ops {
				if got != op {
					t.Errorf("an attempt carried %q, want %q", got, op)
				}
			}
		})
	}
	t.Run("Raw", func(t *testing.T) {
		_, url := serve(t, ok(`{}`))
		rt := &recordingTransport{}
		c := newClient(t, url, &waits{}, client.HTTPClient(&http.Client{Transport: rt}))
		if _, err := c.Raw().GetCustomerBalanceWithResponse(context.Background(), "cust_1", nil); err != nil {
			t.Fatal(err)
		}
		if strings.Join(rt.ops, ",") != "getCustomerBalance" {
			t.Errorf("transport saw %v", rt.ops)
		}
	})
	if _, ok := client.OperationFromContext(context.Background()); ok {
		t.Error("a context the client did not send has an operation")
	}
}

// TestCaptureResponse: a call's status, request id and attempts reach the
// caller without Raw, from the X-Request-Id header or else the body.
func TestCaptureResponse(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
		want  client.ResponseInfo
	}{
		{"the header", []step{answer(200, "application/json", `{"requestId":"in-body"}`, "X-Request-Id", "in-header")},
			client.ResponseInfo{Operation: "getCustomerBalance", StatusCode: 200, RequestID: "in-header", Attempts: 1}},
		{"the body when no header", []step{ok(`{"requestId":"in-body","availablePointsBalance":5}`)},
			client.ResponseInfo{Operation: "getCustomerBalance", StatusCode: 200, RequestID: "in-body", Attempts: 1}},
		{"after a retry", []step{refusal(503, 5003), answer(200, "application/json", `{}`, "X-Request-Id", "second")},
			client.ResponseInfo{Operation: "getCustomerBalance", StatusCode: 200, RequestID: "second", Attempts: 2}},
		{"a refusal", []step{refusal(404, 7000)},
			client.ResponseInfo{Operation: "getCustomerBalance", StatusCode: 404, RequestID: "req-7000", Attempts: 1}},
		{"neither", []step{ok(`{}`)},
			client.ResponseInfo{Operation: "getCustomerBalance", StatusCode: 200, Attempts: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, url := serve(t, tt.steps...)
			var info client.ResponseInfo
			_, _ = newClient(t, url, &waits{}).GetCustomerBalance(context.Background(), "cust_1", client.CaptureResponse(&info))
			if info.Header == nil {
				t.Error("no header captured")
			}
			info.Header = nil
			if info.Operation != tt.want.Operation || info.StatusCode != tt.want.StatusCode || info.RequestID != tt.want.RequestID || info.Attempts != tt.want.Attempts {
				t.Errorf("got %+v, want %+v", info, tt.want)
			}
		})
	}
	t.Run("no answer leaves it as it was", func(t *testing.T) {
		_, url := serve(t, hangUp)
		info := client.ResponseInfo{RequestID: "before"}
		_, err := newClient(t, url, &waits{}, client.Retries(client.RetryPolicy{MaxAttempts: 1})).GetCustomerBalance(context.Background(), "cust_1", client.CaptureResponse(&info))
		if err == nil || info.RequestID != "before" || info.StatusCode != 0 {
			t.Errorf("error %v, info %+v", err, info)
		}
	})
}

// TestRateLimit: with RateLimit, a call that would have to wait past its
// deadline for room in its bucket fails before sending; other buckets are
// not held up; without the option nothing waits.
func TestRateLimit(t *testing.T) {
	// A share this small leaves a burst of one and a refill of one request
	// in about 90 s per bucket.
	srv, url := serve(t, ok(`{}`))
	c := newClient(t, url, &waits{}, client.RateLimit(0.001))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.GetCustomerBalance(ctx, "cust_1"); err != nil {
		t.Fatalf("first call: %v", err)
	}
	_, err := c.GetCustomerBalance(ctx, "cust_1")
	if err == nil || !strings.Contains(err.Error(), "rate limit") || errors.Is(err, client.ErrRateLimited) {
		t.Fatalf("second call in the same bucket: %v, want a client-side rate limit error", err)
	}
	if _, err := c.GetBatchStatus(ctx, 4821); err != nil {
		t.Fatalf("a call in another bucket: %v", err)
	}
	if n := len(srv.seen()); n != 2 {
		t.Errorf("the server saw %d requests, want 2", n)
	}

	for _, share := range []float64{0, -1, 1.5} {
		if _, err := client.New("k", "s", client.RateLimit(share)); err == nil {
			t.Errorf("RateLimit(%v) accepted", share)
		}
	}
}

package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gbkit/gameball-go/client"
)

// With APIv41 every call goes under /api/v4.1/integrations/ with both keys,
// the payment cashback calculation (apikey only on v4.0) included; the
// caller's http.Client is left as it was.
func TestAPIv41(t *testing.T) {
	tests := []struct {
		name       string
		opts       []client.Option
		wantPath   string
		wantSecret bool
	}{
		{"v4.0", nil, "/api/v4.0/integrations/payments/cashback", false},
		{"v4.1", []client.Option{client.APIv41()}, "/api/v4.1/integrations/payments/cashback", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &headerRecorder{seen: map[string]http.Header{}}
			srv := httptest.NewServer(rec)
			defer srv.Close()
			hc := &http.Client{}
			opts := append([]client.Option{client.BaseURL(srv.URL), client.HTTPClient(hc)}, tt.opts...)
			c, err := client.New("gb_test_apikey", "gb_test_secretkey", opts...)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.CalculatePaymentCashback(context.Background(), client.CalculatePaymentCashbackRequest{TotalPaid: 10.0}); err != nil {
				t.Fatal(err)
			}
			h, ok := rec.seen["POST "+tt.wantPath]
			if !ok {
				t.Fatalf("no request at %s; saw %v", tt.wantPath, rec.seen)
			}
			if got := h.Get("secretkey") != ""; got != tt.wantSecret {
				t.Errorf("secretkey sent: %v, want %v", got, tt.wantSecret)
			}
			if hc.Transport != nil {
				t.Error("the caller's http.Client was changed")
			}
		})
	}
}

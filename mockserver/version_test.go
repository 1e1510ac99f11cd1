package mockserver_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/mockserver/control"
)

// API v4.1 is v4.0's operations, every one needing both keys, served from the
// same state; the journal shows the path as sent.
func TestAPIv41(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	ctx := context.Background()
	post := func(version, secretKey, body string) int {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.url+"/api/"+version+"/integrations/payments/cashback", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("apikey", "gb_test_apikey")
		if secretKey != "" {
			req.Header.Set("secretkey", secretKey)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	tests := []struct {
		version, secretKey, body string
		want                     int
	}{
		{"v4.0", "", `{"totalPaid": 10}`, 200},
		{"v4.1", "", `{"totalPaid": 10}`, 401},
		{"v4.1", "wrong", `{"totalPaid": 10}`, 401},
		{"v4.1", "gb_test_secretkey", `{"totalPaid": 10}`, 200},
		{"v4.1", "gb_test_secretkey", `{"totalPaid": "10"}`, 422}, // validated as v4.0
	}
	for _, tt := range tests {
		if got := post(tt.version, tt.secretKey, tt.body); got != tt.want {
			t.Errorf("%s with secretkey %q and %s: %d, want %d", tt.version, tt.secretKey, tt.body, got, tt.want)
		}
	}
	// The newest entries: the 422 (refused before it reached an operation), then the accepted v4.1 call.
	res, err := m.ctl.ListJournalWithResponse(ctx, &control.ListJournalParams{Limit: new(2)})
	if err != nil || res.JSON200 == nil || len(res.JSON200.Entries) != 2 {
		t.Fatalf("journal: %v", err)
	}
	if e := res.JSON200.Entries[1]; e.Path != "/api/v4.1/integrations/payments/cashback" || e.Operation == nil || *e.Operation != "calculatePaymentCashback" {
		t.Errorf("journal entry %s %v, want the v4.1 path and its operation", e.Path, e.Operation)
	}
}

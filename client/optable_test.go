package client

import (
	"net/http"
	"testing"
)

// TestOperationsTable checks the generated table against what the issue and
// Gameball's documents say: every operation is replayable but the balance
// adjustment batch, whose items carry no ids, a hold (a second one would
// reserve points twice) and a release (a second one is refused, 9006); and
// requests find their row.
func TestOperationsTable(t *testing.T) {
	cases := []struct {
		method, path string
		id           string
		replay       bool
	}{
		{http.MethodPost, "/api/v4.0/integrations/transactions/cashback", "rewardCashback", true},
		{http.MethodPost, "/api/v4.0/integrations/batch/cashback", "rewardCashbackBatch", true},
		{http.MethodPost, "/api/v4.0/integrations/payments/cashback", "calculatePaymentCashback", true},
		{http.MethodPost, "/api/v4.0/integrations/batch/balance-adjustment", "adjustBalanceBatch", false},
		{http.MethodPost, "/api/v4.0/integrations/transactions/manual", "addManualTransaction", true},
		{http.MethodGet, "/api/v4.0/integrations/batches/4821/status", "getBatchStatus", true},
		{http.MethodPost, "/api/v4.0/integrations/batches/4821/stop", "stopBatch", true},
		{http.MethodGet, "/api/v4.0/integrations/customers/cust%2F1/balance", "getCustomerBalance", true},
		{http.MethodPost, "/api/v4.0/integrations/transactions/refund", "refundTransaction", true},
		{http.MethodPost, "/api/v4.0/integrations/transactions/redeem", "redeemPoints", true},
		{http.MethodPost, "/api/v4.0/integrations/transactions/hold", "holdPoints", false},
		{http.MethodGet, "/api/v4.0/integrations/transactions/hold/h-1", "getHold", true},
		{http.MethodDelete, "/api/v4.0/integrations/transactions/hold/h-1", "releaseHold", false},
		{http.MethodPut, "/api/v4.0/integrations/transactions/ORDER-1/activate", "activateTransaction", true},
		{http.MethodGet, "/api/v4.0/integrations/transactions", "listTransactions", true},
	}
	if len(operations) != len(cases) {
		t.Fatalf("the table has %d operations; this test knows %d", len(operations), len(cases))
	}
	for _, tc := range cases {
		op, ok := operationFor(tc.method, tc.path)
		if !ok || op.ID != tc.id {
			t.Errorf("%s %s: found %q (%v), want %s", tc.method, tc.path, op.ID, ok, tc.id)
			continue
		}
		if op.ReplaySafe != tc.replay || op.Replay == "" {
			t.Errorf("%s: replay safe %v (%q), want %v with a reason", tc.id, op.ReplaySafe, op.Replay, tc.replay)
		}
	}
	for _, miss := range []struct{ method, path string }{
		{http.MethodGet, "/api/v4.0/integrations/transactions/cashback"},
		{http.MethodGet, "/api/v4.0/integrations/batches//status"},
		{http.MethodGet, "/api/v4.0/integrations/batches/1/status/extra"},
	} {
		if op, ok := operationFor(miss.method, miss.path); ok {
			t.Errorf("%s %s matched %s", miss.method, miss.path, op.ID)
		}
	}
}

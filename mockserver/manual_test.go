package mockserver_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/mockserver/control"
)

// Points added with expiryAfter leave the balance once the mock's clock
// passes them; points added without it stay (the default program's points
// never expire). Through the generated clients, as a QA engineer would.
func TestManualExpiryAfterByTheClock(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	ctx := context.Background()
	add := func(tx string, points int, expiryAfter *int) {
		t.Helper()
		res, err := m.gb.AddManualTransactionWithResponse(ctx, client.AddManualTransactionRequest{
			CustomerID: "expiring", TransactionID: tx, Username: "qa", Reason: "goodwill",
			Points: &points, ExpiryAfter: expiryAfter,
		})
		if err != nil || res.JSON200 == nil {
			t.Fatalf("manual %s: %v %s", tx, err, res.Body)
		}
	}
	add("EXP-1", 500, new(30))
	add("EXP-2", 40, nil)
	steps := []struct {
		advance                 string
		available, nextExpiring int64
	}{
		{"0s", 540, 500},
		{"29d23h", 540, 500},
		{"1h", 40, 0},
	}
	for _, st := range steps {
		if res, err := m.ctl.AdvanceClockWithResponse(ctx, control.ClockAdvance{By: st.advance}); err != nil || res.JSON200 == nil {
			t.Fatalf("advance %s: %v", st.advance, err)
		}
		res, err := m.gb.GetCustomerBalanceWithResponse(ctx, "expiring", nil)
		if err != nil || res.JSON200 == nil {
			t.Fatalf("balance: %v", err)
		}
		b := res.JSON200
		if b.AvailablePointsBalance != st.available || b.NextExpiringPointsAmount != st.nextExpiring {
			t.Errorf("after +%s: available %v, next expiring %v; want %v, %v: %s", st.advance, b.AvailablePointsBalance, b.NextExpiringPointsAmount, st.available, st.nextExpiring, res.Body)
		}
	}
}

// A cashback whose merchant.branch lacks its uniqueId is refused, as the
// published schema requires it; with it, the same cashback is rewarded.
func TestCashbackBranchNeedsUniqueID(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	ctx := context.Background()
	for _, tt := range []struct {
		branch string
		status int
	}{
		{`{"name": "Downtown"}`, 400},
		{`{"uniqueId": "b1", "name": "Downtown"}`, 200},
	} {
		body := `{"customerId": "branchy", "transactionId": "BR-` + strconv.Itoa(tt.status) + `", "transactionTime": "2024-10-11T10:48:56Z", "amount": 10, "merchant": {"uniqueId": "m1", "branch": ` + tt.branch + `}}`
		res, err := m.gb.RewardCashbackWithBodyWithResponse(ctx, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode() != tt.status || (tt.status == 400 && (res.JSON400 == nil || res.JSON400.Code != 3000)) {
			t.Errorf("branch %s: %d %s, want %d (3000 when refused)", tt.branch, res.StatusCode(), res.Body, tt.status)
		}
	}
}

// A dump of the state keeps the expiry expiryAfter gave, and so does loading
// it back.
func TestExpiryAfterSurvivesStateDumpAndLoad(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	ctx := context.Background()
	if res, err := m.gb.AddManualTransactionWithResponse(ctx, client.AddManualTransactionRequest{
		CustomerID: "kept", TransactionID: "KEEP-1", Username: "qa", Reason: "goodwill", Points: new(70), ExpiryAfter: new(10),
	}); err != nil || res.JSON200 == nil {
		t.Fatalf("manual: %v", err)
	}
	dump, err := m.ctl.GetStateWithResponse(ctx)
	if err != nil || dump.JSON200 == nil {
		t.Fatalf("dump: %v", err)
	}
	if put, err := m.ctl.PutStateWithResponse(ctx, *dump.JSON200); err != nil || put.StatusCode() != 204 {
		t.Fatalf("load: %v %s", err, put.Body)
	}
	if res, err := m.ctl.AdvanceClockWithResponse(ctx, control.ClockAdvance{By: "10d"}); err != nil || res.JSON200 == nil {
		t.Fatalf("advance: %v", err)
	}
	res, err := m.gb.GetCustomerBalanceWithResponse(ctx, "kept", nil)
	if err != nil || res.JSON200 == nil {
		t.Fatalf("balance: %v", err)
	}
	if got := res.JSON200.AvailablePointsBalance; got != 0 {
		t.Errorf("available %v ten days after a load of points that expire after ten: %s", got, res.Body)
	}
}

package mockserver_test

import (
	"context"
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
			CustomerId: "expiring", TransactionId: tx, Username: "qa", Reason: "goodwill",
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
		available, nextExpiring float64
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
		if *b.AvailablePointsBalance != st.available || *b.NextExpiringPointsAmount != st.nextExpiring {
			t.Errorf("after +%s: available %v, next expiring %v; want %v, %v: %s", st.advance, *b.AvailablePointsBalance, *b.NextExpiringPointsAmount, st.available, st.nextExpiring, res.Body)
		}
	}
}

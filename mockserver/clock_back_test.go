package mockserver_test

import (
	"context"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/client/gbapi"
	"github.com/gbkit/gameball-go/gbtime"
	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/mockserver/control"
)

// TestBalanceAfterTheClockMovesBack: 100 cashback points mature after a
// 7-day return window and 20 of them are spent; moving the clock back
// undoes nothing recorded. Between maturity and the deduction the balance
// is 80 available (it showed 100 available and pendingPoints -20); before
// maturity it is 80 pending. In every position no component is negative,
// total is available + pending, and no more can be spent than is left.
func TestBalanceAfterTheClockMovesBack(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	ctx := context.Background()
	clock, err := m.ctl.GetClockWithResponse(ctx)
	if err != nil || clock.JSON200 == nil {
		t.Fatal(err)
	}
	start := clock.JSON200.Now
	award := cashbackBody("back", "CB-1", 100)
	award.TransactionTime = gbtime.New(start.Add(-time.Minute))
	award.Configurations = &client.CashbackConfigurations{ReturnWindow: new(7)}
	if res, err := m.gb.RewardCashbackWithResponse(ctx, award); err != nil || res.StatusCode() != 200 {
		t.Fatalf("cashback: %v %s", err, bodyOf(res, func(r *gbapi.RewardCashbackResponse) []byte { return r.Body }))
	}
	setClock := func(at time.Time) {
		t.Helper()
		if res, err := m.ctl.SetClockWithResponse(ctx, control.ClockSet{Now: at}); err != nil || res.StatusCode() != 200 {
			t.Fatalf("setClock %s: %v", at, err)
		}
	}
	spend := func(id string, points int, at time.Time) int {
		t.Helper()
		res, err := m.gb.AddManualTransactionWithResponse(ctx, client.AddManualTransactionRequest{
			CustomerID: "back", TransactionID: id, Points: new(-points), Reason: "spent", Username: "qa",
			TransactionTime: gbtime.New(at.Add(-time.Minute)),
		})
		if err != nil {
			t.Fatal(err)
		}
		return res.StatusCode()
	}
	deducted := start.Add(9 * 24 * time.Hour)
	setClock(deducted)
	if status := spend("SPEND-20", 20, deducted); status != 200 {
		t.Fatalf("spending 20 after maturity: %d", status)
	}

	cases := []struct {
		name               string
		at                 time.Time
		available, pending int64
	}{
		{"back between maturity and the deduction", start.Add(8 * 24 * time.Hour), 80, 0},
		{"back before maturity", start.Add(time.Hour), 0, 80},
		{"forward after the deduction", start.Add(10 * 24 * time.Hour), 80, 0},
	}
	for _, tc := range cases {
		setClock(tc.at)
		res, err := m.gb.GetCustomerBalanceWithResponse(ctx, "back", nil)
		if err != nil || res.JSON200 == nil {
			t.Fatalf("%s: balance: %v", tc.name, err)
		}
		b := res.JSON200
		if b.AvailablePointsBalance != tc.available || b.PendingPoints != tc.pending || b.TotalPointsBalance != tc.available+tc.pending {
			t.Errorf("%s: available %v, pending %v, total %v; want %v, %v, %v", tc.name,
				b.AvailablePointsBalance, b.PendingPoints, b.TotalPointsBalance, tc.available, tc.pending, tc.available+tc.pending)
		}
	}

	// Back between maturity and the deduction: the 80 left can be spent, no more.
	at := start.Add(8 * 24 * time.Hour)
	setClock(at)
	if status := spend("SPEND-81", 81, at); status != 422 {
		t.Errorf("spending 81 of 80: %d, want 422 (9008)", status)
	}
	if status := spend("SPEND-80", 80, at); status != 200 {
		t.Errorf("spending the 80 left: %d", status)
	}
	for _, when := range []time.Time{start.Add(time.Hour), at, start.Add(30 * 24 * time.Hour)} {
		setClock(when)
		res, err := m.gb.GetCustomerBalanceWithResponse(ctx, "back", nil)
		if err != nil || res.JSON200 == nil {
			t.Fatal(err)
		}
		if b := res.JSON200; b.AvailablePointsBalance != 0 || b.PendingPoints != 0 || b.TotalPointsBalance != 0 {
			t.Errorf("at %s after spending everything: %s", when, res.Body)
		}
	}
}

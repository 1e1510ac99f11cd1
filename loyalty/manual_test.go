package loyalty

import (
	"testing"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

func TestManualTransactionAddsAndDeducts(t *testing.T) {
	_, a, _ := newTestEngine(t, nil)
	// Gameball's example: 50 points at 0.1 a point answer amount 5.
	got, err := a.AddManualTransaction(manual("c1", "txn543211", 50))
	if err != nil {
		t.Fatal(err)
	}
	want := ManualResult{CustomerID: "c1", GameballTransactionID: 1, TransactionID: "txn543211", Points: 50, Amount: 5}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if _, err := a.AddManualTransaction(manual("c1", "txn2", -20)); err != nil {
		t.Fatal(err)
	}
	b := balanceOf(t, a, "c1")
	if b.AvailablePoints != 30 || b.TotalEarnedPoints != 50 || b.PendingPoints != 0 {
		t.Fatalf("balance %+v, want 30 available of 50 earned", b)
	}
	entries, _ := a.Ledger("c1")
	if len(entries) != 2 || entries[0].Reason != "test" || entries[0].Username != "qa" || entries[1].Amount != -2 {
		t.Fatalf("ledger %+v", entries)
	}
}

func TestDeductionBeyondAvailableChangesNothing(t *testing.T) {
	_, a, _ := newTestEngine(t, nil)
	if _, err := a.AddManualTransaction(manual("c1", "M1", 100)); err != nil {
		t.Fatal(err)
	}
	pending := cashback("c1", "C1", 500)
	week := 7
	pending.ReturnWindow = &week
	if _, err := a.RewardCashback(pending); err != nil {
		t.Fatal(err)
	}
	before := a.snapshot()

	_, err := a.AddManualTransaction(manual("c1", "M2", -101))
	e := wantCode(t, err, errcode.InsufficientBalance)
	if e.Message != `customer "c1" has 100 available points; cannot deduct 101` {
		t.Errorf("message %q", e.Message)
	}
	_, err = a.AddManualTransaction(manual("nobody", "M3", -1))
	wantCode(t, err, errcode.InsufficientBalance)

	if after := a.snapshot(); !sameJSON(t, before, after) {
		t.Fatal("a refused deduction changed the state")
	}
	// The refused transactionId was not used up.
	if _, err := a.AddManualTransaction(manual("c1", "M2", -100)); err != nil {
		t.Fatalf("deducting exactly the available points: %v", err)
	}
}

func TestManualTransactionRefusals(t *testing.T) {
	tests := []struct {
		name string
		edit func(*ManualTransaction)
		code errcode.Code
	}{
		{"zero points", func(m *ManualTransaction) { m.Points = 0 }, errcode.InvalidValue},
		{"points beyond the bound", func(m *ManualTransaction) { m.Points = 2e15 }, errcode.InvalidValue},
		{"missing customerId", func(m *ManualTransaction) { m.CustomerID = "" }, errcode.MissingArgument},
		{"missing transactionId", func(m *ManualTransaction) { m.TransactionID = "" }, errcode.MissingArgument},
		{"missing transactionTime", func(m *ManualTransaction) { m.Time = time.Time{} }, errcode.MissingArgument},
		{"future transactionTime", func(m *ManualTransaction) { m.Time = t0.Add(time.Hour) }, errcode.InvalidTransactionTime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, a, _ := newTestEngine(t, nil)
			m := manual("c1", "M1", 10)
			tt.edit(&m)
			_, err := a.AddManualTransaction(m)
			wantCode(t, err, tt.code)
			if len(a.Customers()) != 0 {
				t.Fatal("a refused manual transaction created a customer")
			}
		})
	}
}

func TestPointsExpiry(t *testing.T) {
	const day = 24 * time.Hour
	_, a, clock := newTestEngine(t, func(c *Config) { c.Program.PointsExpiry = 30 })
	if _, err := a.AddManualTransaction(manual("c1", "M1", 100)); err != nil {
		t.Fatal(err)
	}
	clock.Advance(10 * day)
	m := manual("c1", "M2", 50)
	m.Time = clock.Now()
	if _, err := a.AddManualTransaction(m); err != nil {
		t.Fatal(err)
	}
	// A deduction spends the points that expire first.
	m = manual("c1", "M3", -80)
	m.Time = clock.Now()
	if _, err := a.AddManualTransaction(m); err != nil {
		t.Fatal(err)
	}

	b := balanceOf(t, a, "c1")
	firstExpiry := t0.Add(30 * day)
	if b.AvailablePoints != 70 || b.NextExpiringPoints != 20 || b.NextExpiringDate == nil || !b.NextExpiringDate.Equal(firstExpiry) || b.NextExpiringValue != 2 {
		t.Fatalf("balance %+v, want 70 available, 20 expiring at %s", b, firstExpiry)
	}
	clock.Set(firstExpiry)
	b = balanceOf(t, a, "c1")
	if b.AvailablePoints != 50 || b.NextExpiringPoints != 50 || !b.NextExpiringDate.Equal(t0.Add(40*day)) {
		t.Fatalf("after the first expiry: %+v, want 50 left expiring at day 40", b)
	}
	clock.Set(t0.Add(40 * day))
	b = balanceOf(t, a, "c1")
	if b.AvailablePoints != 0 || b.NextExpiringPoints != 0 || b.NextExpiringDate != nil || b.TotalEarnedPoints != 150 {
		t.Fatalf("after everything expired: %+v", b)
	}
	m = manual("c1", "M4", -1)
	m.Time = clock.Now()
	_, err := a.AddManualTransaction(m)
	wantCode(t, err, errcode.InsufficientBalance)
}

func TestNoExpiryMeansNoExpiringPoints(t *testing.T) {
	_, a, _ := newTestEngine(t, nil)
	if _, err := a.AddManualTransaction(manual("c1", "M1", 100)); err != nil {
		t.Fatal(err)
	}
	if b := balanceOf(t, a, "c1"); b.NextExpiringPoints != 0 || b.NextExpiringDate != nil {
		t.Fatalf("%+v, want nothing expiring", b)
	}
}

package loyalty

import (
	"testing"
	"time"
)

// TestChangeCount checks that every operation that changes the state counts
// (and notifies), and that refusals and reads do not.
func TestChangeCount(t *testing.T) {
	tests := []struct {
		name string
		op   func(t *testing.T, e *Engine, a *Account) error
		want uint64 // changes counted by op
	}{
		{"reward cashback", func(_ *testing.T, _ *Engine, a *Account) error {
			_, err := a.RewardCashback(cashback("c1", "T-new", 10))
			return err
		}, 1},
		{"refused cashback (replay)", func(_ *testing.T, _ *Engine, a *Account) error {
			_, err := a.RewardCashback(cashback("c1", "T-seeded", 10))
			return ignore(err)
		}, 0},
		{"manual transaction", func(_ *testing.T, _ *Engine, a *Account) error {
			_, err := a.AddManualTransaction(manual("c1", "M-new", 5))
			return err
		}, 1},
		{"refused deduction", func(_ *testing.T, _ *Engine, a *Account) error {
			_, err := a.AddManualTransaction(manual("c1", "M-big", -1_000_000))
			return ignore(err)
		}, 0},
		{"reads", func(_ *testing.T, e *Engine, a *Account) error {
			_, _ = a.Balance("c1")
			_ = a.Customers()
			_, _ = a.Ledger("c1")
			_ = a.Batches()
			_ = e.Snapshot()
			_, _ = a.CalculatePaymentCashback(Payment{CustomerID: "c1", TotalPaid: 10})
			return nil
		}, 0},
		{"seed customer", func(_ *testing.T, _ *Engine, a *Account) error {
			_, err := a.SeedCustomer(CustomerSeed{ID: "fresh", Points: 3})
			return err
		}, 1},
		{"refused seed", func(_ *testing.T, _ *Engine, a *Account) error {
			_, err := a.SeedCustomer(CustomerSeed{ID: "c1"})
			return ignore(err)
		}, 0},
		{"engine seed", func(_ *testing.T, e *Engine, _ *Account) error {
			_, err := e.Seed([]AccountSeed{{Account: "default", Customers: []CustomerSeed{{ID: "s1"}, {ID: "s2"}}}})
			return err
		}, 1},
		{"batch of three: submitted, started, three items", func(t *testing.T, _ *Engine, a *Account) error {
			id, err := a.SubmitAdjustmentBatch([]Adjustment{{CustomerID: "b", Points: 1}, {CustomerID: "b", Points: 2}, {CustomerID: "b", Points: 3}})
			waitBatch(t, a, id)
			return err
		}, 5},
		{"reset", func(_ *testing.T, e *Engine, _ *Account) error { e.Reset(""); return nil }, 1},
		{"restore", func(_ *testing.T, e *Engine, _ *Account) error { return e.Restore(e.Snapshot()) }, 1},
		{"moving the clock", func(_ *testing.T, e *Engine, _ *Account) error {
			e.Clock().(*FakeClock).Advance(48 * time.Hour)
			return nil
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, a, _ := newTestEngine(t, nil)
			if _, err := a.SeedCustomer(CustomerSeed{ID: "c1", Ledger: []SeedEntry{{Kind: EntryCashback, TransactionID: "T-seeded", Points: 10}}}); err != nil {
				t.Fatal(err)
			}
			ch := make(chan struct{}, 1)
			e.Notify(ch)
			before := e.ChangeCount()
			if err := tt.op(t, e, a); err != nil {
				t.Fatal(err)
			}
			if got := e.ChangeCount() - before; got != tt.want {
				t.Errorf("ChangeCount moved by %d, want %d", got, tt.want)
			}
			notified := len(ch) == 1
			if notified != (tt.want > 0) {
				t.Errorf("notified = %v, want %v", notified, tt.want > 0)
			}
		})
	}
}

// ignore accepts the refusal a case expects; the count is what it checks.
func ignore(err error) error {
	if _, ok := err.(*Error); ok {
		return nil
	}
	return err
}

func TestNotifyCoalescesAndStops(t *testing.T) {
	e, a, _ := newTestEngine(t, nil)
	ch := make(chan struct{}, 1)
	e.Notify(ch)
	for i := range 5 {
		if _, err := a.SeedCustomer(CustomerSeed{ID: string(rune('a' + i))}); err != nil {
			t.Fatal(err)
		}
	}
	if len(ch) != 1 {
		t.Fatalf("%d wake-ups buffered, want 1 (a burst coalesces)", len(ch))
	}
	<-ch
	e.StopNotify(ch)
	if _, err := a.SeedCustomer(CustomerSeed{ID: "z"}); err != nil {
		t.Fatal(err)
	}
	if len(ch) != 0 {
		t.Fatal("a channel was sent to after StopNotify")
	}
}

// TestClockMovedWakesWithoutCounting: a clock move wakes the registered
// channels and leaves ChangeCount as it was (the clock is not state).
func TestClockMovedWakesWithoutCounting(t *testing.T) {
	e, _, _ := newTestEngine(t, nil)
	ch := make(chan struct{}, 1)
	e.Notify(ch)
	before := e.ChangeCount()
	e.ClockMoved()
	if len(ch) != 1 || e.ChangeCount() != before {
		t.Fatalf("after ClockMoved: %d wake-ups, count %d (was %d); want 1 and unchanged", len(ch), e.ChangeCount(), before)
	}
	<-ch
	e.StopNotify(ch)
	e.ClockMoved()
	if len(ch) != 0 {
		t.Fatal("a channel was woken by a clock move after StopNotify")
	}
}

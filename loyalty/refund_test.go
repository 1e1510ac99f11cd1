package loyalty

import (
	"fmt"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// refundGuideConfig is the program of Gameball's refund guide ("How Does
// Gameball Treat Refunds?"): 1 point for every 1 USD, and a point worth 1 USD.
func refundGuideConfig(c *Config) { c.Program.PointValue = 1 }

// step is one row of a refund guide table: the customer's action and the
// points Gameball moves in reaction (positive gives, negative takes).
type step struct {
	action string
	do     func(a *Account) (moved int64, err error)
	moved  int64
}

func earn(order string, paid float64) func(*Account) (int64, error) {
	return func(a *Account) (int64, error) {
		r, err := a.RewardCashback(cashback("c1", order, paid))
		return r.Points, err
	}
}

func spend(order string, points int64) func(*Account) (int64, error) {
	return func(a *Account) (int64, error) {
		r, err := a.Redeem(Redemption{CustomerID: "c1", TransactionID: order, Time: t0, Points: &points})
		return -r.Points, err
	}
}

// giveBack refunds amount of order (nil: a full refund) and answers the
// balance change it caused.
func giveBack(order string, amount *float64) func(*Account) (int64, error) {
	n := 0
	return func(a *Account) (int64, error) {
		n++
		before, err := a.Balance("c1")
		if err != nil {
			return 0, err
		}
		if _, err := a.Refund(Refund{CustomerID: "c1", RefundTransactionID: fmt.Sprintf("R-%s-%d-%v", order, n, amount),
			ReverseTransactionID: order, Time: t0, Amount: amount}); err != nil {
			return 0, err
		}
		after, err := a.Balance("c1")
		return after.TotalPoints - before.TotalPoints, err
	}
}

func opening(points int64) func(*Account) (int64, error) {
	return func(a *Account) (int64, error) {
		r, err := a.AddManualTransaction(manual("c1", "opening", points))
		return r.Points, err
	}
}

// TestRefundGuideTables reproduces every table of Gameball's refund guide,
// row by row: the points each action moves and the balance they leave.
func TestRefundGuideTables(t *testing.T) {
	for _, tc := range []struct {
		name    string
		steps   []step
		balance int64
	}{
		{"full refund", []step{
			{"buys a product for 100 USD", earn("O1", 100), 100},
			{"returns all products of 100 USD", giveBack("O1", nil), -100},
		}, 0},
		{"partial refund affecting a points cashback reward, multiple times", []step{
			{"buys a product for 100 USD", earn("O1", 100), 100},
			{"returns items with a value of 20 USD", giveBack("O1", new(20.0)), -20},
			{"returns another item with a value of 10 USD", giveBack("O1", new(10.0)), -10},
		}, 70},
		{"full and partial refund, entirely paid using points", []step{
			{"(has 100 points)", opening(100), 100},
			{"buys a product with 100 points worth 100 USD", spend("O1", 100), -100},
			{"returns items with a value of 20 USD", giveBack("O1", new(20.0)), 20},
			{"returns another item with a value of 80 USD", giveBack("O1", new(80.0)), 80},
		}, 100},
		{"full and partial refund, partially paid using points", []step{
			{"(has 40 points)", opening(40), 40},
			{"buys a product with 100 USD: uses 40 points", spend("O1", 40), -40},
			{"... and pays 60 USD", earn("O1", 60), 60},
			{"returns items worth 80 USD", giveBack("O1", new(80.0)), -60 + 20},
		}, 20},
		{"special case: refunding a value greater than the remaining cashback reward", []step{
			{"buys a product worth 100 USD", earn("O1", 100), 100},
			{"returns an item for 20 USD", giveBack("O1", new(20.0)), -20},
			{"returns an item for 20 USD", giveBack("O1", new(20.0)), -20},
			{"the cashier makes a refund of 100 USD", giveBack("O1", new(100.0)), -60},
		}, 0},
		{"warning: the balance goes negative when the cashback was spent before the refund", []step{
			{"buys a product for 100 USD", earn("O1", 100), 100},
			{"spends the points on another order", spend("O2", 100), -100},
			{"returns the first order", giveBack("O1", nil), -100},
		}, -100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, a, _ := newTestEngine(t, refundGuideConfig)
			for _, s := range tc.steps {
				moved, err := s.do(a)
				if err != nil {
					t.Fatalf("%s: %v", s.action, err)
				}
				if moved != s.moved {
					t.Fatalf("%s: moved %d points, want %d", s.action, moved, s.moved)
				}
			}
			b := balanceOf(t, a, "c1")
			if b.TotalPoints != tc.balance || b.AvailablePoints != tc.balance {
				t.Fatalf("balance %+v, want %d available and in total", b, tc.balance)
			}
			ledger, _ := a.Ledger("c1")
			if got := ledgerSum(ledger); got != tc.balance {
				t.Fatalf("ledger sums to %d, want %d", got, tc.balance)
			}
		})
	}
}

// The refund's answer: the money refunded (capped at what is left) and the
// points it moved; then what a further refund of the same order answers.
func TestRefundAnswers(t *testing.T) {
	_, a, _ := newTestEngine(t, refundGuideConfig)
	if _, err := a.RewardCashback(cashback("c1", "O1", 100)); err != nil {
		t.Fatal(err)
	}
	res, err := a.Refund(Refund{CustomerID: "c1", RefundTransactionID: "R1", ReverseTransactionID: "O1", Time: t0, Amount: new(150.0)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Amount != 100 || res.Points != 100 || res.RefundTransactionID != "R1" || res.GameballTransactionID != 2 || res.CustomerID != "c1" {
		t.Fatalf("refund %+v", res)
	}
	for _, tc := range []struct {
		name string
		r    Refund
		code errcode.Code
	}{
		{"replayed refundTransactionId", Refund{CustomerID: "c1", RefundTransactionID: "R1", ReverseTransactionID: "O1", Time: t0}, errcode.DuplicateTransaction},
		{"refundTransactionId of the order", Refund{CustomerID: "c1", RefundTransactionID: "O1", ReverseTransactionID: "O1", Time: t0}, errcode.DuplicateTransaction},
		{"already refunded in full", Refund{CustomerID: "c1", RefundTransactionID: "R2", ReverseTransactionID: "O1", Time: t0}, errcode.TransactionAlreadyCancelled},
		{"unknown order", Refund{CustomerID: "c1", RefundTransactionID: "R2", ReverseTransactionID: "nope", Time: t0}, errcode.TransactionNotFound},
		{"another customer's order", Refund{CustomerID: "c2", RefundTransactionID: "R2", ReverseTransactionID: "O1", Time: t0}, errcode.TransactionNotFound},
		{"a refund is not an order", Refund{CustomerID: "c1", RefundTransactionID: "R2", ReverseTransactionID: "R1", Time: t0}, errcode.TransactionNonReversible},
		{"zero amount", Refund{CustomerID: "c1", RefundTransactionID: "R2", ReverseTransactionID: "O1", Time: t0, Amount: new(0.0)}, errcode.InvalidValue},
		{"negative amount", Refund{CustomerID: "c1", RefundTransactionID: "R2", ReverseTransactionID: "O1", Time: t0, Amount: new(-5.0)}, errcode.InvalidValue},
		{"no reverseTransactionId", Refund{CustomerID: "c1", RefundTransactionID: "R2", Time: t0}, errcode.MissingArgument},
		{"no refundTransactionId", Refund{CustomerID: "c1", ReverseTransactionID: "O1", Time: t0}, errcode.MissingArgument},
		{"future time", Refund{CustomerID: "c1", RefundTransactionID: "R2", ReverseTransactionID: "O1", Time: t0.Add(time.Hour)}, errcode.InvalidTransactionTime},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := a.Ledger("c1")
			_, err := a.Refund(tc.r)
			wantCode(t, err, tc.code)
			after, _ := a.Ledger("c1")
			if len(after) != len(before) {
				t.Fatalf("a refused refund recorded %d entries", len(after)-len(before))
			}
		})
	}
}

// A pending cashback refunded before its return window ends never matures:
// not when the window ends, not after.
func TestRefundOfPendingCashbackNeverMatures(t *testing.T) {
	_, a, clock := newTestEngine(t, func(c *Config) { refundGuideConfig(c); c.Program.ReturnWindow = 14 })
	withPoints(t, a, "c1", 50) // available points the refund must not touch
	if _, err := a.RewardCashback(cashback("c1", "O1", 100)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Refund(Refund{CustomerID: "c1", RefundTransactionID: "R1", ReverseTransactionID: "O1", Time: t0, Amount: new(30.0)}); err != nil {
		t.Fatal(err)
	}
	if b := balanceOf(t, a, "c1"); b.PendingPoints != 70 || b.AvailablePoints != 50 {
		t.Fatalf("after a partial refund: %+v, want 70 pending and 50 available", b)
	}
	if _, err := a.Refund(Refund{CustomerID: "c1", RefundTransactionID: "R2", ReverseTransactionID: "O1", Time: t0}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []time.Duration{0, 14 * 24 * time.Hour, 400 * 24 * time.Hour} {
		clock.Set(t0.Add(d))
		if b := balanceOf(t, a, "c1"); b.PendingPoints != 0 || b.AvailablePoints != 50 || b.TotalPoints != 50 {
			t.Fatalf("%v after the refund: %+v, want the 50 points only", d, b)
		}
	}
}

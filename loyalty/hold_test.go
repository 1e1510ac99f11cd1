package loyalty

import (
	"testing"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

func hold(customerID string, points int64) Hold {
	return Hold{CustomerID: customerID, Time: t0, Points: &points}
}

func withPoints(t *testing.T, a *Account, customerID string, points int64) {
	t.Helper()
	if _, err := a.AddManualTransaction(manual(customerID, "opening-"+customerID, points)); err != nil {
		t.Fatal(err)
	}
}

// A hold reserves points until the program's hold time passes by the
// engine's clock; then they are available again, and the hold cannot be
// redeemed.
func TestHoldExpiresByTheClock(t *testing.T) {
	_, a, clock := newTestEngine(t, func(c *Config) { c.Program.HoldTime = 15 * time.Minute })
	withPoints(t, a, "c1", 100)
	h, err := a.PlaceHold(hold("c1", 60))
	if err != nil {
		t.Fatal(err)
	}
	if h.State != HoldActive || h.Points != 60 || !h.ExpiresAt.Equal(t0.Add(15*time.Minute)) || h.Reference == "" || h.Amount != 6 {
		t.Fatalf("hold %+v", h)
	}
	if b := balanceOf(t, a, "c1"); b.AvailablePoints != 40 || b.HeldPoints != 60 || b.TotalPoints != 100 {
		t.Fatalf("while held: %+v", b)
	}
	_, err = a.AddManualTransaction(manual("c1", "too-much", -50))
	wantCode(t, err, errcode.InsufficientBalance)

	clock.Set(t0.Add(15*time.Minute - time.Second))
	if got, _ := a.GetHold(h.Reference); got.State != HoldActive {
		t.Fatalf("a second before expiry: %s", got.State)
	}
	clock.Set(t0.Add(15 * time.Minute))
	if got, _ := a.GetHold(h.Reference); got.State != HoldExpired {
		t.Fatalf("at expiry: %s", got.State)
	}
	if b := balanceOf(t, a, "c1"); b.AvailablePoints != 100 || b.HeldPoints != 0 {
		t.Fatalf("after expiry: %+v", b)
	}
	_, err = a.Redeem(Redemption{CustomerID: "c1", TransactionID: "O1", Time: t0, HoldReference: h.Reference})
	wantCode(t, err, errcode.HoldNotFound)
}

// Hold then redeem spends exactly the held points, once; hold then release
// gives them back and forgets the hold.
func TestHoldRedeemAndRelease(t *testing.T) {
	_, a, _ := newTestEngine(t, nil)
	withPoints(t, a, "c1", 100)
	h, err := a.PlaceHold(hold("c1", 30))
	if err != nil {
		t.Fatal(err)
	}
	res, err := a.Redeem(Redemption{CustomerID: "c1", TransactionID: "O1", Time: t0, HoldReference: h.Reference})
	if err != nil {
		t.Fatal(err)
	}
	if res.Points != 30 || res.Amount != 3 {
		t.Fatalf("redeemed %+v", res)
	}
	if got, _ := a.GetHold(h.Reference); got.State != HoldUsed {
		t.Fatalf("after redeem: %s", got.State)
	}
	if b := balanceOf(t, a, "c1"); b.AvailablePoints != 70 || b.HeldPoints != 0 || b.TotalPoints != 70 {
		t.Fatalf("after redeem: %+v", b)
	}
	_, err = a.Redeem(Redemption{CustomerID: "c1", TransactionID: "O2", Time: t0, HoldReference: h.Reference})
	wantCode(t, err, errcode.HoldNotFound)
	_, err = a.ReleaseHold(h.Reference)
	wantCode(t, err, errcode.HoldNotFound)

	h2, err := a.PlaceHold(Hold{CustomerID: "c1", Time: t0, Amount: new(2.05)}) // 20.5 points: 21
	if err != nil {
		t.Fatal(err)
	}
	if h2.Points != 21 {
		t.Fatalf("amountToHold 2.05 at 0.1 a point held %d points, want 21", h2.Points)
	}
	if _, err := a.ReleaseHold(h2.Reference); err != nil {
		t.Fatal(err)
	}
	if b := balanceOf(t, a, "c1"); b.AvailablePoints != 70 || b.HeldPoints != 0 {
		t.Fatalf("after release: %+v", b)
	}
	_, err = a.GetHold(h2.Reference)
	wantCode(t, err, errcode.HoldNotFound)
	_, err = a.Redeem(Redemption{CustomerID: "c2", TransactionID: "O3", Time: t0, HoldReference: h.Reference})
	wantCode(t, err, errcode.HoldNotFound)
}

func TestHoldRefusals(t *testing.T) {
	_, a, _ := newTestEngine(t, nil)
	withPoints(t, a, "c1", 100)
	for _, tc := range []struct {
		name string
		h    Hold
		code errcode.Code
	}{
		{"no customerId", Hold{Time: t0, Points: new(int64(1))}, errcode.MissingArgument},
		{"nothing to hold", Hold{CustomerID: "c1", Time: t0}, errcode.MissingArgument},
		{"points and amount", Hold{CustomerID: "c1", Time: t0, Points: new(int64(1)), Amount: new(1.0)}, errcode.InvalidPayload},
		{"a redemption rule", Hold{CustomerID: "c1", Time: t0, RuleID: "r1"}, errcode.InvalidValue},
		{"zero points", hold("c1", 0), errcode.InvalidValue},
		{"negative amount", Hold{CustomerID: "c1", Time: t0, Amount: new(-1.0)}, errcode.InvalidValue},
		{"an amount worth less than a point", Hold{CustomerID: "c1", Time: t0, Amount: new(1e-12)}, errcode.InvalidValue},
		{"more than available", hold("c1", 101), errcode.InsufficientBalance},
		{"unknown customer", hold("nobody", 1), errcode.InsufficientBalance},
		{"no transactionTime", Hold{CustomerID: "c1", Points: new(int64(1))}, errcode.MissingArgument},
		{"future transactionTime", Hold{CustomerID: "c1", Time: t0.Add(time.Hour), Points: new(int64(1))}, errcode.InvalidTransactionTime},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := a.PlaceHold(tc.h)
			wantCode(t, err, tc.code)
			if b := balanceOf(t, a, "c1"); b.HeldPoints != 0 {
				t.Fatalf("a refused hold holds %d points", b.HeldPoints)
			}
		})
	}
	if _, err := a.PlaceHold(hold("c1", 100)); err != nil {
		t.Fatal(err)
	}
	_, err := a.PlaceHold(hold("c1", 1))
	wantCode(t, err, errcode.InsufficientBalance)
}

func TestRedeemRules(t *testing.T) {
	_, a, clock := newTestEngine(t, func(c *Config) { c.Program.ReturnWindow = 7 })
	withPoints(t, a, "c1", 100)
	if _, err := a.RewardCashback(cashback("c1", "O1", 500)); err != nil { // pending
		t.Fatal(err)
	}
	redeem := func(id string, points int64) error {
		_, err := a.Redeem(Redemption{CustomerID: "c1", TransactionID: id, Time: t0, Points: &points})
		return err
	}
	wantCode(t, redeem("D1", 101), errcode.InsufficientBalance) // pending points cannot be spent
	if err := redeem("D1", 100); err != nil {
		t.Fatal(err)
	}
	wantCode(t, redeem("D1", 1), errcode.DuplicateTransaction)
	wantCode(t, redeem("opening-c1", 1), errcode.DuplicateTransaction)
	clock.Set(t0.Add(7 * 24 * time.Hour))
	// An order paid partly with points: the redemption shares the cashback's id, once.
	if err := redeem("O1", 200); err != nil {
		t.Fatal(err)
	}
	wantCode(t, redeem("O1", 1), errcode.DuplicateTransaction)
	res, err := a.Redeem(Redemption{CustomerID: "c1", TransactionID: "D2", Time: t0, Amount: new(10.0), Reason: "discount"})
	if err != nil || res.Points != 100 || res.Amount != 10 || res.Reason != "discount" {
		t.Fatalf("redeem by amount: %+v, %v", res, err)
	}
	if b := balanceOf(t, a, "c1"); b.AvailablePoints != 200 {
		t.Fatalf("balance %+v", b)
	}
	for _, tc := range []struct {
		name string
		r    Redemption
		code errcode.Code
	}{
		{"nothing to redeem", Redemption{CustomerID: "c1", TransactionID: "X", Time: t0}, errcode.MissingArgument},
		{"points and a hold", Redemption{CustomerID: "c1", TransactionID: "X", Time: t0, Points: new(int64(1)), HoldReference: "h"}, errcode.InvalidPayload},
		{"zero points", Redemption{CustomerID: "c1", TransactionID: "X", Time: t0, Points: new(int64(0))}, errcode.InvalidValue},
		{"an amount worth less than a point, by a new customer", Redemption{CustomerID: "new", TransactionID: "X", Time: t0, Amount: new(1e-12)}, errcode.InvalidValue},
		{"unknown hold", Redemption{CustomerID: "c1", TransactionID: "X", Time: t0, HoldReference: "h"}, errcode.HoldNotFound},
		{"no transactionId", Redemption{CustomerID: "c1", Time: t0, Points: new(int64(1))}, errcode.MissingArgument},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := a.Redeem(tc.r)
			wantCode(t, err, tc.code)
		})
	}
}

func TestActivate(t *testing.T) {
	_, a, clock := newTestEngine(t, func(c *Config) { c.Program.ReturnWindow = 14 })
	if _, err := a.RewardCashback(cashback("c1", "O1", 100)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Refund(Refund{CustomerID: "c1", RefundTransactionID: "R1", ReverseTransactionID: "O1", Time: t0, Amount: new(25.0)}); err != nil {
		t.Fatal(err)
	}
	clock.Set(t0.Add(24 * time.Hour))
	got, err := a.Activate("O1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Points != 75 || got.GameballTransactionID != 1 || got.TransactionID != "O1" || got.CustomerID != "c1" {
		t.Fatalf("activate: %+v", got)
	}
	if b := balanceOf(t, a, "c1"); b.AvailablePoints != 75 || b.PendingPoints != 0 {
		t.Fatalf("after activate: %+v", b)
	}
	again, err := a.Activate("O1")
	if err != nil || again.Points != 0 {
		t.Fatalf("activating again: %+v, %v; want 0 points", again, err)
	}
	_, err = a.Activate("nope")
	wantCode(t, err, errcode.TransactionNotFound)
	clock.Set(t0.Add(30 * 24 * time.Hour))
	if b := balanceOf(t, a, "c1"); b.AvailablePoints != 75 {
		t.Fatalf("after the window: %+v", b)
	}
}

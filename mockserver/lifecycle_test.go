package mockserver_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/gameballtest"
	"github.com/gbkit/gameball-go/gbtime"
	"github.com/gbkit/gameball-go/loyalty"
)

// lifecycleMock is the mock with the refund guide's program (1 point per
// unit spent, a point worth 1), a 14-day return window and a fake clock.
func lifecycleMock(t *testing.T, window int) (*gameballtest.Server, *loyalty.FakeClock) {
	t.Helper()
	cfg := loyalty.DefaultConfig()
	cfg.Program.BaseRate, cfg.Program.PointValue, cfg.Program.ReturnWindow = 1, 1, window
	cfg.Program.Tiers, cfg.Program.CustomRates, cfg.Program.Campaigns = nil, nil, nil
	cfg.Program.HoldTime = 10 * time.Minute
	clock := loyalty.NewFakeClock(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC))
	return gameballtest.NewServer(t, gameballtest.WithConfig(cfg), gameballtest.WithClock(clock)), clock
}

// pointsOf answers a customer's available and pending points.
func pointsOf(t *testing.T, c *client.Client, customer string) (available, pending int64) {
	t.Helper()
	b, err := c.GetCustomerBalance(context.Background(), customer)
	if err != nil {
		t.Fatal(err)
	}
	return b.AvailablePointsBalance, b.PendingPoints
}

func TestRefundsThroughTheClient(t *testing.T) {
	srv, clock := lifecycleMock(t, 0)
	c, ctx := srv.Client, context.Background()
	at := func() gbtime.Time { return gbtime.New(clock.Now().Add(-time.Minute)) }
	order := func(id string, amount float64) {
		t.Helper()
		if _, err := c.RewardCashback(ctx, client.RewardCashbackRequest{CustomerID: "shopper", TransactionID: id, TransactionTime: at(), Amount: amount}); err != nil {
			t.Fatal(err)
		}
	}
	refund := func(id, order string, amount *float64) *client.RefundResult {
		t.Helper()
		res, err := c.RefundTransaction(ctx, client.RefundRequest{CustomerID: "shopper", RefundTransactionID: id, ReverseTransactionID: order, TransactionTime: at(), RefundAmount: amount})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	order("FULL", 100)
	if r := refund("R-FULL", "FULL", nil); r.RefundAmount != 100 || r.RefundEquivalentPoints != 100 {
		t.Errorf("full refund: %+v", r)
	}
	if a, _ := pointsOf(t, c, "shopper"); a != 0 {
		t.Errorf("after a full refund: %v available", a)
	}

	order("PART", 100)
	for i, want := range []struct {
		amount float64
		points int64
	}{{20, 20}, {30, 30}, {90, 50}} {
		r := refund(fmt.Sprintf("R-PART-%d", i), "PART", new(want.amount))
		if r.RefundEquivalentPoints != want.points || r.RefundAmount != min(want.amount, 50) {
			t.Errorf("refund %d of %v: %v points for %v, want %v points", i, want.amount, r.RefundEquivalentPoints, r.RefundAmount, want.points)
		}
	}
	_, err := c.RefundTransaction(ctx, client.RefundRequest{CustomerID: "shopper", RefundTransactionID: "R-PART-3", ReverseTransactionID: "PART", TransactionTime: at()})
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 9001 || apiErr.StatusCode != 422 {
		t.Errorf("a refund of a refunded order: %v, want 422/9001", err)
	}
	if a, _ := pointsOf(t, c, "shopper"); a != 0 {
		t.Errorf("after refunding everything: %v available", a)
	}
}

// A pending cashback refunded before its window ends never matures.
func TestRefundOfPendingCashbackThroughTheClient(t *testing.T) {
	srv, clock := lifecycleMock(t, 14)
	c, ctx := srv.Client, context.Background()
	if _, err := c.RewardCashback(ctx, client.RewardCashbackRequest{CustomerID: "shopper", TransactionID: "O1", TransactionTime: gbtime.New(clock.Now().Add(-time.Minute)), Amount: 80}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RefundTransaction(ctx, client.RefundRequest{CustomerID: "shopper", RefundTransactionID: "R1", ReverseTransactionID: "O1", TransactionTime: gbtime.New(clock.Now())}); err != nil {
		t.Fatal(err)
	}
	for _, days := range []int{0, 14, 30} {
		clock.Set(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC).AddDate(0, 0, days))
		if a, p := pointsOf(t, c, "shopper"); a != 0 || p != 0 {
			t.Errorf("day %d: %v available, %v pending; want nothing", days, a, p)
		}
	}
}

func TestHoldsThroughTheClient(t *testing.T) {
	srv, clock := lifecycleMock(t, 0)
	c, ctx := srv.Client, context.Background()
	now := func() gbtime.Time { return gbtime.New(clock.Now()) }
	if _, err := c.RewardCashback(ctx, client.RewardCashbackRequest{CustomerID: "shopper", TransactionID: "EARN", TransactionTime: gbtime.New(clock.Now().Add(-time.Minute)), Amount: 100}); err != nil {
		t.Fatal(err)
	}
	hold := func(points int) string {
		t.Helper()
		h, err := c.HoldPoints(ctx, client.HoldRequest{CustomerID: "shopper", TransactionTime: now(), PointsToHold: new(points)})
		if err != nil {
			t.Fatal(err)
		}
		return h.HoldReference
	}
	state := func(ref string) string {
		t.Helper()
		h, err := c.GetHold(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		return h.State
	}

	// Hold, then redeem it.
	ref := hold(30)
	if a, _ := pointsOf(t, c, "shopper"); a != 70 {
		t.Errorf("while 30 are held: %v available", a)
	}
	rd, err := c.RedeemPoints(ctx, client.RedeemRequest{CustomerID: "shopper", TransactionID: "PAY-1", TransactionTime: now(), HoldReference: ref})
	if err != nil || rd.RedeemEquivalentPoints != 30 {
		t.Fatalf("redeeming the hold: %+v, %v", rd, err)
	}
	if s := state(ref); s != "Used" {
		t.Errorf("a redeemed hold is %s", s)
	}

	// Hold, then release it (the payment failed).
	ref = hold(20)
	if _, err := c.ReleaseHold(ctx, ref); err != nil {
		t.Fatal(err)
	}
	if a, _ := pointsOf(t, c, "shopper"); a != 70 {
		t.Errorf("after a release: %v available", a)
	}

	// Hold, then let it expire by the clock.
	ref = hold(50)
	clock.Advance(10 * time.Minute)
	if s := state(ref); s != "Expired" {
		t.Errorf("after the hold time: %s", s)
	}
	if a, _ := pointsOf(t, c, "shopper"); a != 70 {
		t.Errorf("after a hold expired: %v available", a)
	}
	_, err = c.RedeemPoints(ctx, client.RedeemRequest{CustomerID: "shopper", TransactionID: "PAY-2", TransactionTime: now(), HoldReference: ref})
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != client.ErrorCodeHoldNotFound || apiErr.StatusCode != 404 {
		t.Errorf("redeeming an expired hold: %v, want 404/9006", err)
	}

	// Beyond the balance.
	_, err = c.RedeemPoints(ctx, client.RedeemRequest{CustomerID: "shopper", TransactionID: "PAY-3", TransactionTime: now(), Points: new(71)})
	if !errors.Is(err, client.ErrInsufficientBalance) {
		t.Errorf("redeeming 71 of 70: %v, want ErrInsufficientBalance", err)
	}
}

func TestActivateThroughTheClient(t *testing.T) {
	srv, clock := lifecycleMock(t, 14)
	c, ctx := srv.Client, context.Background()
	if _, err := c.RewardCashback(ctx, client.RewardCashbackRequest{CustomerID: "shopper", TransactionID: "O1", TransactionTime: gbtime.New(clock.Now().Add(-time.Minute)), Amount: 40}); err != nil {
		t.Fatal(err)
	}
	res, err := c.ActivateTransaction(ctx, "O1")
	if err != nil || res.PointsActivated != 40 || res.ClientTransactionID != "O1" {
		t.Fatalf("activate: %+v, %v", res, err)
	}
	if a, p := pointsOf(t, c, "shopper"); a != 40 || p != 0 {
		t.Errorf("after activation: %v available, %v pending", a, p)
	}
}

// 450 transactions read through the iterator, 200 a page, while more are
// recorded: none missed, none repeated.
func TestTransactionsIterator(t *testing.T) {
	srv, clock := lifecycleMock(t, 0)
	c, ctx := srv.Client, context.Background()
	for i := range 450 {
		if _, err := c.RewardCashback(ctx, client.RewardCashbackRequest{CustomerID: "shopper", TransactionID: fmt.Sprintf("T%d", i), TransactionTime: gbtime.New(clock.Now().Add(-time.Minute)), Amount: 1}); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]int{}
	n := 0
	for tx, err := range c.Transactions(ctx, client.ListTransactionsParams{CustomerID: "shopper"}) {
		if err != nil {
			t.Fatal(err)
		}
		seen[tx.TransactionID]++
		if n++; n == 250 { // a write between two pages
			if _, err := c.RewardCashback(ctx, client.RewardCashbackRequest{CustomerID: "shopper", TransactionID: "LATE", TransactionTime: gbtime.New(clock.Now().Add(-time.Minute)), Amount: 1}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := range 450 {
		if id := fmt.Sprintf("T%d", i); seen[id] != 1 {
			t.Fatalf("%s read %d times", id, seen[id])
		}
	}
	if len(seen) != 451 || seen["LATE"] != 1 {
		t.Errorf("read %d distinct transactions, want the 450 and the one recorded while reading", len(seen))
	}
}

package loyalty

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// TestConcurrentLifecycle races refunds, holds, redemptions of holds and of
// points, releases and activations against awards, over shared pools of
// order ids, refund ids and hold references. Every operation is atomic, so
// afterwards: each balance is its ledger (held points included in the
// total), no order has two cashbacks or two redemptions, no refund id was
// applied twice, no order was refunded for more money or points than it
// had, no hold was redeemed twice or for other points than it held, and
// only a customer whose cashback was refunded can be short.
func TestConcurrentLifecycle(t *testing.T) {
	_, a, _ := newTestEngine(t, func(c *Config) { c.Program.ReturnWindow = 1 })
	const workers, opsEach, pool = 12, 200, 30
	customers := []string{"a", "b", "c"}
	for _, c := range customers {
		withPoints(t, a, c, 1000)
	}
	var mu sync.Mutex
	var holds []string // references handed out, redeemed or not
	pickHold := func(rng *rand.Rand) string {
		mu.Lock()
		defer mu.Unlock()
		if len(holds) == 0 {
			return "none"
		}
		return holds[rng.IntN(len(holds))]
	}

	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 11))
			for i := range opsEach {
				customer := customers[rng.IntN(len(customers))]
				order := fmt.Sprintf("O%d", rng.IntN(pool))
				var err error
				switch rng.IntN(8) {
				case 0, 1:
					_, err = a.RewardCashback(cashback(customer, order, float64(rng.IntN(100)+1)))
				case 2:
					_, err = a.Redeem(Redemption{CustomerID: customer, TransactionID: order, Time: t0, Points: new(int64(rng.IntN(50) + 1))})
				case 3:
					var amount *float64
					if rng.IntN(2) == 0 {
						amount = new(float64(rng.IntN(40) + 1))
					}
					_, err = a.Refund(Refund{CustomerID: customer, RefundTransactionID: fmt.Sprintf("R%d", rng.IntN(pool*2)),
						ReverseTransactionID: order, Time: t0, Amount: amount})
				case 4:
					var h HoldView
					if h, err = a.PlaceHold(hold(customer, int64(rng.IntN(30)+1))); err == nil {
						mu.Lock()
						holds = append(holds, h.Reference)
						mu.Unlock()
					}
				case 5:
					_, err = a.Redeem(Redemption{CustomerID: customer, TransactionID: fmt.Sprintf("H-w%d-%d", w, i), Time: t0, HoldReference: pickHold(rng)})
				case 6:
					_, err = a.ReleaseHold(pickHold(rng))
				case 7:
					_, err = a.Activate(order)
				}
				var refusal *Error
				switch {
				case err == nil:
				case !errors.As(err, &refusal):
					t.Errorf("unexpected error: %v", err)
				case !expectedRace(refusal.Code):
					t.Errorf("unexpected refusal: %d %s", refusal.Code, refusal.Message)
				}
			}
		})
	}
	wg.Wait()

	type orderKey struct {
		id   string
		kind EntryKind
	}
	perOrder := map[orderKey]int{}
	refundParts := map[string]map[EntryKind]int{}
	redemptions := map[string]LedgerEntry{}
	// An order's cashback and its redemption, and what refunds took back
	// from each: an order may have both, and a refund reverses them apart.
	orders := map[orderKey]LedgerEntry{}
	type refundSum struct {
		points int64
		amount float64
	}
	refundedOf := map[orderKey]refundSum{}
	reversed := map[EntryKind]EntryKind{EntryCashbackRefund: EntryCashback, EntryRedemptionRefund: EntryRedemption}
	for _, c := range a.Customers() {
		ledger, err := a.Ledger(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Balance.TotalPoints != ledgerSum(ledger) {
			t.Errorf("customer %s: balance %+v, ledger sums to %d", c.ID, c.Balance, ledgerSum(ledger))
		}
		refunded := false
		for _, e := range ledger {
			switch e.Kind {
			case EntryCashback, EntryRedemption, EntryManual:
				perOrder[orderKey{e.TransactionID, e.Kind}]++
				orders[orderKey{e.TransactionID, e.Kind}] = e
				if e.Kind == EntryRedemption {
					redemptions[e.TransactionID] = e
				}
			case EntryCashbackRefund, EntryRedemptionRefund:
				refunded = refunded || e.Kind == EntryCashbackRefund
				if refundParts[e.TransactionID] == nil {
					refundParts[e.TransactionID] = map[EntryKind]int{}
				}
				refundParts[e.TransactionID][e.Kind]++
				of := orderKey{e.Reverses, reversed[e.Kind]}
				sum := refundedOf[of]
				sum.points += absPoints(e.Points)
				sum.amount += e.Amount
				refundedOf[of] = sum
			}
		}
		if c.Balance.AvailablePoints < 0 && !refunded {
			t.Errorf("customer %s is short without a refund: %+v", c.ID, c.Balance)
		}
	}
	for k, n := range perOrder {
		if n > 1 {
			t.Errorf("order %q has %d %s entries", k.id, n, k.kind)
		}
	}
	for of, sum := range refundedOf {
		order, ok := orders[of]
		switch {
		case !ok:
			t.Errorf("refunds of the %s of %q, which no ledger has", of.kind, of.id)
		case sum.points > absPoints(order.Points) || sum.amount > order.Amount+moneyEpsilon:
			t.Errorf("the %s of %q (%d points, %.2f) was refunded %d points and %.2f", of.kind, of.id, order.Points, order.Amount, sum.points, sum.amount)
		}
	}
	for id, parts := range refundParts {
		for part, n := range parts {
			if n > 1 {
				t.Errorf("refund %q was applied %d times to a %s", id, n, part)
			}
		}
	}
	redeemedHolds, usedBy := 0, map[string]string{}
	for _, c := range customers {
		holds, err := a.Holds(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range holds {
			if h.State != HoldUsed {
				continue
			}
			d, ok := redemptions[h.RedeemedBy]
			if !ok || -d.Points != h.Points {
				t.Errorf("hold %s (%d points) was redeemed by %q: %+v", h.Reference, h.Points, h.RedeemedBy, d)
			}
			if other, twice := usedBy[h.RedeemedBy]; twice {
				t.Errorf("redemption %q used holds %s and %s", h.RedeemedBy, other, h.Reference)
			}
			usedBy[h.RedeemedBy] = h.Reference
			redeemedHolds++
		}
	}
	byHold := 0 // redemptions of holds: their transactionIds start with H-
	for id := range redemptions {
		if strings.HasPrefix(id, "H-") {
			byHold++
		}
	}
	if byHold != redeemedHolds {
		t.Errorf("%d redemptions of holds, but %d holds are used: a hold was redeemed twice", byHold, redeemedHolds)
	}
	if redeemedHolds == 0 || len(refundParts) == 0 {
		t.Errorf("the race did not happen: %d holds redeemed, %d refunds", redeemedHolds, len(refundParts))
	}
}

// expectedRace reports whether a refusal is one the racing workers of
// TestConcurrentLifecycle provoke by design.
func expectedRace(code errcode.Code) bool {
	switch code {
	case errcode.DuplicateTransaction, errcode.InsufficientBalance, errcode.TransactionNotFound,
		errcode.TransactionAlreadyCancelled, errcode.HoldNotFound:
		return true
	}
	return false
}

func absPoints(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

package loyalty

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// TestConcurrentMixedTraffic hammers one account from many goroutines with
// cashback, manual additions and deductions, both kinds of batches, replays
// of one shared pool of transactionIds, balance reads and calculations. Every
// operation is atomic, so afterwards the books must add up as after some
// sequential order: each balance is its ledger's sum and never negative,
// every accepted operation wrote exactly one entry, and each transactionId
// of the shared pool was accepted exactly once.
func TestConcurrentMixedTraffic(t *testing.T) {
	e, a, _ := newTestEngine(t, func(c *Config) { c.Program.ChannelMerging = MergeEmail })
	const workers, opsEach, pool = 16, 150, 40
	customers := []string{"a", "b", "c", "d", "e", "f"}

	var accepted atomic.Int64 // ledger entries the operations reported writing
	var batchIDs sync.Map
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for i := range opsEach {
				customer := customers[rng.IntN(len(customers))]
				own := fmt.Sprintf("w%d-%d", w, i)
				var err error
				switch rng.IntN(8) {
				case 0, 1:
					c := cashback(customer, own, float64(rng.IntN(200)))
					if rng.IntN(3) == 0 { // another customerId under the same email merges
						c.CustomerID, c.Email = "alias-"+own, customer+"@example.com"
					}
					_, err = a.RewardCashback(c)
				case 2:
					_, err = a.AddManualTransaction(manual(customer, own, int64(rng.IntN(100)+1)))
				case 3:
					_, err = a.AddManualTransaction(manual(customer, own, -int64(rng.IntN(150)+1)))
				case 4: // a replay race: every worker tries the same pool
					_, err = a.RewardCashback(cashback(customer, fmt.Sprintf("P%d", rng.IntN(pool)), 10))
				case 5:
					items := []Cashback{cashback(customer, own+"-b1", 5), cashback(customer, fmt.Sprintf("P%d", rng.IntN(pool)), 5)}
					var id int64
					if id, err = a.SubmitCashbackBatch(items); err == nil {
						batchIDs.Store(id, true)
					}
					continue
				case 6:
					var id int64
					if id, err = a.SubmitAdjustmentBatch([]Adjustment{{CustomerID: customer, Points: 20}, {CustomerID: customer, Points: -30}}); err == nil {
						batchIDs.Store(id, true)
					}
					continue
				case 7:
					_, _ = a.Balance(customer)
					_, _ = a.CalculatePaymentCashback(Payment{CustomerID: customer, TotalPaid: 10})
					continue
				}
				var refusal *Error
				switch {
				case err == nil:
					accepted.Add(1)
				case !errors.As(err, &refusal):
					t.Errorf("unexpected error: %v", err)
				case refusal.Code != errcode.DuplicateTransaction && refusal.Code != errcode.InsufficientBalance:
					t.Errorf("unexpected refusal: %d %s", refusal.Code, refusal.Message)
				}
			}
		})
	}
	wg.Wait()
	batchIDs.Range(func(id, _ any) bool {
		st := waitBatch(t, a, id.(int64))
		accepted.Add(int64(len(st.Results)))
		return true
	})

	entries, seen := 0, map[string]int{}
	gameballIDs := map[int64]bool{}
	for _, c := range a.Customers() {
		ledger, err := a.Ledger(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Balance.TotalPoints != ledgerSum(ledger) || c.Balance.AvailablePoints < 0 {
			t.Errorf("customer %s: balance %+v, ledger sums to %d", c.ID, c.Balance, ledgerSum(ledger))
		}
		for _, en := range ledger {
			entries++
			gameballIDs[en.GameballTransactionID] = true
			if en.TransactionID != "" {
				seen[en.TransactionID]++
			}
		}
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("transactionId %q is in the ledgers %d times", id, n)
		}
	}
	if int64(entries) != accepted.Load() {
		t.Errorf("%d ledger entries, but %d operations were accepted", entries, accepted.Load())
	}
	for id := int64(1); id <= int64(entries); id++ {
		if !gameballIDs[id] {
			t.Fatalf("gameballTransactionIds are not 1..%d: %d is missing", entries, id)
		}
	}
	used := 0
	for i := range pool {
		used += seen[fmt.Sprintf("P%d", i)]
	}
	if used == 0 {
		t.Error("no pooled transactionId was ever accepted; the replay race did not happen")
	}
	if s := e.Snapshot(); len(s.Accounts[0].Customers) != len(a.Customers()) {
		t.Error("snapshot and customer list disagree")
	}
}

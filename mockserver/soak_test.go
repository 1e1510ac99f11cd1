package mockserver_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/client/gbapi"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
)

// TestSoak runs 64 goroutines of mixed operations against a mock on a
// loopback port, on a few shared customers, for a bounded time (2s in all;
// GAMEBALL_SOAK_DURATION=60s for a longer run, GAMEBALL_SOAK_WORKERS to
// change the count), in two halves. After each half:
//
//   - no request got a 5xx or a transport error;
//   - no transactionId is in the ledgers twice, and none was awarded twice;
//   - every customer's balance (through the API) equals the sum of their
//     ledger, which equals what the answers told the clients.
//
// Then the state is reset, and
//
//   - the heap is back near the started server's: above it only by what
//     the bounded parts hold (the journal's last 500 exchanges, the open
//     connections' buffers), and not above the first half's at all, so
//     nothing grows with the work done;
//   - with the server closed, the goroutines are back to their count before.
func TestSoak(t *testing.T) {
	duration := 2 * time.Second
	if v := os.Getenv("GAMEBALL_SOAK_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatal(err)
		}
		duration = d
	}
	workers := 64
	if v := os.Getenv("GAMEBALL_SOAK_WORKERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("GAMEBALL_SOAK_WORKERS=%s", v)
		}
		workers = n
	}

	goroutinesBefore := runtime.NumGoroutine()
	m := startPerfMock(t, mockserver.Options{})
	m.hc.Transport.(*http.Transport).MaxIdleConnsPerHost = workers
	heapStarted := heapInUse()

	var heaps []uint64
	for half := range 2 {
		s := &soak{m: m, told: map[string]int64{}, awarded: map[string]int{}}
		deadline := time.Now().Add(duration / 2)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(w), uint64(half)))
				for time.Now().Before(deadline) && !t.Failed() {
					if err := s.step(rng, w); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		acct := m.account()
		s.waitForBatches(t, acct)
		s.checkState(t, acct)
		t.Logf("soak, half %d: %d workers for %v: %d requests (%.0f/s), %d customers, %d ledger entries, %d batches",
			half+1, workers, duration/2, s.requests.Load(), float64(s.requests.Load())/(duration/2).Seconds(), len(s.told), s.entries, len(acct.Batches()))
		m.engine.Reset("")
		heaps = append(heaps, heapInUse())
	}

	t.Logf("heap in use: %.1f MB started, %.1f MB after the first half, %.1f MB after the second (state reset each time)",
		mb(heapStarted), mb(heaps[0]), mb(heaps[1]))
	if heaps[0] > heapStarted+16<<20 {
		t.Errorf("heap in use grew from %.1f MB to %.1f MB, more than the journal and connections hold", mb(heapStarted), mb(heaps[0]))
	}
	if heaps[1] > heaps[0]+2<<20 {
		t.Errorf("heap in use grew with the work: %.1f MB after the first half, %.1f MB after the second", mb(heaps[0]), mb(heaps[1]))
	}

	// Goroutines: with the client's connections and the server closed, back
	// to the count before the server started.
	m.hc.CloseIdleConnections()
	m.close()
	var goroutinesAfter int
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		goroutinesAfter = runtime.NumGoroutine()
		if goroutinesAfter <= goroutinesBefore || time.Now().After(end) {
			break
		}
	}
	if goroutinesAfter > goroutinesBefore {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutines: %d before the soak, %d after:\n%s", goroutinesBefore, goroutinesAfter, buf[:runtime.Stack(buf, true)])
	}
}

func heapInUse() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }

// soak is the clients' side of the soak: what they were told.
type soak struct {
	m        *perfMock
	requests atomic.Int64

	mu      sync.Mutex
	told    map[string]int64 // customer → points the answers reported
	awarded map[string]int   // transactionId → times an answer said it was recorded
	batches []string
	entries int
}

const soakCustomers = 12

func (s *soak) customer(rng *rand.Rand) string {
	return "soak_" + strconv.Itoa(rng.IntN(soakCustomers))
}

// txn is a fresh transactionId, or now and then one used before.
func (s *soak) txn(rng *rand.Rand, w int) string {
	if rng.IntN(10) == 0 {
		return fmt.Sprintf("S-%d-%d", w, rng.IntN(8)) // replays, which must be refused
	}
	return s.m.nextID(fmt.Sprintf("S-%d", w))
}

func (s *soak) record(customer string, points int64, txn string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.told[customer] += points
	if txn != "" {
		s.awarded[txn]++
	}
}

// step makes one random call and checks its answer's class.
func (s *soak) step(rng *rand.Rand, w int) error {
	ctx := context.Background()
	raw := s.m.raw
	s.requests.Add(1)
	var (
		code int
		err  error
		op   string
	)
	switch n := rng.IntN(100); {
	case n < 35:
		op = "rewardCashback"
		customer, txn := s.customer(rng), s.txn(rng, w)
		var res *gbapi.RewardCashbackResponse
		res, err = raw.RewardCashbackWithResponse(ctx, client.RewardCashbackRequest{
			CustomerID: customer, TransactionID: txn, TransactionTime: perfRecent(), Amount: float64(rng.IntN(500)) + 0.5,
		})
		if code, err = perfStatus(res, err); err == nil && code == http.StatusOK {
			s.record(customer, res.JSON200.RewardEquivalentPoints, txn)
		}
	case n < 50:
		op = "addManualTransaction"
		customer, txn := s.customer(rng), s.txn(rng, w)
		points := rng.IntN(200) - 80
		if points == 0 {
			points = 1
		}
		var res *gbapi.AddManualTransactionResponse
		res, err = raw.AddManualTransactionWithResponse(ctx, client.AddManualTransactionRequest{
			CustomerID: customer, TransactionID: txn, TransactionTime: perfRecent(), Username: "soak", Reason: "soak", Points: new(points),
		})
		if code, err = perfStatus(res, err); err == nil && code == http.StatusOK {
			s.record(customer, res.JSON200.Points, txn)
		}
	case n < 62:
		op = "getCustomerBalance"
		var res *gbapi.GetCustomerBalanceResponse
		res, err = raw.GetCustomerBalanceWithResponse(ctx, s.customer(rng), nil)
		code, err = perfStatus(res, err)
	case n < 72:
		op = "calculatePaymentCashback"
		var res *gbapi.CalculatePaymentCashbackResponse
		res, err = raw.CalculatePaymentCashbackWithResponse(ctx, client.CalculatePaymentCashbackRequest{
			CustomerID: s.customer(rng), TotalPaid: float64(rng.IntN(1000)),
			PaymentDetails: []client.PaymentService{{Amount: 50.0, Category: []string{[]string{"Electronics", "Promo"}[rng.IntN(2)]}}},
		})
		code, err = perfStatus(res, err)
	case n < 80:
		op = "rewardCashbackBatch"
		items := make([]client.CashbackBatchItem, 1+rng.IntN(5))
		for i := range items {
			items[i] = client.CashbackBatchItem{CustomerID: s.customer(rng), TransactionID: s.txn(rng, w), TransactionTime: perfRecent(), Amount: float64(rng.IntN(100))}
		}
		var res *gbapi.RewardCashbackBatchResponse
		res, err = raw.RewardCashbackBatchWithResponse(ctx, client.RewardCashbackBatchRequest{Body: items})
		if code, err = perfStatus(res, err); err == nil && code == http.StatusOK {
			s.addBatch(res.JSON200.JobID)
		}
	case n < 88:
		op = "adjustBalanceBatch"
		items := make([]client.BalanceAdjustmentItem, 1+rng.IntN(5))
		for i := range items {
			items[i] = client.BalanceAdjustmentItem{CustomerID: s.customer(rng), Amount: float64(rng.IntN(100) - 40)}
		}
		var res *gbapi.AdjustBalanceBatchResponse
		res, err = raw.AdjustBalanceBatchWithResponse(ctx, client.AdjustBalanceBatchRequest{Body: items})
		if code, err = perfStatus(res, err); err == nil && code == http.StatusOK {
			s.addBatch(res.JSON200.JobID)
		}
	case n < 95:
		op = "getBatchStatus"
		var res *gbapi.GetBatchStatusResponse
		res, err = raw.GetBatchStatusWithResponse(ctx, s.someBatch(rng))
		code, err = perfStatus(res, err)
	default:
		op = "stopBatch"
		var res *gbapi.StopBatchResponse
		res, err = raw.StopBatchWithResponse(ctx, s.someBatch(rng))
		code, err = perfStatus(res, err)
	}
	switch {
	case err != nil:
		return fmt.Errorf("%s: %v", op, err)
	case code >= 500:
		return fmt.Errorf("%s answered %d", op, code)
	case code != http.StatusOK && code != http.StatusUnprocessableEntity && code != http.StatusNotFound:
		return fmt.Errorf("%s answered %d to a valid request", op, code)
	}
	return nil
}

func (s *soak) addBatch(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.batches = append(s.batches, strconv.FormatInt(id, 10))
}

func (s *soak) someBatch(rng *rand.Rand) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.batches) == 0 {
		return "1"
	}
	return s.batches[rng.IntN(len(s.batches))]
}

// waitForBatches waits for every job to end, then adds what their items did
// to what the clients were told, through the API's batch status.
func (s *soak) waitForBatches(t *testing.T, acct *loyalty.Account) {
	t.Helper()
	for _, b := range acct.Batches() {
		perfWaitBatch(t, acct, b.ID)
	}
	for _, id := range s.batches {
		res, err := s.m.raw.GetBatchStatusWithResponse(context.Background(), id)
		if code, err := perfStatus(res, err); err != nil || code != http.StatusOK {
			t.Fatalf("batch %s status: %d %v", id, code, err)
		}
		results, _, err := client.BatchItems(res.JSON200)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range results {
			txn := r.TransactionID
			s.record(r.CustomerID, r.Points, txn)
		}
	}
}

// checkState compares ledgers, balances and answers.
func (s *soak) checkState(t *testing.T, acct *loyalty.Account) {
	t.Helper()
	seen := map[string]string{}
	for _, c := range acct.Customers() {
		ledger, err := acct.Ledger(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		for _, e := range ledger {
			sum += e.Points
			if e.TransactionID == "" {
				continue
			}
			if other, dup := seen[e.TransactionID]; dup {
				t.Errorf("transactionId %s is in the ledgers twice (%s and %s)", e.TransactionID, other, c.ID)
			}
			seen[e.TransactionID] = c.ID
		}
		s.entries += len(ledger)
		res, err := s.m.raw.GetCustomerBalanceWithResponse(context.Background(), c.ID, nil)
		if code, err := perfStatus(res, err); err != nil || code != http.StatusOK {
			t.Fatalf("balance of %s: %d %v", c.ID, code, err)
		}
		b := res.JSON200
		if b.TotalPointsBalance != sum || b.AvailablePointsBalance+b.PendingPoints != b.TotalPointsBalance {
			t.Errorf("%s: balance %v (available %v, pending %v), ledger sum %d", c.ID, b.TotalPointsBalance, b.AvailablePointsBalance, b.PendingPoints, sum)
		}
		if told := s.told[c.ID]; told != sum {
			t.Errorf("%s: the answers reported %d points in all, the ledger holds %d", c.ID, told, sum)
		}
	}
	for txn, n := range s.awarded {
		if n > 1 {
			t.Errorf("transactionId %s was awarded %d times", txn, n)
		}
	}
	if len(seen) == 0 {
		t.Error("the soak recorded nothing")
	}
}

package loyalty

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

func TestCashbackBatchOfAThousand(t *testing.T) {
	_, a, _ := newTestEngine(t, nil)
	items := make([]Cashback, MaxBatchItems)
	for i := range items {
		items[i] = cashback(fmt.Sprintf("c%d", i%10), fmt.Sprintf("T%d", i), 10)
	}
	id, err := a.SubmitCashbackBatch(items)
	if err != nil {
		t.Fatal(err)
	}
	st := waitBatch(t, a, id)
	if st.State != BatchCompleted || st.ProcessedItems != 1000 || len(st.Results) != 1000 || st.FailedItems != 0 || st.Progress() != 100 {
		t.Fatalf("status %s %d/%d, %d results, %d failed", st.State, st.ProcessedItems, st.TotalItems, len(st.Results), st.FailedItems)
	}
	for i, r := range st.Results {
		if r.Index != i || r.TransactionID != fmt.Sprintf("T%d", i) || r.Points != 10 {
			t.Fatalf("result %d = %+v, want input order", i, r)
		}
	}
	if b := balanceOf(t, a, "c3"); b.TotalPoints != 1000 {
		t.Fatalf("c3 has %d points, want 100 items × 10", b.TotalPoints)
	}

	_, err = a.SubmitCashbackBatch(append(items, cashback("c", "T1000", 1)))
	wantCode(t, err, errcode.LimitExceeded)
	_, err = a.SubmitAdjustmentBatch(make([]Adjustment, 1001))
	wantCode(t, err, errcode.LimitExceeded)
	_, err = a.SubmitCashbackBatch(nil)
	if e := wantCode(t, err, errcode.MissingArgument); e.Message != "body: at least one item is required" {
		t.Fatalf("message %q", e.Message)
	}
}

func TestBatchItemsFollowTheSingleCallRules(t *testing.T) {
	_, a, _ := newTestEngine(t, nil)
	if _, err := a.RewardCashback(cashback("c0", "USED", 1)); err != nil {
		t.Fatal(err)
	}
	future := cashback("c1", "T-future", 10)
	future.Time = t0.Add(time.Hour)
	id, err := a.SubmitCashbackBatch([]Cashback{
		cashback("c1", "T1", 10),
		cashback("c1", "T1", 10), // earlier in the same batch
		cashback("c1", "USED", 10),
		future,
		cashback("c1", "T2", -5),
		cashback("c2", "T3", 20),
	})
	if err != nil {
		t.Fatal(err)
	}
	st := waitBatch(t, a, id)
	if st.State != BatchCompleted || st.ProcessedItems != 6 || st.FailedItems != 4 {
		t.Fatalf("status %+v", st)
	}
	wantErrors := map[int]errcode.Code{1: errcode.DuplicateTransaction, 2: errcode.DuplicateTransaction, 3: errcode.InvalidTransactionTime, 4: errcode.InvalidValue}
	for _, e := range st.Errors {
		if wantErrors[e.Index] != e.Err.Code || e.CustomerID != "c1" {
			t.Errorf("item %d failed with %d (%s), want %d", e.Index, e.Err.Code, e.Err.Message, wantErrors[e.Index])
		}
	}
	if len(st.Results) != 2 || st.Results[0].Index != 0 || st.Results[1].Index != 5 {
		t.Fatalf("results %+v, want items 0 and 5", st.Results)
	}
	if b := balanceOf(t, a, "c1"); b.TotalPoints != 10 {
		t.Fatalf("c1 has %d, want 10", b.TotalPoints)
	}
}

func TestAdjustmentBatch(t *testing.T) {
	_, a, _ := newTestEngine(t, nil)
	id, err := a.SubmitAdjustmentBatch([]Adjustment{
		{CustomerID: "c1", Points: 100, Reason: "welcome"},
		{CustomerID: "c1", Points: -30},
		{CustomerID: "c1", Points: -71},  // more than the 70 left
		{CustomerID: "c1", Points: 2.5},  // not whole
		{CustomerID: "new", Points: -1},  // nothing to deduct from
		{CustomerID: "c2", Points: 0},    // nothing to adjust
		{CustomerID: "", Points: 5},      // no customer
		{CustomerID: "c2", Points: 1e16}, // beyond the bound
	})
	if err != nil {
		t.Fatal(err)
	}
	st := waitBatch(t, a, id)
	want := []errcode.Code{0, 0, errcode.InsufficientBalance, errcode.InvalidValue, errcode.InsufficientBalance, errcode.InvalidValue, errcode.MissingArgument, errcode.InvalidValue}
	got := make([]errcode.Code, len(want))
	for _, e := range st.Errors {
		got[e.Index] = e.Err.Code
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("item codes %v, want %v", got, want)
	}
	if st.Results[0].GameballTransactionID != 1 || st.Results[1].GameballTransactionID != 2 {
		t.Fatalf("results %+v, want gameballTransactionIds 1 and 2", st.Results)
	}
	entries, _ := a.Ledger("c1")
	if ledgerSum(entries) != 70 || entries[0].Kind != EntryAdjustment || entries[0].Reason != "welcome" || entries[0].GameballTransactionID != st.Results[0].GameballTransactionID {
		t.Fatalf("ledger %+v", entries)
	}
	if cs := a.Customers(); len(cs) != 1 {
		t.Fatalf("customers %+v, want only c1: refused items create no one", cs)
	}
}

func TestStopBatchMidway(t *testing.T) {
	_, a, _ := newTestEngine(t, func(c *Config) { c.Batch.ItemDelay = 20 * time.Millisecond })
	items := make([]Cashback, 50)
	for i := range items {
		items[i] = cashback(fmt.Sprintf("c%d", i), fmt.Sprintf("T%d", i), 10)
	}
	id, err := a.SubmitCashbackBatch(items)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, _ := a.BatchStatus(id)
		if st.ProcessedItems >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the job did not start: %+v", st)
		}
		time.Sleep(time.Millisecond)
	}
	st, err := a.StopBatch(id)
	if err != nil {
		t.Fatal(err)
	}
	n := st.ProcessedItems
	if st.State != BatchFailed || n < 2 || n == len(items) || st.Message != fmt.Sprintf("stopped after %d of 50 items", n) {
		t.Fatalf("stopped status %+v", st)
	}

	// A job submitted after it runs only once the stopped one has let go of
	// the worker, so by then the stopped job can no longer move.
	next, err := a.SubmitAdjustmentBatch([]Adjustment{{CustomerID: "marker", Points: 1}})
	if err != nil {
		t.Fatal(err)
	}
	waitBatch(t, a, next)

	again, _ := a.BatchStatus(id)
	if again.ProcessedItems != n || again.State != BatchFailed {
		t.Fatalf("after stop: %+v, want still %d processed", again, n)
	}
	for i := range items {
		_, err := a.Balance(fmt.Sprintf("c%d", i))
		if applied := err == nil; applied != (i < n) {
			t.Fatalf("item %d applied = %v, want %v (the first %d only)", i, applied, i < n, n)
		}
	}

	finished, err := a.StopBatch(id)
	if err != nil || finished.State != BatchFailed || finished.ProcessedItems != n ||
		!strings.Contains(finished.Message, "already finished") {
		t.Fatalf("stopping a stopped job: %+v, %v", finished, err)
	}
	done, err := a.StopBatch(next)
	if err != nil || done.State != BatchCompleted || !strings.Contains(done.Message, "nothing to stop") {
		t.Fatalf("stopping a completed job: %+v, %v", done, err)
	}
	_, err = a.StopBatch(999)
	wantCode(t, err, errcode.NotFound)
	_, err = a.BatchStatus(999)
	wantCode(t, err, errcode.NotFound)
}

func TestStopPendingBatch(t *testing.T) {
	_, a, _ := newTestEngine(t, func(c *Config) { c.Batch.ItemDelay = time.Hour })
	// The first job holds the worker in its pause; the second waits its turn.
	first, _ := a.SubmitAdjustmentBatch([]Adjustment{{CustomerID: "a", Points: 1}, {CustomerID: "a", Points: 1}})
	second, _ := a.SubmitAdjustmentBatch([]Adjustment{{CustomerID: "b", Points: 1}})
	st, err := a.StopBatch(second)
	if err != nil || st.State != BatchFailed || st.Message != "stopped after 0 of 1 items" {
		t.Fatalf("%+v, %v", st, err)
	}
	if _, err := a.StopBatch(first); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Balance("b"); err == nil {
		t.Fatal("a stopped pending job ran")
	}
	if bs := a.Batches(); len(bs) != 2 || bs[0].ID != first || bs[1].ID != second {
		t.Fatalf("Batches() = %+v", bs)
	}
}

func TestCloseStopsWorkers(t *testing.T) {
	goroutinesBefore := runtime.NumGoroutine()
	cfg := testConfig()
	cfg.Batch.ItemDelay = time.Hour
	for i := range 4 {
		cfg.Accounts = append(cfg.Accounts, AccountConfig{Name: fmt.Sprint("extra", i), APIKey: fmt.Sprint("k", i), SecretKey: "s"})
	}
	e, err := New(cfg, NewFakeClock(t0))
	if err != nil {
		t.Fatal(err)
	}
	a := e.Accounts()[0]
	id, _ := a.SubmitAdjustmentBatch([]Adjustment{{CustomerID: "a", Points: 1}, {CustomerID: "a", Points: 1}})
	start := time.Now()
	e.Close()
	e.Close()
	if waited := time.Since(start); waited > closeTimeout/2 {
		t.Fatalf("Close took %s: the item delay was not interrupted", waited)
	}
	exited := make(chan struct{})
	go func() { e.workers.Wait(); close(exited) }()
	select {
	case <-exited:
	case <-time.After(time.Second):
		t.Fatal("batch workers still running after Close")
	}
	// Nothing the engine started is left behind (polled: a goroutine that
	// has signalled its end may take a moment to be gone).
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutinesBefore {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines after Close, %d before New", runtime.NumGoroutine(), goroutinesBefore)
		}
		time.Sleep(time.Millisecond)
	}
	if st, _ := a.BatchStatus(id); st.State == BatchCompleted {
		t.Fatalf("the job finished despite an hour's delay: %+v", st)
	}
	_, err = a.SubmitAdjustmentBatch([]Adjustment{{CustomerID: "a", Points: 1}})
	wantCode(t, err, errcode.ServiceUnavailable)
	if _, err := a.RewardCashback(cashback("c", "T", 1)); err != nil {
		t.Fatalf("single calls after Close: %v", err)
	}
}

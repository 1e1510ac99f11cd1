package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/gbtime"
)

// fakeBatches is a small Gameball batch service: it applies a job's items
// when the job is created, refuses a transactionId it has seen (9004), a
// negative amount (3003 for cashback, 9008 for an adjustment), ends a job
// failed at a customer named STOP, answers "processing" to the first
// busyPolls polls of each job, and lists results in reverse order (the
// client must place them by index).
type fakeBatches struct {
	mu        sync.Mutex
	busyPolls int
	refuse    map[int]step // submission number → answered instead of creating a job
	hangUp    map[int]bool // submission number → job created, answer lost
	submits   int
	sizes     []int
	seenTx    map[string]bool
	jobs      []*fakeJob
}

type fakeJob struct {
	status  client.BatchState
	results []client.BatchItemResult
	errors  []client.BatchItemError
	polls   int
}

type fakeItem struct {
	CustomerID    string  `json:"customerId"`
	TransactionID string  `json:"transactionId"`
	Amount        float64 `json:"amount"`
}

func (f *fakeBatches) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	if strings.Contains(r.URL.Path, "/batch/") {
		f.submits++
		if refuse := f.refuse[f.submits]; refuse != nil {
			f.mu.Unlock()
			refuse(w, r)
			return
		}
		var body struct{ Body []fakeItem }
		_ = json.NewDecoder(r.Body).Decode(&body)
		f.sizes = append(f.sizes, len(body.Body))
		f.jobs = append(f.jobs, f.run(body.Body, strings.HasSuffix(r.URL.Path, "/cashback")))
		id, lost := len(f.jobs), f.hangUp[f.submits]
		f.mu.Unlock()
		if lost {
			hangUp(w, r)
			return
		}
		ok(fmt.Sprintf(`{"jobId":%d}`, id))(w, r)
		return
	}
	id, _ := strconv.Atoi(strings.Split(r.URL.Path, "/")[5]) // /api/v4.0/integrations/batches/{id}/status
	job := f.jobs[id-1]
	job.polls++
	st := client.BatchStatus{BatchID: strconv.Itoa(id), Status: client.BatchStateProcessing}
	if job.polls > f.busyPolls {
		st.Status, st.Results, st.Errors = job.status, anys(job.results), anys(job.errors)
	}
	f.mu.Unlock()
	body, _ := json.Marshal(st)
	ok(string(body))(w, r)
}

func (f *fakeBatches) run(items []fakeItem, cashback bool) *fakeJob {
	job := &fakeJob{status: client.BatchStateCompleted, results: []client.BatchItemResult{}, errors: []client.BatchItemError{}}
	for i, it := range items {
		refuse := 0
		switch {
		case it.CustomerID == "STOP":
			job.status = client.BatchStateFailed
			return job
		case cashback && f.seenTx[it.TransactionID]:
			refuse = 9004
		case cashback && it.Amount < 0:
			refuse = 3003
		case it.Amount < 0:
			refuse = 9008
		}
		if refuse != 0 {
			job.errors = append(job.errors, client.BatchItemError{Index: new(i), Code: client.ErrorCode(refuse), Message: "refused"})
			continue
		}
		f.seenTx[it.TransactionID] = true
		job.results = slices.Insert(job.results, 0, client.BatchItemResult{Index: new(i), TransactionID: it.TransactionID, Points: int64(it.Amount)})
	}
	return job
}

// anys is xs as the published document's arrays of anything.
func anys[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func newFake(t *testing.T, f *fakeBatches) string {
	t.Helper()
	f.seenTx = map[string]bool{}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return srv.URL
}

func cashbackItems(n int) []client.CashbackBatchItem {
	items := make([]client.CashbackBatchItem, n)
	for i := range items {
		items[i] = client.CashbackBatchItem{CustomerID: fmt.Sprintf("c%d", i), TransactionID: fmt.Sprintf("T%d", i), TransactionTime: gbtime.New(epoch), Amount: 10}
	}
	return items
}

// TestBatchesInInputOrder submits 2,500 rewards: three jobs of 1,000, 1,000
// and 500, polled with backoff, and one outcome per item in input order:
// results, refusals as errors.Is-able *APIError, and items a failed job
// never ran.
func TestBatchesInInputOrder(t *testing.T) {
	f := &fakeBatches{busyPolls: 3}
	url := newFake(t, f)
	items := cashbackItems(2500)
	for i := 1001; i < 2000; i += 2 {
		items[i].TransactionID = items[i-1].TransactionID // odd items of job 2 replay their neighbour: 9004
	}
	items[2050].Amount = -1         // 3003
	items[2100].CustomerID = "STOP" // job 3 fails here: items 2100.. never run
	w := &waits{}
	c := newClient(t, url, w, client.BatchPolling(100*time.Millisecond, 300*time.Millisecond))

	jobs, err := c.SubmitCashbackRewards(context.Background(), items)
	if err != nil {
		t.Fatal(err)
	}
	wantJobs := []client.BatchJob{
		{ID: 1, Operation: "rewardCashbackBatch", First: 0, Count: 1000},
		{ID: 2, Operation: "rewardCashbackBatch", First: 1000, Count: 1000},
		{ID: 3, Operation: "rewardCashbackBatch", First: 2000, Count: 500},
	}
	if !slices.Equal(jobs, wantJobs) || !slices.Equal(f.sizes, []int{1000, 1000, 500}) {
		t.Fatalf("jobs %+v (sizes %v), want %+v", jobs, f.sizes, wantJobs)
	}

	outcomes, err := c.WaitForBatches(context.Background(), jobs)
	if err != nil {
		t.Fatal(err)
	}
	if len(outcomes) != len(items) {
		t.Fatalf("%d outcomes for %d items", len(outcomes), len(items))
	}
	for i, o := range outcomes {
		wantJob := int64(i/1000 + 1)
		var want error
		switch {
		case i >= 2100:
			want = client.ErrNotProcessed
		case i == 2050:
			want = client.ErrValidation
		case i > 1000 && i < 2000 && i%2 == 1:
			want = client.ErrDuplicateTransaction
		}
		if o.JobID != wantJob {
			t.Fatalf("item %d: job %d, want %d", i, o.JobID, wantJob)
		}
		if want == nil {
			if o.Err != nil || o.Result == nil || o.Result.TransactionID != items[i].TransactionID {
				t.Fatalf("item %d: %+v, want the result for %s", i, o, items[i].TransactionID)
			}
			continue
		}
		if !errors.Is(o.Err, want) || o.Result != nil {
			t.Fatalf("item %d: %+v, want an error matching %v", i, o, want)
		}
	}
	// Three polls find each job busy: waits of 100ms, 200ms, then capped at 300ms.
	if got, want := w.slept(), ms(100, 200, 300, 100, 200, 300, 100, 200, 300); !slices.Equal(got, want) {
		t.Errorf("polling waited %v, want %v", got, want)
	}
}

// TestSubmitStopsAtAFailedJob: adjustments carry no ids, so a refused
// creation is not retried, and the jobs created before it come back with
// the error.
func TestSubmitStopsAtAFailedJob(t *testing.T) {
	f := &fakeBatches{refuse: map[int]step{2: refusal(503, 5003, "Retry-After", "1")}}
	url := newFake(t, f)
	items := make([]client.BalanceAdjustmentItem, 2500)
	for i := range items {
		items[i] = client.BalanceAdjustmentItem{CustomerID: "c", Amount: 1}
	}
	jobs, err := newClient(t, url, &waits{}).SubmitBalanceAdjustments(context.Background(), items)
	if !errors.Is(err, client.ErrServer) || !strings.Contains(err.Error(), "items 1000 to 2499 of 2500 not submitted") {
		t.Errorf("error %v, want the 503 naming the items not submitted", err)
	}
	if len(jobs) != 1 || jobs[0].Count != 1000 || f.submits != 2 {
		t.Errorf("jobs %+v after %d submissions; want the first job, and no retry of the second", jobs, f.submits)
	}
}

// TestReplayedSubmission: the first creation of a cashback job lands but
// its answer is lost; the retry creates a second job whose items are all
// duplicates of the lost job's. They are reported as already applied, not
// as failures.
func TestReplayedSubmission(t *testing.T) {
	f := &fakeBatches{hangUp: map[int]bool{1: true}}
	url := newFake(t, f)
	c := newClient(t, url, &waits{}, client.BatchPolling(time.Millisecond, time.Millisecond))
	jobs, err := c.SubmitCashbackRewards(context.Background(), cashbackItems(3))
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 || jobs[0].ID != 2 || !jobs[0].Replayed {
		t.Fatalf("jobs %+v, want job 2, marked replayed", jobs)
	}
	outcomes, err := c.WaitForBatches(context.Background(), jobs)
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range outcomes {
		if !errors.Is(o.Err, client.ErrAlreadyApplied) || errors.Is(o.Err, client.ErrDuplicateTransaction) {
			t.Errorf("item %d: %v, want ErrAlreadyApplied", i, o.Err)
		}
	}
}

// TestWaitForBatchFailures: what makes waiting fail rather than report.
func TestWaitForBatchFailures(t *testing.T) {
	cases := []struct {
		name   string
		status string
		want   string
	}{
		{"an unknown status", `{"status":"paused"}`, `unknown status "paused"`},
		{"an entry outside the job", `{"status":"completed","results":[{"index":5}]}`, "outside the job's 2 items"},
		{"an entry without an index", `{"status":"completed","errors":[{"code":9004}]}`, "status entry without an index"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, url := serve(t, ok(tc.status))
			_, err := newClient(t, url, &waits{}).WaitForBatches(context.Background(), []client.BatchJob{{ID: 1, First: 0, Count: 2}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

// TestWaitForBatchCancel: cancelling the context ends the polling.
func TestWaitForBatchCancel(t *testing.T) {
	srv, url := serve(t, ok(`{"status":"processing"}`))
	ctx, cancel := context.WithCancel(context.Background())
	sleep := func(ctx context.Context, d time.Duration) error { cancel(); return client.SleepContext(ctx, time.Hour) }
	c, err := client.New(testAPIKey, testSecretKey, client.BaseURL(url), client.WithSleep(sleep))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitForBatch(ctx, 1); !errors.Is(err, context.Canceled) || len(srv.seen()) != 1 {
		t.Errorf("error %v after %d polls, want context.Canceled after 1", err, len(srv.seen()))
	}
}

// TestNoItems: nothing to submit is no job and no outcome.
func TestNoItems(t *testing.T) {
	c, err := client.New("k", "s", client.BaseURL("http://127.0.0.1:1"))
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := c.SubmitCashbackRewards(context.Background(), nil)
	if err != nil || jobs != nil {
		t.Fatalf("jobs %v, error %v", jobs, err)
	}
	outcomes, err := c.WaitForBatches(context.Background(), jobs)
	if err != nil || len(outcomes) != 0 {
		t.Fatalf("outcomes %v, error %v", outcomes, err)
	}
}

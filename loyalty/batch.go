package loyalty

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// Batch jobs run on one worker goroutine per account, one job at a time in
// the order submitted, items in input order. Each item is applied under the
// account's lock exactly like the single call (a failing item records its
// error and the job goes on), and the job's progress lives in its record,
// so Stop, Snapshot and Restore see every item either done or untouched.

// SubmitCashbackBatch queues a reward cashback job and answers its id at once.
// Each item follows RewardCashback's rules, checked when the item runs (so a
// transactionId used earlier in the same batch is a 9004 for the later item).
// Refusals: 6001 when cashback is disabled; 3000 for no items; 3011 for more
// than 1000.
func (a *Account) SubmitCashbackBatch(items []Cashback) (int64, error) {
	if !a.program().CashbackEnabled {
		return 0, errCashbackDisabled()
	}
	records := make([]BatchItem, len(items))
	for i, c := range items {
		records[i] = cashbackItem(c)
	}
	return a.submit(BatchOfCashback, records)
}

// SubmitAdjustmentBatch queues a balance adjustment job and answers its id at
// once. Each item adds (positive) or deducts (negative) a whole number of
// points, available at once, with the 9008 rule for deductions and the 3011
// rule for a customer's lifetime earned points (at most 9e15, maxBalance);
// the customer is created on first use. Refusals: 3000 for no items; 3011
// for more than 1000.
func (a *Account) SubmitAdjustmentBatch(items []Adjustment) (int64, error) {
	records := make([]BatchItem, len(items))
	for i, adj := range items {
		records[i] = adjustmentItem(adj)
	}
	return a.submit(BatchOfAdjustments, records)
}

func (a *Account) submit(kind BatchKind, items []BatchItem) (int64, error) {
	switch {
	case len(items) == 0:
		return 0, refuse(errcode.MissingArgument, "body: at least one item is required")
	case len(items) > MaxBatchItems:
		return 0, refuse(errcode.LimitExceeded, "body: %d items exceed the limit of %d per batch", len(items), MaxBatchItems)
	case a.engine.closed():
		return 0, errClosed()
	}
	a.mu.Lock()
	b := a.book
	b.lastBatchID++
	id := b.lastBatchID
	b.batches[id] = &BatchRecord{ID: id, Kind: kind, State: BatchPending, SubmittedAt: a.now(), Items: items}
	a.engine.changed()
	a.mu.Unlock()
	a.wakeWorker()
	return id, nil
}

// BatchStatus reports a job's progress and per-item results (4004 for an
// unknown id).
func (a *Account) BatchStatus(id int64) (BatchStatus, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	r, ok := a.book.batches[id]
	if !ok {
		return BatchStatus{}, errBatchNotFound(id)
	}
	return r.status(), nil
}

// StopBatch stops a pending or processing job: it ends failed, with a message
// saying how many items ran. Items already processed stay applied; the rest
// are never touched. A job that already finished is answered unchanged, with
// a message saying there was nothing to stop. 4004 for an unknown id.
func (a *Account) StopBatch(id int64) (BatchStatus, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	r, ok := a.book.batches[id]
	if !ok {
		return BatchStatus{}, errBatchNotFound(id)
	}
	if r.State == BatchPending || r.State == BatchProcessing {
		r.State = BatchFailed
		r.Message = fmt.Sprintf("stopped after %d of %d items", len(r.Outcomes), len(r.Items))
		a.engine.changed()
		a.wakeWorker() // cut a pause between items short
		return r.status(), nil
	}
	st := r.status()
	st.Message = fmt.Sprintf("batch %d already finished (%s); nothing to stop", id, r.State)
	if r.Message != "" {
		st.Message += ": " + r.Message
	}
	return st, nil
}

// Batches lists the account's jobs, oldest first.
func (a *Account) Batches() []BatchStatus {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]BatchStatus, 0, len(a.book.batches))
	for _, r := range a.book.batches {
		out = append(out, r.status())
	}
	slices.SortFunc(out, func(x, y BatchStatus) int { return cmp.Compare(x.ID, y.ID) })
	return out
}

func errBatchNotFound(id int64) *Error {
	return refuse(errcode.NotFound, "batch %d not found", id)
}

func (r *BatchRecord) status() BatchStatus {
	st := BatchStatus{
		ID:             r.ID,
		State:          r.State,
		TotalItems:     len(r.Items),
		ProcessedItems: len(r.Outcomes),
		Message:        r.Message,
		Kind:           r.Kind,
		SubmittedAt:    r.SubmittedAt,
		Results:        []BatchItemResult{},
		Errors:         []BatchItemError{},
	}
	for i, o := range r.Outcomes {
		if o.ErrorCode != 0 {
			st.FailedItems++
			st.Errors = append(st.Errors, BatchItemError{
				Index: i, CustomerID: o.CustomerID, TransactionID: o.TransactionID,
				Err: &Error{Code: o.ErrorCode, Message: o.ErrorMessage},
			})
			continue
		}
		st.Results = append(st.Results, BatchItemResult{
			Index: i, CustomerID: o.CustomerID, TransactionID: o.TransactionID,
			GameballTransactionID: o.GameballTransactionID, Points: o.Points,
		})
	}
	return st
}

// work is an account's batch worker: it runs pending jobs until the engine
// closes.
func (a *Account) work(done <-chan struct{}) {
	for {
		b, id, ok := a.startNextBatch()
		if !ok {
			select {
			case <-a.wake:
				continue
			case <-done:
				return
			}
		}
		a.runBatch(b, id, done)
		select {
		case <-done:
			return
		default:
		}
	}
}

// startNextBatch marks the oldest pending job processing. The book it
// belongs to comes along: when Reset or Restore replace the book, the job's
// run ends at the next item.
func (a *Account) startNextBatch() (*book, int64, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var next *BatchRecord
	for _, r := range a.book.batches {
		if r.State == BatchPending && (next == nil || r.ID < next.ID) {
			next = r
		}
	}
	if next == nil {
		return nil, 0, false
	}
	next.State = BatchProcessing
	a.engine.changed()
	return a.book, next.ID, true
}

func (a *Account) runBatch(b *book, id int64, done <-chan struct{}) {
	delay := a.engine.batch.ItemDelay
	for a.processNextItem(b, id) {
		if delay > 0 && !a.pause(b, id, delay, done) {
			return
		}
		select {
		case <-done:
			return
		default:
		}
	}
}

// processNextItem applies the job's next item and reports whether more remain
// to run. It does nothing once the job was stopped or its book replaced.
func (a *Account) processNextItem(b *book, id int64) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	r, ok := b.batches[id]
	if a.book != b || !ok || r.State != BatchProcessing {
		return false
	}
	item := r.Items[len(r.Outcomes)]
	r.Outcomes = append(r.Outcomes, a.applyItem(r.Kind, item, a.now()))
	defer a.engine.changed() // after the state below, still under the lock
	if len(r.Outcomes) < len(r.Items) {
		return true
	}
	r.State = BatchCompleted
	failed := 0
	for _, o := range r.Outcomes {
		if o.ErrorCode != 0 {
			failed++
		}
	}
	r.Message = fmt.Sprintf("completed %d items, %d failed", len(r.Items), failed)
	return false
}

func (a *Account) applyItem(kind BatchKind, item BatchItem, now time.Time) BatchOutcome {
	out := BatchOutcome{CustomerID: item.CustomerID, TransactionID: item.TransactionID}
	var err *Error
	switch kind {
	case BatchOfCashback:
		var res CashbackResult
		if res, err = a.applyCashback(item.cashback(), now); err == nil {
			out.CustomerID, out.GameballTransactionID, out.Points = res.CustomerID, res.GameballTransactionID, res.Points
		}
	case BatchOfAdjustments:
		var entry LedgerEntry
		var profile string
		if entry, profile, err = a.applyAdjustment(item.adjustment(), now); err == nil {
			out.CustomerID, out.GameballTransactionID, out.Points = profile, entry.GameballTransactionID, entry.Points
		}
	default:
		err = refuse(errcode.InternalError, "batch kind %q is unknown", kind)
	}
	if err != nil {
		out.ErrorCode, out.ErrorMessage = err.Code, err.Message
	}
	return out
}

// pause waits d between two items, in real time, and reports whether the job
// should go on: a Stop, a Reset or Restore, or Close cut it short.
func (a *Account) pause(b *book, id int64, d time.Duration, done <-chan struct{}) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		select {
		case <-timer.C:
			return true
		case <-done:
			return false
		case <-a.wake:
			// The wake-up may be for a new job, which waits its turn; the
			// worker finds it by state once this job ends, so none is lost.
			if !a.stillRunning(b, id) {
				return false
			}
		}
	}
}

func (a *Account) stillRunning(b *book, id int64) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	r, ok := b.batches[id]
	return a.book == b && ok && r.State == BatchProcessing
}

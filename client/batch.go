package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gbkit/gameball-go/client/gbapi"
	"github.com/gbkit/gameball-go/internal/errcode"
)

// MaxBatchItems is the most items Gameball takes in one batch job.
const MaxBatchItems = errcode.MaxBatchItems

// BatchJob is one job of a submission: which of the submitted items it
// holds, and its id.
type BatchJob struct {
	// ID is the job id (the batch call's JobID), as GetBatchStatus, StopBatch
	// and WaitForBatch take it.
	ID int64
	// Operation is the call that created the job: rewardCashbackBatch or
	// adjustBalanceBatch.
	Operation string
	// First is the index, among the submitted items, of the job's first
	// item; the job holds items First to First+Count-1.
	First int
	// Count is the number of items in the job.
	Count int
	// Replayed is set when the job's creation was retried after an attempt
	// that may have created a job already, whose id was lost. That job runs
	// too; the items it applied fail in this one as duplicates, which
	// WaitForBatches reports as ErrAlreadyApplied.
	Replayed bool
}

// BatchItemOutcome is what became of one submitted item.
type BatchItemOutcome struct {
	// JobID is the job that held the item.
	JobID int64
	// Result is set when the item was applied.
	Result *BatchItemResult
	// Err is set when it was not: an *APIError when Gameball refused the
	// item (errors.Is works as for a call: ErrDuplicateTransaction,
	// ErrAlreadyApplied, ErrInsufficientBalance, ...), or an error matching
	// ErrNotProcessed when the job ended without running it.
	Err error
}

// SubmitCashbackRewards submits any number of cashback rewards as batch
// jobs of at most MaxBatchItems, in order, and returns the jobs; pass them
// to WaitForBatches for per-item outcomes. Each job's creation is retried
// like RewardCashbackBatch: every item carries a transactionId, so nothing
// is awarded twice.
//
// When a job cannot be created, SubmitCashbackRewards returns the jobs
// created before it with the error: those run anyway. Submitting all the
// items again is safe; the ones already applied then fail as duplicates.
func (c *Client) SubmitCashbackRewards(ctx context.Context, items []CashbackBatchItem) ([]BatchJob, error) {
	return submit(ctx, c, items, func(server string, chunk []CashbackBatchItem) (*http.Request, error) {
		return gbapi.NewRewardCashbackBatchRequest(server, RewardCashbackBatchRequest{Body: chunk})
	})
}

// SubmitBalanceAdjustments submits any number of balance adjustments as
// batch jobs of at most MaxBatchItems, in order, and returns the jobs; pass
// them to WaitForBatches for per-item outcomes.
//
// Adjustments carry no ids, so a job's creation is never retried once it
// may have reached Gameball. When a job cannot be created,
// SubmitBalanceAdjustments returns the jobs created before it with the
// error: those run anyway, and submitting their items again would adjust
// twice. Resubmit only the items from the first one no returned job holds.
func (c *Client) SubmitBalanceAdjustments(ctx context.Context, items []BalanceAdjustmentItem) ([]BatchJob, error) {
	return submit(ctx, c, items, func(server string, chunk []BalanceAdjustmentItem) (*http.Request, error) {
		return gbapi.NewAdjustBalanceBatchRequest(server, AdjustBalanceBatchRequest{Body: chunk})
	})
}

// submit creates one job per chunk of at most MaxBatchItems items.
func submit[I any](ctx context.Context, c *Client, items []I, build func(server string, chunk []I) (*http.Request, error)) ([]BatchJob, error) {
	var jobs []BatchJob
	for first := 0; first < len(items); first += MaxBatchItems {
		chunk := items[first:min(first+MaxBatchItems, len(items))]
		job, info, err := callInfoOf[struct{ JobID *int64 }](ctx, c, nil, func(server string) (*http.Request, error) {
			return build(server, chunk)
		})
		if err == nil && job.JobID == nil {
			err = fmt.Errorf("gameball: %s: the answer has no jobId", info.op.ID)
		}
		if errors.Is(err, ErrUndecodableResponse) {
			// Gameball took the chunk: a job runs it, under an id we could not read.
			rest := "none after them"
			if next := first + len(chunk); next < len(items) {
				rest = fmt.Sprintf("items %d to %d were not", next, len(items)-1)
			}
			return jobs, fmt.Errorf("gameball: items %d to %d of %d were submitted, as a job whose answer could not be read (%s): %w",
				first, first+len(chunk)-1, len(items), rest, err)
		}
		if err != nil {
			return jobs, fmt.Errorf("gameball: items %d to %d of %d not submitted: %w", first, len(items)-1, len(items), err)
		}
		jobs = append(jobs, BatchJob{
			ID:        *job.JobID,
			Operation: info.op.ID,
			First:     first,
			Count:     len(chunk),
			Replayed:  info.mayHaveLanded,
		})
	}
	return jobs, nil
}

// WaitForBatch polls a job's status until it is completed or failed, and
// returns that status. The wait between two polls starts at 500ms and
// doubles up to 10s (see BatchPolling); ctx bounds the whole wait.
func (c *Client) WaitForBatch(ctx context.Context, jobID int64) (*BatchStatus, error) {
	wait := c.pollFirst
	for {
		st, err := c.GetBatchStatus(ctx, jobID)
		if err != nil {
			return nil, err
		}
		switch s := st.Status; s {
		case BatchStateCompleted, BatchStateFailed:
			return st, nil
		case BatchStatePending, BatchStateProcessing:
		default:
			return nil, fmt.Errorf("gameball: batch %d: unknown status %q", jobID, s)
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("gameball: waiting for batch %d: %w", jobID, err)
		}
		wait = min(2*wait, c.pollMax)
	}
}

// WaitForBatches waits for each job to end and returns one outcome per
// submitted item, in the order the items were submitted: outcome i is item
// i's. It fails, returning no outcomes, when a status cannot be read; the
// jobs keep running, and calling it again is safe.
func (c *Client) WaitForBatches(ctx context.Context, jobs []BatchJob) ([]BatchItemOutcome, error) {
	n := 0
	for _, job := range jobs {
		n = max(n, job.First+job.Count)
	}
	out := make([]BatchItemOutcome, n)
	for _, job := range jobs {
		st, err := c.WaitForBatch(ctx, job.ID)
		if err != nil {
			return nil, err
		}
		if err := place(out[job.First:job.First+job.Count], job, st); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// place records a finished job's per-item outcomes; the entries carry the
// item's index within the job.
func place(out []BatchItemOutcome, job BatchJob, st *BatchStatus) error {
	notRun := fmt.Errorf("%w: batch %d ended %s without reporting on it", ErrNotProcessed, job.ID, st.Status)
	for i := range out {
		out[i] = BatchItemOutcome{JobID: job.ID, Err: notRun}
	}
	at := func(index *int) (*BatchItemOutcome, error) {
		if index == nil {
			return nil, fmt.Errorf("gameball: batch %d: status entry without an index", job.ID)
		}
		if *index < 0 || *index >= len(out) {
			return nil, fmt.Errorf("gameball: batch %d: status entry with index %d outside the job's %d items", job.ID, *index, len(out))
		}
		return &out[*index], nil
	}
	results, errs, err := BatchItems(st)
	if err != nil {
		return fmt.Errorf("gameball: batch %d: %w", job.ID, err)
	}
	for _, r := range results {
		o, err := at(r.Index)
		if err != nil {
			return err
		}
		o.Result, o.Err = &r, nil
	}
	for _, e := range errs {
		o, err := at(e.Index)
		if err != nil {
			return err
		}
		o.Result, o.Err = nil, itemError(job, e)
	}
	return nil
}

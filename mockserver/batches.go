package mockserver

import (
	"context"
	"strconv"

	"github.com/gbkit/gameball-go/internal/gameballserver"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/internal/errcode"
	"github.com/gbkit/gameball-go/loyalty"
)

// RewardCashbackBatch starts a background job rewarding cashback per item.
func (h *handlers) RewardCashbackBatch(ctx context.Context, req gameballserver.RewardCashbackBatchRequestObject) (gameballserver.RewardCashbackBatchResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	body, err := requireBody(req.Body)
	if err != nil {
		return nil, err
	}
	items := make([]loyalty.Cashback, 0, len(deref(body.Body)))
	for _, it := range deref(body.Body) {
		items = append(items, loyalty.Cashback{
			CustomerID:    it.CustomerID,
			Email:         deref(it.Email),
			Mobile:        deref(it.Mobile),
			TransactionID: it.TransactionID,
			Time:          it.TransactionTime.Time,
			Amount:        it.Amount,
		})
	}
	id, err := acct.SubmitCashbackBatch(items)
	if err != nil {
		return nil, err
	}
	return gameballserver.RewardCashbackBatch200JSONResponse{JobID: ptr(float64(id))}, nil
}

// AdjustBalanceBatch starts a background job adjusting balances per item.
func (h *handlers) AdjustBalanceBatch(ctx context.Context, req gameballserver.AdjustBalanceBatchRequestObject) (gameballserver.AdjustBalanceBatchResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	body, err := requireBody(req.Body)
	if err != nil {
		return nil, err
	}
	items := make([]loyalty.Adjustment, 0, len(deref(body.Body)))
	for _, it := range deref(body.Body) {
		items = append(items, loyalty.Adjustment{CustomerID: it.CustomerID, Points: it.Amount, Reason: deref(it.Reason)})
	}
	id, err := acct.SubmitAdjustmentBatch(items)
	if err != nil {
		return nil, err
	}
	return gameballserver.AdjustBalanceBatch200JSONResponse{JobID: ptr(float64(id))}, nil
}

// GetBatchStatus reports a batch job's progress and per-item outcomes.
func (h *handlers) GetBatchStatus(ctx context.Context, req gameballserver.GetBatchStatusRequestObject) (gameballserver.GetBatchStatusResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	id, err := batchID(req.BatchID)
	if err != nil {
		return nil, err
	}
	st, err := acct.BatchStatus(id)
	if err != nil {
		return nil, err
	}
	return gameballserver.GetBatchStatus200JSONResponse(batchStatus(st)), nil
}

// StopBatch stops a batch job; processed items stay applied.
func (h *handlers) StopBatch(ctx context.Context, req gameballserver.StopBatchRequestObject) (gameballserver.StopBatchResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	id, err := batchID(req.BatchID)
	if err != nil {
		return nil, err
	}
	st, err := acct.StopBatch(id)
	if err != nil {
		return nil, err
	}
	return gameballserver.StopBatch200JSONResponse{
		BatchID: ptr(req.BatchID),
		Status:  new(string(st.State)),
		Message: ptr(st.Message),
	}, nil
}

// batchID reads the path's batchId, the jobId a batch call answered.
func batchID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, newError(errcode.NotFound, "batch %q not found", s)
	}
	return id, nil
}

func batchStatus(st loyalty.BatchStatus) client.BatchStatus {
	// The published document gives results and errors as arrays of anything; their items are
	// the shapes the client reads (client.BatchItemResult, client.BatchItemError).
	results := make([]any, 0, len(st.Results))
	for _, r := range st.Results {
		results = append(results, client.BatchItemResult{
			Index:                 ptr(r.Index),
			CustomerID:            ptr(r.CustomerID),
			TransactionID:         nonEmpty(r.TransactionID),
			GameballTransactionID: ptr(float64(r.GameballTransactionID)),
			Points:                ptr(float64(r.Points)),
		})
	}
	errs := make([]any, 0, len(st.Errors))
	for _, e := range st.Errors {
		errs = append(errs, client.BatchItemError{
			Index:         ptr(e.Index),
			CustomerID:    ptr(e.CustomerID),
			TransactionID: nonEmpty(e.TransactionID),
			Code:          ptr(int(e.Err.Code)),
			Type:          ptr(e.Err.Code.Type()),
			Message:       ptr(e.Err.Message),
		})
	}
	return client.BatchStatus{
		BatchID:        ptr(strconv.FormatInt(st.ID, 10)),
		Status:         ptr(client.BatchState(st.State)),
		Progress:       ptr(st.Progress()),
		TotalItems:     new(float64(st.TotalItems)),
		ProcessedItems: new(float64(st.ProcessedItems)),
		FailedItems:    new(float64(st.FailedItems)),
		Results:        &results,
		Errors:         &errs,
	}
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

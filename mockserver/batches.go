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
	items := make([]loyalty.Cashback, 0, len(body.Body))
	for _, it := range body.Body {
		items = append(items, loyalty.Cashback{
			CustomerID:    it.CustomerID,
			Email:         it.Email,
			Mobile:        it.Mobile,
			TransactionID: it.TransactionID,
			Time:          it.TransactionTime.Time,
			Amount:        it.Amount,
		})
	}
	id, err := acct.SubmitCashbackBatch(items)
	if err != nil {
		return nil, err
	}
	return gameballserver.RewardCashbackBatch200JSONResponse{JobID: id}, nil
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
	items := make([]loyalty.Adjustment, 0, len(body.Body))
	for _, it := range body.Body {
		items = append(items, loyalty.Adjustment{CustomerID: it.CustomerID, Points: it.Amount, Reason: it.Reason})
	}
	id, err := acct.SubmitAdjustmentBatch(items)
	if err != nil {
		return nil, err
	}
	return gameballserver.AdjustBalanceBatch200JSONResponse{JobID: id}, nil
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
		BatchID: req.BatchID,
		Status:  string(st.State),
		Message: st.Message,
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
			Index:                 new(r.Index),
			CustomerID:            r.CustomerID,
			TransactionID:         r.TransactionID,
			GameballTransactionID: r.GameballTransactionID,
			Points:                r.Points,
		})
	}
	errs := make([]any, 0, len(st.Errors))
	for _, e := range st.Errors {
		errs = append(errs, client.BatchItemError{
			Index:         new(e.Index),
			CustomerID:    e.CustomerID,
			TransactionID: e.TransactionID,
			Code:          client.ErrorCode(e.Err.Code),
			Type:          e.Err.Code.Type(),
			Message:       e.Err.Message,
		})
	}
	return client.BatchStatus{
		BatchID:        strconv.FormatInt(st.ID, 10),
		Status:         client.BatchState(st.State),
		Progress:       st.Progress(),
		TotalItems:     int64(st.TotalItems),
		ProcessedItems: int64(st.ProcessedItems),
		FailedItems:    int64(st.FailedItems),
		Results:        results,
		Errors:         errs,
	}
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

package mockserver

import (
	"context"

	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver/api"
)

// AddManualTransaction adds (positive points) or deducts (negative) points.
func (h *handlers) AddManualTransaction(ctx context.Context, req api.AddManualTransactionRequestObject) (api.AddManualTransactionResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	body, err := requireBody(req.Body)
	if err != nil {
		return nil, err
	}
	res, err := acct.AddManualTransaction(loyalty.ManualTransaction{
		CustomerID:    body.CustomerId,
		Email:         deref(body.Email),
		Mobile:        deref(body.Mobile),
		TransactionID: body.TransactionId,
		Time:          body.TransactionTime.Time,
		Username:      body.Username,
		Reason:        body.Reason,
		Points:        int64(body.Points),
		Amount:        body.Amount,
	})
	if err != nil {
		return nil, err
	}
	return api.AddManualTransaction200JSONResponse{
		CustomerId:            &res.CustomerID,
		GameballTransactionId: ptr(float64(res.GameballTransactionID)),
		TransactionId:         &res.TransactionID,
		Points:                ptr(float64(res.Points)),
		Amount:                &res.Amount,
	}, nil
}

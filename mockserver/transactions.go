package mockserver

import (
	"context"

	"github.com/gbkit/gameball-go/internal/gameballserver"
	"github.com/gbkit/gameball-go/loyalty"
)

// AddManualTransaction adds (positive points or amount) or deducts (negative)
// points; the engine refuses both or neither, and expiryAfter on a deduction.
func (h *handlers) AddManualTransaction(ctx context.Context, req gameballserver.AddManualTransactionRequestObject) (gameballserver.AddManualTransactionResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	body, err := requireBody(req.Body)
	if err != nil {
		return nil, err
	}
	at := body.TransactionTime.Time // zero when absent: the engine's now
	m := loyalty.ManualTransaction{
		CustomerID:    body.CustomerID,
		Email:         body.Email,
		Mobile:        body.Mobile,
		TransactionID: body.TransactionID,
		Time:          at,
		Username:      body.Username,
		Reason:        body.Reason,
		Points:        points64(body.Points),
		Amount:        body.Amount,
		ExpiryAfter:   body.ExpiryAfter,
	}
	res, err := acct.AddManualTransaction(m)
	if err != nil {
		return nil, err
	}
	return gameballserver.AddManualTransaction200JSONResponse{
		CustomerID:            res.CustomerID,
		GameballTransactionID: res.GameballTransactionID,
		TransactionID:         res.TransactionID,
		Points:                res.Points,
		Amount:                res.Amount,
	}, nil
}

package mockserver

import (
	"context"
	"strconv"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/gbtime"
	"github.com/gbkit/gameball-go/internal/gameballserver"
	"github.com/gbkit/gameball-go/loyalty"
)

// The points lifecycle: refunds, redemptions, holds, activation and the
// transaction history. Each handler translates; the rules are the engine's.

// RefundTransaction refunds an order, in whole or in part.
func (h *handlers) RefundTransaction(ctx context.Context, req gameballserver.RefundTransactionRequestObject) (gameballserver.RefundTransactionResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	body, err := requireBody(req.Body)
	if err != nil {
		return nil, err
	}
	res, err := acct.Refund(loyalty.Refund{
		CustomerID:           body.CustomerID,
		Email:                body.Email,
		Mobile:               body.Mobile,
		RefundTransactionID:  body.RefundTransactionID,
		ReverseTransactionID: body.ReverseTransactionID,
		Time:                 body.TransactionTime.Time,
		Amount:               body.RefundAmount,
	})
	if err != nil {
		return nil, err
	}
	return gameballserver.RefundTransaction200JSONResponse{
		GameballTransactionID:  strconv.FormatInt(res.GameballTransactionID, 10),
		RefundTransactionID:    res.RefundTransactionID,
		RefundAmount:           res.Amount,
		RefundEquivalentPoints: res.Points,
	}, nil
}

// RedeemPoints spends points, or the points of a hold.
func (h *handlers) RedeemPoints(ctx context.Context, req gameballserver.RedeemPointsRequestObject) (gameballserver.RedeemPointsResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	body, err := requireBody(req.Body)
	if err != nil {
		return nil, err
	}
	res, err := acct.Redeem(loyalty.Redemption{
		CustomerID:    body.CustomerID,
		Email:         body.Email,
		Mobile:        body.Mobile,
		TransactionID: body.TransactionID,
		Time:          body.TransactionTime.Time,
		Points:        points64(body.Points),
		Amount:        body.Amount,
		HoldReference: body.HoldReference,
		Reason:        body.Reason,
	})
	if err != nil {
		return nil, err
	}
	return gameballserver.RedeemPoints200JSONResponse{
		CustomerID:             res.CustomerID,
		GameballTransactionID:  strconv.FormatInt(res.GameballTransactionID, 10),
		TransactionID:          res.TransactionID,
		RedeemAmount:           res.Amount,
		RedeemEquivalentPoints: res.Points,
		Reason:                 res.Reason,
	}, nil
}

// HoldPoints reserves points until they are redeemed, released or expire.
func (h *handlers) HoldPoints(ctx context.Context, req gameballserver.HoldPointsRequestObject) (gameballserver.HoldPointsResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	body, err := requireBody(req.Body)
	if err != nil {
		return nil, err
	}
	hold, err := acct.PlaceHold(loyalty.Hold{
		CustomerID: body.CustomerID,
		Email:      body.Email,
		Mobile:     body.Mobile,
		Time:       body.TransactionTime.Time,
		Points:     points64(body.PointsToHold),
		Amount:     body.AmountToHold,
		RuleID:     body.RuleID,
	})
	if err != nil {
		return nil, err
	}
	return gameballserver.HoldPoints200JSONResponse{
		CustomerID:           hold.CustomerID,
		HoldAmount:           hold.Amount,
		HoldEquivalentPoints: hold.Points,
		HoldReference:        hold.Reference,
	}, nil
}

// GetHold shows a hold: active, used or expired.
func (h *handlers) GetHold(ctx context.Context, req gameballserver.GetHoldRequestObject) (gameballserver.GetHoldResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	hold, err := acct.GetHold(req.HoldReferenceID)
	if err != nil {
		return nil, err
	}
	return gameballserver.GetHold200JSONResponse{
		CustomerID:           hold.CustomerID,
		HoldAmount:           hold.Amount,
		HoldEquivalentPoints: hold.Points,
		State:                string(hold.State),
		DateToExpire:         gbtime.New(hold.ExpiresAt),
	}, nil
}

// ReleaseHold cancels a hold, so its points are available again.
func (h *handlers) ReleaseHold(ctx context.Context, req gameballserver.ReleaseHoldRequestObject) (gameballserver.ReleaseHoldResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := acct.ReleaseHold(req.HoldReferenceID); err != nil {
		return nil, err
	}
	return gameballserver.ReleaseHold200JSONResponse{Success: true, Message: "Hold released successfully"}, nil
}

// ActivateTransaction makes a pending cashback available now.
func (h *handlers) ActivateTransaction(ctx context.Context, req gameballserver.ActivateTransactionRequestObject) (gameballserver.ActivateTransactionResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	res, err := acct.Activate(req.TransactionID)
	if err != nil {
		return nil, err
	}
	return gameballserver.ActivateTransaction200JSONResponse{
		PointsActivated:       res.Points,
		GameballTransactionID: res.GameballTransactionID,
		ClientTransactionID:   res.TransactionID,
	}, nil
}

// ListTransactions answers a page of the transaction history.
func (h *handlers) ListTransactions(ctx context.Context, req gameballserver.ListTransactionsRequestObject) (gameballserver.ListTransactionsResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	q := req.Params
	page, err := acct.History(loyalty.HistoryQuery{
		CustomerID: q.CustomerID,
		Direction:  q.Direction,
		Status:     q.Status,
		StartAfter: int64(q.StartAfter),
		Limit:      q.Limit,
	})
	if err != nil {
		return nil, err
	}
	records := make([]client.TransactionRecord, 0, len(page.Transactions))
	for _, r := range page.Transactions {
		rec := client.TransactionRecord{
			TransactionID:         r.TransactionID,
			GameballTransactionID: strconv.FormatInt(r.GameballTransactionID, 10),
			Type:                  string(r.Type),
			Direction:             r.Direction,
			CustomerID:            r.CustomerID,
			Points:                r.Points,
			Amount:                r.Amount,
			TransactionTime:       gbtime.New(r.Time),
			Status:                string(r.Status),
			Reason:                r.Reason,
			PointsBalanceBefore:   r.BalanceBefore,
			PointsBalanceAfter:    r.BalanceAfter,
		}
		if !r.ExpiryDate.IsZero() {
			rec.ExpiryDate = gbtime.New(r.ExpiryDate)
		}
		records = append(records, rec)
	}
	return gameballserver.ListTransactions200JSONResponse{
		Transactions: records,
		Count:        int64(len(records)),
		HasMore:      page.HasMore,
	}, nil
}

// points64 is a request's optional whole points as the engine takes them.
func points64(p *int) *int64 {
	if p == nil {
		return nil
	}
	return new(int64(*p))
}

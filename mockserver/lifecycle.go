package mockserver

import (
	"context"
	"strconv"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/gbtime"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver/api"
)

// The points lifecycle: refunds, redemptions, holds, activation and the
// transaction history. Each handler translates; the rules are the engine's.

// RefundTransaction refunds an order, in whole or in part.
func (h *handlers) RefundTransaction(ctx context.Context, req api.RefundTransactionRequestObject) (api.RefundTransactionResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	body, err := requireBody(req.Body)
	if err != nil {
		return nil, err
	}
	res, err := acct.Refund(loyalty.Refund{
		CustomerID:           body.CustomerId,
		Email:                deref(body.Email),
		Mobile:               deref(body.Mobile),
		RefundTransactionID:  body.RefundTransactionId,
		ReverseTransactionID: body.ReverseTransactionId,
		Time:                 body.TransactionTime.Time,
		Amount:               body.RefundAmount,
	})
	if err != nil {
		return nil, err
	}
	return api.RefundTransaction200JSONResponse{
		GameballTransactionId:  ptr(strconv.FormatInt(res.GameballTransactionID, 10)),
		RefundTransactionId:    &res.RefundTransactionID,
		RefundAmount:           &res.Amount,
		RefundEquivalentPoints: ptr(float64(res.Points)),
	}, nil
}

// RedeemPoints spends points, or the points of a hold.
func (h *handlers) RedeemPoints(ctx context.Context, req api.RedeemPointsRequestObject) (api.RedeemPointsResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	body, err := requireBody(req.Body)
	if err != nil {
		return nil, err
	}
	var points *int64
	if body.Points != nil {
		points = ptr(int64(*body.Points))
	}
	res, err := acct.Redeem(loyalty.Redemption{
		CustomerID:    body.CustomerId,
		Email:         deref(body.Email),
		Mobile:        deref(body.Mobile),
		TransactionID: body.TransactionId,
		Time:          body.TransactionTime.Time,
		Points:        points,
		Amount:        body.Amount,
		HoldReference: deref(body.HoldReference),
		Reason:        deref(body.Reason),
	})
	if err != nil {
		return nil, err
	}
	return api.RedeemPoints200JSONResponse{
		CustomerId:             &res.CustomerID,
		GameballTransactionId:  ptr(strconv.FormatInt(res.GameballTransactionID, 10)),
		TransactionId:          &res.TransactionID,
		RedeemAmount:           &res.Amount,
		RedeemEquivalentPoints: ptr(float64(res.Points)),
		Reason:                 nonEmpty(res.Reason),
	}, nil
}

// HoldPoints reserves points until they are redeemed, released or expire.
func (h *handlers) HoldPoints(ctx context.Context, req api.HoldPointsRequestObject) (api.HoldPointsResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	body, err := requireBody(req.Body)
	if err != nil {
		return nil, err
	}
	var points *int64
	if body.PointsToHold != nil {
		points = ptr(int64(*body.PointsToHold))
	}
	hold, err := acct.PlaceHold(loyalty.Hold{
		CustomerID: body.CustomerId,
		Email:      deref(body.Email),
		Mobile:     deref(body.Mobile),
		Time:       body.TransactionTime.Time,
		Points:     points,
		Amount:     body.AmountToHold,
		RuleID:     deref(body.RuleId),
	})
	if err != nil {
		return nil, err
	}
	return api.HoldPoints200JSONResponse{
		CustomerId:           &hold.CustomerID,
		HoldAmount:           &hold.Amount,
		HoldEquivalentPoints: ptr(float64(hold.Points)),
		HoldReference:        &hold.Reference,
	}, nil
}

// GetHold shows a hold: active, used or expired.
func (h *handlers) GetHold(ctx context.Context, req api.GetHoldRequestObject) (api.GetHoldResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	hold, err := acct.GetHold(req.HoldReferenceId)
	if err != nil {
		return nil, err
	}
	return api.GetHold200JSONResponse{
		CustomerId:           &hold.CustomerID,
		HoldAmount:           &hold.Amount,
		HoldEquivalentPoints: ptr(float64(hold.Points)),
		State:                ptr(string(hold.State)),
		DateToExpire:         ptr(gbtime.New(hold.ExpiresAt)),
	}, nil
}

// ReleaseHold cancels a hold, so its points are available again.
func (h *handlers) ReleaseHold(ctx context.Context, req api.ReleaseHoldRequestObject) (api.ReleaseHoldResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := acct.ReleaseHold(req.HoldReferenceId); err != nil {
		return nil, err
	}
	return api.ReleaseHold200JSONResponse{Success: ptr(true), Message: ptr("Hold released successfully")}, nil
}

// ActivateTransaction makes a pending cashback available now.
func (h *handlers) ActivateTransaction(ctx context.Context, req api.ActivateTransactionRequestObject) (api.ActivateTransactionResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	res, err := acct.Activate(req.TransactionId)
	if err != nil {
		return nil, err
	}
	return api.ActivateTransaction200JSONResponse{
		PointsActivated:       ptr(float64(res.Points)),
		GameballTransactionId: ptr(float64(res.GameballTransactionID)),
		ClientTransactionId:   &res.TransactionID,
	}, nil
}

// ListTransactions answers a page of the transaction history.
func (h *handlers) ListTransactions(ctx context.Context, req api.ListTransactionsRequestObject) (api.ListTransactionsResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	q := req.Params
	page, err := acct.History(loyalty.HistoryQuery{
		CustomerID: deref(q.CustomerId),
		Direction:  deref(q.Direction),
		Status:     deref(q.Status),
		StartAfter: int64(deref(q.StartAfter)),
		Limit:      deref(q.Limit),
	})
	if err != nil {
		return nil, err
	}
	records := make([]client.TransactionRecord, 0, len(page.Transactions))
	for _, r := range page.Transactions {
		rec := client.TransactionRecord{
			TransactionId:         nonEmpty(r.TransactionID),
			GameballTransactionId: ptr(strconv.FormatInt(r.GameballTransactionID, 10)),
			Type:                  ptr(string(r.Type)),
			Direction:             ptr(r.Direction),
			CustomerId:            &r.CustomerID,
			Points:                ptr(float64(r.Points)),
			Amount:                &r.Amount,
			TransactionTime:       ptr(gbtime.New(r.Time)),
			Status:                ptr(string(r.Status)),
			Reason:                nonEmpty(r.Reason),
			PointsBalanceBefore:   ptr(float64(r.BalanceBefore)),
			PointsBalanceAfter:    ptr(float64(r.BalanceAfter)),
		}
		if !r.ExpiryDate.IsZero() {
			rec.ExpiryDate = ptr(gbtime.New(r.ExpiryDate))
		}
		records = append(records, rec)
	}
	return api.ListTransactions200JSONResponse{
		Transactions: &records,
		Count:        ptr(float64(len(records))),
		HasMore:      &page.HasMore,
	}, nil
}

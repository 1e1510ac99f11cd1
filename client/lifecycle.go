package client

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strconv"

	"github.com/gbkit/gameball-go/client/gbapi"
)

// The points lifecycle: refunds, redemptions, holds, activation and the
// transaction history.

// RefundTransaction refunds an order (its cashback, its redemption, or
// both), in whole without RefundAmount or in part. A retry cannot refund
// twice: Gameball refuses a refundTransactionId it has seen
// (ErrDuplicateTransaction, or ErrAlreadyApplied).
func (c *Client) RefundTransaction(ctx context.Context, req RefundRequest, editors ...RequestEditorFn) (*RefundResult, error) {
	return call[RefundResult](ctx, c, editors, func(server string) (*http.Request, error) {
		return gbapi.NewRefundTransactionRequest(server, req)
	})
}

// RedeemPoints spends a customer's points: Points, Amount (money), or the
// points of a hold (HoldReference). Beyond the available points it is
// ErrInsufficientBalance.
func (c *Client) RedeemPoints(ctx context.Context, req RedeemRequest, editors ...RequestEditorFn) (*Redemption, error) {
	return call[Redemption](ctx, c, editors, func(server string) (*http.Request, error) {
		return gbapi.NewRedeemPointsRequest(server, req)
	})
}

// HoldPoints reserves points (PointsToHold or AmountToHold) until they are
// redeemed with the answer's HoldReference, released, or the hold expires.
// A second hold would reserve points again, so it is never retried once
// sent.
func (c *Client) HoldPoints(ctx context.Context, req HoldRequest, editors ...RequestEditorFn) (*Hold, error) {
	return call[Hold](ctx, c, editors, func(server string) (*http.Request, error) {
		return gbapi.NewHoldPointsRequest(server, req)
	})
}

// GetHold shows a hold: its points and State (Active, Used or Expired).
func (c *Client) GetHold(ctx context.Context, holdReference string, editors ...RequestEditorFn) (*HoldDetails, error) {
	return call[HoldDetails](ctx, c, editors, func(server string) (*http.Request, error) {
		return gbapi.NewGetHoldRequest(server, holdReference)
	})
}

// ReleaseHold cancels a hold, so its points are available again.
func (c *Client) ReleaseHold(ctx context.Context, holdReference string, editors ...RequestEditorFn) (*ReleasedHold, error) {
	return call[ReleasedHold](ctx, c, editors, func(server string) (*http.Request, error) {
		return gbapi.NewReleaseHoldRequest(server, holdReference)
	})
}

// ActivateTransaction makes the pending points of a cashback available now,
// ahead of its return window. Gameball says it cannot be undone.
func (c *Client) ActivateTransaction(ctx context.Context, transactionID string, editors ...RequestEditorFn) (*ActivatedTransaction, error) {
	return call[ActivatedTransaction](ctx, c, editors, func(server string) (*http.Request, error) {
		return gbapi.NewActivateTransactionRequest(server, transactionID)
	})
}

// ListTransactions answers one page of the transaction history.
// Transactions reads every page.
func (c *Client) ListTransactions(ctx context.Context, params ListTransactionsParams, editors ...RequestEditorFn) (*TransactionHistory, error) {
	return call[TransactionHistory](ctx, c, editors, func(server string) (*http.Request, error) {
		return gbapi.NewListTransactionsRequest(server, &params)
	})
}

// MaxTransactionsPage is the largest page of the transaction history
// Gameball answers.
const MaxTransactionsPage = 200

// Transactions reads the transaction history that params select, page after
// page (MaxTransactionsPage a page unless params.Limit says otherwise),
// starting after params.StartAfter. Each page starts after the last
// transaction of the one before, so while others are recorded none is
// skipped or read twice. It stops at the first error, which it yields.
//
//	for tx, err := range c.Transactions(ctx, client.ListTransactionsParams{CustomerID: id}) {
//		if err != nil { ... }
//		...
//	}
func (c *Client) Transactions(ctx context.Context, params ListTransactionsParams, editors ...RequestEditorFn) iter.Seq2[TransactionRecord, error] {
	return func(yield func(TransactionRecord, error) bool) {
		if params.Limit == 0 {
			params.Limit = MaxTransactionsPage
		}
		for {
			page, err := c.ListTransactions(ctx, params, editors...)
			if err != nil {
				yield(TransactionRecord{}, err)
				return
			}
			for _, r := range page.Transactions {
				if !yield(r, nil) {
					return
				}
			}
			if !page.HasMore || len(page.Transactions) == 0 {
				return
			}
			last := page.Transactions[len(page.Transactions)-1].GameballTransactionID
			id, err := strconv.Atoi(last)
			if err != nil {
				yield(TransactionRecord{}, fmt.Errorf("gameball: the history's last gameballTransactionId %q is not a number to page from: %w", last, err))
				return
			}
			params.StartAfter = id
		}
	}
}

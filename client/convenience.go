package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/gbkit/gameball-go/client/gbapi"
)

// The methods below are the common path: one call that returns the decoded
// 200 answer or an error (an *APIError for a refusal), with no switch on the
// response code. Each takes optional request editors, as the generated
// client does, for headers of your own (tracing, or the mock server's
// Prefer); they run once, before the first attempt, and cannot change the
// key headers. Raw gives the generated client for full control.

// RewardCashback rewards a customer for a transaction, as the cashback
// program's rules compute. A retry cannot award twice: Gameball refuses a
// transactionId it has seen (ErrDuplicateTransaction, or ErrAlreadyApplied
// when this call's own earlier attempt was applied).
func (c *Client) RewardCashback(ctx context.Context, req RewardCashbackRequest, editors ...RequestEditorFn) (*RewardCashbackResult, error) {
	return call[RewardCashbackResult](ctx, c, editors, func(server string) (*http.Request, error) {
		return gbapi.NewRewardCashbackRequest(server, req)
	})
}

// RewardCashbackBatch starts one batch job of at most 1,000 cashback
// rewards and returns its job id at once; the job runs in the background
// (GetBatchStatus, WaitForBatch). SubmitCashbackRewards takes any number.
func (c *Client) RewardCashbackBatch(ctx context.Context, req RewardCashbackBatchRequest, editors ...RequestEditorFn) (*CashbackBatchJob, error) {
	return call[CashbackBatchJob](ctx, c, editors, func(server string) (*http.Request, error) {
		return gbapi.NewRewardCashbackBatchRequest(server, req)
	})
}

// CalculatePaymentCashback computes the points a payment would earn,
// rewarding nothing. It needs only the apikey.
func (c *Client) CalculatePaymentCashback(ctx context.Context, req CalculatePaymentCashbackRequest, editors ...RequestEditorFn) (*PaymentCashback, error) {
	return call[PaymentCashback](ctx, c, editors, func(server string) (*http.Request, error) {
		return gbapi.NewCalculatePaymentCashbackRequest(server, req)
	})
}

// AdjustBalanceBatch starts one batch job of at most 1,000 balance
// adjustments and returns its job id at once. Its items carry no ids, so a
// replay would adjust twice: it is retried only when the connection failed
// before the request was sent. SubmitBalanceAdjustments takes any number.
func (c *Client) AdjustBalanceBatch(ctx context.Context, req AdjustBalanceBatchRequest, editors ...RequestEditorFn) (*BalanceAdjustmentBatchJob, error) {
	return call[BalanceAdjustmentBatchJob](ctx, c, editors, func(server string) (*http.Request, error) {
		return gbapi.NewAdjustBalanceBatchRequest(server, req)
	})
}

// AddManualTransaction adds (positive Points) or deducts (negative) points;
// a deduction beyond the available balance is ErrInsufficientBalance.
func (c *Client) AddManualTransaction(ctx context.Context, req AddManualTransactionRequest, editors ...RequestEditorFn) (*ManualTransaction, error) {
	return call[ManualTransaction](ctx, c, editors, func(server string) (*http.Request, error) {
		return gbapi.NewAddManualTransactionRequest(server, req)
	})
}

// GetBatchStatus reports a batch job's state, progress and per-item
// outcomes. jobID is the JobID a batch call answered.
func (c *Client) GetBatchStatus(ctx context.Context, jobID int64, editors ...RequestEditorFn) (*BatchStatus, error) {
	return call[BatchStatus](ctx, c, editors, func(server string) (*http.Request, error) {
		return gbapi.NewGetBatchStatusRequest(server, formatJobID(jobID))
	})
}

// StopBatch stops a pending or processing batch job; items already
// processed stay applied. Stopping a job that has ended answers it
// unchanged.
func (c *Client) StopBatch(ctx context.Context, jobID int64, editors ...RequestEditorFn) (*StoppedBatch, error) {
	return call[StoppedBatch](ctx, c, editors, func(server string) (*http.Request, error) {
		return gbapi.NewStopBatchRequest(server, formatJobID(jobID))
	})
}

// GetCustomerBalance returns a customer's points: total, available and
// pending, with their money values. An unknown customer is ErrNotFound.
// Gameball's `expand` parameter (tier, referrals) adds no documented field:
// c.Raw().GetCustomerBalanceWithResponse sends it.
func (c *Client) GetCustomerBalance(ctx context.Context, customerID string, editors ...RequestEditorFn) (*CustomerBalance, error) {
	return call[CustomerBalance](ctx, c, editors, func(server string) (*http.Request, error) {
		return gbapi.NewGetCustomerBalanceRequest(server, customerID, nil)
	})
}

// formatJobID writes a job id as the path's batchId, which the published
// document types string while its jobId is a number: the client's one type
// for a job id is int64.
func formatJobID(id int64) string { return strconv.FormatInt(id, 10) }

// call sends the request build makes and decodes a 2xx answer into T.
func call[T any](ctx context.Context, c *Client, editors []RequestEditorFn, build func(server string) (*http.Request, error)) (*T, error) {
	out, _, err := callInfoOf[T](ctx, c, editors, build)
	return out, err
}

// callInfoOf is call that also says how the attempts went, for the batch
// helpers.
func callInfoOf[T any](ctx context.Context, c *Client, editors []RequestEditorFn, build func(server string) (*http.Request, error)) (*T, callInfo, error) {
	req, err := build(c.server)
	if err != nil {
		return nil, callInfo{}, fmt.Errorf("gameball: building the request: %w", err)
	}
	// The editors see where CaptureResponse records the answer; send fills it.
	ctx = context.WithValue(ctx, captureKey{}, &captures{})
	req = req.WithContext(ctx)
	for _, edit := range editors {
		if err := edit(ctx, req); err != nil {
			return nil, callInfo{}, err
		}
	}
	resp, body, info, err := c.send(req)
	if err != nil {
		return nil, info, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, info, newAPIError(info, resp, body, c.now())
	}
	// resp.Body is body made decodable (integral numbers as integers), in
	// memory: reading it cannot fail.
	decodable, _ := io.ReadAll(resp.Body)
	var out T
	if err := json.Unmarshal(decodable, &out); err != nil {
		return nil, info, newUndecodableError(info, resp, body, err)
	}
	return &out, info, nil
}

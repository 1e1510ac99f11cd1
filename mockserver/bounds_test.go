package mockserver_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/gbtime"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/mockserver/control"
)

// errorCode is the code of Gameball's error object in body; 0 if it is not one.
func errorCode(body []byte) int {
	var e struct {
		Code    int    `json:"code"`
		Type    string `json:"type"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil || e.Type == "" || e.Message == "" {
		return 0
	}
	return e.Code
}

// typedClient is the hand-written client on the mock's first account.
func typedClient(t *testing.T, m *qaMock) *client.Client {
	t.Helper()
	a := loyalty.DefaultConfig().Accounts[0]
	c, err := client.New(a.APIKey, a.SecretKey, client.BaseURL(m.url), client.BatchPolling(5*time.Millisecond, 50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBalancesCannotOverflow: ten balance adjustment batches of 1,000 items
// of 1e15 points for one customer, through the client: the items that would
// take the customer past 9e15 points are refused with 3011, the balance
// stays 9e15 (it wrapped to -8446744073709551616), and saving and loading
// the state keeps it; a single call past the bound is refused the same way.
func TestBalancesCannotOverflow(t *testing.T) {
	m := startQA(t, mockserver.Options{}, func(c *loyalty.Config) { c.Batch.ItemDelay = 0 })
	c := typedClient(t, m)
	ctx := context.Background()
	items := make([]client.BalanceAdjustmentItem, 10*client.MaxBatchItems)
	for i := range items {
		items[i] = client.BalanceAdjustmentItem{CustomerID: "whale", Amount: 1e15}
	}
	jobs, err := c.SubmitBalanceAdjustments(ctx, items)
	if err != nil || len(jobs) != 10 {
		t.Fatalf("%d jobs, error %v", len(jobs), err)
	}
	outcomes, err := c.WaitForBatches(ctx, jobs)
	if err != nil {
		t.Fatal(err)
	}
	applied := 0
	for i, o := range outcomes {
		var apiErr *client.APIError
		switch {
		case o.Err == nil:
			applied++
		case !errors.As(o.Err, &apiErr) || apiErr.Code != 3011 || !errors.Is(o.Err, client.ErrValidation):
			t.Fatalf("item %d: %v, want applied or refused with 3011", i, o.Err)
		}
	}
	const most = 9_000_000_000_000_000
	if applied != 9 {
		t.Errorf("%d items applied, want 9 (9e15 points)", applied)
	}
	check := func(when string) {
		t.Helper()
		bal, err := c.GetCustomerBalance(ctx, "whale")
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if bal.TotalPointsBalance != most || bal.AvailablePointsBalance != most || bal.PendingPoints != 0 || bal.TotalEarnedPoints != most {
			t.Errorf("%s: total %v, available %v, pending %v, earned %v; want %v available", when,
				bal.TotalPointsBalance, bal.AvailablePointsBalance, bal.PendingPoints, bal.TotalEarnedPoints, most)
		}
	}
	check("after the batches")

	_, err = c.AddManualTransaction(ctx, client.AddManualTransactionRequest{
		CustomerID: "whale", TransactionID: "ONE-MORE", Points: new(1), Reason: "r", Username: "u",
		TransactionTime: gbtime.New(time.Now().Add(-time.Minute)),
	})
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 422 || apiErr.Code != 3011 || apiErr.RequestID == "" {
		t.Errorf("one more point: %v, want 422/3011 with Gameball's error object", err)
	}

	dump, err := m.ctl.GetStateWithResponse(ctx)
	if err != nil || dump.JSON200 == nil {
		t.Fatalf("getState: %v", err)
	}
	if put, err := m.ctl.PutStateWithResponse(ctx, *dump.JSON200); err != nil || put.StatusCode() != 204 {
		t.Fatalf("putState: %v %s", err, bodyOf(put, func(r *control.PutStateResponse) []byte { return r.Body }))
	}
	check("after saving and loading the state")
}

package client_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gbkit/gameball-go/client"
)

// TestUndecodableAnswer: a 2xx whose body does not decode is
// ErrUndecodableResponse, not a bare decoder error: it carries the status
// and the start of the body, says the call was applied, and matches none of
// the refusals (a caller who retried on it would meet a duplicate).
func TestUndecodableAnswer(t *testing.T) {
	long := `{"rewardEquivalentPoints":"` + strings.Repeat("x", 5000) + `"}`
	cases := []struct {
		name, op, body string
		sample         string // the error's Body
	}{
		{"a string for an integer", "rewardCashback", `{"rewardEquivalentPoints":"many"}`, `{"rewardEquivalentPoints":"many"}`},
		{"a number for a string", "getCustomerBalance", `{"currency":50.5}`, `{"currency":50.5}`},
		{"not JSON at all", "addManualTransaction", `<html>OK</html>`, `<html>OK</html>`},
		{"a long body is cut to 1 KiB", "rewardCashback", long, long[:1024]},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, url := serve(t, ok(tc.body))
			err := calls[tc.op](context.Background(), newClient(t, url, &waits{}))
			var u *client.UndecodableResponseError
			if !errors.Is(err, client.ErrUndecodableResponse) || !errors.As(err, &u) {
				t.Fatalf("error %v (%T), want ErrUndecodableResponse", err, err)
			}
			if u.StatusCode != 200 || u.Operation != tc.op || u.Attempts != 1 || string(u.Body) != tc.sample || u.BodyLength != len(tc.body) || u.Err == nil {
				t.Errorf("got %+v", *u)
			}
			if !strings.Contains(err.Error(), "applied") {
				t.Errorf("error %q does not say the call was applied", err)
			}
			for _, s := range []error{client.ErrDuplicateTransaction, client.ErrAlreadyApplied, client.ErrValidation, client.ErrServer} {
				if errors.Is(err, s) {
					t.Errorf("error matches %v", s)
				}
			}
			if n := len(srv.seen()); n != 1 {
				t.Errorf("%d attempts, want 1", n)
			}
		})
	}
}

// TestUndecodableBatchAnswerSaysTheJobWasCreated: a batch submission whose
// 200 did not decode created a job; the error must not say "not submitted"
// for its items, or the caller resubmits and adjusts twice.
func TestUndecodableBatchAnswerSaysTheJobWasCreated(t *testing.T) {
	_, url := serve(t, ok(`{"jobId":"seven"}`))
	items := make([]client.BalanceAdjustmentItem, 1500)
	for i := range items {
		items[i] = client.BalanceAdjustmentItem{CustomerID: "cust_1", Amount: 1}
	}
	jobs, err := newClient(t, url, &waits{}).SubmitBalanceAdjustments(context.Background(), items)
	if !errors.Is(err, client.ErrUndecodableResponse) || len(jobs) != 0 {
		t.Fatalf("jobs %v, error %v; want no job and ErrUndecodableResponse", jobs, err)
	}
	if msg := err.Error(); !strings.Contains(msg, "items 0 to 999 of 1500 were submitted") || !strings.Contains(msg, "items 1000 to 1499 were not") {
		t.Errorf("error %q does not say which items were submitted", msg)
	}
}

// TestIntegralNumbersDecode: fields the spec types integer take any number
// whose value is whole (JSON Schema's integer), in the convenience methods
// and through Raw; a field typed number reads the same value as before.
func TestIntegralNumbersDecode(t *testing.T) {
	body := `{"availablePointsBalance":50.0,"pendingPoints":5e1,"totalPointsBalance":1.5E2,"totalEarnedPoints":-0.0,` +
		`"nextExpiringPointsAmount":12000e-2,"availablePointsValue":12.50,"pointsName":"pts 7.0"}`
	_, url := serve(t, ok(body))
	c := newClient(t, url, &waits{})
	bal, err := c.GetCustomerBalance(context.Background(), "cust_1")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := c.Raw().GetCustomerBalanceWithResponse(context.Background(), "cust_1", nil)
	if err != nil || raw.JSON200 == nil {
		t.Fatalf("Raw: %v, error %v", raw, err)
	}
	for name, b := range map[string]*client.CustomerBalance{"method": bal, "Raw": raw.JSON200} {
		got := []int64{b.AvailablePointsBalance, b.PendingPoints, b.TotalPointsBalance, b.TotalEarnedPoints, b.NextExpiringPointsAmount}
		if want := []int64{50, 50, 150, 0, 120}; !slices.Equal(got, want) || b.AvailablePointsValue != 12.5 || b.PointsName != "pts 7.0" {
			t.Errorf("%s: integers %v (want %v), value %v, name %q", name, got, want, b.AvailablePointsValue, b.PointsName)
		}
	}

	_, url = serve(t, ok(`{"status":"completed","totalItems":2.0,"processedItems":2e0,"failedItems":1.0,`+
		`"results":[{"index":0.0,"points":10.0}],"errors":[{"index":1E0,"code":9.008e3}]}`))
	st, err := newClient(t, url, &waits{}).GetBatchStatus(context.Background(), 4821)
	if err != nil {
		t.Fatal(err)
	}
	results, errs, err := client.BatchItems(st)
	if err != nil {
		t.Fatal(err)
	}
	if st.TotalItems != 2 || st.ProcessedItems != 2 || *results[0].Index != 0 || *errs[0].Index != 1 || errs[0].Code != 9008 {
		t.Errorf("batch status %+v", *st)
	}
}

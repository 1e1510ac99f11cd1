package client

import (
	"testing"
	"time"
)

// TestBucketOf: each operation of the table lands in the bucket Gameball
// documents for its resource.
func TestBucketOf(t *testing.T) {
	want := map[string]string{
		"rewardCashback":           "transactions",
		"addManualTransaction":     "transactions",
		"getCustomerBalance":       "customers GET",
		"rewardCashbackBatch":      "others",
		"adjustBalanceBatch":       "others",
		"calculatePaymentCashback": "others",
		"getBatchStatus":           "others",
		"stopBatch":                "others",
		"refundTransaction":        "transactions",
		"redeemPoints":             "transactions",
		"holdPoints":               "transactions",
		"getHold":                  "transactions",
		"releaseHold":              "transactions",
		"activateTransaction":      "transactions",
		"listTransactions":         "transactions",
	}
	for _, op := range operations {
		w, ok := want[op.ID]
		if !ok {
			t.Errorf("operation %s: no expected bucket in this test; add it", op.ID)
			continue
		}
		if got := bucketOf(op).name; got != w {
			t.Errorf("%s (%s %s): bucket %q, want %q", op.ID, op.Method, op.Path, got, w)
		}
	}
	if got := bucketOf(operation{Method: "POST", Path: "/api/v4.0/integrations/customers/{customerId}"}).name; got != "customers POST" {
		t.Errorf("a customer write: bucket %q", got)
	}
}

// TestLimiterKeepsBothWindows drives each bucket's limiter greedily on a
// synthetic clock (AllowN takes the time, so nothing here waits or measures)
// and counts what it lets through in every 1 s and 30 s window: never more
// than Gameball's rate and quota, scaled by share, and over a long run close
// to the quota, so the pacing does not give away much of the account's
// throughput.
func TestLimiterKeepsBothWindows(t *testing.T) {
	tests := []struct {
		b     bucket
		share float64
	}{
		{transactionsBucket, 1}, {customerReadsBucket, 1}, {othersBucket, 1},
		{transactionsBucket, 0.5}, {customerReadsBucket, 0.25},
	}
	for _, tt := range tests {
		t.Run(tt.b.name, func(t *testing.T) {
			l := tt.b.limiter(tt.share)
			start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			const step = 5 * time.Millisecond
			const run = 120 * time.Second
			var allowed []time.Time
			for at := start; at.Before(start.Add(run)); at = at.Add(step) {
				for l.AllowN(at, 1) {
					allowed = append(allowed, at)
				}
			}
			most := func(window time.Duration) int {
				n, j := 0, 0
				for i := range allowed {
					for allowed[i].Sub(allowed[j]) >= window {
						j++
					}
					n = max(n, i-j+1)
				}
				return n
			}
			rateLimit, quota := tt.b.perSecond*tt.share, tt.b.per30s*tt.share
			if n := most(time.Second); float64(n) > rateLimit {
				t.Errorf("%d requests in one second, limit %v", n, rateLimit)
			}
			if n := most(30 * time.Second); float64(n) > quota {
				t.Errorf("%d requests in 30 seconds, quota %v", n, quota)
			}
			if sustained := float64(len(allowed)) / run.Seconds() * 30; sustained < 0.9*quota {
				t.Errorf("%.0f requests per 30 s sustained, less than 90%% of the quota %v", sustained, quota)
			}
		})
	}
}

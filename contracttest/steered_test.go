package contracttest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/client/gbapi"
	"github.com/gbkit/gameball-go/contracttest"
)

// onlyOnRequest lists the documented statuses the mock's rules never give on
// their own: the server-side failures (429, 500, 503), not found where the
// mock creates customers on first use, and payload errors of operations
// without a body. Frontends reach them with the Prefer header. The list is
// written out, not derived from the spec, so that a status Gameball adds
// later fails the coverage gate until someone decides how it is produced.
var onlyOnRequest = map[string][]int{
	"rewardCashback":           {404, 429, 500, 503},
	"rewardCashbackBatch":      {404, 429, 500, 503},
	"calculatePaymentCashback": {404, 429, 500, 503},
	"adjustBalanceBatch":       {404, 429, 500, 503},
	"addManualTransaction":     {404, 429, 500, 503},
	"getBatchStatus":           {400, 422, 429, 500, 503},
	"stopBatch":                {400, 422, 429, 500, 503},
	"getCustomerBalance":       {400, 422, 429, 500, 503},
	"refundTransaction":        {429, 500, 503},
	"redeemPoints":             {429, 500, 503},
	"holdPoints":               {404, 429, 500, 503},
	"getHold":                  {400, 422, 429, 500, 503},
	"releaseHold":              {400, 422, 429, 500, 503},
	"activateTransaction":      {400, 422, 429, 500, 503},
	"listTransactions":         {400, 429, 500, 503},
}

// wantCode is the Gameball code the mock gives with a status it was asked for.
var wantCode = map[int]int{400: 3000, 404: 4004, 422: 3003, 429: 4029, 500: 5000, 503: 5003}

func TestSteeredStatuses(t *testing.T) {
	for op, statuses := range onlyOnRequest {
		for _, status := range statuses {
			t.Run(fmt.Sprintf("%s/%d", op, status), func(t *testing.T) {
				c := steeredClient(t, fmt.Sprintf("code=%d", status))
				got, body, err := contracttest.ValidCall(context.Background(), c, op, runID("steer"))
				if err != nil {
					t.Fatal(err)
				}
				var e client.GameballError
				if err := json.Unmarshal(body, &e); err != nil || got != status || e.Code != wantCode[status] {
					t.Errorf("got %d %s, want %d with code %d", got, body, status, wantCode[status])
				}
			})
		}
	}
}

func TestSteeringRefusesUndocumentedStatus(t *testing.T) {
	c := steeredClient(t, "code=418")
	got, body, err := contracttest.ValidCall(context.Background(), c, "getCustomerBalance", runID("steer"))
	if err != nil {
		t.Fatal(err)
	}
	if got != http.StatusUnprocessableEntity || !strings.Contains(string(body), "not a documented status") {
		t.Errorf("Prefer: code=418 gave %d %s; want 422 naming the documented statuses", got, body)
	}
}

// steeredClient is a generated client with the account's keys that sends
// the given Prefer header, through a validating transport that counts for
// the coverage gate.
func steeredClient(t *testing.T, prefer string) gbapi.ClientWithResponsesInterface {
	t.Helper()
	tr, err := contracttest.NewTransport(nil)
	if err != nil {
		t.Fatal(err)
	}
	covering(tr)
	c, err := gbapi.NewClientWithResponses(mock.url,
		gbapi.WithHTTPClient(&http.Client{Transport: tr, Timeout: 30 * time.Second}),
		gbapi.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("apikey", mock.apiKey)
			req.Header.Set("secretkey", mock.secretKey)
			req.Header.Set("Prefer", prefer)
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func runID(name string) string { return fmt.Sprintf("%s%x", name, time.Now().UnixNano()) }

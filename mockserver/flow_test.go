package mockserver_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/client/gbapi"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/mockserver/control"
)

// TestFrontendFlow is what a frontend's test suite does against the mock:
// it calls the Gameball API as its page would (from a local origin), sets a
// fault rule to see its error state, clears it, then moves the clock to see
// pending points become available.
func TestFrontendFlow(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	ctx := context.Background()
	const origin = "http://localhost:5173"
	fromPage := func(prefer string) client.RequestEditorFn {
		return func(_ context.Context, r *http.Request) error {
			r.Header.Set("Origin", origin)
			if prefer != "" {
				r.Header.Set("Prefer", prefer)
			}
			return nil
		}
	}
	balance := func(prefer string) *gbapi.GetCustomerBalanceResponse {
		t.Helper()
		res, err := m.gb.GetCustomerBalanceWithResponse(ctx, "shopper", nil, fromPage(prefer))
		if err != nil {
			t.Fatal(err)
		}
		if res.HTTPResponse.Header.Get("Access-Control-Allow-Origin") != origin {
			t.Fatalf("the page could not read the answer: %v", res.HTTPResponse.Header)
		}
		return res
	}

	// A clean slate, as a suite's beforeEach would make.
	if res, err := m.ctl.ResetWithResponse(ctx, nil); err != nil || res.JSON200 == nil {
		t.Fatal(err)
	}
	week := 7
	order := cashbackBody("shopper", "ORDER-1001", 150)
	order.Configurations = &client.CashbackConfigurations{ReturnWindow: &week}
	if res, err := m.gb.RewardCashbackWithResponse(ctx, order, fromPage("")); err != nil || res.JSON200 == nil {
		t.Fatalf("checkout: %v", err)
	}
	if b := balance("").JSON200; b == nil || b.PendingPoints != 150 || b.AvailablePointsBalance != 0 {
		t.Fatalf("after checkout the page shows %+v, want 150 pending", b)
	}

	// The error state: a rule makes the balance call fail.
	rule, err := m.ctl.CreateFaultWithResponse(ctx, control.FaultRuleInput{Operation: "getCustomerBalance", CustomerID: new("shopper"), Status: new(503)})
	if err != nil || rule.JSON201 == nil {
		t.Fatal(err)
	}
	if res := balance(""); res.StatusCode() != 503 || res.JSON503 == nil || res.JSON503.Code != 5003 || res.HTTPResponse.Header.Get("Retry-After") == "" {
		t.Fatalf("under the rule the page got %d %s", res.StatusCode(), res.Body)
	}
	if res, _ := m.ctl.DeleteFaultWithResponse(ctx, rule.JSON201.ID); res.StatusCode() != http.StatusNoContent {
		t.Fatalf("deleteFault answered %d", res.StatusCode())
	}
	if res := balance(""); res.StatusCode() != 200 {
		t.Fatalf("after the rule was deleted the page got %d", res.StatusCode())
	}
	// One error without a rule: the request's own Prefer header.
	if res := balance("code=503"); res.StatusCode() != 503 {
		t.Fatalf("Prefer: code=503 answered %d", res.StatusCode())
	}

	// The return window passes: the points become available.
	if res, err := m.ctl.AdvanceClockWithResponse(ctx, control.ClockAdvance{By: "8d"}); err != nil || res.JSON200 == nil {
		t.Fatal(err)
	}
	if b := balance("").JSON200; b == nil || b.PendingPoints != 0 || b.AvailablePointsBalance != 150 {
		t.Fatalf("a week later the page shows %+v, want 150 available", b)
	}
	// The journal shows the page's story, newest first.
	j, _ := m.ctl.ListJournalWithResponse(ctx, &control.ListJournalParams{CustomerID: new("shopper")})
	var statuses []int
	for _, e := range j.JSON200.Entries {
		statuses = append(statuses, e.Status)
	}
	if want := []int{200, 503, 200, 503, 200, 200}; !sameJSON(statuses, want) {
		t.Fatalf("journal statuses %v, want %v", statuses, want)
	}
}

// TestClockMovesCampaigns checks that moving the clock starts and ends a
// campaign, as a frontend showing "double points this weekend" sees it.
func TestClockMovesCampaigns(t *testing.T) {
	start := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Second)
	m := startQA(t, mockserver.Options{}, func(c *loyalty.Config) {
		c.Program.Campaigns = []loyalty.Campaign{{ID: 7, Name: "Double weekend", Multiplier: 2,
			Start: start, End: start.Add(48 * time.Hour), Scope: loyalty.CampaignScope{Kind: loyalty.ScopePayment}}}
	})
	ctx := context.Background()
	tests := []struct {
		advance string
		points  int64
	}{
		{"0s", 100},   // before the campaign
		{"1d1h", 200}, // during
		{"2d", 100},   // after
	}
	for _, tt := range tests {
		if res, err := m.ctl.AdvanceClockWithResponse(ctx, control.ClockAdvance{By: tt.advance}); err != nil || res.JSON200 == nil {
			t.Fatalf("advance %s: %v", tt.advance, err)
		}
		res, err := m.gb.CalculatePaymentCashbackWithResponse(ctx, client.CalculatePaymentCashbackRequest{CustomerID: "c", TotalPaid: 100.0})
		if err != nil || res.JSON200 == nil {
			t.Fatalf("calculate: %v", err)
		}
		if got := res.JSON200.TotalPoints; got != tt.points {
			t.Errorf("after advancing %s: %v points, want %v", tt.advance, got, tt.points)
		}
	}
}

// Package e2e_test drives the mock server's dashboard (/_mock/ui) in a
// headless Chromium and checks what a person would see.
//
// The test needs Chromium: GAMEBALL_E2E_CHROMIUM names it, else chromium,
// chromium-browser or google-chrome on PATH. Without one it skips, unless
// GAMEBALL_E2E_REQUIRE_BROWSER is set (make test and make e2e set it, after
// installing Chromium when absent), and then it fails.
package e2e_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/client/gbapi"
	"github.com/gbkit/gameball-go/gbtime"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/mockserver/control"
)

// browser finds Chromium, or says how to get it.
func browser(t *testing.T) string {
	t.Helper()
	if path := os.Getenv("GAMEBALL_E2E_CHROMIUM"); path != "" {
		return path
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	const how = "no Chromium on PATH (chromium, chromium-browser, google-chrome) and GAMEBALL_E2E_CHROMIUM is not set; " +
		"`make e2e-deps` installs it (apt-get install chromium)"
	if os.Getenv("GAMEBALL_E2E_REQUIRE_BROWSER") != "" {
		t.Fatal("the dashboard test must run here (GAMEBALL_E2E_REQUIRE_BROWSER is set), but " + how)
	}
	t.Skip("dashboard test skipped: " + how)
	return ""
}

// TestDashboard opens the dashboard and checks, as a person would, that it
// shows a customer and their balance after a cashback call, a batch job's
// progress up to completed, and a fault rule set through the control API;
// and that the page's own button deletes the rule.
func TestDashboard(t *testing.T) {
	exe := browser(t)

	cfg := loyalty.DefaultConfig()
	cfg.Batch.ItemDelay = 20 * time.Millisecond // the job's progress is visible for a while
	engine, err := loyalty.New(cfg, loyalty.NewShiftedClock())
	if err != nil {
		t.Fatal(err)
	}
	defer engine.Close()
	srv, err := mockserver.New(engine, mockserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	account := cfg.Accounts[0]
	gb, err := gbapi.NewClientWithResponses(ts.URL, gbapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("apikey", account.APIKey)
		r.Header.Set("secretkey", account.SecretKey)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	ctl, err := control.NewClientWithResponses(ts.URL)
	if err != nil {
		t.Fatal(err)
	}

	var browserLog bytes.Buffer
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.CombinedOutput(&browserLog),
	)
	defer cancelAlloc()
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(browserCtx, chromedp.Navigate(ts.URL+"/_mock/ui")); err != nil {
		t.Fatalf("open the dashboard: %v\n%s", err, browserLog.String())
	}
	// Every wait below is bounded; together, by this.
	ctx, cancel := context.WithTimeout(browserCtx, 45*time.Second)
	defer cancel()

	// see waits until the page shows what want says (a JavaScript
	// expression), failing with what the page does show.
	see := func(what, want string) {
		t.Helper()
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](want, chromedp.WithPollingTimeout(20*time.Second), chromedp.WithPollingInterval(50*time.Millisecond)))
		if err != nil {
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
			t.Fatalf("the dashboard does not show %s: %v\nthe page reads:\n%s", what, err, text)
		}
	}
	field := func(row, field string) string {
		return fmt.Sprintf(`(document.querySelector('%s [data-field="%s"]') || {}).textContent`, row, field)
	}

	see("that it is live", `document.querySelector('[data-testid="clock-now"]').textContent.startsWith("20")`)

	// A cashback call: the customer shows up with the balance.
	when := gbtime.New(time.Now().Add(-time.Minute).UTC().Truncate(time.Second))
	if res, err := gb.RewardCashbackWithResponse(context.Background(), client.RewardCashbackRequest{
		CustomerID: "cust_e2e", TransactionID: "E2E-1", TransactionTime: when, Amount: 150,
	}); err != nil || res.StatusCode() != 200 {
		t.Fatalf("reward cashback: %v", err)
	}
	customerRow := `[data-testid="customer-row"][data-customer-id="cust_e2e"]`
	see("cust_e2e with 150 points available", field(customerRow, "available")+` === "150" && `+field(customerRow, "pending")+` === "0"`)

	// The lifecycle: a hold, and a refund of part of the order. The customer
	// shows the held points; a click shows the hold and the refund's order.
	hold, err := gb.HoldPointsWithResponse(context.Background(), client.HoldRequest{CustomerID: "cust_e2e", TransactionTime: when, PointsToHold: new(40)})
	if err != nil || hold.JSON200 == nil {
		t.Fatalf("hold: %v", err)
	}
	if res, err := gb.RefundTransactionWithResponse(context.Background(), client.RefundRequest{
		CustomerID: "cust_e2e", RefundTransactionID: "E2E-R1", ReverseTransactionID: "E2E-1", TransactionTime: when, RefundAmount: new(50.0),
	}); err != nil || res.StatusCode() != 200 {
		t.Fatalf("refund: %v", err)
	}
	see("cust_e2e with 40 held and 60 available after the refund", field(customerRow, "held")+` === "40" && `+field(customerRow, "available")+` === "60"`)
	if err := chromedp.Do(ctx, chromedp.Click(customerRow)); err != nil {
		t.Fatalf("click the customer: %v", err)
	}
	holdRow := fmt.Sprintf(`[data-testid="hold-row"][data-hold-reference="%s"]`, hold.JSON200.HoldReference)
	see("the active hold of 40 points", field(holdRow, "state")+` === "Active" && `+field(holdRow, "points")+` === "40"`)
	see("the refund's order in the ledger", `[...document.querySelectorAll('[data-testid="ledger-row"] [data-field="refunds"]')].some((td) => td.textContent === "E2E-1")`)

	// A batch job: its progress reaches completed.
	items := make([]client.CashbackBatchItem, 25)
	for i := range items {
		items[i] = client.CashbackBatchItem{CustomerID: "cust_batch", TransactionID: "E2E-B" + strconv.Itoa(i), TransactionTime: when, Amount: 4}
	}
	batch, err := gb.RewardCashbackBatchWithResponse(context.Background(), client.RewardCashbackBatchRequest{Body: items})
	if err != nil || batch.JSON200 == nil {
		t.Fatalf("batch: %v", err)
	}
	batchRow := fmt.Sprintf(`[data-testid="batch-row"][data-batch-id="%d"]`, int(batch.JSON200.JobID))
	see("the batch job completed with 25 of 25 items", field(batchRow, "state")+` === "completed" && `+
		field(batchRow, "progress")+`.trim() === "25/25" && document.querySelector('`+batchRow+` progress').value === 100`)
	see("cust_batch with the batch's 100 points", field(`[data-testid="customer-row"][data-customer-id="cust_batch"]`, "available")+` === "100"`)

	// A fault rule set through the control API shows up, and the page's
	// delete button removes it.
	rule, err := ctl.CreateFaultWithResponse(context.Background(), control.FaultRuleInput{Operation: "rewardCashback", Status: new(503)})
	if err != nil || rule.JSON201 == nil {
		t.Fatalf("create a fault rule: %v", err)
	}
	faultRow := fmt.Sprintf(`[data-testid="fault-row"][data-fault-id="%s"]`, rule.JSON201.ID)
	see("the fault rule", field(faultRow, "operation")+` === "rewardCashback" && `+field(faultRow, "effect")+` === "503"`)
	if err := chromedp.Do(ctx, chromedp.Click(faultRow+` button`)); err != nil {
		t.Fatalf("click delete: %v", err)
	}
	see("no fault rule after the delete", `document.querySelector('`+faultRow+`') === null`)
	if res, err := ctl.ListFaultsWithResponse(context.Background()); err != nil || res.JSON200 == nil || len(*res.JSON200) != 0 {
		t.Fatalf("the page's delete did not reach the server: %v", err)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatal("the dashboard test ran out of time")
	}
}

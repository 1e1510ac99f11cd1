package mockserver_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/mockserver/control"
	"github.com/gbkit/gameball-go/spec/controldoc"
)

// TestControlAPI drives every operation of the control API through its
// generated client, in the order a QA session would, and checks what each
// answers; the client's transport checks every answer against the control
// document, and the test ends by checking that every operation was called.
func TestControlAPI(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	ctx := context.Background()
	pendingUntil := time.Now().Add(10 * 24 * time.Hour).UTC().Truncate(time.Second)

	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"getHealth", func(t *testing.T) {
			res, err := m.ctl.GetHealthWithResponse(ctx)
			if err != nil || res.JSON200 == nil || res.JSON200.Status != control.HealthOK {
				t.Fatalf("%v %s", err, bodyOf(res, func(r *control.GetHealthResponse) []byte { return r.Body }))
			}
		}},
		{"getReadiness", func(t *testing.T) {
			res, err := m.ctl.GetReadinessWithResponse(ctx)
			if err != nil || res.JSON200 == nil || !res.JSON200.Ready || res.JSON200.Accounts != 2 || res.JSON200.StateFile != nil {
				t.Fatalf("%v %s", err, bodyOf(res, func(r *control.GetReadinessResponse) []byte { return r.Body }))
			}
			m.server.SetReady(false) // as gameball-mock does when it starts shutting down
			defer m.server.SetReady(true)
			if res, err := m.ctl.GetReadinessWithResponse(ctx); err != nil || res.JSON503 == nil || res.JSON503.Ready {
				t.Fatalf("shutting down: %v %s", err, bodyOf(res, func(r *control.GetReadinessResponse) []byte { return r.Body }))
			}
		}},
		{"getDashboard", func(t *testing.T) {
			res, err := m.ctl.GetDashboardWithResponse(ctx)
			if err != nil || res.StatusCode() != http.StatusOK {
				t.Fatalf("%v %d", err, res.StatusCode())
			}
			page := string(res.Body)
			if !strings.Contains(page, "<title>gameball-mock</title>") || !strings.HasPrefix(res.HTTPResponse.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("not the dashboard: %.200s", page)
			}
			for _, external := range []string{`src="http`, `href="http`, `src="//`, `href="//`, "@import", "url(http"} {
				if strings.Contains(page, external) {
					t.Errorf("the dashboard loads an external asset (%s)", external)
				}
			}
			if csp := res.HTTPResponse.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("Content-Security-Policy %q does not forbid external assets", csp)
			}
			// The short addresses lead to the page.
			noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			for _, short := range []string{"/_mock", "/_mock/"} {
				res, err := noFollow.Get(m.url + short)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/_mock/ui" {
					t.Errorf("GET %s answered %d to %q, want a redirect to /_mock/ui", short, res.StatusCode, res.Header.Get("Location"))
				}
			}
		}},
		{"seed", func(t *testing.T) {
			res, err := m.ctl.SeedWithResponse(ctx, control.Fixtures{Accounts: []control.AccountFixture{
				{Name: "default", Customers: []control.CustomerFixture{
					{ID: "cust_gold", Tier: new("Gold"), Points: new(int64(1500))},
					{ID: "cust_pending", Ledger: &[]control.LedgerFixture{
						{Kind: control.EntryKindCashback, TransactionID: new("FIX-1"), Points: 120, AvailableAt: &pendingUntil},
						{Kind: control.EntryKindManual, TransactionID: new("FIX-2"), Points: 30, Reason: new("welcome"), Username: new("qa")},
					}},
				}},
				{Name: "second", Customers: []control.CustomerFixture{{ID: "other_1", Email: new("o@example.com")}}},
			}})
			if err != nil || res.JSON200 == nil {
				t.Fatalf("%v %s", err, bodyOf(res, func(r *control.SeedResponse) []byte { return r.Body }))
			}
			got := res.JSON200.Customers
			if len(got) != 3 || got[0].Customer.Tier == nil || *got[0].Customer.Tier != "Gold" || got[0].Customer.Balance.Available != 1500 ||
				got[1].Customer.Balance.Pending != 120 || got[1].Customer.Balance.Available != 30 || got[2].Account != "second" {
				t.Fatalf("seeded %s", res.Body)
			}
		}},
		{"listAccounts", func(t *testing.T) {
			res, err := m.ctl.ListAccountsWithResponse(ctx)
			if err != nil || res.JSON200 == nil {
				t.Fatal(err)
			}
			want := []control.AccountSummary{{Name: "default", Customers: 2}, {Name: "second", Customers: 1}}
			if !sameJSON(*res.JSON200, want) {
				t.Fatalf("accounts %s, want %+v", res.Body, want)
			}
		}},
		{"listCustomers", func(t *testing.T) {
			c, ok := customer(t, m, "default", "cust_pending")
			if !ok || c.Balance.Pending != 120 || c.Balance.Available != 30 || c.Balance.Total != 150 || c.Balance.Currency != "USD" {
				t.Fatalf("cust_pending %+v", c)
			}
		}},
		{"getCustomer", func(t *testing.T) {
			res, err := m.ctl.GetCustomerWithResponse(ctx, "default", "cust_pending")
			if err != nil || res.JSON200 == nil {
				t.Fatal(err)
			}
			l := res.JSON200.Ledger
			if len(l) != 2 || deref(l[0].TransactionID) != "FIX-1" || !l[0].AvailableAt.Equal(pendingUntil) || l[1].Kind != control.EntryKindManual || deref(l[1].Username) != "qa" {
				t.Fatalf("ledger %s", res.Body)
			}
		}},
		{"advanceClock matures pending points", func(t *testing.T) {
			res, err := m.ctl.AdvanceClockWithResponse(ctx, control.ClockAdvance{By: "10d1h"})
			if err != nil || res.JSON200 == nil || res.JSON200.Offset != "241h0m0s" || !res.JSON200.Adjustable {
				t.Fatalf("%v %s", err, bodyOf(res, func(r *control.AdvanceClockResponse) []byte { return r.Body }))
			}
			if c, _ := customer(t, m, "default", "cust_pending"); c.Balance.Pending != 0 || c.Balance.Available != 150 {
				t.Fatalf("after the return window cust_pending has %+v", c.Balance)
			}
		}},
		{"getClock", func(t *testing.T) {
			res, err := m.ctl.GetClockWithResponse(ctx)
			if err != nil || res.JSON200 == nil {
				t.Fatal(err)
			}
			c := res.JSON200
			if c.OffsetSeconds != (241*time.Hour).Seconds() || c.Now.Sub(c.RealNow).Round(time.Hour) != 241*time.Hour {
				t.Fatalf("clock %s", res.Body)
			}
		}},
		{"setClock", func(t *testing.T) {
			at := time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)
			res, err := m.ctl.SetClockWithResponse(ctx, control.ClockSet{Now: at})
			if err != nil || res.JSON200 == nil || res.JSON200.Now.Before(at) || res.JSON200.Now.Sub(at) > time.Minute {
				t.Fatalf("%v %s", err, bodyOf(res, func(r *control.SetClockResponse) []byte { return r.Body }))
			}
		}},
		{"resetClock", func(t *testing.T) {
			res, err := m.ctl.ResetClockWithResponse(ctx)
			if err != nil || res.JSON200 == nil || res.JSON200.Offset != "0s" {
				t.Fatalf("%v %s", err, bodyOf(res, func(r *control.ResetClockResponse) []byte { return r.Body }))
			}
		}},
		{"listBatches", func(t *testing.T) {
			items := []client.CashbackBatchItem{
				{CustomerID: "cust_gold", TransactionID: "B-1", Amount: 10, TransactionTime: cashbackBody("", "", 0).TransactionTime},
				{CustomerID: "cust_new", TransactionID: "B-2", Amount: 20, TransactionTime: cashbackBody("", "", 0).TransactionTime},
			}
			res, err := m.gb.RewardCashbackBatchWithResponse(ctx, client.RewardCashbackBatchRequest{Body: items})
			if err != nil || res.JSON200 == nil {
				t.Fatalf("batch: %v", err)
			}
			var batches []control.Batch
			eventually(t, "the batch to complete", func() bool {
				res, err := m.ctl.ListBatchesWithResponse(ctx, "default")
				if err != nil || res.JSON200 == nil {
					t.Fatal(err)
				}
				batches = *res.JSON200
				return len(batches) == 1 && batches[0].State == control.BatchStateCompleted
			})
			if b := batches[0]; b.Kind != control.BatchKindCashback || b.TotalItems != 2 || b.ProcessedItems != 2 || b.Progress != 100 || b.SubmittedAt.IsZero() {
				t.Fatalf("batch %+v", b)
			}
		}},
		{"createFault, getFault, listFaults, deleteFault", func(t *testing.T) {
			created, err := m.ctl.CreateFaultWithResponse(ctx, control.FaultRuleInput{
				Operation: "getCustomerBalance", CustomerID: new("cust_gold"), Status: new(503), Times: new(1),
			})
			if err != nil || created.JSON201 == nil {
				t.Fatalf("%v %s", err, bodyOf(created, func(r *control.CreateFaultResponse) []byte { return r.Body }))
			}
			id := created.JSON201.ID
			if res, _ := m.gb.GetCustomerBalanceWithResponse(ctx, "cust_gold", nil); res.StatusCode() != 503 || res.JSON503 == nil || res.JSON503.Code != 5003 {
				t.Fatalf("balance under the rule answered %d %s", res.StatusCode(), res.Body)
			}
			got, err := m.ctl.GetFaultWithResponse(ctx, id)
			if err != nil || got.JSON200 == nil || got.JSON200.Hits != 1 || deref(got.JSON200.Remaining) != 0 {
				t.Fatalf("rule after one use: %v %s", err, bodyOf(got, func(r *control.GetFaultResponse) []byte { return r.Body }))
			}
			if list, _ := m.ctl.ListFaultsWithResponse(ctx); list.JSON200 == nil || len(*list.JSON200) != 1 {
				t.Fatalf("listFaults %s", list.Body)
			}
			if del, _ := m.ctl.DeleteFaultWithResponse(ctx, id); del.StatusCode() != http.StatusNoContent {
				t.Fatalf("deleteFault answered %d", del.StatusCode())
			}
			if got, _ := m.ctl.GetFaultWithResponse(ctx, id); got.JSON404 == nil || got.JSON404.Code != 4004 {
				t.Fatalf("a deleted rule answered %d %s", got.StatusCode(), got.Body)
			}
		}},
		{"clearFaults", func(t *testing.T) {
			for _, op := range []string{"rewardCashback", "*"} {
				if res, _ := m.ctl.CreateFaultWithResponse(ctx, control.FaultRuleInput{Operation: op, Status: new(500)}); res.JSON201 == nil {
					t.Fatalf("createFault(%s): %s", op, res.Body)
				}
			}
			if res, _ := m.ctl.ClearFaultsWithResponse(ctx); res.StatusCode() != http.StatusNoContent {
				t.Fatalf("clearFaults answered %d", res.StatusCode())
			}
			if list, _ := m.ctl.ListFaultsWithResponse(ctx); list.JSON200 == nil || len(*list.JSON200) != 0 {
				t.Fatalf("rules left: %s", list.Body)
			}
		}},
		{"listJournal", func(t *testing.T) {
			res, err := m.ctl.ListJournalWithResponse(ctx, &control.ListJournalParams{Operation: new("getCustomerBalance"), CustomerID: new("cust_gold")})
			if err != nil || res.JSON200 == nil {
				t.Fatal(err)
			}
			entries := res.JSON200.Entries
			if len(entries) != 1 || entries[0].Status != 503 || deref(entries[0].Faults)[0] == "" || deref(entries[0].Account) != "default" {
				t.Fatalf("journal %s", res.Body)
			}
			all, _ := m.ctl.ListJournalWithResponse(ctx, &control.ListJournalParams{Limit: new(1)})
			if all.JSON200 == nil || len(all.JSON200.Entries) != 1 || all.JSON200.Total != 2 || all.JSON200.Capacity != mockserver.DefaultJournalSize {
				t.Fatalf("journal with limit 1: %s", all.Body)
			}
		}},
		{"clearJournal", func(t *testing.T) {
			if res, _ := m.ctl.ClearJournalWithResponse(ctx); res.StatusCode() != http.StatusNoContent {
				t.Fatalf("clearJournal answered %d", res.StatusCode())
			}
			if res, _ := m.ctl.ListJournalWithResponse(ctx, nil); res.JSON200 == nil || len(res.JSON200.Entries) != 0 || res.JSON200.Total != 0 {
				t.Fatalf("journal after clear: %s", res.Body)
			}
		}},
		{"getState, reset one account, putState", func(t *testing.T) {
			dump, err := m.ctl.GetStateWithResponse(ctx)
			if err != nil || dump.JSON200 == nil || dump.JSON200.Format != control.MockStateFormatV1 || len(dump.JSON200.Accounts) != 2 {
				t.Fatalf("%v %s", err, bodyOf(dump, func(r *control.GetStateResponse) []byte { return r.Body }))
			}
			reset, err := m.ctl.ResetWithResponse(ctx, &control.ResetParams{Account: new("default")})
			if err != nil || reset.JSON200 == nil || !sameJSON(reset.JSON200.Accounts, []string{"default"}) || reset.JSON200.Clock || reset.JSON200.Journal {
				t.Fatalf("reset(default): %v %s", err, bodyOf(reset, func(r *control.ResetResponse) []byte { return r.Body }))
			}
			if _, ok := customer(t, m, "default", "cust_gold"); ok {
				t.Fatal("cust_gold survived the reset of its account")
			}
			if _, ok := customer(t, m, "second", "other_1"); !ok {
				t.Fatal("resetting default emptied second too")
			}
			put, err := m.ctl.PutStateWithResponse(ctx, *dump.JSON200)
			if err != nil || put.StatusCode() != http.StatusNoContent {
				t.Fatalf("putState: %v %s", err, bodyOf(put, func(r *control.PutStateResponse) []byte { return r.Body }))
			}
			if c, ok := customer(t, m, "default", "cust_gold"); !ok || c.Balance.Available != 1520 {
				t.Fatalf("after putState cust_gold is %+v", c)
			}
		}},
		{"reset everything", func(t *testing.T) {
			if res, _ := m.ctl.CreateFaultWithResponse(ctx, control.FaultRuleInput{Operation: "*", Latency: &control.Latency{Fixed: new("1ms")}}); res.JSON201 == nil {
				t.Fatal(string(res.Body))
			}
			if res, _ := m.ctl.AdvanceClockWithResponse(ctx, control.ClockAdvance{By: "1h"}); res.JSON200 == nil {
				t.Fatal(string(res.Body))
			}
			res, err := m.ctl.ResetWithResponse(ctx, nil)
			if err != nil || res.JSON200 == nil {
				t.Fatal(err)
			}
			want := control.ResetResult{Accounts: []string{"default", "second"}, Clock: true, Faults: 1, Journal: true}
			if !sameJSON(*res.JSON200, want) {
				t.Fatalf("reset %s, want %+v", res.Body, want)
			}
			accounts, _ := m.ctl.ListAccountsWithResponse(ctx)
			clock, _ := m.ctl.GetClockWithResponse(ctx)
			faults, _ := m.ctl.ListFaultsWithResponse(ctx)
			if (*accounts.JSON200)[0].Customers+(*accounts.JSON200)[1].Customers != 0 || clock.JSON200.Offset != "0s" || len(*faults.JSON200) != 0 {
				t.Fatalf("after reset: %s %s %s", accounts.Body, clock.Body, faults.Body)
			}
		}},
	}
	for _, step := range steps {
		if !t.Run(step.name, step.run) {
			t.FailNow() // each step builds on the ones before
		}
	}

	doc, err := controldoc.Load()
	if err != nil {
		t.Fatal(err)
	}
	if missing := m.checks.missing(doc); len(missing) > 0 {
		t.Errorf("control operations no step called: %v", missing)
	}
}

// TestControlAPIRefusals checks the control API's errors: Gameball's error
// object with a code, and the status the control document gives.
func TestControlAPIRefusals(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	ctx := context.Background()
	type answer struct {
		status int
		err    *control.ControlError
	}
	errOf := func(status int, body []byte) answer {
		var e control.ControlError
		_ = json.Unmarshal(body, &e)
		return answer{status, &e}
	}
	tests := []struct {
		name   string
		call   func() (answer, error)
		status int
		code   int
		says   string
	}{
		{"reset an unknown account", func() (answer, error) {
			res, err := m.ctl.ResetWithResponse(ctx, &control.ResetParams{Account: new("nope")})
			return errOf(res.StatusCode(), res.Body), err
		}, 404, 4004, `account "nope" is not configured (accounts: default, second)`},
		{"customers of an unknown account", func() (answer, error) {
			res, err := m.ctl.ListCustomersWithResponse(ctx, "nope")
			return errOf(res.StatusCode(), res.Body), err
		}, 404, 4004, "not configured"},
		{"batches of an unknown account", func() (answer, error) {
			res, err := m.ctl.ListBatchesWithResponse(ctx, "nope")
			return errOf(res.StatusCode(), res.Body), err
		}, 404, 4004, "not configured"},
		{"an unknown customer", func() (answer, error) {
			res, err := m.ctl.GetCustomerWithResponse(ctx, "default", "ghost")
			return errOf(res.StatusCode(), res.Body), err
		}, 404, 7000, `customer "ghost" not found`},
		{"seed a customer twice", func() (answer, error) {
			res, err := m.ctl.SeedWithResponse(ctx, control.Fixtures{Accounts: []control.AccountFixture{{Name: "default", Customers: []control.CustomerFixture{{ID: "a"}, {ID: "a"}}}}})
			return errOf(res.StatusCode(), res.Body), err
		}, 422, 3003, `accounts[0] (default): customers[1] (a): customer "a" already exists`},
		{"seed an unknown tier", func() (answer, error) {
			res, err := m.ctl.SeedWithResponse(ctx, control.Fixtures{Accounts: []control.AccountFixture{{Name: "default", Customers: []control.CustomerFixture{{ID: "a", Tier: new("Platinum")}}}}})
			return errOf(res.StatusCode(), res.Body), err
		}, 422, 3003, `tier "Platinum"`},
		{"seed an unknown account", func() (answer, error) {
			res, err := m.ctl.SeedWithResponse(ctx, control.Fixtures{Accounts: []control.AccountFixture{{Name: "nope", Customers: []control.CustomerFixture{}}}})
			return errOf(res.StatusCode(), res.Body), err
		}, 404, 4004, `account "nope" is not configured`},
		{"seed without the accounts field", func() (answer, error) {
			res, err := m.ctl.SeedWithBodyWithResponse(ctx, "application/json", strings.NewReader(`{"customers":[]}`))
			return errOf(res.StatusCode(), res.Body), err
		}, 400, 3000, "accounts"},
		{"seed malformed JSON", func() (answer, error) {
			res, err := m.ctl.SeedWithBodyWithResponse(ctx, "application/json", strings.NewReader(`{"accounts":`))
			return errOf(res.StatusCode(), res.Body), err
		}, 400, 3016, "not valid JSON"},
		{"advance by a non-duration", func() (answer, error) {
			res, err := m.ctl.AdvanceClockWithResponse(ctx, control.ClockAdvance{By: "soon"})
			return errOf(res.StatusCode(), res.Body), err
		}, 422, 3003, `by: "soon" is not a duration`},
		{"a fault rule for an unknown operation", func() (answer, error) {
			res, err := m.ctl.CreateFaultWithResponse(ctx, control.FaultRuleInput{Operation: "rewardCashbak", Status: new(500)})
			return errOf(res.StatusCode(), res.Body), err
		}, 422, 3003, "rewardCashback"},
		{"a fault rule that does nothing", func() (answer, error) {
			res, err := m.ctl.CreateFaultWithResponse(ctx, control.FaultRuleInput{Operation: "rewardCashback"})
			return errOf(res.StatusCode(), res.Body), err
		}, 422, 3003, "does nothing"},
		{"a fault rule with a 200", func() (answer, error) {
			res, err := m.ctl.CreateFaultWithResponse(ctx, control.FaultRuleInput{Operation: "rewardCashback", Status: new(200)})
			return errOf(res.StatusCode(), res.Body), err
		}, 422, 3003, "status"},
		{"a fault rule that closes and answers", func() (answer, error) {
			res, err := m.ctl.CreateFaultWithResponse(ctx, control.FaultRuleInput{Operation: "rewardCashback", Status: new(500), CloseConnection: new(true)})
			return errOf(res.StatusCode(), res.Body), err
		}, 422, 3003, "not both"},
		{"a fault rule with an error but no status", func() (answer, error) {
			res, err := m.ctl.CreateFaultWithResponse(ctx, control.FaultRuleInput{Operation: "rewardCashback", Error: &control.FaultError{Code: new(9004)}})
			return errOf(res.StatusCode(), res.Body), err
		}, 422, 3003, "needs a status"},
		{"a fault rule with a bad latency range", func() (answer, error) {
			res, err := m.ctl.CreateFaultWithResponse(ctx, control.FaultRuleInput{Operation: "*", Latency: &control.Latency{Min: new("2s"), Max: new("1s")}})
			return errOf(res.StatusCode(), res.Body), err
		}, 422, 3003, "max 1s is less than min 2s"},
		{"a fault rule with too much latency", func() (answer, error) {
			res, err := m.ctl.CreateFaultWithResponse(ctx, control.FaultRuleInput{Operation: "*", Latency: &control.Latency{Fixed: new("2m")}})
			return errOf(res.StatusCode(), res.Body), err
		}, 422, 3003, "outside 0..1m0s"},
		{"a fault rule with probability 0", func() (answer, error) {
			res, err := m.ctl.CreateFaultWithResponse(ctx, control.FaultRuleInput{Operation: "*", Status: new(500), Probability: new(0.0)})
			return errOf(res.StatusCode(), res.Body), err
		}, 422, 3003, "probability"},
		{"a fault rule for an unknown account", func() (answer, error) {
			res, err := m.ctl.CreateFaultWithResponse(ctx, control.FaultRuleInput{Operation: "*", Status: new(500), Account: new("nope")})
			return errOf(res.StatusCode(), res.Body), err
		}, 422, 3003, "account"},
		{"delete an unknown rule", func() (answer, error) {
			res, err := m.ctl.DeleteFaultWithResponse(ctx, "f999")
			return errOf(res.StatusCode(), res.Body), err
		}, 404, 4004, `fault rule "f999" not found`},
		{"a journal limit of 0", func() (answer, error) {
			res, err := m.ctl.ListJournalWithResponse(ctx, &control.ListJournalParams{Limit: new(0)})
			return errOf(res.StatusCode(), res.Body), err
		}, 422, 3003, "limit"},
		{"load a state of another version", func() (answer, error) {
			res, err := m.ctl.PutStateWithResponse(ctx, control.MockState{Format: control.MockStateFormatV1, Version: 99, Accounts: []control.StateAccount{}})
			return errOf(res.StatusCode(), res.Body), err
		}, 422, 3003, "state version 99 is not supported"},
		{"load a state naming an unknown account", func() (answer, error) {
			res, err := m.ctl.PutStateWithResponse(ctx, control.MockState{Format: control.MockStateFormatV1, Version: 2, Accounts: []control.StateAccount{
				{Name: "nope", Customers: []control.StateCustomer{}, Batches: []control.StateBatch{}}}})
			return errOf(res.StatusCode(), res.Body), err
		}, 422, 3003, `account "nope" is not configured`},
		{"load a state with an unknown field", func() (answer, error) {
			res, err := m.ctl.PutStateWithBodyWithResponse(ctx, "application/json", strings.NewReader(`{"format":"gameball-mock-state","version":2,"accounts":[],"extra":1}`))
			return errOf(res.StatusCode(), res.Body), err
		}, 422, 3003, "extra"},
		{"an unknown control path", func() (answer, error) {
			res, err := http.Get(m.url + "/_mock/nothing-here")
			if err != nil {
				return answer{}, err
			}
			defer res.Body.Close()
			var e control.ControlError
			_ = json.NewDecoder(res.Body).Decode(&e)
			return answer{res.StatusCode, &e}, nil
		}, 404, 4004, "no operation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.call()
			if err != nil {
				t.Fatal(err)
			}
			if got.status != tt.status || got.err.Code != tt.code || !strings.Contains(got.err.Message, tt.says) || got.err.RequestID == nil {
				t.Fatalf("answered %d %+v (message %q), want %d with code %d saying %q", got.status, got.err, got.err.Message, tt.status, tt.code, tt.says)
			}
		})
	}
}

// TestControlAdminKey checks that a server with an admin key refuses the
// control API without it (but never health, readiness, the page, or a
// preflight) and leaves the Gameball API alone.
func TestControlAdminKey(t *testing.T) {
	const key = "admin-key-for-tests-123"
	m := startQA(t, mockserver.Options{AdminKey: key}, nil)
	ctx := context.Background()
	anon, err := control.NewClientWithResponses(m.url)
	if err != nil {
		t.Fatal(err)
	}
	wrong, err := control.NewClientWithResponses(m.url, control.WithAdminKey("not-the-key"))
	if err != nil {
		t.Fatal(err)
	}
	status := func(res interface{ StatusCode() int }, err error) int {
		if err != nil {
			t.Fatal(err)
		}
		return res.StatusCode()
	}
	tests := []struct {
		name             string
		without, withKey int
		call             func(c *control.ClientWithResponses) int
	}{
		{"getHealth", 200, 200, func(c *control.ClientWithResponses) int { return status(c.GetHealthWithResponse(ctx)) }},
		{"getReadiness", 200, 200, func(c *control.ClientWithResponses) int { return status(c.GetReadinessWithResponse(ctx)) }},
		{"getDashboard", 200, 200, func(c *control.ClientWithResponses) int { return status(c.GetDashboardWithResponse(ctx)) }},
		{"getState", 401, 200, func(c *control.ClientWithResponses) int { return status(c.GetStateWithResponse(ctx)) }},
		{"listAccounts", 401, 200, func(c *control.ClientWithResponses) int { return status(c.ListAccountsWithResponse(ctx)) }},
		{"listJournal", 401, 200, func(c *control.ClientWithResponses) int { return status(c.ListJournalWithResponse(ctx, nil)) }},
		{"advanceClock", 401, 200, func(c *control.ClientWithResponses) int {
			return status(c.AdvanceClockWithResponse(ctx, control.ClockAdvance{By: "0s"}))
		}},
		{"reset", 401, 200, func(c *control.ClientWithResponses) int { return status(c.ResetWithResponse(ctx, nil)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.call(anon); got != tt.without {
				t.Errorf("without the key: %d, want %d", got, tt.without)
			}
			if got := tt.call(wrong); got != tt.without {
				t.Errorf("with a wrong key: %d, want %d", got, tt.without)
			}
			if got := tt.call(m.ctl); got != tt.withKey {
				t.Errorf("with the key: %d, want %d", got, tt.withKey)
			}
		})
	}

	res, err := anon.ListFaultsWithResponse(ctx)
	if err != nil || res.JSON401 == nil || res.JSON401.Code != 1000 || !strings.Contains(res.JSON401.Message, "X-Mock-Admin-Key") || strings.Contains(string(res.Body), key) {
		t.Fatalf("refusal: %v %s", err, bodyOf(res, func(r *control.ListFaultsResponse) []byte { return r.Body }))
	}
	if res, err := m.gb.GetCustomerBalanceWithResponse(ctx, "nobody", nil); err != nil || res.StatusCode() != 404 {
		t.Fatalf("the Gameball API wants the admin key: %v %d", err, res.StatusCode())
	}
}

// deref reads an optional field of the control API's models, which keep pointers.
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// sameJSON reports whether two values encode alike.
func sameJSON(x, y any) bool {
	a, errA := json.Marshal(x)
	b, errB := json.Marshal(y)
	return errA == nil && errB == nil && string(a) == string(b)
}

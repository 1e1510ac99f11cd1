package mockserver_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/client/gbapi"
	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/mockserver/control"
)

// TestFaultRules checks what each kind of rule does to the requests it
// matches, and leaves the others alone.
func TestFaultRules(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	ctx := context.Background()
	var rolls struct {
		sync.Mutex
		next []float64
	}
	mockserver.SetFaultRandom(m.server, func() float64 {
		rolls.Lock()
		defer rolls.Unlock()
		r := rolls.next[0]
		rolls.next = rolls.next[1:]
		return r
	}, func(n int64) int64 { return n - 1 })

	var txn int
	reward := func(gb *gbapi.ClientWithResponses, customer string, prefer ...string) (*gbapi.RewardCashbackResponse, error) {
		txn++
		body := cashbackBody(customer, "FT-"+string(rune('A'+txn%26))+time.Now().Format("150405.000000000"), 10)
		return gb.RewardCashbackWithResponse(ctx, body, func(_ context.Context, r *http.Request) error {
			for _, p := range prefer {
				r.Header.Add("Prefer", p)
			}
			return nil
		})
	}
	type outcome struct {
		status int
		code   int    // the error object's code, when not 200
		typ    string // the error object's type, when checked
		faults string // X-Mock-Fault
	}
	rewardOutcome := func(gb *gbapi.ClientWithResponses, customer string, prefer ...string) outcome {
		res, err := reward(gb, customer, prefer...)
		if err != nil {
			t.Fatal(err)
		}
		o := outcome{status: res.StatusCode(), faults: res.HTTPResponse.Header.Get("X-Mock-Fault")}
		for _, e := range []*client.GameballError{res.JSON400, res.JSON401, res.JSON404, res.JSON422, res.JSON429, res.JSON500, res.JSON503} {
			if e != nil {
				o.code, o.typ = e.Code, e.Type
			}
		}
		return o
	}

	tests := []struct {
		name  string
		rules []control.FaultRuleInput
		rolls []float64
		calls func(t *testing.T) []outcome
		want  []outcome
		hits  []int // per rule, after the calls
	}{
		{
			name:  "a status answers Gameball's error object instead of the operation",
			rules: []control.FaultRuleInput{{Operation: "rewardCashback", Status: new(503)}},
			calls: func(t *testing.T) []outcome { return []outcome{rewardOutcome(m.gb, "st_1")} },
			want:  []outcome{{503, 5003, "ServerError", "f1"}},
			hits:  []int{1},
		},
		{
			name: "an error object of one's own",
			rules: []control.FaultRuleInput{{Operation: "rewardCashback", Status: new(422),
				Error: &control.FaultError{Code: new(9004), Message: new("transactionId already exists")}}},
			calls: func(t *testing.T) []outcome { return []outcome{rewardOutcome(m.gb, "st_2")} },
			want:  []outcome{{422, 9004, "TransactionError", "f1"}},
			hits:  []int{1},
		},
		{
			name:  "a type of one's own",
			rules: []control.FaultRuleInput{{Operation: "rewardCashback", Status: new(500), Error: &control.FaultError{Type: new("Boom")}}},
			calls: func(t *testing.T) []outcome { return []outcome{rewardOutcome(m.gb, "st_3")} },
			want:  []outcome{{500, 5000, "Boom", "f1"}},
			hits:  []int{1},
		},
		{
			name:  "by customer",
			rules: []control.FaultRuleInput{{Operation: "rewardCashback", CustomerID: new("vip"), Status: new(500)}},
			calls: func(t *testing.T) []outcome {
				return []outcome{rewardOutcome(m.gb, "someone"), rewardOutcome(m.gb, "vip")}
			},
			want: []outcome{{200, 0, "", ""}, {500, 5000, "ServerError", "f1"}},
			hits: []int{1},
		},
		{
			name:  "by account",
			rules: []control.FaultRuleInput{{Operation: "*", Account: new("second"), Status: new(429)}},
			calls: func(t *testing.T) []outcome {
				return []outcome{rewardOutcome(m.gb, "acc_1"), rewardOutcome(m.gb2, "acc_1")}
			},
			want: []outcome{{200, 0, "", ""}, {429, 4029, "GeneralError", "f1"}},
			hits: []int{1},
		},
		{
			name:  "for the next N matches",
			rules: []control.FaultRuleInput{{Operation: "rewardCashback", Status: new(503), Times: new(2)}},
			calls: func(t *testing.T) []outcome {
				return []outcome{rewardOutcome(m.gb, "n_1"), rewardOutcome(m.gb, "n_1"), rewardOutcome(m.gb, "n_1")}
			},
			want: []outcome{{503, 5003, "ServerError", "f1"}, {503, 5003, "ServerError", "f1"}, {200, 0, "", ""}},
			hits: []int{2},
		},
		{
			name:  "with a probability",
			rules: []control.FaultRuleInput{{Operation: "rewardCashback", Status: new(500), Probability: new(0.5)}},
			rolls: []float64{0.9, 0.1, 0.5},
			calls: func(t *testing.T) []outcome {
				return []outcome{rewardOutcome(m.gb, "p_1"), rewardOutcome(m.gb, "p_1"), rewardOutcome(m.gb, "p_1")}
			},
			want: []outcome{{200, 0, "", ""}, {500, 5000, "ServerError", "f1"}, {200, 0, "", ""}},
			hits: []int{1},
		},
		{
			name: "the first rule that answers decides; the next is not used up",
			rules: []control.FaultRuleInput{
				{Operation: "rewardCashback", Status: new(503), Times: new(1)},
				{Operation: "*", Status: new(500), Times: new(1)},
			},
			calls: func(t *testing.T) []outcome {
				return []outcome{rewardOutcome(m.gb, "o_1"), rewardOutcome(m.gb, "o_1"), rewardOutcome(m.gb, "o_1")}
			},
			want: []outcome{{503, 5003, "ServerError", "f1"}, {500, 5000, "ServerError", "f2"}, {200, 0, "", ""}},
			hits: []int{1, 1},
		},
		{
			name: "latency adds to an answer",
			rules: []control.FaultRuleInput{
				{Operation: "*", Latency: &control.Latency{Fixed: new("1ms")}},
				{Operation: "rewardCashback", Status: new(500)},
			},
			calls: func(t *testing.T) []outcome { return []outcome{rewardOutcome(m.gb, "l_1")} },
			want:  []outcome{{500, 5000, "ServerError", "f1,f2"}},
			hits:  []int{1, 1},
		},
		{
			name:  "the request's Prefer header comes first",
			rules: []control.FaultRuleInput{{Operation: "rewardCashback", Status: new(503)}},
			calls: func(t *testing.T) []outcome { return []outcome{rewardOutcome(m.gb, "pr_1", "code=422")} },
			want:  []outcome{{422, 3003, "PayloadError", ""}},
			hits:  []int{0},
		},
		{
			name:  "an invalid request is refused before any rule",
			rules: []control.FaultRuleInput{{Operation: "rewardCashback", Status: new(503)}},
			calls: func(t *testing.T) []outcome {
				res, err := m.gb.RewardCashbackWithBodyWithResponse(ctx, "application/json", strings.NewReader(`{"customerId":"x"}`))
				if err != nil {
					t.Fatal(err)
				}
				return []outcome{{status: res.StatusCode(), code: res.JSON400.Code, typ: res.JSON400.Type}}
			},
			want: []outcome{{400, 3000, "PayloadError", ""}},
			hits: []int{0},
		},
		{
			name:  "every operation, a batch item's customer",
			rules: []control.FaultRuleInput{{Operation: "*", CustomerID: new("in_batch"), Status: new(503)}},
			calls: func(t *testing.T) []outcome {
				items := []client.BalanceAdjustmentItem{{CustomerID: "other", Amount: 1}, {CustomerID: "in_batch", Amount: 1}}
				res, err := m.gb.AdjustBalanceBatchWithResponse(ctx, client.AdjustBalanceBatchRequest{Body: items})
				if err != nil {
					t.Fatal(err)
				}
				bal, err := m.gb.GetCustomerBalanceWithResponse(ctx, "in_batch", nil)
				if err != nil {
					t.Fatal(err)
				}
				return []outcome{
					{status: res.StatusCode(), code: res.JSON503.Code, faults: res.HTTPResponse.Header.Get("X-Mock-Fault")},
					{status: bal.StatusCode(), code: bal.JSON503.Code, faults: bal.HTTPResponse.Header.Get("X-Mock-Fault")},
				}
			},
			want: []outcome{{503, 5003, "", "f1"}, {503, 5003, "", "f1"}},
			hits: []int{2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if res, err := m.ctl.ResetWithResponse(ctx, nil); err != nil || res.JSON200 == nil {
				t.Fatal(err)
			}
			rolls.Lock()
			rolls.next = tt.rolls
			rolls.Unlock()
			var ids []string
			for _, r := range tt.rules {
				res, err := m.ctl.CreateFaultWithResponse(ctx, r)
				if err != nil || res.JSON201 == nil {
					t.Fatalf("createFault: %v %s", err, bodyOf(res, func(r *control.CreateFaultResponse) []byte { return r.Body }))
				}
				ids = append(ids, res.JSON201.ID)
			}
			got := tt.calls(t)
			for i := range got {
				if tt.want[i].typ == "" {
					got[i].typ = ""
				}
			}
			if !sameJSON(got, tt.want) {
				t.Errorf("answers %+v, want %+v", got, tt.want)
			}
			for i, id := range ids {
				rule, _ := m.ctl.GetFaultWithResponse(ctx, id)
				if rule.JSON200 == nil || rule.JSON200.Hits != tt.hits[i] {
					t.Errorf("rule %s: %s, want %d hits", id, rule.Body, tt.hits[i])
				}
			}
		})
	}
}

// TestFaultLatency checks that latency delays the answer by at least what
// the rule says, and that a range's pick is used.
func TestFaultLatency(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	ctx := context.Background()
	mockserver.SetFaultRandom(m.server, func() float64 { return 0 }, func(n int64) int64 { return n - 1 }) // the range's top
	tests := []struct {
		name    string
		latency control.Latency
		atLeast time.Duration
	}{
		{"fixed", control.Latency{Fixed: new("40ms")}, 40 * time.Millisecond},
		{"a range", control.Latency{Min: new("10ms"), Max: new("60ms")}, 60 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m.ctl.ClearFaultsWithResponse(ctx)
			if res, err := m.ctl.CreateFaultWithResponse(ctx, control.FaultRuleInput{Operation: "getCustomerBalance", Latency: &tt.latency}); err != nil || res.JSON201 == nil {
				t.Fatal(err)
			}
			start := time.Now()
			res, err := m.gb.GetCustomerBalanceWithResponse(ctx, "nobody", nil)
			if err != nil || res.StatusCode() != 404 {
				t.Fatalf("latency alone changed the answer: %v %d", err, res.StatusCode())
			}
			if took := time.Since(start); took < tt.atLeast {
				t.Fatalf("answered after %s, want at least %s", took, tt.atLeast)
			}
		})
	}
}

// TestFaultClosesConnection checks a rule that drops the connection: the
// client sees the connection end without an answer, nothing changes, and
// the journal says so.
func TestFaultClosesConnection(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	ctx := context.Background()
	if res, err := m.ctl.CreateFaultWithResponse(ctx, control.FaultRuleInput{Operation: "rewardCashback", CloseConnection: new(true), Times: new(1)}); err != nil || res.JSON201 == nil {
		t.Fatal(err)
	}
	_, err := m.gb.RewardCashbackWithResponse(ctx, cashbackBody("dropped", "CLOSE-1", 10))
	if err == nil || !(errors.Is(err, io.EOF) || strings.Contains(err.Error(), "EOF") || strings.Contains(err.Error(), "reset")) {
		t.Fatalf("the client got %v, want the connection closed", err)
	}
	if _, ok := customer(t, m, "default", "dropped"); ok {
		t.Fatal("the dropped request changed the state")
	}
	j, _ := m.ctl.ListJournalWithResponse(ctx, &control.ListJournalParams{Operation: new("rewardCashback")})
	if j.JSON200 == nil || len(j.JSON200.Entries) != 1 || j.JSON200.Entries[0].Status != 0 || !deref(j.JSON200.Entries[0].Closed) {
		t.Fatalf("journal %s", j.Body)
	}
	// The rule was used up: the retry goes through.
	if res, err := m.gb.RewardCashbackWithResponse(ctx, cashbackBody("dropped", "CLOSE-1", 10)); err != nil || res.StatusCode() != 200 {
		t.Fatalf("retry: %v", err)
	}
}

package loyalty

import (
	"testing"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

func TestSeedCustomerLedger(t *testing.T) {
	_, a, clock := newTestEngine(t, func(c *Config) {
		c.Program.Tiers = []Tier{{Name: "Gold", Rate: 2, MinEarnedPoints: 1000}}
	})
	week := t0.Add(7 * 24 * time.Hour)
	view, err := a.SeedCustomer(CustomerSeed{
		ID: "vip", Tier: "Gold", Points: 100,
		Ledger: []SeedEntry{
			{Kind: EntryCashback, TransactionID: "F-1", Points: 40, Time: t0.Add(-time.Hour), AvailableAt: week},
			{Kind: EntryManual, TransactionID: "F-2", Points: -30, Reason: "redeemed", Username: "qa"},
			{Kind: EntryAdjustment, Points: 5},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if view.Tier != "Gold" || view.Balance.AvailablePoints != 75 || view.Balance.PendingPoints != 40 {
		t.Fatalf("seeded view %+v, want Gold with 75 available and 40 pending", view)
	}
	ledger, _ := a.Ledger("vip")
	if len(ledger) != 4 || ledger[0].Reason != "opening balance" || ledger[1].TransactionID != "F-1" || !ledger[1].AvailableAt.Equal(week) {
		t.Fatalf("ledger %+v", ledger)
	}
	if ledger[2].Time != t0 || ledger[2].AvailableAt != t0 {
		t.Fatalf("an entry without times is now, available now: %+v", ledger[2])
	}
	clock.Set(week)
	if b := balanceOf(t, a, "vip"); b.AvailablePoints != 115 || b.PendingPoints != 0 {
		t.Fatalf("after the return window: %+v", b)
	}
	// A seeded transactionId is used like any other.
	if _, err := a.RewardCashback(cashback("vip", "F-1", 1)); err == nil {
		t.Fatal("a seeded transactionId was accepted again")
	}
}

func TestSeedCustomerRefusalsChangeNothing(t *testing.T) {
	tests := []struct {
		name string
		seed CustomerSeed
		code errcode.Code
	}{
		{"no id", CustomerSeed{}, errcode.MissingArgument},
		{"existing", CustomerSeed{ID: "c1"}, errcode.InvalidValue},
		{"unknown tier", CustomerSeed{ID: "n", Tier: "Platinum"}, errcode.InvalidValue},
		{"negative opening balance", CustomerSeed{ID: "n", Points: -1}, errcode.InvalidValue},
		{"unknown kind", CustomerSeed{ID: "n", Ledger: []SeedEntry{{Kind: EntryKind(99), Points: 1}}}, errcode.InvalidValue},
		{"zero points", CustomerSeed{ID: "n", Ledger: []SeedEntry{{Kind: EntryAdjustment}}}, errcode.InvalidValue},
		{"cashback without transactionId", CustomerSeed{ID: "n", Ledger: []SeedEntry{{Kind: EntryCashback, Points: 1}}}, errcode.InvalidValue},
		{"transactionId in use", CustomerSeed{ID: "n", Ledger: []SeedEntry{{Kind: EntryManual, TransactionID: "T1", Points: 1}}}, errcode.InvalidValue},
		{"transactionId twice", CustomerSeed{ID: "n", Ledger: []SeedEntry{
			{Kind: EntryManual, TransactionID: "X", Points: 1}, {Kind: EntryCashback, TransactionID: "X", Points: 1}}}, errcode.InvalidValue},
		{"available before its time", CustomerSeed{ID: "n", Ledger: []SeedEntry{
			{Kind: EntryAdjustment, Points: 1, Time: t0, AvailableAt: t0.Add(-time.Second)}}}, errcode.InvalidValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, a, _ := newTestEngine(t, nil)
			if _, err := a.RewardCashback(cashback("c1", "T1", 10)); err != nil {
				t.Fatal(err)
			}
			before := e.Snapshot()
			_, err := a.SeedCustomer(tt.seed)
			wantCode(t, err, tt.code)
			if !sameJSON(t, before, e.Snapshot()) {
				t.Fatal("a refused seed changed the state")
			}
		})
	}
}

func TestEngineSeedIsAllOrNothing(t *testing.T) {
	twoAccounts := func(c *Config) {
		c.Accounts = append(c.Accounts, AccountConfig{Name: "second", APIKey: "key2", SecretKey: "secret2"})
	}
	tests := []struct {
		name  string
		seeds []AccountSeed
		code  errcode.Code
	}{
		{"a bad customer in the second account", []AccountSeed{
			{Account: "default", Customers: []CustomerSeed{{ID: "ok1", Points: 5}}},
			{Account: "second", Customers: []CustomerSeed{{ID: "ok2"}, {ID: "ok2"}}},
		}, errcode.InvalidValue},
		{"an unknown account", []AccountSeed{
			{Account: "default", Customers: []CustomerSeed{{ID: "ok1"}}},
			{Account: "third"},
		}, errcode.NotFound},
		{"an account twice", []AccountSeed{{Account: "default"}, {Account: "default"}}, errcode.InvalidValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, a, _ := newTestEngine(t, twoAccounts)
			if _, err := a.RewardCashback(cashback("c1", "T1", 10)); err != nil {
				t.Fatal(err)
			}
			before, count := e.Snapshot(), e.ChangeCount()
			_, err := e.Seed(tt.seeds)
			wantCode(t, err, tt.code)
			if !sameJSON(t, before, e.Snapshot()) || e.ChangeCount() != count {
				t.Fatal("a refused seed changed the state")
			}
		})
	}

	t.Run("replace", func(t *testing.T) {
		e, a, _ := newTestEngine(t, twoAccounts)
		if _, err := a.RewardCashback(cashback("c1", "T1", 10)); err != nil {
			t.Fatal(err)
		}
		seeded, err := e.Seed([]AccountSeed{
			{Account: "default", Replace: true, Customers: []CustomerSeed{{ID: "n1", Points: 7}}},
			{Account: "second", Customers: []CustomerSeed{{ID: "n2"}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(seeded) != 2 || seeded[0].Account != "default" || seeded[0].Customer.Balance.AvailablePoints != 7 || seeded[1].Account != "second" {
			t.Fatalf("seeded %+v", seeded)
		}
		if got := a.Customers(); len(got) != 1 || got[0].ID != "n1" {
			t.Fatalf("after replace the account holds %+v, want n1 only", got)
		}
		// The replaced account's ids start again.
		if res, err := a.RewardCashback(cashback("c1", "T1", 10)); err != nil || res.GameballTransactionID != 2 {
			t.Fatalf("after replace: %+v, %v", res, err)
		}
	})
}

// TestSeedWhileAJobRuns checks that a job running when its account is
// seeded resumes on the seeded copy and applies every item exactly once.
func TestSeedWhileAJobRuns(t *testing.T) {
	e, a, _ := newTestEngine(t, func(c *Config) { c.Batch.ItemDelay = 2 * time.Millisecond })
	items := make([]Adjustment, 40)
	for i := range items {
		items[i] = Adjustment{CustomerID: "job", Points: 1}
	}
	id, err := a.SubmitAdjustmentBatch(items)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := e.Seed([]AccountSeed{{Account: "default", Customers: []CustomerSeed{{ID: string(rune('p' + i)), Points: 1}}}}); err != nil {
			t.Fatal(err)
		}
	}
	st := waitBatch(t, a, id)
	if st.State != BatchCompleted || st.ProcessedItems != 40 || st.FailedItems != 0 {
		t.Fatalf("job after seeds: %+v", st)
	}
	if b := balanceOf(t, a, "job"); b.AvailablePoints != 40 {
		t.Fatalf("job customer has %d points, want 40 (every item once)", b.AvailablePoints)
	}
	if got := len(a.Customers()); got != 6 {
		t.Fatalf("%d customers, want 6", got)
	}
}

// TestEngineSeedAnswersFromTheSeededState holds Seed's answer to the state
// it made, not the account's previous one (here an entry pending until far
// beyond now), with and without Replace.
func TestEngineSeedAnswersFromTheSeededState(t *testing.T) {
	farFuture := time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, replace := range []bool{false, true} {
		e, a, _ := newTestEngine(t, nil)
		out, err := e.Seed([]AccountSeed{{Account: "default", Replace: replace, Customers: []CustomerSeed{{
			ID:     "s",
			Ledger: []SeedEntry{{Kind: EntryAdjustment, Points: 5, Time: t0, AvailableAt: farFuture}},
		}}}})
		if err != nil {
			t.Fatal(err)
		}
		want := balanceOf(t, a, "s")
		if got := out[0].Customer.Balance; got != want || got.PendingPoints != 5 {
			t.Fatalf("replace=%v: Seed answered %+v, the account holds %+v (want 5 pending)", replace, got, want)
		}
	}
}

// A seeded order, paid partly with points, can be refunded as one the API
// made: the cashback counts as paid at the base rate, the redemption at the
// point value.
func TestSeededOrderRefunds(t *testing.T) {
	_, a, _ := newTestEngine(t, func(c *Config) { c.Program.PointValue = 1 })
	if _, err := a.SeedCustomer(CustomerSeed{ID: "c1", Points: 40, Ledger: []SeedEntry{
		{Kind: EntryRedemption, TransactionID: "O1", Points: -40, Time: t0},
		{Kind: EntryCashback, TransactionID: "O1", Points: 60, Time: t0},
	}}); err != nil {
		t.Fatal(err)
	}
	res, err := a.Refund(Refund{CustomerID: "c1", RefundTransactionID: "R1", ReverseTransactionID: "O1", Time: t0, Amount: new(80.0)})
	if err != nil || res.Points != 60+20 {
		t.Fatalf("refund of 80 of the seeded order: %+v, %v; want 60 taken back and 20 given back", res, err)
	}
	_, err = a.SeedCustomer(CustomerSeed{ID: "c2", Points: 10, Ledger: []SeedEntry{{Kind: EntryRedemption, TransactionID: "O2", Points: 5, Time: t0}}})
	wantCode(t, err, errcode.InvalidValue)
}

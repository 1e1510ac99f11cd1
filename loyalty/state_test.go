package loyalty

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// populate gives an engine's accounts a bit of everything a state holds.
func populate(t *testing.T, e *Engine) {
	t.Helper()
	a := e.Accounts()[0]
	week := 7
	pending := Cashback{CustomerID: "c1", Email: "c1@example.com", TransactionID: "T1", Time: t0, Amount: 12.5,
		Merchant: &Merchant{UniqueID: "M1", Name: "Shop"}, ReturnWindow: &week}
	if _, err := a.RewardCashback(pending); err != nil {
		t.Fatal(err)
	}
	alias := cashback("c1-pos", "T2", 30)
	alias.Email = "C1@example.com"
	if _, err := a.RewardCashback(alias); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddManualTransaction(manual("c1", "M1", -10)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SeedCustomer(CustomerSeed{ID: "vip", Tier: "Gold", Points: 500}); err != nil {
		t.Fatal(err)
	}
	id, err := a.SubmitCashbackBatch([]Cashback{cashback("c2", "B1", 5), cashback("c2", "B1", 5)})
	if err != nil {
		t.Fatal(err)
	}
	waitBatch(t, a, id)
	if _, err := e.Accounts()[1].AddManualTransaction(manual("other", "M1", 3)); err != nil {
		t.Fatal(err)
	}
}

func stateTestConfig(c *Config) {
	c.Program.ChannelMerging = MergeEmail
	c.Program.Tiers = []Tier{{Name: "Gold", Rate: 2, MinEarnedPoints: 1000}}
	c.Accounts = append(c.Accounts, AccountConfig{Name: "second", APIKey: "key2", SecretKey: "secret2"})
}

func TestSnapshotRestoreRoundTrip(t *testing.T) {
	e, _, _ := newTestEngine(t, stateTestConfig)
	populate(t, e)
	saved, err := json.Marshal(e.Snapshot())
	if err != nil {
		t.Fatal(err)
	}

	fresh, _, _ := newTestEngine(t, stateTestConfig)
	var loaded State
	if err := json.Unmarshal(saved, &loaded); err != nil {
		t.Fatal(err)
	}
	if err := fresh.Restore(loaded); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(fresh.Snapshot())
	if string(again) != string(saved) {
		t.Fatalf("round trip differs:\n%s\n%s", saved, again)
	}
	for i, a := range e.Accounts() {
		b := fresh.Accounts()[i]
		if !sameJSON(t, a.Customers(), b.Customers()) || !sameJSON(t, a.Batches(), b.Batches()) {
			t.Fatalf("account %s: customers or batches differ after restore", a.Name())
		}
		for _, c := range a.Customers() {
			want, _ := a.Ledger(c.ID)
			got, _ := b.Ledger(c.ID)
			if !sameJSON(t, want, got) {
				t.Fatalf("ledger of %s differs", c.ID)
			}
		}
	}

	// Derived state came back too: used transactionIds, aliases, merging, counters.
	a := fresh.Accounts()[0]
	_, err = a.RewardCashback(cashback("anyone", "T1", 1))
	wantCode(t, err, errcode.DuplicateTransaction)
	if b := balanceOf(t, a, "c1-pos"); b.CustomerID != "c1" {
		t.Fatalf("alias lost: %+v", b)
	}
	merged := cashback("third-id", "T9", 1)
	merged.Email = "c1@example.com"
	got, err := a.RewardCashback(merged)
	if err != nil || got.CustomerID != "c1" || got.GameballTransactionID != 6 {
		t.Fatalf("%+v, %v; want landing on c1 with the next id 6", got, err)
	}
	if id, _ := a.SubmitAdjustmentBatch([]Adjustment{{CustomerID: "c1", Points: 1}}); id != 2 {
		t.Fatalf("next batch id %d, want 2", id)
	}
}

func TestRestoreRefusesInconsistentState(t *testing.T) {
	base, _, _ := newTestEngine(t, stateTestConfig)
	populate(t, base)

	tests := []struct {
		name    string
		corrupt func(s *State)
		want    string
	}{
		{"wrong version", func(s *State) { s.Version = 99 }, "version 99 is not supported"},
		{"unknown account", func(s *State) { s.Accounts[1].Name = "nope" }, `account "nope" is not configured`},
		{"account twice", func(s *State) { s.Accounts[1].Name = "default" }, "appears twice"},
		{"duplicate transactionId", func(s *State) {
			s.Accounts[0].Customers[0].Ledger[1].TransactionID = s.Accounts[0].Customers[0].Ledger[0].TransactionID
		}, `transactionId "T1" appears twice`},
		{"duplicate gameballTransactionId", func(s *State) {
			c := s.Accounts[0].Customers
			c[len(c)-1].Ledger[0].GameballTransactionID = c[0].Ledger[0].GameballTransactionID
		}, "is also used by customer"},
		{"id above the counter", func(s *State) { s.Accounts[0].LastGameballTransactionID = 2 }, "above lastGameballTransactionId"},
		{"duplicate customer", func(s *State) {
			s.Accounts[0].Customers = append(s.Accounts[0].Customers, s.Accounts[0].Customers[0])
		}, "appears twice"},
		{"alias that is a profile", func(s *State) { s.Accounts[0].Customers[0].Aliases = []string{"vip"} }, `alias "vip"`},
		{"unknown tier", func(s *State) { s.Accounts[0].Customers[0].Tier = "Platinum" }, `tier "Platinum"`},
		{"unknown entry kind", func(s *State) { s.Accounts[0].Customers[0].Ledger[0].Kind = EntryKind(99) }, `kind "EntryKind(99)"`},
		{"cashback without transactionId", func(s *State) { s.Accounts[0].Customers[0].Ledger[0].TransactionID = "" }, "needs a transactionId"},
		{"merging email shared", func(s *State) { s.Accounts[0].Customers[len(s.Accounts[0].Customers)-1].Email = "c1@example.com" }, "channel merging by email"},
		{"batch state unknown", func(s *State) { s.Accounts[0].Batches[0].State = "done" }, `state "done"`},
		{"completed batch missing outcomes", func(s *State) { s.Accounts[0].Batches[0].Outcomes = nil }, "completed with 0 of 2"},
		{"batch id above the counter", func(s *State) { s.Accounts[0].LastBatchID = 0 }, "above lastBatchId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s State
			raw, _ := json.Marshal(base.Snapshot())
			if err := json.Unmarshal(raw, &s); err != nil {
				t.Fatal(err)
			}
			tt.corrupt(&s)
			target, a, _ := newTestEngine(t, stateTestConfig)
			if _, err := a.RewardCashback(cashback("keep", "K1", 1)); err != nil {
				t.Fatal(err)
			}
			before := target.Snapshot()
			err := target.Restore(s)
			if e := wantCode(t, err, errcode.InvalidValue); !strings.Contains(e.Message, tt.want) {
				t.Fatalf("error %q, want it to mention %q", e.Message, tt.want)
			}
			if !sameJSON(t, before, target.Snapshot()) {
				t.Fatal("a refused restore changed the state")
			}
		})
	}
}

func TestRestoredRunningJobResumes(t *testing.T) {
	e, a, _ := newTestEngine(t, nil)
	items := []BatchItem{cashbackItem(cashback("c1", "T1", 1)), cashbackItem(cashback("c1", "T2", 2)), cashbackItem(cashback("c1", "T3", 3))}
	ledger := []LedgerEntry{{GameballTransactionID: 1, TransactionID: "T1", Kind: EntryCashback, Points: 1, Amount: 0.1,
		Time: t0, RecordedAt: t0, AvailableAt: t0}}
	s := State{Version: StateVersion, Accounts: []AccountState{{
		Name: "default", LastGameballTransactionID: 1, LastBatchID: 1,
		Customers: []CustomerRecord{{ID: "c1", Ledger: ledger}},
		Batches: []BatchRecord{{ID: 1, Kind: BatchOfCashback, State: BatchProcessing, SubmittedAt: t0, Items: items,
			Outcomes: []BatchOutcome{{CustomerID: "c1", TransactionID: "T1", GameballTransactionID: 1, Points: 1}}}},
	}}}
	if err := e.Restore(s); err != nil {
		t.Fatal(err)
	}
	st := waitBatch(t, a, 1)
	if st.State != BatchCompleted || st.ProcessedItems != 3 || st.FailedItems != 0 {
		t.Fatalf("resumed job: %+v", st)
	}
	if b := balanceOf(t, a, "c1"); b.TotalPoints != 6 {
		t.Fatalf("c1 has %d points, want 1 + 2 + 3 (item 1 not applied twice)", b.TotalPoints)
	}
	// The caller's State is theirs: the engine copied it.
	if s.Accounts[0].Batches[0].State != BatchProcessing || len(s.Accounts[0].Customers[0].Ledger) != 1 {
		t.Fatal("Restore changed the State it was given")
	}
}

func TestRestoreWhileAJobRuns(t *testing.T) {
	e, a, _ := newTestEngine(t, func(c *Config) { c.Batch.ItemDelay = time.Hour })
	empty := e.Snapshot()
	id, _ := a.SubmitAdjustmentBatch([]Adjustment{{CustomerID: "a", Points: 1}, {CustomerID: "a", Points: 1}})
	if err := e.Restore(empty); err != nil {
		t.Fatal(err)
	}
	if _, err := a.BatchStatus(id); err == nil {
		t.Fatal("the job survived a restore of a state without it")
	}
	// The old job's worker let go: a new job runs (its pause comes after its
	// only item).
	next, _ := a.SubmitAdjustmentBatch([]Adjustment{{CustomerID: "b", Points: 1}})
	if st := waitBatch(t, a, next); st.State != BatchCompleted {
		t.Fatalf("%+v", st)
	}
}

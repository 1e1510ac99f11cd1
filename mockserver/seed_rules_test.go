package mockserver_test

import (
	"context"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/mockserver/control"
)

// TestSeedsAndStatesRefuseWhatNoCallCouldMake: a seed or a state file
// holding an entry no API call could have written is refused (422/3003)
// and changes nothing. Before, a cashback of -70 points was seeded (balance
// -70) and loaded from a state file.
func TestSeedsAndStatesRefuseWhatNoCallCouldMake(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	ctx := context.Background()
	later := time.Now().Add(48 * time.Hour).UTC()
	seeds := []struct {
		name   string
		ledger []control.LedgerFixture
		points int64
	}{
		{"a cashback of -70 points", []control.LedgerFixture{{Kind: control.EntryKindCashback, TransactionID: new("CB-70"), Points: -70}}, 100},
		{"a deduction with nothing to deduct from", []control.LedgerFixture{{Kind: control.EntryKindManual, TransactionID: new("M-70"), Points: -70}}, 0},
		{"a deduction larger than the points before it", []control.LedgerFixture{
			{Kind: control.EntryKindManual, TransactionID: new("M-71"), Points: -71},
			{Kind: control.EntryKindManual, TransactionID: new("M-72"), Points: 100},
		}, 70},
		{"a pending deduction", []control.LedgerFixture{{Kind: control.EntryKindAdjustment, Points: -10, AvailableAt: &later}}, 100},
		{"earned points past 9e15", []control.LedgerFixture{
			{Kind: control.EntryKindAdjustment, Points: 1e15}, {Kind: control.EntryKindAdjustment, Points: 1e15},
			{Kind: control.EntryKindAdjustment, Points: 1e15}, {Kind: control.EntryKindAdjustment, Points: 1e15},
			{Kind: control.EntryKindAdjustment, Points: 1e15}, {Kind: control.EntryKindAdjustment, Points: 1e15},
			{Kind: control.EntryKindAdjustment, Points: 1e15}, {Kind: control.EntryKindAdjustment, Points: 1e15},
			{Kind: control.EntryKindAdjustment, Points: 1e15},
		}, 1},
	}
	for _, tc := range seeds {
		res, err := m.ctl.SeedWithResponse(ctx, control.Fixtures{Accounts: []control.AccountFixture{{Name: "default",
			Customers: []control.CustomerFixture{{ID: "fixture", Points: &tc.points, Ledger: &tc.ledger}}}}})
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode() != 422 || errorCode(res.Body) != 3003 {
			t.Errorf("seeding %s: %d %s, want 422/3003", tc.name, res.StatusCode(), res.Body)
		}
		if _, found := customer(t, m, "default", "fixture"); found {
			t.Fatalf("seeding %s created the customer", tc.name)
		}
	}

	// A state file with a cashback of -70 points, as a hand edit would make it.
	recorded := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	state := control.MockState{Format: control.MockStateFormatV1, Version: loyalty.StateVersion, Accounts: []control.StateAccount{{
		Name: "default", LastGameballTransactionID: 2, Batches: []control.StateBatch{},
		Customers: []control.StateCustomer{{ID: "edited", Ledger: []control.LedgerEntry{
			{GameballTransactionID: 1, Kind: control.EntryKindAdjustment, Points: 100, Time: recorded, RecordedAt: recorded, AvailableAt: recorded},
			{GameballTransactionID: 2, Kind: control.EntryKindCashback, TransactionID: new("CB-70"), Points: -70, Time: recorded, RecordedAt: recorded, AvailableAt: recorded},
		}}},
	}}}
	res, err := m.ctl.PutStateWithResponse(ctx, state)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode() != 422 || errorCode(res.Body) != 3003 {
		t.Errorf("loading a cashback of -70: %d %s, want 422/3003", res.StatusCode(), res.Body)
	}
	if _, found := customer(t, m, "default", "edited"); found {
		t.Error("the refused state was loaded")
	}
	// The same state with the cashback's sign as the API writes it loads.
	state.Accounts[0].Customers[0].Ledger[1].Points = 70
	if res, err := m.ctl.PutStateWithResponse(ctx, state); err != nil || res.StatusCode() != 204 {
		t.Errorf("loading the state as the API writes it: %v %s", err, bodyOf(res, func(r *control.PutStateResponse) []byte { return r.Body }))
	}
}

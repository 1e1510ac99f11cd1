package loyalty

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// A restored ledger comes back from Snapshot as it was given: other time
// zones, times far from now, amounts that are not the points' value.
func TestSnapshotGivesBackRestoredEntries(t *testing.T) {
	e, a, _ := newTestEngine(t, nil)
	cairo := time.FixedZone("EET", 2*60*60)
	ledger := []LedgerEntry{
		{GameballTransactionID: 1, TransactionID: "T1", Kind: EntryCashback, Points: 10, Amount: 1,
			Time: t0, RecordedAt: t0.Add(time.Nanosecond), AvailableAt: t0.Add(48 * time.Hour)},
		{GameballTransactionID: 2, TransactionID: "T2", Kind: EntryManual, Points: -3, Amount: -0.3,
			Time: t0.In(cairo), RecordedAt: t0, AvailableAt: t0, Reason: "refund", Username: "ops"},
		{GameballTransactionID: 3, Kind: EntryAdjustment, Points: 5, Amount: 42,
			Time: t0, RecordedAt: t0, AvailableAt: t0, Reason: "refund", Username: "ops"},
		{GameballTransactionID: 4, TransactionID: "T4", Kind: EntryCashback, Points: 2, Amount: 0.2,
			Time: time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC), RecordedAt: t0, AvailableAt: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	s := State{Version: StateVersion, Accounts: []AccountState{{
		Name: "default", LastGameballTransactionID: 4,
		Customers: []CustomerRecord{{ID: "c1", Aliases: []string{"c1-old"}, Ledger: ledger}},
		Batches:   []BatchRecord{},
	}}}
	if err := e.Restore(s); err != nil {
		t.Fatal(err)
	}
	got := e.Snapshot().Accounts[0].Customers[0].Ledger
	if !reflect.DeepEqual(got, ledger) {
		t.Fatalf("snapshot ledger:\n%+v\nwant\n%+v", got, ledger)
	}
	if b := balanceOf(t, a, "c1-old"); b.TotalEarnedPoints != 17 || b.PendingPoints != 12 {
		t.Fatalf("balance %+v", b)
	}
}

// The transactionId index keeps finding every id as it grows and after a
// snapshot is restored, long ids included.
func TestTransactionIDsStayKnown(t *testing.T) {
	e, a, _ := newTestEngine(t, nil)
	long := strings.Repeat("x", 1<<16)
	ids := []string{long}
	for i := range 5000 {
		ids = append(ids, fmt.Sprintf("T-%d-%s", i, strings.Repeat("y", i%40)))
	}
	for _, id := range ids {
		if _, err := a.RewardCashback(cashback("c1", id, 1)); err != nil {
			t.Fatalf("%.20s: %v", id, err)
		}
	}
	check := func() {
		t.Helper()
		for _, id := range ids {
			wantCode(t, func() error { _, err := a.RewardCashback(cashback("c2", id, 1)); return err }(), errcode.DuplicateTransaction)
		}
		if _, err := a.RewardCashback(cashback("c2", "T-new", 1)); err != nil {
			t.Fatal(err)
		}
	}
	check()
	ledger, err := a.Ledger("c1")
	if err != nil || len(ledger) != len(ids) || ledger[0].TransactionID != long || ledger[4000].TransactionID != ids[4000] {
		t.Fatalf("ledger of %d entries, %v", len(ledger), err)
	}
	if err := e.Restore(e.Snapshot()); err != nil {
		t.Fatal(err)
	}
	ids = append(ids, "T-new")
	wantCode(t, func() error { _, err := a.RewardCashback(cashback("c2", "T-new", 1)); return err }(), errcode.DuplicateTransaction)
	ids = ids[:len(ids)-1]
	for _, id := range ids {
		wantCode(t, func() error { _, err := a.RewardCashback(cashback("c2", id, 1)); return err }(), errcode.DuplicateTransaction)
	}
}

package loyalty

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// t0 is "now" in every test unless a test moves the clock.
var t0 = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

// testConfig is a plain program (1 point per unit, 0.1 per point, nothing
// pending, no tiers, rates or campaigns) with one account, so each test adds
// exactly the rules it is about.
func testConfig() Config {
	return Config{
		Program: Program{
			Currency:        "USD",
			PointsName:      "Points",
			PointValue:      0.1,
			BaseRate:        1,
			ChannelMerging:  MergeNone,
			CashbackEnabled: true,
			FutureTolerance: time.Minute,
		},
		Accounts: []AccountConfig{{Name: "default", APIKey: "key1", SecretKey: "secret1"}},
	}
}

// newTestEngine starts an engine on testConfig changed by edit, with a
// FakeClock at t0, and closes it when the test ends.
func newTestEngine(t testing.TB, edit func(*Config)) (*Engine, *Account, *FakeClock) {
	t.Helper()
	cfg := testConfig()
	if edit != nil {
		edit(&cfg)
	}
	clock := NewFakeClock(t0)
	e, err := New(cfg, clock)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(e.Close)
	return e, e.Accounts()[0], clock
}

func cashback(customerID, transactionID string, amount float64) Cashback {
	return Cashback{CustomerID: customerID, TransactionID: transactionID, Time: t0, Amount: amount}
}

func manual(customerID, transactionID string, points int64) ManualTransaction {
	return ManualTransaction{CustomerID: customerID, TransactionID: transactionID, Time: t0, Points: &points, Reason: "test", Username: "qa"}
}

// wantCode fails unless err is a *Error with code.
func wantCode(t fataler, err error, code errcode.Code) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want *loyalty.Error with code %d", err, err, code)
	}
	if e.Code != code {
		t.Fatalf("error code = %d (%s), want %d", e.Code, e.Message, code)
	}
	return e
}

// fataler is what the helpers need of a test: *testing.T and *rapid.T both fit.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

func balanceOf(t fataler, a *Account, customerID string) Balance {
	t.Helper()
	b, err := a.Balance(customerID)
	if err != nil {
		t.Fatalf("Balance(%q): %v", customerID, err)
	}
	return b
}

// waitBatch polls a job until it has finished, failing after a generous
// deadline; jobs without an item delay finish in milliseconds.
func waitBatch(t fataler, a *Account, id int64) BatchStatus {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := a.BatchStatus(id)
		if err != nil {
			t.Fatalf("BatchStatus(%d): %v", id, err)
		}
		if st.State == BatchCompleted || st.State == BatchFailed {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("batch %d still %s after 10s (%d of %d items)", id, st.State, st.ProcessedItems, st.TotalItems)
		}
		time.Sleep(time.Millisecond)
	}
}

// ledgerSum is what a customer's ledger adds up to.
func ledgerSum(entries []LedgerEntry) int64 {
	var sum int64
	for _, e := range entries {
		sum += e.Points
	}
	return sum
}

// sameJSON reports whether two values encode to the same JSON.
func sameJSON(t testing.TB, x, y any) bool {
	t.Helper()
	xj, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	yj, err := json.Marshal(y)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(xj, yj)
}

package loyalty

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
	"pgregory.net/rapid"
)

// ledgerMachine drives one account with random operations and checks after
// each that the books add up.
type ledgerMachine struct {
	engine  *Engine
	account *Account
	clock   *FakeClock
	expiry  bool
	back    bool     // the clock was moved back at some point
	used    []string // transactionIds that were accepted
	next    int
}

func (m *ledgerMachine) transactionID() string {
	m.next++
	return fmt.Sprintf("T%d", m.next)
}

func (m *ledgerMachine) customer(t *rapid.T) string {
	return rapid.SampledFrom([]string{"a", "b", "c", "d"}).Draw(t, "customer")
}

func (m *ledgerMachine) note(transactionID string, err error) {
	if err == nil {
		m.used = append(m.used, transactionID)
	}
}

func (m *ledgerMachine) Cashback(t *rapid.T) {
	c := Cashback{
		CustomerID:    m.customer(t),
		TransactionID: m.transactionID(),
		Time:          m.clock.Now().Add(-time.Duration(rapid.IntRange(0, 72).Draw(t, "hoursAgo")) * time.Hour),
		Amount:        rapid.Float64Range(0, 500).Draw(t, "amount"),
	}
	window := rapid.IntRange(0, 5).Draw(t, "returnWindow")
	c.ReturnWindow = &window
	_, err := m.account.RewardCashback(c)
	m.note(c.TransactionID, err)
}

func (m *ledgerMachine) Manual(t *rapid.T) {
	points := rapid.Int64Range(-300, 300).Filter(func(p int64) bool { return p != 0 }).Draw(t, "points")
	tx := manual(m.customer(t), m.transactionID(), points)
	tx.Time = m.clock.Now()
	_, err := m.account.AddManualTransaction(tx)
	if err != nil && points > 0 {
		t.Fatalf("adding %d points refused: %v", points, err)
	}
	m.note(tx.TransactionID, err)
}

func (m *ledgerMachine) Batch(t *rapid.T) {
	n := rapid.IntRange(1, 5).Draw(t, "items")
	var id int64
	var err error
	if rapid.Bool().Draw(t, "adjustments") {
		items := make([]Adjustment, n)
		for i := range items {
			items[i] = Adjustment{CustomerID: m.customer(t), Points: float64(rapid.Int64Range(-200, 200).Draw(t, "points"))}
		}
		id, err = m.account.SubmitAdjustmentBatch(items)
	} else {
		items := make([]Cashback, n)
		for i := range items {
			items[i] = Cashback{CustomerID: m.customer(t), TransactionID: m.transactionID(), Time: m.clock.Now(),
				Amount: rapid.Float64Range(0, 100).Draw(t, "amount")}
		}
		id, err = m.account.SubmitCashbackBatch(items)
	}
	if err != nil {
		t.Fatal(err)
	}
	st := waitBatch(t, m.account, id)
	for _, r := range st.Results {
		m.note(r.TransactionID, nil)
	}
}

func (m *ledgerMachine) Advance(t *rapid.T) {
	m.clock.Advance(time.Duration(rapid.IntRange(1, 72).Draw(t, "hours")) * time.Hour)
}

// Back moves the clock back, as a tester may: nothing recorded is undone.
func (m *ledgerMachine) Back(t *rapid.T) {
	m.clock.Advance(-time.Duration(rapid.IntRange(1, 120).Draw(t, "hoursBack")) * time.Hour)
	m.back = true
}

// Replay sends an accepted transactionId again, as cashback or manual: it
// must be refused with 9004 and change nothing at all.
func (m *ledgerMachine) Replay(t *rapid.T) {
	var ids []string
	for _, id := range m.used {
		if id != "" {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		t.Skip("nothing to replay yet")
	}
	id := rapid.SampledFrom(ids).Draw(t, "replayed")
	before, _ := json.Marshal(m.engine.Snapshot())
	var err error
	if rapid.Bool().Draw(t, "asCashback") {
		_, err = m.account.RewardCashback(Cashback{CustomerID: m.customer(t), TransactionID: id, Time: m.clock.Now(), Amount: 50})
	} else {
		tx := manual(m.customer(t), id, 50)
		tx.Time = m.clock.Now()
		_, err = m.account.AddManualTransaction(tx)
	}
	wantCode(t, err, errcode.DuplicateTransaction)
	if after, _ := json.Marshal(m.engine.Snapshot()); string(after) != string(before) {
		t.Fatalf("replaying %q changed the state", id)
	}
}

// Check runs after every action.
func (m *ledgerMachine) Check(t *rapid.T) {
	now := m.clock.Now()
	seen := map[string]bool{}
	for _, c := range m.account.Customers() {
		entries, err := m.account.Ledger(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var pending int64
		for _, e := range entries {
			if e.TransactionID != "" {
				if seen[e.TransactionID] {
					t.Fatalf("transactionId %q twice in the ledgers", e.TransactionID)
				}
				seen[e.TransactionID] = true
			}
			if e.AvailableAt.After(now) {
				pending += e.Points
			}
		}
		b := c.Balance
		if b.AvailablePoints < 0 || b.PendingPoints < 0 || b.HeldPoints != 0 || b.TotalPoints != b.AvailablePoints+b.HeldPoints+b.PendingPoints {
			t.Fatalf("customer %s: available %d, held %d, pending %d, total %d: a component is negative, a hold was made, or total is not their sum",
				c.ID, b.AvailablePoints, b.HeldPoints, b.PendingPoints, b.TotalPoints)
		}
		// After the clock moved back, deductions recorded later than now
		// still count, and may have spent points pending again (see standing).
		if !m.back && b.PendingPoints != pending {
			t.Fatalf("customer %s: %+v, want pending %d", c.ID, b, pending)
		}
		if !m.expiry && b.TotalPoints != ledgerSum(entries) {
			t.Fatalf("customer %s: total %d, ledger sums to %d", c.ID, b.TotalPoints, ledgerSum(entries))
		}
	}
}

func TestLedgerProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		expiry := rapid.SampledFrom([]int{0, 0, 3}).Draw(t, "pointsExpiry")
		cfg := testConfig()
		cfg.Program.PointsExpiry = expiry
		clock := NewFakeClock(t0)
		e, err := New(cfg, clock)
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		m := &ledgerMachine{engine: e, account: e.Accounts()[0], clock: clock, expiry: expiry > 0}
		t.Repeat(map[string]func(*rapid.T){
			"cashback": m.Cashback,
			"manual":   m.Manual,
			"batch":    m.Batch,
			"advance":  m.Advance,
			"back":     m.Back,
			"replay":   m.Replay,
			"":         m.Check,
		})
	})
}

package loyalty

import (
	"testing"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

func TestManualTransactionAddsAndDeducts(t *testing.T) {
	_, a, _ := newTestEngine(t, nil)
	// Gameball's example: 50 points at 0.1 a point answer amount 5.
	got, err := a.AddManualTransaction(manual("c1", "txn543211", 50))
	if err != nil {
		t.Fatal(err)
	}
	want := ManualResult{CustomerID: "c1", GameballTransactionID: 1, TransactionID: "txn543211", Points: 50, Amount: 5}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if _, err := a.AddManualTransaction(manual("c1", "txn2", -20)); err != nil {
		t.Fatal(err)
	}
	b := balanceOf(t, a, "c1")
	if b.AvailablePoints != 30 || b.TotalEarnedPoints != 50 || b.PendingPoints != 0 {
		t.Fatalf("balance %+v, want 30 available of 50 earned", b)
	}
	entries, _ := a.Ledger("c1")
	if len(entries) != 2 || entries[0].Reason != "test" || entries[0].Username != "qa" || entries[1].Amount != -2 {
		t.Fatalf("ledger %+v", entries)
	}
}

func TestDeductionBeyondAvailableChangesNothing(t *testing.T) {
	_, a, _ := newTestEngine(t, nil)
	if _, err := a.AddManualTransaction(manual("c1", "M1", 100)); err != nil {
		t.Fatal(err)
	}
	pending := cashback("c1", "C1", 500)
	week := 7
	pending.ReturnWindow = &week
	if _, err := a.RewardCashback(pending); err != nil {
		t.Fatal(err)
	}
	before := a.snapshot()

	_, err := a.AddManualTransaction(manual("c1", "M2", -101))
	e := wantCode(t, err, errcode.InsufficientBalance)
	if e.Message != `customer "c1" has 100 available points; cannot deduct 101` {
		t.Errorf("message %q", e.Message)
	}
	_, err = a.AddManualTransaction(manual("nobody", "M3", -1))
	wantCode(t, err, errcode.InsufficientBalance)

	if after := a.snapshot(); !sameJSON(t, before, after) {
		t.Fatal("a refused deduction changed the state")
	}
	// The refused transactionId was not used up.
	if _, err := a.AddManualTransaction(manual("c1", "M2", -100)); err != nil {
		t.Fatalf("deducting exactly the available points: %v", err)
	}
}

func TestManualTransactionRefusals(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*ManualTransaction)
		code    errcode.Code
		message string // "": any
	}{
		{"zero points", func(m *ManualTransaction) { m.Points = new(int64(0)) }, errcode.InvalidValue, ""},
		{"points beyond the bound", func(m *ManualTransaction) { m.Points = new(int64(2e15)) }, errcode.InvalidValue, ""},
		{"missing customerId", func(m *ManualTransaction) { m.CustomerID = "" }, errcode.MissingArgument, ""},
		{"missing transactionId", func(m *ManualTransaction) { m.TransactionID = "" }, errcode.MissingArgument, ""},
		{"future transactionTime", func(m *ManualTransaction) { m.Time = t0.Add(time.Hour) }, errcode.InvalidTransactionTime, ""},
		{"both points and amount", func(m *ManualTransaction) { m.Amount = new(5.0) }, errcode.InvalidPayload, "Only one rewarding method may be specified"},
		{"neither points nor amount", func(m *ManualTransaction) { m.Points = nil }, errcode.MissingArgument, "A rewarding criteria is required"},
		{"negative expiryAfter", func(m *ManualTransaction) { m.ExpiryAfter = new(-1) }, errcode.InvalidPayload, "Expiry cannot be negative"},
		{"expiryAfter on a deduction", func(m *ManualTransaction) { m.Points, m.ExpiryAfter = new(int64(-5)), new(30) }, errcode.InvalidPayload, "Deduction cannot have expiry"},
		{"expiryAfter on a deduction by amount", func(m *ManualTransaction) { m.Points, m.Amount, m.ExpiryAfter = nil, new(-1.0), new(0) }, errcode.InvalidPayload, "Deduction cannot have expiry"},
		{"expiryAfter beyond 20 years", func(m *ManualTransaction) { m.ExpiryAfter = new(7301) }, errcode.InvalidValue, ""},
		{"amount worth less than a point", func(m *ManualTransaction) { m.Points, m.Amount = nil, new(0.04) }, errcode.InvalidValue, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, a, _ := newTestEngine(t, nil)
			m := manual("c1", "M1", 10)
			tt.edit(&m)
			_, err := a.AddManualTransaction(m)
			e := wantCode(t, err, tt.code)
			if tt.message != "" && e.Message != tt.message {
				t.Errorf("message %q, want %q", e.Message, tt.message)
			}
			if len(a.Customers()) != 0 {
				t.Fatal("a refused manual transaction created a customer")
			}
		})
	}
}

// An amount becomes whole points at the point value (0.1 in the tests),
// rounded toward zero after float noise is taken away.
func TestManualTransactionByAmount(t *testing.T) {
	tests := []struct {
		amount float64
		points int64
	}{
		{5, 50}, {0.15, 1}, {0.3, 3}, {0.7, 7}, {2.549, 25}, {-2.549, -25}, {0.1, 1},
	}
	for _, tt := range tests {
		_, a, _ := newTestEngine(t, nil)
		if tt.points < 0 {
			if _, err := a.AddManualTransaction(manual("c1", "SEED", 1000)); err != nil {
				t.Fatal(err)
			}
		}
		m := manual("c1", "M1", 0)
		m.Points, m.Amount = nil, new(tt.amount)
		res, err := a.AddManualTransaction(m)
		if err != nil {
			t.Fatalf("amount %v: %v", tt.amount, err)
		}
		if res.Points != tt.points {
			t.Errorf("amount %v: %d points, want %d", tt.amount, res.Points, tt.points)
		}
	}
}

// A transactionTime left out means now.
func TestManualTransactionTimeDefaultsToNow(t *testing.T) {
	_, a, clock := newTestEngine(t, nil)
	m := manual("c1", "M1", 10)
	m.Time = time.Time{}
	if _, err := a.AddManualTransaction(m); err != nil {
		t.Fatal(err)
	}
	ledger, err := a.Ledger("c1")
	if err != nil {
		t.Fatal(err)
	}
	if got := ledger[0].Time; !got.Equal(clock.Now()) {
		t.Errorf("transactionTime recorded as %v, want now (%v)", got, clock.Now())
	}
}

// Points added with expiryAfter expire that many days later by the clock,
// whatever the program's pointsExpiry; others follow it.
func TestManualTransactionExpiryAfter(t *testing.T) {
	const day = 24 * time.Hour
	_, a, clock := newTestEngine(t, func(c *Config) { c.Program.PointsExpiry = 30 })
	short := manual("c1", "M1", 100)
	short.ExpiryAfter = new(10)
	if _, err := a.AddManualTransaction(short); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddManualTransaction(manual("c1", "M2", 50)); err != nil {
		t.Fatal(err)
	}
	long := manual("c1", "M3", 7)
	long.ExpiryAfter = new(60)
	if _, err := a.AddManualTransaction(long); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		after                   time.Duration
		available, nextExpiring int64
	}{
		{0, 157, 100},
		{10*day - time.Second, 157, 100},
		{10 * day, 57, 50},
		{30 * day, 7, 7},
		{60 * day, 0, 0},
	}
	start := clock.Now()
	for _, st := range steps {
		clock.Set(start.Add(st.after))
		b, err := a.Balance("c1")
		if err != nil {
			t.Fatal(err)
		}
		if b.AvailablePoints != st.available || b.NextExpiringPoints != st.nextExpiring {
			t.Errorf("after %v: available %d, next expiring %d; want %d, %d", st.after, b.AvailablePoints, b.NextExpiringPoints, st.available, st.nextExpiring)
		}
	}
}

func TestPointsExpiry(t *testing.T) {
	const day = 24 * time.Hour
	_, a, clock := newTestEngine(t, func(c *Config) { c.Program.PointsExpiry = 30 })
	if _, err := a.AddManualTransaction(manual("c1", "M1", 100)); err != nil {
		t.Fatal(err)
	}
	clock.Advance(10 * day)
	m := manual("c1", "M2", 50)
	m.Time = clock.Now()
	if _, err := a.AddManualTransaction(m); err != nil {
		t.Fatal(err)
	}
	// A deduction spends the points that expire first.
	m = manual("c1", "M3", -80)
	m.Time = clock.Now()
	if _, err := a.AddManualTransaction(m); err != nil {
		t.Fatal(err)
	}

	b := balanceOf(t, a, "c1")
	firstExpiry := t0.Add(30 * day)
	if b.AvailablePoints != 70 || b.NextExpiringPoints != 20 || b.NextExpiringDate == nil || !b.NextExpiringDate.Equal(firstExpiry) || b.NextExpiringValue != 2 {
		t.Fatalf("balance %+v, want 70 available, 20 expiring at %s", b, firstExpiry)
	}
	clock.Set(firstExpiry)
	b = balanceOf(t, a, "c1")
	if b.AvailablePoints != 50 || b.NextExpiringPoints != 50 || !b.NextExpiringDate.Equal(t0.Add(40*day)) {
		t.Fatalf("after the first expiry: %+v, want 50 left expiring at day 40", b)
	}
	clock.Set(t0.Add(40 * day))
	b = balanceOf(t, a, "c1")
	if b.AvailablePoints != 0 || b.NextExpiringPoints != 0 || b.NextExpiringDate != nil || b.TotalEarnedPoints != 150 {
		t.Fatalf("after everything expired: %+v", b)
	}
	m = manual("c1", "M4", -1)
	m.Time = clock.Now()
	_, err := a.AddManualTransaction(m)
	wantCode(t, err, errcode.InsufficientBalance)
}

func TestNoExpiryMeansNoExpiringPoints(t *testing.T) {
	_, a, _ := newTestEngine(t, nil)
	if _, err := a.AddManualTransaction(manual("c1", "M1", 100)); err != nil {
		t.Fatal(err)
	}
	if b := balanceOf(t, a, "c1"); b.NextExpiringPoints != 0 || b.NextExpiringDate != nil {
		t.Fatalf("%+v, want nothing expiring", b)
	}
}

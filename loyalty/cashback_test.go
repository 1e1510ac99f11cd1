package loyalty

import (
	"math"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

func TestRewardCashbackAwards(t *testing.T) {
	_, a, _ := newTestEngine(t, nil)
	got, err := a.RewardCashback(Cashback{CustomerID: "c1", TransactionID: "T1", Time: t0, Amount: 3.5, Email: "c1@example.com", Mobile: "+100"})
	if err != nil {
		t.Fatal(err)
	}
	want := CashbackResult{CustomerID: "c1", GameballTransactionID: 1, Points: 3, RewardAmount: 0.3}
	if got != want {
		t.Fatalf("got %+v, want %+v (RewardAmount exactly 0.3, no float noise)", got, want)
	}
	second, err := a.RewardCashback(cashback("c1", "T2", 10))
	if err != nil {
		t.Fatal(err)
	}
	if second.GameballTransactionID != 2 {
		t.Fatalf("second gameballTransactionId = %d, want 2", second.GameballTransactionID)
	}
	b := balanceOf(t, a, "c1")
	if b.AvailablePoints != 13 || b.TotalPoints != 13 || b.TotalEarnedPoints != 13 || b.AvailableValue != 1.3 {
		t.Fatalf("balance %+v, want 13 points available worth 1.3", b)
	}
	if c := a.Customers(); len(c) != 1 || c[0].Email != "c1@example.com" || c[0].Mobile != "+100" {
		t.Fatalf("customers %+v, want c1 with its email and mobile stored", c)
	}
}

func TestReplayedTransactionIsRefusedAndAwardsOnce(t *testing.T) {
	_, a, _ := newTestEngine(t, nil)
	if _, err := a.RewardCashback(cashback("c1", "TXN1", 100)); err != nil {
		t.Fatal(err)
	}
	for _, replay := range []struct {
		name string
		call func() error
	}{
		{"cashback again", func() error { _, err := a.RewardCashback(cashback("c1", "TXN1", 100)); return err }},
		{"cashback for another customer", func() error { _, err := a.RewardCashback(cashback("c2", "TXN1", 5)); return err }},
		{"manual with the same id", func() error { _, err := a.AddManualTransaction(manual("c1", "TXN1", 5)); return err }},
	} {
		t.Run(replay.name, func(t *testing.T) {
			e := wantCode(t, replay.call(), errcode.DuplicateTransaction)
			if e.Message != `transactionId "TXN1" already exists` {
				t.Errorf("message %q", e.Message)
			}
		})
	}
	if b := balanceOf(t, a, "c1"); b.TotalPoints != 100 {
		t.Fatalf("balance moved more than once: %+v", b)
	}
	if _, err := a.Balance("c2"); err == nil {
		t.Fatal("a refused replay created customer c2")
	}
}

func TestRewardCashbackRefusals(t *testing.T) {
	window := func(d int) *int { return &d }
	tests := []struct {
		name string
		edit func(*Cashback)
		code errcode.Code
	}{
		{"missing customerId", func(c *Cashback) { c.CustomerID = "" }, errcode.MissingArgument},
		{"missing transactionId", func(c *Cashback) { c.TransactionID = "" }, errcode.MissingArgument},
		{"missing transactionTime", func(c *Cashback) { c.Time = time.Time{} }, errcode.MissingArgument},
		{"negative amount", func(c *Cashback) { c.Amount = -1 }, errcode.InvalidValue},
		{"amount not a number", func(c *Cashback) { c.Amount = math.NaN() }, errcode.InvalidValue},
		{"return window above 7300", func(c *Cashback) { c.ReturnWindow = window(7301) }, errcode.InvalidValue},
		{"negative return window", func(c *Cashback) { c.ReturnWindow = window(-1) }, errcode.InvalidValue},
		{"transactionTime beyond the tolerance", func(c *Cashback) { c.Time = t0.Add(time.Minute + time.Second) }, errcode.InvalidTransactionTime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, a, _ := newTestEngine(t, nil)
			c := cashback("c1", "T1", 10)
			tt.edit(&c)
			wantCode(t, func() error { _, err := a.RewardCashback(c); return err }(), tt.code)
			if len(a.Customers()) != 0 {
				t.Fatal("a refused cashback created a customer")
			}
		})
	}
	t.Run("within the tolerance is accepted", func(t *testing.T) {
		_, a, _ := newTestEngine(t, nil)
		c := cashback("c1", "T1", 10)
		c.Time = t0.Add(time.Minute)
		if _, err := a.RewardCashback(c); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCashbackDisabled(t *testing.T) {
	_, a, _ := newTestEngine(t, func(c *Config) { c.Program.CashbackEnabled = false })
	_, err := a.RewardCashback(cashback("c1", "T1", 10))
	wantCode(t, err, errcode.CashbackDisabled)
	_, err = a.SubmitCashbackBatch([]Cashback{cashback("c1", "T1", 10)})
	wantCode(t, err, errcode.CashbackDisabled)
	_, err = a.CalculatePaymentCashback(Payment{TotalPaid: 10})
	wantCode(t, err, errcode.CashbackDisabled)
	if _, err := a.AddManualTransaction(manual("c1", "M1", 5)); err != nil {
		t.Fatalf("manual transactions do not depend on cashback: %v", err)
	}
}

func TestPendingPointsMatureWithTheClock(t *testing.T) {
	sevenDays := 7
	tests := []struct {
		name          string
		programWindow int
		request       *int
	}{
		{"request's return window", 0, &sevenDays},
		{"program's return window", 7, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, a, clock := newTestEngine(t, func(c *Config) { c.Program.ReturnWindow = tt.programWindow })
			c := cashback("c1", "T1", 40)
			c.ReturnWindow = tt.request
			if _, err := a.RewardCashback(c); err != nil {
				t.Fatal(err)
			}
			check := func(at time.Time, available, pending int64) {
				t.Helper()
				clock.Set(at)
				b := balanceOf(t, a, "c1")
				if b.AvailablePoints != available || b.PendingPoints != pending || b.TotalPoints != 40 {
					t.Fatalf("at %s: %+v, want %d available, %d pending", at, b, available, pending)
				}
			}
			check(t0, 0, 40)
			check(t0.Add(7*24*time.Hour-time.Second), 0, 40)
			check(t0.Add(7*24*time.Hour), 40, 0)
			if b := balanceOf(t, a, "c1"); b.PendingValue != 0 || b.AvailableValue != 4 {
				t.Fatalf("values %+v, want 4 available", b)
			}
		})
	}
	t.Run("a window already past is available at once", func(t *testing.T) {
		_, a, _ := newTestEngine(t, func(c *Config) { c.Program.ReturnWindow = 7 })
		c := cashback("c1", "T1", 40)
		c.Time = t0.Add(-8 * 24 * time.Hour)
		if _, err := a.RewardCashback(c); err != nil {
			t.Fatal(err)
		}
		if b := balanceOf(t, a, "c1"); b.AvailablePoints != 40 {
			t.Fatalf("%+v, want 40 available", b)
		}
	})
}

func TestCashbackCampaignsUseTheTransactionTime(t *testing.T) {
	last := campaign(1, 2, ScopePayment, "")
	last.Start, last.End = t0.Add(-10*24*time.Hour), t0.Add(-5*24*time.Hour)
	_, a, _ := newTestEngine(t, func(c *Config) { c.Program.Campaigns = []Campaign{last} })
	inside := cashback("c1", "T1", 10)
	inside.Time = t0.Add(-6 * 24 * time.Hour)
	if got, err := a.RewardCashback(inside); err != nil || got.Points != 20 {
		t.Fatalf("inside the campaign: %+v, %v; want 20 points", got, err)
	}
	if got, err := a.RewardCashback(cashback("c1", "T2", 10)); err != nil || got.Points != 10 {
		t.Fatalf("after the campaign: %+v, %v; want 10 points", got, err)
	}
}

func TestTierFollowsLifetimeEarnedPoints(t *testing.T) {
	_, a, _ := newTestEngine(t, func(c *Config) {
		c.Program.Tiers = []Tier{{Name: "Bronze"}, {Name: "Gold", Rate: 2, MinEarnedPoints: 1000}}
	})
	if got, _ := a.RewardCashback(cashback("c1", "T1", 999)); got.Points != 999 {
		t.Fatalf("Bronze earned %d, want 999", got.Points)
	}
	if got, _ := a.RewardCashback(cashback("c1", "T2", 1)); got.Points != 1 {
		t.Fatalf("still Bronze earned %d, want 1", got.Points)
	}
	if got, _ := a.RewardCashback(cashback("c1", "T3", 10)); got.Points != 20 {
		t.Fatalf("Gold earned %d, want 20", got.Points)
	}
	if _, err := a.AddManualTransaction(manual("c1", "M1", -1020)); err != nil {
		t.Fatal(err)
	}
	if v := a.Customers()[0]; v.Tier != "Gold" {
		t.Fatalf("tier %q after spending; lifetime earned points keep Gold", v.Tier)
	}
	seeded, err := a.SeedCustomer(CustomerSeed{ID: "vip", Tier: "Gold"})
	if err != nil || seeded.Tier != "Gold" {
		t.Fatalf("seeded %+v, %v", seeded, err)
	}
	if got, _ := a.RewardCashback(cashback("vip", "T4", 10)); got.Points != 20 {
		t.Fatalf("seeded Gold earned %d, want 20", got.Points)
	}
}

package loyalty

import (
	"testing"

	"github.com/gbkit/gameball-go/internal/errcode"
)

func TestChannelMerging(t *testing.T) {
	withEmail := func(id, tx, email string) Cashback {
		c := cashback(id, tx, 10)
		c.Email = email
		return c
	}
	t.Run("by email lands two customerIds on one profile", func(t *testing.T) {
		_, a, _ := newTestEngine(t, func(c *Config) { c.Program.ChannelMerging = MergeEmail })
		if _, err := a.RewardCashback(withEmail("web-1", "T1", "Ann@Example.com")); err != nil {
			t.Fatal(err)
		}
		got, err := a.RewardCashback(withEmail("pos-9", "T2", " ann@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		if got.CustomerID != "web-1" {
			t.Fatalf("landed on %q, want web-1", got.CustomerID)
		}
		// The alias now reaches the profile on its own, without the email.
		if _, err := a.AddManualTransaction(manual("pos-9", "M1", 5)); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"web-1", "pos-9"} {
			if b := balanceOf(t, a, id); b.TotalPoints != 25 || b.CustomerID != "web-1" {
				t.Fatalf("balance of %s = %+v, want the shared profile's 25", id, b)
			}
		}
		cs := a.Customers()
		if len(cs) != 1 || len(cs[0].Aliases) != 1 || cs[0].Aliases[0] != "pos-9" {
			t.Fatalf("customers %+v, want web-1 with alias pos-9", cs)
		}
	})
	t.Run("none keeps them apart", func(t *testing.T) {
		_, a, _ := newTestEngine(t, nil)
		for i, id := range []string{"web-1", "pos-9"} {
			if _, err := a.RewardCashback(withEmail(id, []string{"T1", "T2"}[i], "ann@example.com")); err != nil {
				t.Fatal(err)
			}
		}
		if cs := a.Customers(); len(cs) != 2 {
			t.Fatalf("customers %+v, want two profiles", cs)
		}
	})
	t.Run("by mobile", func(t *testing.T) {
		_, a, _ := newTestEngine(t, func(c *Config) { c.Program.ChannelMerging = MergeMobile })
		first := cashback("a", "T1", 10)
		first.Mobile = "+201000"
		second := cashback("b", "T2", 10)
		second.Mobile = "+201000"
		second.Email = "other@example.com"
		if _, err := a.RewardCashback(first); err != nil {
			t.Fatal(err)
		}
		if got, err := a.RewardCashback(second); err != nil || got.CustomerID != "a" {
			t.Fatalf("%+v, %v; want landing on a", got, err)
		}
		// Email is not the merging key here.
		if got, err := a.RewardCashback(withEmail("c", "T3", "other@example.com")); err != nil || got.CustomerID != "c" {
			t.Fatalf("%+v, %v; want a profile of its own", got, err)
		}
	})
	t.Run("calculation uses the merged profile's tier and records no alias", func(t *testing.T) {
		_, a, _ := newTestEngine(t, func(c *Config) {
			c.Program.ChannelMerging = MergeEmail
			c.Program.Tiers = []Tier{{Name: "Gold", Rate: 3, MinEarnedPoints: 1_000_000}}
		})
		if _, err := a.SeedCustomer(CustomerSeed{ID: "vip", Email: "vip@example.com", Tier: "Gold"}); err != nil {
			t.Fatal(err)
		}
		got, err := a.CalculatePaymentCashback(Payment{CustomerID: "new-id", Email: "vip@example.com", TotalPaid: 10})
		if err != nil || got.TotalPoints != 30 {
			t.Fatalf("%+v, %v; want 30 points at Gold's rate", got, err)
		}
		if _, err := a.Balance("new-id"); err == nil {
			t.Fatal("a calculation recorded an alias")
		}
	})
}

func TestCalculationCreatesNothing(t *testing.T) {
	e, a, _ := newTestEngine(t, func(c *Config) { c.Program.ChannelMerging = MergeEmail })
	before := e.Snapshot()
	got, err := a.CalculatePaymentCashback(Payment{CustomerID: "ghost", Email: "ghost@example.com", TotalPaid: 42})
	if err != nil || got.TotalPoints != 42 {
		t.Fatalf("%+v, %v; want 42 points at the default rate", got, err)
	}
	if !sameJSON(t, before, e.Snapshot()) {
		t.Fatal("a calculation changed the state")
	}
	_, err = a.Balance("ghost")
	wantCode(t, err, errcode.CustomerNotFound)
}

func TestAccountsAreIsolated(t *testing.T) {
	e, _, _ := newTestEngine(t, func(c *Config) {
		c.Accounts = append(c.Accounts, AccountConfig{Name: "second", APIKey: "key2", SecretKey: "secret2"})
	})
	first, ok1 := e.Authenticate("key1")
	second, ok2 := e.Authenticate("key2")
	if !ok1 || !ok2 || first.Name() != "default" || second.Name() != "second" {
		t.Fatalf("Authenticate: %v %v", ok1, ok2)
	}
	if _, ok := e.Authenticate("key"); ok {
		t.Fatal("a prefix of a key authenticated")
	}
	if _, ok := e.Authenticate(""); ok {
		t.Fatal("an empty key authenticated")
	}
	if !first.SecretKeyMatches("secret1") || first.SecretKeyMatches("secret2") || first.SecretKeyMatches("") {
		t.Fatal("SecretKeyMatches compares against the wrong key")
	}

	if _, err := first.RewardCashback(cashback("c1", "T1", 10)); err != nil {
		t.Fatal(err)
	}
	// The same transactionId and customerId are new to the other account.
	got, err := second.RewardCashback(cashback("c1", "T1", 7))
	if err != nil || got.GameballTransactionID != 1 {
		t.Fatalf("second account: %+v, %v; want its own id counter from 1", got, err)
	}
	if b := balanceOf(t, first, "c1"); b.TotalPoints != 10 {
		t.Fatalf("first account sees %d points, want 10", b.TotalPoints)
	}
	if _, err := second.Balance("c2"); err == nil {
		t.Fatal("unknown customer found")
	}
	if _, err := first.RewardCashback(cashback("only-first", "T9", 1)); err != nil {
		t.Fatal(err)
	}
	_, err = second.Balance("only-first")
	wantCode(t, err, errcode.CustomerNotFound)
}

func TestSeedCustomer(t *testing.T) {
	_, a, _ := newTestEngine(t, func(c *Config) {
		c.Program.Tiers = []Tier{{Name: "Gold", Rate: 2, MinEarnedPoints: 1000}}
		c.Program.ChannelMerging = MergeEmail
	})
	v, err := a.SeedCustomer(CustomerSeed{ID: "vip", Email: "vip@example.com", Tier: "Gold", Points: 1500})
	if err != nil {
		t.Fatal(err)
	}
	if v.Tier != "Gold" || v.Balance.AvailablePoints != 1500 || v.Balance.AvailableValue != 150 {
		t.Fatalf("seeded %+v", v)
	}
	tests := []struct {
		name string
		seed CustomerSeed
		code errcode.Code
	}{
		{"existing id", CustomerSeed{ID: "vip"}, errcode.InvalidValue},
		{"unknown tier", CustomerSeed{ID: "x", Tier: "Platinum"}, errcode.InvalidValue},
		{"negative points", CustomerSeed{ID: "x", Points: -1}, errcode.InvalidValue},
		{"merging email of another profile", CustomerSeed{ID: "x", Email: "VIP@example.com"}, errcode.InvalidValue},
		{"no id", CustomerSeed{}, errcode.MissingArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := a.SeedCustomer(tt.seed)
			wantCode(t, err, tt.code)
		})
	}
}

func TestReset(t *testing.T) {
	e, _, _ := newTestEngine(t, func(c *Config) {
		c.Accounts = append(c.Accounts, AccountConfig{Name: "second", APIKey: "key2", SecretKey: "secret2"})
	})
	first, second := e.Accounts()[0], e.Accounts()[1]
	for _, a := range e.Accounts() {
		if _, err := a.RewardCashback(cashback("c1", "T1", 10)); err != nil {
			t.Fatal(err)
		}
	}
	e.Reset("second")
	if len(first.Customers()) != 1 || len(second.Customers()) != 0 {
		t.Fatal("Reset(second) touched the wrong account")
	}
	got, err := second.RewardCashback(cashback("c1", "T1", 10))
	if err != nil || got.GameballTransactionID != 1 {
		t.Fatalf("after reset: %+v, %v; want the transactionId free and ids from 1", got, err)
	}
	e.Reset("")
	if len(first.Customers())+len(second.Customers()) != 0 {
		t.Fatal("Reset(\"\") left customers")
	}
}

package loyalty

import (
	"testing"
	"time"
)

func campaign(id int64, multiplier float64, kind, value string) Campaign {
	return Campaign{
		ID: id, Name: "c", Multiplier: multiplier,
		Start: t0.Add(-24 * time.Hour), End: t0.Add(24 * time.Hour),
		Scope: CampaignScope{Kind: kind, Value: value},
	}
}

// Gameball's own example: items worth 2.3 and 3.1 points under 2x and 3x
// campaigns earn 4 + 9 = 13 points, rounded down per item before summing.
func TestCampaignsRoundDownPerItem(t *testing.T) {
	_, a, _ := newTestEngine(t, func(c *Config) {
		c.Program.Campaigns = []Campaign{campaign(1, 2, ScopeCategory, "A"), campaign(2, 3, ScopeCategory, "B")}
	})
	got, err := a.CalculatePaymentCashback(Payment{Services: []Service{
		{ID: "s1", Amount: 2.3, Category: []string{"A"}},
		{ID: "s2", Amount: 3.1, Category: []string{"B"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got.TotalPoints != 13 {
		t.Fatalf("TotalPoints = %d, want 13 (4 + 9)", got.TotalPoints)
	}
	want := []struct {
		decimal       float64
		points, boost int64
		factor        float64
	}{{4.6, 4, 2, 2}, {9.3, 9, 6, 3}}
	for i, w := range want {
		s := got.Services[i]
		if s.DecimalPoints != w.decimal || s.Points != w.points || s.CampaignImpactPoints != w.boost || s.CampaignFactor != w.factor {
			t.Errorf("service %d = %+v, want decimal %v points %d impact %d factor %v", i, s, w.decimal, w.points, w.boost, w.factor)
		}
		if s.Campaign == nil || s.Quantity != 1 || s.ServiceID != []string{"s1", "s2"}[i] {
			t.Errorf("service %d = %+v, want its campaign, quantity 1 and its id", i, s)
		}
	}
}

func TestEarningRatePrecedence(t *testing.T) {
	tiers := []Tier{{Name: "Bronze", Rate: 0, MinEarnedPoints: 0}, {Name: "Gold", Rate: 2, MinEarnedPoints: 1000}}
	tests := []struct {
		name     string
		rates    []CustomRate
		tier     string // "" is a customer unknown to the account
		category []string
		merchant string
		want     float64
	}{
		{name: "base rate without a tier", want: 1},
		{name: "tier without a rate inherits the base", tier: "Bronze", want: 1},
		{name: "tier rate overrides the base", tier: "Gold", want: 2},
		{name: "custom category rate overrides the tier rate", tier: "Gold",
			rates: []CustomRate{{Category: "Phones", Rate: 1.5}}, category: []string{"Phones"}, want: 1.5},
		{name: "custom rate for another category does not apply", tier: "Gold",
			rates: []CustomRate{{Category: "Phones", Rate: 5}}, category: []string{"Books"}, want: 2},
		{name: "highest of several matching custom rates", category: []string{"Phones", "Sale"},
			rates: []CustomRate{{Category: "Phones", Rate: 3}, {Category: "Sale", Rate: 5}, {Category: "Books", Rate: 9}}, want: 5},
		{name: "merchant rate beats a lower category rate", category: []string{"Phones"}, merchant: "M1",
			rates: []CustomRate{{Category: "Phones", Rate: 3}, {Merchant: "M1", Rate: 4}}, want: 4},
		{name: "custom per tier higher than custom rate", tier: "Gold", category: []string{"Phones"},
			rates: []CustomRate{{Category: "Phones", Rate: 3}, {Category: "Phones", Tier: "Gold", Rate: 6}}, want: 6},
		{name: "custom rate higher than custom per tier", tier: "Gold", category: []string{"Phones"},
			rates: []CustomRate{{Category: "Phones", Tier: "Gold", Rate: 4}, {Category: "Phones", Rate: 6}}, want: 6},
		{name: "custom per tier alone applies", tier: "Gold", category: []string{"Phones"},
			rates: []CustomRate{{Category: "Phones", Tier: "Gold", Rate: 0.5}}, want: 0.5},
		{name: "custom per tier for another tier does not apply", tier: "Bronze", category: []string{"Phones"},
			rates: []CustomRate{{Category: "Phones", Tier: "Gold", Rate: 7}}, want: 1},
		{name: "custom per tier does not apply without a customer", category: []string{"Phones"},
			rates: []CustomRate{{Category: "Phones", Tier: "Gold", Rate: 7}}, want: 1},
		{name: "custom rate 0 excludes a category", tier: "Gold", category: []string{"GiftCards"},
			rates: []CustomRate{{Category: "GiftCards", Rate: 0}}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, a, _ := newTestEngine(t, func(c *Config) {
				c.Program.Tiers = tiers
				c.Program.CustomRates = tt.rates
			})
			customer := ""
			if tt.tier != "" {
				customer = "c1"
				if _, err := a.SeedCustomer(CustomerSeed{ID: customer, Tier: tt.tier}); err != nil {
					t.Fatal(err)
				}
			}
			got, err := a.CalculatePaymentCashback(Payment{
				CustomerID: customer,
				Services:   []Service{{ID: "s", Amount: 100, Category: tt.category}},
				Merchant:   &Merchant{UniqueID: tt.merchant},
			})
			if err != nil {
				t.Fatal(err)
			}
			s := got.Services[0]
			if s.RewardWalletFactor != tt.want || s.Points != int64(100*tt.want) {
				t.Errorf("rate %v, points %d; want rate %v, points %d", s.RewardWalletFactor, s.Points, tt.want, int64(100*tt.want))
			}
		})
	}
}

func TestCampaignSelection(t *testing.T) {
	service := Service{ID: "s", Amount: 10, Provider: "Vodafone", Tags: []string{"Topup"}, Category: []string{"Telecom"}}
	past := campaign(9, 4, ScopePayment, "")
	past.Start, past.End = t0.Add(-48*time.Hour), t0.Add(-24*time.Hour)
	future := campaign(9, 4, ScopePayment, "")
	future.Start, future.End = t0.Add(time.Second), t0.Add(time.Hour)
	endsNow := campaign(9, 4, ScopePayment, "")
	endsNow.End = t0
	startsNow := campaign(9, 4, ScopePayment, "")
	startsNow.Start = t0

	tests := []struct {
		name       string
		campaigns  []Campaign
		merchant   string
		wantFactor float64
		wantID     int64
	}{
		{name: "no campaign", wantFactor: 1},
		{name: "payment scope matches every item", campaigns: []Campaign{campaign(1, 2, ScopePayment, "")}, wantFactor: 2, wantID: 1},
		{name: "category scope", campaigns: []Campaign{campaign(1, 2, ScopeCategory, "Telecom")}, wantFactor: 2, wantID: 1},
		{name: "category scope, other category", campaigns: []Campaign{campaign(1, 2, ScopeCategory, "Food")}, wantFactor: 1},
		{name: "merchant scope", merchant: "M1", campaigns: []Campaign{campaign(1, 2, ScopeMerchant, "M1")}, wantFactor: 2, wantID: 1},
		{name: "merchant scope, other merchant", merchant: "M2", campaigns: []Campaign{campaign(1, 2, ScopeMerchant, "M1")}, wantFactor: 1},
		{name: "service provider scope", campaigns: []Campaign{campaign(1, 2, ScopeServiceProvider, "Vodafone")}, wantFactor: 2, wantID: 1},
		{name: "tag scope", campaigns: []Campaign{campaign(1, 2, ScopeTag, "Topup")}, wantFactor: 2, wantID: 1},
		{name: "higher multiplier wins", campaigns: []Campaign{campaign(1, 2, ScopePayment, ""), campaign(2, 5, ScopeTag, "Topup"), campaign(3, 3, ScopeCategory, "Telecom")}, wantFactor: 5, wantID: 2},
		{name: "a tie goes to the first listed", campaigns: []Campaign{campaign(1, 3, ScopePayment, ""), campaign(2, 3, ScopeTag, "Topup")}, wantFactor: 3, wantID: 1},
		{name: "ended campaign does not apply", campaigns: []Campaign{past}, wantFactor: 1},
		{name: "campaign not started does not apply", campaigns: []Campaign{future}, wantFactor: 1},
		{name: "end is exclusive", campaigns: []Campaign{endsNow}, wantFactor: 1},
		{name: "start is inclusive", campaigns: []Campaign{startsNow}, wantFactor: 4, wantID: 9},
		{name: "a higher campaign outside its window loses to a lower active one", campaigns: []Campaign{past, campaign(1, 2, ScopePayment, "")}, wantFactor: 2, wantID: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, a, _ := newTestEngine(t, func(c *Config) { c.Program.Campaigns = tt.campaigns })
			got, err := a.CalculatePaymentCashback(Payment{Services: []Service{service}, Merchant: &Merchant{UniqueID: tt.merchant}})
			if err != nil {
				t.Fatal(err)
			}
			s := got.Services[0]
			if s.CampaignFactor != tt.wantFactor || s.Points != int64(10*tt.wantFactor) {
				t.Fatalf("factor %v points %d, want factor %v points %d", s.CampaignFactor, s.Points, tt.wantFactor, int64(10*tt.wantFactor))
			}
			if gotID := campaignID(s.Campaign); gotID != tt.wantID {
				t.Fatalf("campaign %d, want %d", gotID, tt.wantID)
			}
			if s.CampaignImpactPoints != s.Points-10 {
				t.Fatalf("CampaignImpactPoints = %d, want %d", s.CampaignImpactPoints, s.Points-10)
			}
		})
	}
}

func campaignID(c *Campaign) int64 {
	if c == nil {
		return 0
	}
	return c.ID
}

func TestEligibleAmountsAndScore(t *testing.T) {
	tests := []struct {
		name       string
		payment    Payment
		wantPoints []int64
		wantScore  int64
	}{
		{name: "discount is not eligible, tax is not added",
			payment:    Payment{Services: []Service{{Amount: 100, Tax: 14, Discount: 20}}},
			wantPoints: []int64{80}, wantScore: 40},
		{name: "a discount above the amount earns nothing",
			payment:    Payment{Services: []Service{{Amount: 10, Discount: 15}, {Amount: 5}}},
			wantPoints: []int64{0, 5}, wantScore: 2},
		{name: "without services, totalPaid is one item",
			payment:    Payment{TotalPaid: 99.99},
			wantPoints: []int64{99}, wantScore: 49},
		{name: "totalPaid is ignored when services are given",
			payment:    Payment{TotalPaid: 1000, Services: []Service{{Amount: 3}}},
			wantPoints: []int64{3}, wantScore: 1},
		{name: "binary noise does not cost a point (0.29 × 100 is 28.999… in float64)",
			payment:    Payment{Services: []Service{{Amount: 0.29}}},
			wantPoints: []int64{0}, wantScore: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, a, _ := newTestEngine(t, func(c *Config) { c.Program.ScoreRate = 0.5 })
			got, err := a.CalculatePaymentCashback(tt.payment)
			if err != nil {
				t.Fatal(err)
			}
			var total int64
			for i, s := range got.Services {
				if s.Points != tt.wantPoints[i] {
					t.Errorf("service %d points = %d, want %d", i, s.Points, tt.wantPoints[i])
				}
				total += s.Points
			}
			if len(got.Services) != len(tt.wantPoints) || got.TotalPoints != total || got.TotalScore != tt.wantScore {
				t.Errorf("got %+v, want %d services, total %d, score %d", got, len(tt.wantPoints), total, tt.wantScore)
			}
		})
	}

	t.Run("float noise at 100 points per unit", func(t *testing.T) {
		_, a, _ := newTestEngine(t, func(c *Config) { c.Program.BaseRate = 100 })
		got, err := a.CalculatePaymentCashback(Payment{TotalPaid: 0.29})
		if err != nil {
			t.Fatal(err)
		}
		if got.TotalPoints != 29 {
			t.Fatalf("0.29 at 100 points per unit earned %d, want 29", got.TotalPoints)
		}
	})
}

// The default program's campaign covers category Promo only, so it shows in
// a calculation of a Promo item and nowhere else.
func TestDefaultCampaignOnlyTouchesPromo(t *testing.T) {
	e, err := New(DefaultConfig(), NewFakeClock(t0))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	a := e.Accounts()[0]
	got, err := a.CalculatePaymentCashback(Payment{Services: []Service{
		{ID: "plain", Amount: 10},
		{ID: "promo", Amount: 10, Category: []string{"Promo"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if s := got.Services[0]; s.Campaign != nil || s.Points != 10 {
		t.Errorf("plain item: %+v, want 10 points without a campaign", s)
	}
	if s := got.Services[1]; s.Campaign == nil || s.Points != 30 {
		t.Errorf("Promo item: %+v, want 30 points under the 3x campaign", s)
	}
}

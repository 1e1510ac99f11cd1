package loyalty

import (
	"math"
	"slices"
	"strconv"
	"time"
)

// earningItem is one thing a customer paid for, as the earning rules see it:
// a service of a payment, or a whole payment or cashback amount (then it has
// no categories, tags or provider, so only payment- and merchant-scoped rules
// can match it).
type earningItem struct {
	serviceID  string
	eligible   float64 // the amount that earns points
	categories []string
	tags       []string
	provider   string
}

// earn computes the points and score of one item for a customer in tier
// (empty: no tier) at a merchant (its uniqueId; empty: none), with the
// campaigns active at time at.
//
// Points are eligible × rate × multiplier, rounded down per item; callers sum
// the items after rounding, as Gameball documents: items worth 2.3 and 3.1
// points under 2x and 3x campaigns earn floor(4.6) + floor(9.3) = 13, and two
// items worth 0.6 points each earn 0, not 1. Score is eligible × scoreRate,
// rounded down; campaigns multiply points, not score.
func (p *Program) earn(it earningItem, tier, merchant string, at time.Time) ServiceCashback {
	rate := p.earningRate(it, tier, merchant)
	base := clean(it.eligible * rate)
	out := ServiceCashback{
		ServiceID:          it.serviceID,
		Quantity:           1,
		DecimalPoints:      base,
		RewardWalletFactor: rate,
		CampaignFactor:     1,
		Score:              floorPoints(clean(it.eligible * p.ScoreRate)),
	}
	if c := p.campaignFor(it, merchant, at); c != nil {
		campaign := *c
		out.Campaign = &campaign
		out.CampaignFactor = c.Multiplier
		out.DecimalPoints = clean(it.eligible * rate * c.Multiplier)
	}
	out.Points = floorPoints(out.DecimalPoints)
	out.CampaignImpactPoints = out.Points - floorPoints(base)
	return out
}

// earningRate is the points per currency unit for an item. Precedence, lowest
// to highest, as Gameball documents it:
//
//  1. the program's base rate;
//  2. the customer's tier rate, where the tier has one (nonzero);
//  3. custom rates matching the item (its category, or the request's
//     merchant), plain or for the customer's tier: the highest of all that
//     match. Taking the highest over both kinds is Gameball's rule that "the
//     higher of a custom rate per tier and the custom rate applies", and it
//     makes a per-tier rate apply alone when it is the only match.
//
// A matching custom rate of 0 wins too: it is how a program excludes a
// category from earning.
func (p *Program) earningRate(it earningItem, tier, merchant string) float64 {
	rate := p.BaseRate
	if t, ok := p.tier(tier); ok && t.Rate != 0 {
		rate = t.Rate
	}
	custom, matched := 0.0, false
	for _, r := range p.CustomRates {
		if r.Tier != "" && r.Tier != tier {
			continue
		}
		if !r.matches(it, merchant) {
			continue
		}
		if !matched || r.Rate > custom {
			custom, matched = r.Rate, true
		}
	}
	if matched {
		rate = custom
	}
	return rate
}

func (r CustomRate) matches(it earningItem, merchant string) bool {
	if r.Category != "" {
		return slices.Contains(it.categories, r.Category)
	}
	return merchant != "" && merchant == r.Merchant
}

// campaignFor is the campaign that multiplies an item at time at: the one with
// the highest multiplier among those active and in scope (the first listed on
// a tie), or nil.
func (p *Program) campaignFor(it earningItem, merchant string, at time.Time) *Campaign {
	var best *Campaign
	for i := range p.Campaigns {
		c := &p.Campaigns[i]
		if !c.activeAt(at) || !c.Scope.matches(it, merchant) {
			continue
		}
		if best == nil || c.Multiplier > best.Multiplier {
			best = c
		}
	}
	return best
}

// activeAt: a campaign runs from Start inclusive to End exclusive, so one
// ending at midnight does not touch a transaction at midnight.
func (c *Campaign) activeAt(t time.Time) bool {
	return !t.Before(c.Start) && t.Before(c.End)
}

func (s CampaignScope) matches(it earningItem, merchant string) bool {
	switch s.Kind {
	case ScopePayment:
		return true
	case ScopeCategory:
		return slices.Contains(it.categories, s.Value)
	case ScopeMerchant:
		return merchant != "" && merchant == s.Value
	case ScopeServiceProvider:
		return it.provider != "" && it.provider == s.Value
	case ScopeTag:
		return slices.Contains(it.tags, s.Value)
	}
	return false
}

// tier looks a tier up by name.
func (p *Program) tier(name string) (Tier, bool) {
	for _, t := range p.Tiers {
		if name != "" && t.Name == name {
			return t, true
		}
	}
	return Tier{}, false
}

// tierFor is the tier earned by lifetime earned points: the highest whose
// threshold is reached, or "" when none is (or there are no tiers).
func (p *Program) tierFor(earned int64) string {
	best, found := Tier{}, false
	for _, t := range p.Tiers {
		if t.MinEarnedPoints <= earned && (!found || t.MinEarnedPoints > best.MinEarnedPoints) {
			best, found = t, true
		}
	}
	return best.Name
}

// value is the money value of points.
func (p *Program) value(points int64) float64 {
	return clean(float64(points) * p.PointValue)
}

// maxPoints bounds any one amount of points so that sums stay far from int64
// overflow and every count is exact in a float64 (below 2^53).
const maxPoints = 1e15

// maxBalance bounds a customer's lifetime earned points, and with them every
// balance and total of the customer (none can exceed what was earned), so no
// sum can overflow int64: ten batches of 1,000 adjustments of maxPoints
// would otherwise wrap a balance negative. 9e15 is below 2^53, so a balance
// also stays exact in a float64 and in a JavaScript frontend. A change that
// would pass it is refused with 3011 (LimitExceeded, 422): the request is
// well formed but asks for more than a limit allows, the same family as a
// batch of more than 1,000 items; it is not a rule of Gameball's programs
// (no 9xxx), and a retry cannot succeed.
const maxBalance = 9e15

// floorPoints rounds down to whole points, within ±maxPoints.
func floorPoints(x float64) int64 {
	switch {
	case math.IsNaN(x):
		return 0
	case x > maxPoints:
		return maxPoints
	case x < -maxPoints:
		return -maxPoints
	}
	return int64(math.Floor(x))
}

// clean drops binary floating-point noise by keeping 15 significant digits,
// all a float64 holds exactly: 0.29 × 100 is 28.999999999999996 in binary, and
// rounding that down would lose a point the customer earned; 3 × 0.1 would
// otherwise read 0.30000000000000004 in a reward amount.
func clean(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	c, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 15, 64), 64)
	if err != nil {
		return x
	}
	return c
}

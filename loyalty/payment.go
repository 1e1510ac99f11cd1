package loyalty

import (
	"fmt"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// CalculatePaymentCashback works out the points and score a payment would
// earn, changing nothing: no customer is created, no alias recorded, no
// transactionId used. A known customer (by customerId, alias, or channel
// merging contact) earns at their tier; an unknown or absent one at the rates
// without a tier. Campaigns are those active at the clock's now.
//
// Each service is one item whose eligible amount is amount − discount (never
// below 0). Tax is not eligible: Gameball rewards what was paid for the
// service itself; its docs give totalPaid (after discounts, tax aside) as the
// value rewards are calculated from, and a service's amount as the price
// "before any tax or discount". A payment without services is one item worth
// totalPaid with an empty ServiceID, so only payment-scoped campaigns and
// merchant custom rates and campaigns can match it.
//
// Refusals: 6001 when cashback is disabled; 3003 for a negative or
// non-numeric totalPaid, amount, tax or discount; 3011 for a payment that
// would earn more points (or score) than a customer can hold (maxBalance).
func (a *Account) CalculatePaymentCashback(pay Payment) (PaymentCashback, error) {
	p := a.program()
	if !p.CashbackEnabled {
		return PaymentCashback{}, errCashbackDisabled()
	}
	items, err := earningItems(pay)
	if err != nil {
		return PaymentCashback{}, err
	}

	a.mu.Lock()
	_, rec, _ := a.book.resolve(p.ChannelMerging, pay.CustomerID, pay.Email, pay.Mobile)
	tier := a.tierOf(rec)
	now := a.now()
	a.mu.Unlock()

	out := PaymentCashback{Services: make([]ServiceCashback, 0, len(items))}
	merchant := merchantID(pay.Merchant)
	for _, it := range items {
		sc := p.earn(it, tier, merchant, now)
		out.Services = append(out.Services, sc)
		out.TotalPoints += sc.Points
		out.TotalScore += sc.Score
		// Each item earns at most maxPoints, so stopping here keeps the sums exact.
		if out.TotalPoints > maxBalance || out.TotalScore > maxBalance {
			return PaymentCashback{}, refuse(errcode.LimitExceeded,
				"paymentDetails: the payment would earn more than the %d points a customer can hold", int64(maxBalance))
		}
	}
	return out, nil
}

func earningItems(pay Payment) ([]earningItem, error) {
	if len(pay.Services) == 0 {
		if err := checkMoney("totalPaid", pay.TotalPaid); err != nil {
			return nil, err
		}
		return []earningItem{{eligible: pay.TotalPaid}}, nil
	}
	items := make([]earningItem, 0, len(pay.Services))
	for i, s := range pay.Services {
		for _, f := range []struct {
			name  string
			value float64
		}{{"amount", s.Amount}, {"tax", s.Tax}, {"discount", s.Discount}} {
			if err := checkMoney(fmt.Sprintf("paymentDetails[%d].%s", i, f.name), f.value); err != nil {
				return nil, err
			}
		}
		items = append(items, earningItem{
			serviceID:  s.ID,
			eligible:   max(0, s.Amount-s.Discount),
			categories: s.Category,
			tags:       s.Tags,
			provider:   s.Provider,
		})
	}
	return items, nil
}

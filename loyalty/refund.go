package loyalty

import (
	"math"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// Refund is a refund call. ReverseTransactionID names the order: its
// cashback, its redemption, or both when it was paid partly with points.
type Refund struct {
	CustomerID           string
	Email                string
	Mobile               string
	RefundTransactionID  string // the refund's own id, new like any transactionId
	ReverseTransactionID string
	Time                 time.Time
	Amount               *float64 // the money refunded; nil refunds everything left
}

// RefundResult is what a refund did.
type RefundResult struct {
	CustomerID            string
	GameballTransactionID int64 // the refund's first ledger entry
	RefundTransactionID   string
	// Amount is the money refunded: the request's, or everything left of
	// the order when it asked for more or for a full refund.
	Amount float64
	// Points is the points the refund moved: the cashback points taken back
	// plus the redeemed points given back.
	Points int64
}

// moneyEpsilon is below any amount of money that matters, so float sums of
// partial refunds that reach an order's total count as reaching it.
const moneyEpsilon = 1e-9

// moneyLeft is what is left of an amount after refunds: none when float
// sums of partial refunds reached the total, or went past it by noise.
func moneyLeft(m float64) float64 {
	if m < moneyEpsilon {
		return 0
	}
	return m
}

// Refund reverses an order, wholly or in part, as Gameball's refund guide
// describes it:
//
//   - the refunded money covers the part paid in money first, then the part
//     paid with points;
//   - the cashback is taken back in proportion to the paid amount, the
//     points spent are given back in proportion to the redeemed value, over
//     every refund of the order so far (floor of points × refunded ÷ paid),
//     so a series of partial refunds deducts exactly what one refund of the
//     same total would, and a full refund takes back exactly what is left;
//   - an amount beyond what is left of the order refunds what is left;
//   - the cashback is taken back even when its points were spent, so the
//     balance may go negative, as the guide says it can;
//   - a pending cashback's refund stays pending until the cashback's own
//     return window ends, so refunded points never mature;
//   - tier progress keeps the refunded order (Gameball's default setting).
//
// Refusals: 3000 without customerId, refundTransactionId,
// reverseTransactionId or transactionTime; 3003 for a refundAmount not
// greater than 0; 9007 as for RewardCashback; 9004 for a refundTransactionId
// already used; 9002 for an order the customer does not have; 9000 for a
// transactionId that is not a cashback or a redemption; 9001 for an order
// already refunded in full. A refused call changes nothing.
func (a *Account) Refund(r Refund) (RefundResult, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	res, err := a.applyRefund(r, a.now())
	if err != nil {
		return RefundResult{}, err
	}
	a.engine.changed()
	return res, nil
}

func (a *Account) applyRefund(r Refund, now time.Time) (RefundResult, *Error) {
	p := a.program()
	if err := checkRefund(p, r, now); err != nil {
		return RefundResult{}, err
	}
	b := a.book
	if b.transactionUsed(r.RefundTransactionID) {
		return RefundResult{}, errDuplicate(r.RefundTransactionID)
	}
	_, rec, _ := b.resolve(p.ChannelMerging, r.CustomerID, r.Email, r.Mobile)
	id := r.ReverseTransactionID
	if owner := b.byTransactionID[id]; owner == nil || owner != rec {
		return RefundResult{}, refuse(errcode.TransactionNotFound, "customer %q has no transaction %q to refund", r.CustomerID, id)
	}
	o := b.order(rec, id)
	if o.cashback == nil && o.redemption == nil {
		return RefundResult{}, refuse(errcode.TransactionNonReversible,
			"transaction %q is not a cashback or a redemption: only those can be refunded", id)
	}

	var paidCash, paidRedeemed float64
	var awarded, spent int64
	var pendingUntil time.Time
	if c := o.cashback; c != nil {
		paidCash, awarded, pendingUntil = c.Amount, c.Points, c.AvailableAt
	}
	if d := o.redemption; d != nil {
		paidRedeemed, spent = d.Amount, -d.Points
	}
	cashDone, cashTaken, redeemedDone, redeemedGiven := o.refunded()
	leftCash, leftRedeemed := moneyLeft(paidCash-cashDone), moneyLeft(paidRedeemed-redeemedDone)
	left := leftCash + leftRedeemed
	if left < moneyEpsilon {
		return RefundResult{}, refuse(errcode.TransactionAlreadyCancelled, "transaction %q is already refunded in full", id)
	}
	amount := left
	if r.Amount != nil {
		amount = min(*r.Amount, left)
	}
	cash := min(amount, leftCash)
	redeemed := max(amount-cash, 0)

	res := RefundResult{CustomerID: rec.ID, RefundTransactionID: r.RefundTransactionID, Amount: amount}
	entry := LedgerEntry{
		TransactionID: r.RefundTransactionID,
		Time:          r.Time.UTC(),
		RecordedAt:    now,
		AvailableAt:   now,
		Reverses:      id,
	}
	if cash > 0 {
		take := share(awarded, paidCash, cashDone+cash) - cashTaken
		e := entry
		e.Kind, e.Points, e.Amount = EntryCashbackRefund, -take, cash
		if pendingUntil.After(now) {
			e.AvailableAt = pendingUntil
		}
		res.GameballTransactionID = b.record(rec, e).GameballTransactionID
		res.Points += take
	}
	if redeemed > 0 {
		give := share(spent, paidRedeemed, redeemedDone+redeemed) - redeemedGiven
		e := entry
		e.Kind, e.Points, e.Amount = EntryRedemptionRefund, give, redeemed
		recorded := b.record(rec, e)
		if res.GameballTransactionID == 0 {
			res.GameballTransactionID = recorded.GameballTransactionID
		}
		res.Points += give
	}
	return res, nil
}

func checkRefund(p *Program, r Refund, now time.Time) *Error {
	for _, f := range []struct{ name, value string }{
		{"customerId", r.CustomerID},
		{"refundTransactionId", r.RefundTransactionID},
		{"reverseTransactionId", r.ReverseTransactionID},
	} {
		if f.value == "" {
			return refuse(errcode.MissingArgument, "%s is required", f.name)
		}
	}
	if r.Amount != nil {
		if err := checkMoney("refundAmount", *r.Amount); err != nil {
			return err
		}
		if *r.Amount == 0 {
			return refuse(errcode.InvalidValue, "refundAmount must be greater than 0 (leave it out to refund the whole order)")
		}
	}
	return checkTransactionTime(p, r.Time, now)
}

// share is points × done ÷ paid rounded down, and all of points once done
// reaches paid (or when nothing was paid).
func share(points int64, paid, done float64) int64 {
	if paid <= 0 || done >= paid-moneyEpsilon {
		return points
	}
	return int64(math.Floor(float64(points)*done/paid + moneyEpsilon))
}

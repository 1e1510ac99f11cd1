package loyalty

import (
	"math"
	"strings"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// Redemption is a redeem call: exactly one of Points, Amount and
// HoldReference says what to spend.
type Redemption struct {
	CustomerID    string
	Email         string
	Mobile        string
	TransactionID string // the order's id; it may be its cashback's too (see order.go)
	Time          time.Time
	Points        *int64
	Amount        *float64 // money, turned into points at the point value, rounded up
	HoldReference string   // a hold of this customer's: its points exactly, once
	Reason        string
}

// RedemptionResult is what a redemption spent.
type RedemptionResult struct {
	CustomerID            string
	GameballTransactionID int64
	TransactionID         string
	Points                int64   // spent
	Amount                float64 // their money value
	Reason                string
}

// Redeem spends a customer's available points (held points are reserved for
// their hold and pending points cannot be spent), or the points of a hold.
//
// Refusals: 3000 without customerId, transactionId or transactionTime, or
// without any of points, amount and holdReference; 3016 with more than one of
// them; 3003 for points or an amount not greater than 0; 9007 as for
// RewardCashback; 9004 for a transactionId already used (except by this
// order's cashback); 9006 for a hold that does not exist, is another
// customer's, has expired or was redeemed; 9008 beyond the available points.
func (a *Account) Redeem(r Redemption) (RedemptionResult, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	res, err := a.applyRedemption(r, a.now())
	if err != nil {
		return RedemptionResult{}, err
	}
	a.engine.changed()
	return res, nil
}

func (a *Account) applyRedemption(r Redemption, now time.Time) (RedemptionResult, *Error) {
	p := a.program()
	if err := checkIDs(r.CustomerID, r.TransactionID); err != nil {
		return RedemptionResult{}, err
	}
	if err := exactlyOne(field{"points", r.Points != nil}, field{"amount", r.Amount != nil}, field{"holdReference", r.HoldReference != ""}); err != nil {
		return RedemptionResult{}, err
	}
	if err := checkTransactionTime(p, r.Time, now); err != nil {
		return RedemptionResult{}, err
	}
	b := a.book
	target, rec, _ := b.resolve(p.ChannelMerging, r.CustomerID, r.Email, r.Mobile)
	if !b.transactionFree(r.TransactionID, EntryRedemption, target) {
		return RedemptionResult{}, errDuplicate(r.TransactionID)
	}

	var points int64
	var hold *HoldRecord
	switch {
	case r.HoldReference != "":
		h, err := b.usableHold(r.HoldReference, rec, now)
		if err != nil {
			return RedemptionResult{}, err
		}
		// The hold reserved its points, but a refund or an expiry since may
		// have taken points it needs: available counts what is left beyond
		// every hold, so below 0 the hold is short.
		if available := b.available(rec, now); available < 0 {
			return RedemptionResult{}, refuse(errcode.InsufficientBalance,
				"customer %q is %d points short of hold %q's %d", r.CustomerID, -available, h.Reference, h.Points)
		}
		hold, points = h, h.Points
	default:
		var err *Error
		if points, err = pointsFor(p, "points", r.Points, "amount", r.Amount); err != nil {
			return RedemptionResult{}, err
		}
		if err := a.checkDeduction(r.CustomerID, rec, -points, now); err != nil {
			return RedemptionResult{}, err
		}
	}

	e := LedgerEntry{
		TransactionID: r.TransactionID,
		Kind:          EntryRedemption,
		Points:        -points,
		Amount:        p.value(points),
		Time:          r.Time.UTC(),
		RecordedAt:    now,
		AvailableAt:   now,
		Reason:        r.Reason,
	}
	e = b.record(rec, e)
	if hold != nil {
		hold.RedeemedBy = r.TransactionID
	}
	return RedemptionResult{
		CustomerID:            rec.ID,
		GameballTransactionID: e.GameballTransactionID,
		TransactionID:         e.TransactionID,
		Points:                points,
		Amount:                e.Amount,
		Reason:                r.Reason,
	}, nil
}

// pointsFor is the points a request asks for, given as points or as money
// (exactly one is set): money buys the points that cover it, rounded up,
// since a customer pays at least what they asked to.
func pointsFor(p *Program, pointsField string, points *int64, amountField string, amount *float64) (int64, *Error) {
	if points != nil {
		if *points <= 0 || *points > maxPoints {
			return 0, refuse(errcode.InvalidValue, "%s must be 1 to %d, got %d", pointsField, int64(maxPoints), *points)
		}
		return *points, nil
	}
	if err := checkMoney(amountField, *amount); err != nil {
		return 0, err
	}
	raw := *amount / p.PointValue
	if raw > maxPoints {
		return 0, refuse(errcode.InvalidValue, "%s %v is worth more than %d points", amountField, *amount, int64(maxPoints))
	}
	n := int64(math.Ceil(raw - moneyEpsilon))
	if n < 1 {
		return 0, refuse(errcode.InvalidValue, "%s %v is worth less than a point (a point is worth %v)", amountField, *amount, p.PointValue)
	}
	return n, nil
}

// field is a request field that is one of several alternatives.
type field struct {
	name  string
	given bool
}

// exactlyOne refuses none of the fields given (3000) and more than one (3016).
func exactlyOne(fields ...field) *Error {
	var names, set []string
	for _, f := range fields {
		names = append(names, f.name)
		if f.given {
			set = append(set, f.name)
		}
	}
	switch len(set) {
	case 0:
		return refuse(errcode.MissingArgument, "one of %s is required", strings.Join(names, ", "))
	case 1:
		return nil
	}
	return refuse(errcode.InvalidPayload, "only one of %s may be given, got %s", strings.Join(names, ", "), strings.Join(set, " and "))
}

package loyalty

import (
	"math"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// AddManualTransaction adds points (positive) or deducts them (negative),
// given as points or as an amount of money. Added points are available at
// once and count toward lifetime earned points; the customer is created on
// first use, as for cashback.
//
// An amount becomes points at the program's point value, rounded toward zero
// to whole points (after rounding away float noise: 5 at 0.05 a point is 100
// points): a customer is never credited more, nor charged more, than the
// amount is worth. The result's Amount is the points × the point value, as in
// Gameball's example (50 points at 0.1 a point answer amount 5).
//
// ExpiryAfter (days) makes added points expire that long after they were
// credited, by the engine's clock, instead of after the program's
// pointsExpiry.
//
// Refusals, with the published messages where Gameball publishes one (400):
// both points and amount (3016 "Only one rewarding method may be
// specified"), neither (3000 "A rewarding criteria is required"), a negative
// expiryAfter (3016 "Expiry cannot be negative"), expiryAfter on a deduction
// (3016 "Deduction cannot have expiry"). And: 3000 without customerId or
// transactionId; 3003 for 0 points, an amount worth less than a point, or
// beyond ±1e15 points; 9007 and 9004 as for RewardCashback; 9008 for a
// deduction larger than the available balance (pending points cannot be
// spent); 3011 for an addition that would take the customer's lifetime
// earned points past 9e15 (see maxBalance). A transactionTime left out means now. A refused call changes
// nothing, not even creating the customer.
func (a *Account) AddManualTransaction(m ManualTransaction) (ManualResult, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	result, err := a.applyManual(m, a.now())
	if err != nil {
		return ManualResult{}, err
	}
	a.engine.changed()
	return result, nil
}

// The manual transaction's published refusals (its 400 examples).
const (
	msgBothMethods       = "Only one rewarding method may be specified"
	msgNoMethod          = "A rewarding criteria is required"
	MsgNegativeExpiry    = "Expiry cannot be negative" // also the mock's answer to the schema's minimum: 0
	msgDeductionNoExpiry = "Deduction cannot have expiry"
)

// manualPoints is the points a manual transaction adds (or deducts, < 0).
func manualPoints(p *Program, m ManualTransaction) (int64, *Error) {
	switch {
	case m.Points != nil && m.Amount != nil:
		return 0, refuse(errcode.InvalidPayload, msgBothMethods)
	case m.Points == nil && m.Amount == nil:
		return 0, refuse(errcode.MissingArgument, msgNoMethod)
	case m.Points != nil:
		return *m.Points, checkPoints("points", *m.Points)
	}
	amount := *m.Amount
	raw := amount / p.PointValue
	if math.IsNaN(raw) || math.Abs(raw) > maxPoints {
		return 0, refuse(errcode.InvalidValue, "amount %v is beyond ±%d points", amount, int64(maxPoints))
	}
	points := int64(math.Trunc(math.Round(raw*1e6) / 1e6))
	if points == 0 {
		return 0, refuse(errcode.InvalidValue, "amount %v is worth less than one point (a point is worth %v)", amount, p.PointValue)
	}
	return points, nil
}

func (a *Account) applyManual(m ManualTransaction, now time.Time) (ManualResult, *Error) {
	p := a.program()
	if err := checkIDs(m.CustomerID, m.TransactionID); err != nil {
		return ManualResult{}, err
	}
	points, err := manualPoints(p, m)
	if err != nil {
		return ManualResult{}, err
	}
	var expiresAt *time.Time
	if m.ExpiryAfter != nil {
		switch {
		case *m.ExpiryAfter < 0:
			return ManualResult{}, refuse(errcode.InvalidPayload, MsgNegativeExpiry)
		case points < 0:
			return ManualResult{}, refuse(errcode.InvalidPayload, msgDeductionNoExpiry)
		case *m.ExpiryAfter > maxExpiryDays:
			return ManualResult{}, refuse(errcode.InvalidValue, "expiryAfter must be at most %d days, got %d", maxExpiryDays, *m.ExpiryAfter)
		case *m.ExpiryAfter > 0:
			expiresAt = new(now.Add(days(*m.ExpiryAfter)))
		}
	}
	if m.Time.IsZero() {
		m.Time = now
	}
	if err := checkTransactionTime(p, m.Time, now); err != nil {
		return ManualResult{}, err
	}
	b := a.book
	if b.transactionUsed(m.TransactionID) {
		return ManualResult{}, errDuplicate(m.TransactionID)
	}
	target, rec, makeAlias := b.resolve(p.ChannelMerging, m.CustomerID, m.Email, m.Mobile)
	if err := a.checkDeduction(m.CustomerID, rec, points, now); err != nil {
		return ManualResult{}, err
	}
	if err := checkRoom(m.CustomerID, rec, points); err != nil {
		return ManualResult{}, err
	}
	rec = b.profile(target, m.CustomerID, makeAlias, m.Email, m.Mobile)
	entry := b.record(rec, LedgerEntry{
		TransactionID: m.TransactionID,
		Kind:          EntryManual,
		Points:        points,
		Amount:        p.value(points),
		Time:          m.Time.UTC(),
		RecordedAt:    now,
		AvailableAt:   now,
		ExpiresAt:     expiresAt,
		Reason:        m.Reason,
		Username:      m.Username,
	})
	return ManualResult{
		CustomerID:            rec.ID,
		GameballTransactionID: entry.GameballTransactionID,
		TransactionID:         entry.TransactionID,
		Points:                entry.Points,
		Amount:                entry.Amount,
	}, nil
}

// maxExpiryDays bounds expiryAfter as the program's return window is
// bounded: 20 years, far past any campaign, and far from time overflow.
const maxExpiryDays = 7300

// applyAdjustment is one balance adjustment batch item, with the lock held.
// It follows the manual transaction's rules, with no transactionId (so no
// 9004) and no transactionTime (recorded now). Points must be a whole number
// (3003 otherwise).
func (a *Account) applyAdjustment(adj Adjustment, now time.Time) (LedgerEntry, string, *Error) {
	p := a.program()
	if adj.CustomerID == "" {
		return LedgerEntry{}, "", refuse(errcode.MissingArgument, "customerId is required")
	}
	if math.IsNaN(adj.Points) || math.IsInf(adj.Points, 0) || adj.Points != math.Trunc(adj.Points) {
		return LedgerEntry{}, "", refuse(errcode.InvalidValue, "amount %v is not a whole number of points", adj.Points)
	}
	if math.Abs(adj.Points) > maxPoints {
		return LedgerEntry{}, "", refuse(errcode.InvalidValue, "amount must be within ±%g points, got %v", float64(maxPoints), adj.Points)
	}
	points := int64(adj.Points)
	if err := checkPoints("amount", points); err != nil {
		return LedgerEntry{}, "", err
	}
	b := a.book
	target, rec, makeAlias := b.resolve(p.ChannelMerging, adj.CustomerID, "", "")
	if err := a.checkDeduction(adj.CustomerID, rec, points, now); err != nil {
		return LedgerEntry{}, "", err
	}
	if err := checkRoom(adj.CustomerID, rec, points); err != nil {
		return LedgerEntry{}, "", err
	}
	rec = b.profile(target, adj.CustomerID, makeAlias, "", "")
	entry := b.record(rec, LedgerEntry{
		Kind:        EntryAdjustment,
		Points:      points,
		Amount:      p.value(points),
		Time:        now,
		RecordedAt:  now,
		AvailableAt: now,
		Reason:      adj.Reason,
	})
	return entry, rec.ID, nil
}

func checkPoints(field string, points int64) *Error {
	if points == 0 {
		return refuse(errcode.InvalidValue, "%s must not be 0: positive adds, negative deducts", field)
	}
	if points > maxPoints || points < -maxPoints {
		return refuse(errcode.InvalidValue, "%s must be within ±%d, got %d", field, int64(maxPoints), points)
	}
	return nil
}

// checkDeduction refuses (9008) a deduction larger than the points available
// now (held points are not). A customer not yet created has none.
func (a *Account) checkDeduction(customerID string, rec *customer, points int64, now time.Time) *Error {
	if points >= 0 {
		return nil
	}
	var available int64
	if rec != nil {
		available = a.book.available(rec, now)
	}
	if -points > available {
		return refuse(errcode.InsufficientBalance,
			"customer %q has %d available points; cannot deduct %d", customerID, available, -points)
	}
	return nil
}

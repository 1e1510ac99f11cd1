package loyalty

import (
	"math"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// AddManualTransaction adds points (positive) or deducts them (negative).
// Added points are available at once and count toward lifetime earned
// points; the customer is created on first use, as for cashback.
//
// The result's Amount is Points × the program's point value, as in Gameball's
// example (50 points at 0.1 a point answer amount 5); the request's own
// amount is informational and not used.
//
// Refusals: 3000 without customerId, transactionId or transactionTime; 3003
// for points 0 (it would record nothing) or beyond ±1e15; 9007 and 9004 as
// for RewardCashback; 9008 for a deduction larger than the available balance
// (pending points cannot be spent); 3011 for an addition that would take the
// customer's lifetime earned points past 9e15 (see maxBalance). A refused
// call changes nothing, not even creating the customer.
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

func (a *Account) applyManual(m ManualTransaction, now time.Time) (ManualResult, *Error) {
	p := a.program()
	if err := checkIDs(m.CustomerID, m.TransactionID); err != nil {
		return ManualResult{}, err
	}
	if err := checkPoints("points", m.Points); err != nil {
		return ManualResult{}, err
	}
	if err := checkTransactionTime(p, m.Time, now); err != nil {
		return ManualResult{}, err
	}
	b := a.book
	if b.transactionUsed(m.TransactionID) {
		return ManualResult{}, errDuplicate(m.TransactionID)
	}
	target, rec, makeAlias := b.resolve(p.ChannelMerging, m.CustomerID, m.Email, m.Mobile)
	if err := a.checkDeduction(m.CustomerID, rec, m.Points, now); err != nil {
		return ManualResult{}, err
	}
	if err := checkRoom(m.CustomerID, rec, m.Points); err != nil {
		return ManualResult{}, err
	}
	rec = b.profile(target, m.CustomerID, makeAlias, m.Email, m.Mobile)
	entry := b.record(rec, LedgerEntry{
		TransactionID: m.TransactionID,
		Kind:          EntryManual,
		Points:        m.Points,
		Amount:        p.value(m.Points),
		Time:          m.Time.UTC(),
		RecordedAt:    now,
		AvailableAt:   now,
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

// applyAdjustment is one balance adjustment batch item, with the lock held.
// It follows the manual transaction's rules, with no transactionId (so no
// 9004) and no transactionTime (recorded now). Points must be a whole number
// (3003 otherwise).
func (a *Account) applyAdjustment(adj Adjustment, now time.Time, batchID int64) (LedgerEntry, string, *Error) {
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
		BatchID:     batchID,
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

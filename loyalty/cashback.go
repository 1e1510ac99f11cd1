package loyalty

import (
	"math"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// maxAmount bounds money amounts so points stay exact; far above any real payment.
const maxAmount = 1e12

// RewardCashback awards the points a cashback earns. The amount is one item
// at the request's merchant, with no category, tags or provider, so the
// earning rate is the base, tier or merchant custom rate, and payment- and
// merchant-scoped campaigns active at the transactionTime multiply it.
//
// The points wait pending until transactionTime plus the return window (the
// request's, else the program's; 0 makes them available at once); a window
// already past when recorded makes them available at once. The customer is
// created on first use (Gameball's docs are silent; creating is the friendlier
// choice), with the email and mobile given; channel merging may land the
// request on another profile (see book.resolve).
//
// Refusals: 6001 when cashback is disabled; 3000 without customerId,
// transactionId or transactionTime; 3003 for a negative amount or a return
// window outside 0..7300; 9007 for a transactionTime later than now plus the
// program's futureTolerance; 9004 for a transactionId this account has seen
// in any operation, except a redemption of the same order (see order.go);
// 3011 for points that would take the customer's lifetime earned points past
// 9e15 (see maxBalance). A refused call changes nothing, and the check and
// the award are atomic, so a replay racing its original awards once.
func (a *Account) RewardCashback(c Cashback) (CashbackResult, error) {
	if !a.program().CashbackEnabled {
		return CashbackResult{}, errCashbackDisabled()
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	result, err := a.applyCashback(c, a.now())
	if err != nil {
		return CashbackResult{}, err
	}
	a.engine.changed()
	return result, nil
}

// applyCashback is RewardCashback with the lock held; batch items share it.
func (a *Account) applyCashback(c Cashback, now time.Time) (CashbackResult, *Error) {
	p := a.program()
	if err := checkCashback(p, c, now); err != nil {
		return CashbackResult{}, err
	}
	b := a.book
	target, rec, makeAlias := b.resolve(p.ChannelMerging, c.CustomerID, c.Email, c.Mobile)
	if !b.transactionFree(c.TransactionID, EntryCashback, target) {
		return CashbackResult{}, errDuplicate(c.TransactionID)
	}
	at := c.Time.UTC()
	earned := p.earn(earningItem{eligible: c.Amount}, a.tierOf(rec), merchantID(c.Merchant), at)
	if err := checkRoom(c.CustomerID, rec, earned.Points); err != nil {
		return CashbackResult{}, err
	}

	window := p.ReturnWindow
	if c.ReturnWindow != nil {
		window = *c.ReturnWindow
	}
	availableAt := at.Add(days(window))
	if availableAt.Before(now) {
		availableAt = now
	}

	rec = b.profile(target, c.CustomerID, makeAlias, c.Email, c.Mobile)
	e := LedgerEntry{
		TransactionID: c.TransactionID,
		Kind:          EntryCashback,
		Points:        earned.Points,
		Amount:        c.Amount,
		Time:          at,
		RecordedAt:    now,
		AvailableAt:   availableAt,
	}
	entry := b.record(rec, e)
	return CashbackResult{
		CustomerID:            rec.ID,
		GameballTransactionID: entry.GameballTransactionID,
		Points:                entry.Points,
		RewardAmount:          p.value(entry.Points),
	}, nil
}

func checkCashback(p *Program, c Cashback, now time.Time) *Error {
	if err := checkIDs(c.CustomerID, c.TransactionID); err != nil {
		return err
	}
	if err := checkMoney("amount", c.Amount); err != nil {
		return err
	}
	if w := c.ReturnWindow; w != nil && (*w < 0 || *w > MaxReturnWindow) {
		return refuse(errcode.InvalidValue, "configurations.returnWindow must be 0 to %d days, got %d", MaxReturnWindow, *w)
	}
	return checkTransactionTime(p, c.Time, now)
}

func checkIDs(customerID, transactionID string) *Error {
	if customerID == "" {
		return refuse(errcode.MissingArgument, "customerId is required")
	}
	if transactionID == "" {
		return refuse(errcode.MissingArgument, "transactionId is required")
	}
	return nil
}

// checkMoney refuses a money amount that is negative, not a number, or
// beyond maxAmount.
func checkMoney(field string, amount float64) *Error {
	if math.IsNaN(amount) || amount < 0 || amount > maxAmount {
		return refuse(errcode.InvalidValue, "%s must be 0 to %g, got %v", field, float64(maxAmount), amount)
	}
	return nil
}

// checkTransactionTime refuses a missing time (3000) and one later than now
// plus the program's tolerance (9007). Past times are fine: orders are often
// reported after the fact.
func checkTransactionTime(p *Program, t, now time.Time) *Error {
	if t.IsZero() {
		return refuse(errcode.MissingArgument, "transactionTime is required")
	}
	if latest := now.Add(p.FutureTolerance); t.After(latest) {
		return refuse(errcode.InvalidTransactionTime,
			"transactionTime %s is in the future (now is %s; up to %s ahead is accepted)",
			t.UTC().Format(time.RFC3339), now.Format(time.RFC3339), p.FutureTolerance)
	}
	return nil
}

func errDuplicate(transactionID string) *Error {
	return refuse(errcode.DuplicateTransaction, "transactionId %q already exists", transactionID)
}

func errCashbackDisabled() *Error {
	return refuse(errcode.CashbackDisabled, "cashback is disabled for this account (program.cashbackEnabled is false)")
}

func merchantID(m *Merchant) string {
	if m == nil {
		return ""
	}
	return m.UniqueID
}

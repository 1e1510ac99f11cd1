package loyalty

import "github.com/gbkit/gameball-go/internal/errcode"

// Activation is what activating a transaction did.
type Activation struct {
	CustomerID            string
	GameballTransactionID int64
	TransactionID         string
	Points                int64 // the points that became available; 0 when none were pending
}

// Activate makes a pending cashback available now, ahead of its return
// window; Gameball's docs say it cannot be undone. Its pending refunds are
// activated with it, so the points activated are the cashback's less what
// was refunded. A transaction that is not pending (an available cashback, a
// manual transaction, a redemption) has nothing to activate: it answers 0
// points and changes nothing, so repeating the call is harmless.
//
// Refusals: 3000 without a transactionId; 9002 for one this account has not
// seen.
func (a *Account) Activate(transactionID string) (Activation, error) {
	if transactionID == "" {
		return Activation{}, refuse(errcode.MissingArgument, "transactionId is required")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	b := a.book
	rec := b.byTransactionID[transactionID]
	if rec == nil {
		return Activation{}, refuse(errcode.TransactionNotFound, "transaction %q not found", transactionID)
	}
	now := a.now()
	out := Activation{CustomerID: rec.ID, TransactionID: transactionID}
	o := b.order(rec, transactionID)
	c := o.cashback
	if c == nil {
		out.GameballTransactionID = b.firstEntry(rec, transactionID).GameballTransactionID
		return out, nil
	}
	out.GameballTransactionID = c.GameballTransactionID
	if !c.AvailableAt.After(now) {
		return out, nil
	}
	c.AvailableAt = now
	out.Points = c.Points
	for _, e := range o.refunds {
		if e.Kind == EntryCashbackRefund && e.AvailableAt.After(now) {
			e.AvailableAt = now
			if e.AvailableAt.Before(e.RecordedAt) { // the clock was moved back: not before it was recorded
				e.AvailableAt = e.RecordedAt
			}
			out.Points += e.Points
		}
	}
	a.engine.changed()
	return out, nil
}

// firstEntry is the first of rec's entries with the transactionId.
func (b *book) firstEntry(rec *customer, transactionID string) LedgerEntry {
	for _, e := range rec.ledger {
		if e.TransactionID == transactionID {
			return *e
		}
	}
	return LedgerEntry{}
}

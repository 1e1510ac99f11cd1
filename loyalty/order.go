package loyalty

// An order paid partly with points has a redemption and a cashback under one
// transactionId, the order's id: refunding that order takes the cashback back
// and gives the points back (see Refund). So a transactionId may carry one
// cashback and one redemption of the same profile, in either order; any
// other reuse is a replay (9004).

// transactionFree reports whether a new entry of kind for the profile
// profileID may use the transactionId id.
func (b *book) transactionFree(id string, kind EntryKind, profileID string) bool {
	rec, used := b.byTransactionID[id]
	if !used {
		return true
	}
	if rec.ID != profileID {
		return false
	}
	o := b.order(rec, id)
	switch kind {
	case EntryCashback:
		return o.cashback == nil && o.redemption != nil
	case EntryRedemption:
		return o.redemption == nil && o.cashback != nil
	}
	return false
}

// order is what a customer's ledger holds of one order: pointers to its
// entries.
type order struct {
	cashback, redemption *LedgerEntry
	refunds              []*LedgerEntry // the entries of refunds reversing it
}

func (b *book) order(rec *customer, id string) order {
	var o order
	for _, e := range rec.ledger {
		switch {
		case e.TransactionID == id && e.Kind == EntryCashback:
			o.cashback = e
		case e.TransactionID == id && e.Kind == EntryRedemption:
			o.redemption = e
		case e.Kind.refund() && e.Reverses == id:
			o.refunds = append(o.refunds, e)
		}
	}
	return o
}

// refunded is what the order's refunds took so far: money and points
// against the cashback (points as a positive number) and against the
// redemption.
func (o order) refunded() (cashMoney float64, cashPoints int64, redeemedMoney float64, redeemedPoints int64) {
	for _, e := range o.refunds {
		if e.Kind == EntryCashbackRefund {
			cashMoney += e.Amount
			cashPoints -= e.Points
		} else {
			redeemedMoney += e.Amount
			redeemedPoints += e.Points
		}
	}
	return cashMoney, cashPoints, redeemedMoney, redeemedPoints
}

package loyalty

import (
	"fmt"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// AccountSeed is the fixture customers of one account, for Engine.Seed.
type AccountSeed struct {
	Account   string // the account's configured name
	Replace   bool   // empty the account before adding the customers
	Customers []CustomerSeed
}

// SeededCustomer is a customer Engine.Seed created.
type SeededCustomer struct {
	Account  string
	Customer CustomerView
}

// Seed adds fixture customers to accounts, each by SeedCustomer's rules, all
// or nothing: when any customer of any account is refused, no account
// changes, and the error (with the refused customer's code) says which one.
// An account named twice or not configured is refused too (3003, 4004).
// Seeding works on a copy of each account's data that replaces it at the
// end, as Restore does: a batch job running in the account resumes from the
// copy at its next item.
func (e *Engine) Seed(seeds []AccountSeed) ([]SeededCustomer, error) {
	if len(seeds) == 0 {
		return nil, nil
	}
	accounts := make([]*Account, len(seeds))
	index := map[*Account]int{}
	for i, s := range seeds {
		a, ok := e.Account(s.Account)
		if !ok {
			return nil, refuse(errcode.NotFound, "accounts[%d]: account %q is not configured", i, s.Account)
		}
		if j, dup := index[a]; dup {
			return nil, refuse(errcode.InvalidValue, "accounts[%d]: account %q is also accounts[%d]", i, s.Account, j)
		}
		index[a], accounts[i] = i, a
	}
	// Lock in configuration order, so two Seeds never wait on each other crosswise.
	for _, a := range e.accounts {
		if _, ok := index[a]; ok {
			a.mu.Lock()
			defer a.mu.Unlock()
		}
	}

	now := e.clock.Now().UTC()
	books := make([]*book, len(seeds))
	var out []SeededCustomer
	for i, s := range seeds {
		a := accounts[i]
		b := newBook(&e.program)
		if !s.Replace {
			var err error
			if b, err = restoreBook(&e.program, a.snapshotLocked()); err != nil {
				return nil, refuse(errcode.InternalError, "account %q: copying its state: %s", a.name, err)
			}
		}
		for j, cs := range s.Customers {
			rec, err := seedInto(b, &e.program, cs, now)
			if err != nil {
				return nil, refuse(err.Code, "accounts[%d] (%s): customers[%d] (%s): %s", i, a.name, j, cs.ID, err.Message)
			}
			out = append(out, SeededCustomer{Account: a.name, Customer: a.view(b, rec, now)})
		}
		books[i] = b
	}
	for i, a := range accounts {
		a.book = books[i]
		a.wakeWorker()
	}
	e.changed()
	return out, nil
}

// seedInto checks a fixture customer against b and, when every check passes,
// adds it; a refusal leaves b as it was.
func seedInto(b *book, p *Program, s CustomerSeed, now time.Time) (*customer, *Error) {
	switch {
	case s.ID == "":
		return nil, refuse(errcode.MissingArgument, "customerId is required")
	case s.Tier != "" && !hasTier(p, s.Tier):
		return nil, refuse(errcode.InvalidValue, "tier %q is not one of the program's tiers", s.Tier)
	case s.Points < 0 || s.Points > maxPoints:
		return nil, refuse(errcode.InvalidValue, "points must be 0 to %d, got %d", int64(maxPoints), s.Points)
	case b.lookup(s.ID) != nil:
		return nil, refuse(errcode.InvalidValue, "customer %q already exists", s.ID)
	}
	if target, _, _ := b.resolve(p.ChannelMerging, s.ID, s.Email, s.Mobile); target != s.ID {
		return nil, refuse(errcode.InvalidValue,
			"the %s of customer %q already belongs to customer %q, and channel merging by %s needs it to name one profile",
			p.ChannelMerging, s.ID, target, p.ChannelMerging)
	}
	entries := make([]LedgerEntry, 0, len(s.Ledger)+1)
	if s.Points > 0 {
		entries = append(entries, LedgerEntry{
			Kind: EntryAdjustment, Points: s.Points, Amount: p.value(s.Points),
			Time: now, RecordedAt: now, AvailableAt: now, Reason: "opening balance",
		})
	}
	seen := map[string]EntryKind{} // transactionIds of this seed, by the first entry's kind
	tally := ledgerTally{sum: s.Points, earned: s.Points}
	for i, se := range s.Ledger {
		e, err := seedEntry(p, se, now)
		if err == nil && e.TransactionID != "" {
			// One order may hold a redemption and a cashback (see order.go).
			first, again := seen[e.TransactionID]
			pair := again && (first == EntryCashback && e.Kind == EntryRedemption || first == EntryRedemption && e.Kind == EntryCashback)
			if b.transactionUsed(e.TransactionID) || again && !pair {
				err = fmt.Errorf("transactionId %q is already in use", e.TransactionID)
			}
			if !again {
				seen[e.TransactionID] = e.Kind
			} else {
				seen[e.TransactionID] = 0 // a third entry is never a pair
			}
		}
		if err == nil {
			err = tally.add(e)
		}
		if err != nil {
			return nil, refuse(errcode.InvalidValue, "ledger[%d]: %s", i, err)
		}
		entries = append(entries, e)
	}

	rec := b.profile(s.ID, s.ID, false, s.Email, s.Mobile)
	rec.Tier = s.Tier
	for _, e := range entries {
		b.record(rec, e)
	}
	return rec, nil
}

func seedEntry(p *Program, s SeedEntry, now time.Time) (LedgerEntry, error) {
	e := LedgerEntry{
		Kind: s.Kind, TransactionID: s.TransactionID, Points: s.Points, Amount: p.value(s.Points),
		Time: s.Time.UTC(), AvailableAt: s.AvailableAt.UTC(), Reason: s.Reason, Username: s.Username,
	}
	if s.Time.IsZero() {
		e.Time = now
	}
	if s.AvailableAt.IsZero() {
		e.AvailableAt = e.Time
	}
	e.RecordedAt = e.Time
	switch s.Kind {
	case EntryCashback:
		// A seeded cashback says its points, not what was paid; refunds are
		// measured against the amount that earns them at the base rate.
		if p.BaseRate > 0 {
			e.Amount = float64(s.Points) / p.BaseRate
		}
	case EntryRedemption:
		e.Amount = p.value(-s.Points) // the redeemed value
	}
	switch {
	case s.Kind != EntryCashback && s.Kind != EntryManual && s.Kind != EntryAdjustment && s.Kind != EntryRedemption:
		return e, fmt.Errorf("kind %q is not cashback, manual, adjustment or redemption", s.Kind)
	case s.Kind == EntryRedemption && s.Points > 0:
		return e, fmt.Errorf("a redemption spends points; %d would add them", s.Points)
	case s.Kind != EntryAdjustment && s.TransactionID == "":
		return e, fmt.Errorf("a %s entry needs a transactionId", s.Kind)
	case s.Points == 0 || s.Points > maxPoints || s.Points < -maxPoints:
		return e, fmt.Errorf("points must be within ±%d and not 0, got %d", int64(maxPoints), s.Points)
	case e.AvailableAt.Before(e.Time):
		return e, fmt.Errorf("availableAt %s is before time %s", e.AvailableAt.Format(time.RFC3339), e.Time.Format(time.RFC3339))
	}
	return e, entryMadeByAPI(e)
}

// entryMadeByAPI refuses an entry that no API call could have written: a
// cashback earns (its points are never negative), and a deduction takes
// effect when it is recorded (it is never pending, but for the refund of a
// pending cashback, which waits with it). Seeds and state files
// hold only what the API could have made, so a fixture cannot show a state
// the real service never would.
func entryMadeByAPI(e LedgerEntry) error {
	switch {
	case e.Kind == EntryCashback && e.Points < 0:
		return fmt.Errorf("a cashback entry earns points; %d is a deduction, which only manual and adjustment entries make", e.Points)
	case e.Points < 0 && !e.AvailableAt.Equal(e.RecordedAt) && !waitsWithCashback(&e):
		return fmt.Errorf("a deduction takes effect when recorded; availableAt %s is not its recording time %s",
			e.AvailableAt.Format(time.RFC3339), e.RecordedAt.Format(time.RFC3339))
	}
	return nil
}

// ledgerTally follows a customer's ledger in recording order and refuses
// what the API never lets happen: more points deducted than the customer
// had (each deduction is checked against the available points, which never
// exceed the sum of the entries before it; only a refund takes back points
// already spent), or lifetime earned points past maxBalance. Checking as it
// goes also keeps both sums far from overflow.
type ledgerTally struct{ sum, earned int64 }

func (t *ledgerTally) add(e LedgerEntry) error {
	t.sum += e.Points
	if e.Points > 0 && e.Kind.earns() {
		t.earned += e.Points
	}
	switch {
	case t.sum < 0 && e.Points < 0 && !e.Kind.refund():
		return fmt.Errorf("deducts %d points more than the customer had", -t.sum)
	case t.earned > maxBalance:
		return fmt.Errorf("takes the customer's earned points past the %d a customer can hold", int64(maxBalance))
	}
	return nil
}

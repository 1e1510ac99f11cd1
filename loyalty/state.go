package loyalty

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// StateVersion is the version of State this engine writes and reads. Change
// it whenever the meaning of a saved field changes. Version 2: a cashback
// entry's amount is the paid amount (it was the points' value), which
// refunds are measured against.
const StateVersion = 2

// State is every account's data, as plain JSON-serialisable values: what the
// mock server saves to a file and loads back. The clock is not part of it.
type State struct {
	Version  int            `json:"version"`
	Accounts []AccountState `json:"accounts"`
}

// AccountState is one account's data. The transactionIds in use and the
// channel merging indexes are not saved: they are derived from the customers
// and their ledgers on Restore, so they cannot disagree with them.
type AccountState struct {
	Name string `json:"name"`
	// The last ids handed out; the next are one more.
	LastGameballTransactionID int64            `json:"lastGameballTransactionId"`
	LastBatchID               int64            `json:"lastBatchId"`
	Customers                 []CustomerRecord `json:"customers"` // sorted by id
	Batches                   []BatchRecord    `json:"batches"`   // sorted by id
	// Holds are the holds not released, used and expired ones included, sorted by reference.
	Holds []HoldRecord `json:"holds,omitempty"`
}

// Snapshot copies every account's state. Each account is copied under its
// lock, so each is consistent in itself.
func (e *Engine) Snapshot() State {
	s := State{Version: StateVersion, Accounts: make([]AccountState, 0, len(e.accounts))}
	for _, a := range e.accounts {
		s.Accounts = append(s.Accounts, a.snapshot())
	}
	return s
}

func (a *Account) snapshot() AccountState {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.snapshotLocked()
}

func (a *Account) snapshotLocked() AccountState {
	b := a.book
	out := AccountState{
		Name:                      a.name,
		LastGameballTransactionID: b.lastGameballTransactionID,
		LastBatchID:               b.lastBatchID,
		Customers:                 make([]CustomerRecord, 0, len(b.customers)),
		Batches:                   make([]BatchRecord, 0, len(b.batches)),
	}
	for _, c := range b.customers {
		out.Customers = append(out.Customers, c.record())
	}
	for _, r := range b.batches {
		out.Batches = append(out.Batches, r.clone())
	}
	for _, h := range b.holds {
		out.Holds = append(out.Holds, *h)
	}
	slices.SortFunc(out.Holds, func(x, y HoldRecord) int { return strings.Compare(x.Reference, y.Reference) })
	slices.SortFunc(out.Customers, func(x, y CustomerRecord) int { return strings.Compare(x.ID, y.ID) })
	slices.SortFunc(out.Batches, func(x, y BatchRecord) int { return cmp.Compare(x.ID, y.ID) })
	return out
}

// Restore replaces the state of every account with s: accounts s names get
// its data, the others are emptied. It checks s whole first and changes
// nothing if anything is inconsistent (a version it does not read, an
// account not configured, a duplicate customer, alias, transactionId or id,
// an id above its counter, an unknown tier or kind, an entry no API call
// could have written: a negative cashback, a pending deduction, a ledger
// that deducts more than it added or earns past 9e15 points...), answering an *Error
// (3003) that says what and where. Jobs saved while processing restore as
// pending and resume at their first unprocessed item.
func (e *Engine) Restore(s State) error {
	if s.Version != StateVersion {
		return refuse(errcode.InvalidValue, "state: version %d is not supported (this engine reads version %d)", s.Version, StateVersion)
	}
	books := make(map[*Account]*book, len(s.Accounts))
	for i, as := range s.Accounts {
		a, ok := e.Account(as.Name)
		if !ok {
			return refuse(errcode.InvalidValue, "state: accounts[%d]: account %q is not configured", i, as.Name)
		}
		if _, dup := books[a]; dup {
			return refuse(errcode.InvalidValue, "state: accounts[%d]: account %q appears twice", i, as.Name)
		}
		b, err := restoreBook(&e.program, as)
		if err != nil {
			return refuse(errcode.InvalidValue, "state: account %q: %s", as.Name, err)
		}
		books[a] = b
	}
	for _, a := range e.accounts {
		b := books[a]
		if b == nil {
			b = newBook(&e.program)
		}
		a.mu.Lock()
		a.book = b
		e.changed()
		a.mu.Unlock()
		a.wakeWorker()
	}
	return nil
}

// restoreBook rebuilds an account's book from saved data, copying it so the
// caller's State stays theirs, and refuses what the engine could not have
// written.
func restoreBook(p *Program, as AccountState) (*book, error) {
	b := newBook(p)
	b.lastGameballTransactionID, b.lastBatchID = as.LastGameballTransactionID, as.LastBatchID

	records := make(map[string]*CustomerRecord, len(as.Customers))
	for i := range as.Customers {
		c := as.Customers[i].clone()
		if c.ID == "" {
			return nil, fmt.Errorf("customers[%d]: id is empty", i)
		}
		if _, dup := records[c.ID]; dup {
			return nil, fmt.Errorf("customer %q appears twice", c.ID)
		}
		if c.Tier != "" && !hasTier(p, c.Tier) {
			return nil, fmt.Errorf("customer %q: tier %q is not one of the program's tiers", c.ID, c.Tier)
		}
		if c.Ledger == nil {
			c.Ledger = []LedgerEntry{}
		}
		slices.SortFunc(c.Ledger, func(x, y LedgerEntry) int {
			return cmp.Compare(x.GameballTransactionID, y.GameballTransactionID)
		})
		records[c.ID] = &c
	}

	gameballIDs := map[int64]string{}
	for _, id := range slices.Sorted(maps.Keys(records)) {
		c := records[id]
		rec := &customer{ID: c.ID, Email: c.Email, Mobile: c.Mobile, Tier: c.Tier, Aliases: c.Aliases, ledger: make([]*LedgerEntry, 0, len(c.Ledger))}
		b.customers[id] = rec
		for _, alias := range c.Aliases {
			if _, isProfile := records[alias]; isProfile || alias == "" {
				return nil, fmt.Errorf("customer %q: alias %q is empty or a profile of its own", id, alias)
			}
			if other, dup := b.aliases[alias]; dup {
				return nil, fmt.Errorf("customer %q: alias %q is also an alias of %q", id, alias, other)
			}
			b.aliases[alias] = id
		}
		if err := b.indexRestored(p, c); err != nil {
			return nil, err
		}
		var tally ledgerTally
		for _, e := range c.Ledger {
			if err := b.checkRestoredEntry(c.ID, e, gameballIDs); err != nil {
				return nil, err
			}
			if err := tally.add(e); err != nil {
				return nil, fmt.Errorf("customer %q: entry %d %s", c.ID, e.GameballTransactionID, err)
			}
			gameballIDs[e.GameballTransactionID] = c.ID
			b.add(rec, e)
		}
	}

	redeemedBy := map[string]bool{}
	for _, h := range as.Holds {
		if err := b.checkRestoredHold(h, redeemedBy); err != nil {
			return nil, err
		}
		b.holds[h.Reference] = &h
	}

	for i := range as.Batches {
		r := as.Batches[i].clone()
		if err := b.checkRestoredBatch(r); err != nil {
			return nil, err
		}
		if r.State == BatchProcessing {
			r.State = BatchPending
		}
		b.batches[r.ID] = &r
	}
	return b, nil
}

// indexRestored indexes a profile's contacts; under channel merging, the
// merging contact must name one profile only.
func (b *book) indexRestored(p *Program, c *CustomerRecord) error {
	for _, contact := range []struct {
		mode, value, key string
		index            map[string]string
	}{
		{MergeEmail, c.Email, emailKey(c.Email), b.byEmail},
		{MergeMobile, c.Mobile, mobileKey(c.Mobile), b.byMobile},
	} {
		if contact.key == "" {
			continue
		}
		if other, taken := contact.index[contact.key]; taken && p.ChannelMerging == contact.mode {
			return fmt.Errorf("customers %q and %q share %s %q, but channel merging by %s needs it to name one profile",
				other, c.ID, contact.mode, contact.value, contact.mode)
		}
		b.indexContact(contact.index, contact.key, c.ID)
	}
	return nil
}

func (b *book) checkRestoredEntry(customerID string, e LedgerEntry, gameballIDs map[int64]string) error {
	at := fmt.Sprintf("customer %q: entry %d", customerID, e.GameballTransactionID)
	switch {
	case e.GameballTransactionID <= 0:
		return fmt.Errorf("%s: gameballTransactionId must be positive", at)
	case e.GameballTransactionID > b.lastGameballTransactionID:
		return fmt.Errorf("%s: gameballTransactionId is above lastGameballTransactionId %d", at, b.lastGameballTransactionID)
	case gameballIDs[e.GameballTransactionID] != "":
		return fmt.Errorf("%s: gameballTransactionId is also used by customer %q", at, gameballIDs[e.GameballTransactionID])
	case e.Points > maxPoints || e.Points < -maxPoints:
		return fmt.Errorf("%s: points %d are beyond ±%d", at, e.Points, int64(maxPoints))
	case e.AvailableAt.IsZero():
		return fmt.Errorf("%s: availableAt is missing", at)
	}
	if err := entryMadeByAPI(e); err != nil {
		return fmt.Errorf("%s: %s", at, err)
	}
	switch e.Kind {
	case EntryCashback, EntryManual, EntryRedemption, EntryCashbackRefund, EntryRedemptionRefund:
		if e.TransactionID == "" {
			return fmt.Errorf("%s: a %s entry needs a transactionId", at, e.Kind)
		}
	case EntryAdjustment:
	default:
		return fmt.Errorf("%s: kind %q is not cashback, manual, adjustment, redemption, cashbackRefund or redemptionRefund", at, e.Kind)
	}
	if e.Kind.refund() != (e.Reverses != "") {
		return fmt.Errorf("%s: reverses (an order's transactionId) is for refund entries, and they need it", at)
	}
	if !b.restoredIDFree(customerID, e) {
		return fmt.Errorf("%s: transactionId %q appears twice", at, e.TransactionID)
	}
	return nil
}

// restoredIDFree is transactionFree for a restored entry, which may also be
// the second movement of a refund (see Refund).
func (b *book) restoredIDFree(customerID string, e LedgerEntry) bool {
	if !e.Kind.refund() {
		return e.TransactionID == "" || b.transactionFree(e.TransactionID, e.Kind, customerID)
	}
	rec, used := b.byTransactionID[e.TransactionID]
	if !used {
		return true
	}
	if rec.ID != customerID {
		return false
	}
	for _, other := range rec.ledger {
		if other.TransactionID == e.TransactionID && (!other.Kind.refund() || other.Reverses != e.Reverses || other.Kind == e.Kind) {
			return false
		}
	}
	return true
}

// checkRestoredHold checks a hold against the restored ledger; redeemedBy
// collects the redemptions holds were used by, since each redeems one hold.
func (b *book) checkRestoredHold(h HoldRecord, redeemedBy map[string]bool) error {
	at := fmt.Sprintf("hold %q", h.Reference)
	rec := b.customers[h.CustomerID]
	switch {
	case h.Reference == "":
		return fmt.Errorf("a hold has no reference")
	case b.holds[h.Reference] != nil:
		return fmt.Errorf("%s: appears twice", at)
	case rec == nil:
		return fmt.Errorf("%s: customer %q is not a profile", at, h.CustomerID)
	case h.Points <= 0 || h.Points > maxPoints:
		return fmt.Errorf("%s: points must be 1 to %d, got %d", at, int64(maxPoints), h.Points)
	case h.CreatedAt.IsZero() || !h.ExpiresAt.After(h.CreatedAt):
		return fmt.Errorf("%s: expiresAt must be after createdAt", at)
	}
	if h.RedeemedBy != "" {
		if d := b.order(rec, h.RedeemedBy).redemption; d == nil || -d.Points != h.Points || redeemedBy[h.RedeemedBy] {
			return fmt.Errorf("%s: redeemedBy %q is not a redemption of this hold's %d points (nor of another hold)", at, h.RedeemedBy, h.Points)
		}
		redeemedBy[h.RedeemedBy] = true
	}
	return nil
}

func (b *book) checkRestoredBatch(r BatchRecord) error {
	at := fmt.Sprintf("batch %d", r.ID)
	switch {
	case r.ID <= 0:
		return fmt.Errorf("%s: id must be positive", at)
	case r.ID > b.lastBatchID:
		return fmt.Errorf("%s: id is above lastBatchId %d", at, b.lastBatchID)
	case b.batches[r.ID] != nil:
		return fmt.Errorf("%s: appears twice", at)
	case r.Kind != BatchOfCashback && r.Kind != BatchOfAdjustments:
		return fmt.Errorf("%s: kind %q is not cashback or adjustment", at, r.Kind)
	case len(r.Items) == 0 || len(r.Items) > MaxBatchItems:
		return fmt.Errorf("%s: has %d items; a batch has 1 to %d", at, len(r.Items), MaxBatchItems)
	case len(r.Outcomes) > len(r.Items):
		return fmt.Errorf("%s: has %d outcomes for %d items", at, len(r.Outcomes), len(r.Items))
	}
	switch r.State {
	case BatchCompleted:
		if len(r.Outcomes) != len(r.Items) {
			return fmt.Errorf("%s: completed with %d of %d items processed", at, len(r.Outcomes), len(r.Items))
		}
	case BatchPending, BatchProcessing:
		if len(r.Outcomes) == len(r.Items) {
			return fmt.Errorf("%s: %s with every item processed", at, r.State)
		}
	case BatchFailed:
	default:
		return fmt.Errorf("%s: state %q is not pending, processing, completed or failed", at, r.State)
	}
	return nil
}

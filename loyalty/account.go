package loyalty

import (
	"crypto/sha256"
	"crypto/subtle"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// Account is one Gameball account: its keys and its own customers, ledger,
// transactionIds, batch jobs and id counters, shared with no other account.
// Its methods are safe for concurrent use: each runs under the account's lock,
// so two requests for one customer never interleave halfway.
type Account struct {
	engine          *Engine
	name            string
	apiKeyDigest    [sha256.Size]byte
	secretKeyDigest [sha256.Size]byte
	// wake tells the batch worker that a job was submitted, stopped, or that
	// the state was replaced.
	wake chan struct{}

	mu   sync.Mutex
	book *book // replaced whole by Reset and Restore
}

// book is an account's state in memory: the records plus indexes derived
// from them (rebuilt, never saved).
type book struct {
	lastGameballTransactionID int64
	lastBatchID               int64
	customers                 map[string]*CustomerRecord
	batches                   map[int64]*BatchRecord

	aliases            map[string]string   // alias customerId → profile id
	byEmail            map[string]string   // normalised email → profile id
	byMobile           map[string]string   // normalised mobile → profile id
	usedTransactionIDs map[string]struct{} // every transactionId in the ledger
}

func newBook() *book {
	return &book{
		customers:          map[string]*CustomerRecord{},
		batches:            map[int64]*BatchRecord{},
		aliases:            map[string]string{},
		byEmail:            map[string]string{},
		byMobile:           map[string]string{},
		usedTransactionIDs: map[string]struct{}{},
	}
}

func newAccount(e *Engine, c AccountConfig) *Account {
	return &Account{
		engine:          e,
		name:            c.Name,
		apiKeyDigest:    sha256.Sum256([]byte(c.APIKey)),
		secretKeyDigest: sha256.Sum256([]byte(c.SecretKey)),
		wake:            make(chan struct{}, 1),
		book:            newBook(),
	}
}

// Name is the account's name from the configuration.
func (a *Account) Name() string { return a.name }

// SecretKeyMatches reports whether secretKey is the account's secret key, in
// time that does not depend on how much of it matches (digests of equal
// length are compared, so not even the key's length leaks).
func (a *Account) SecretKeyMatches(secretKey string) bool {
	digest := sha256.Sum256([]byte(secretKey))
	return subtle.ConstantTimeCompare(digest[:], a.secretKeyDigest[:]) == 1
}

func (a *Account) program() *Program { return &a.engine.program }

func (a *Account) now() time.Time { return a.engine.clock.Now().UTC() }

func (a *Account) wakeWorker() {
	select {
	case a.wake <- struct{}{}:
	default: // a wake-up is already due
	}
}

// resolve finds the profile a request lands on, without changing anything,
// in the order documented on MergeNone: a merging contact's profile, then an
// alias's profile, then the customerId's own (rec is nil when it is new).
// makeAlias says the customerId should become an alias of target.
func (b *book) resolve(mode, customerID, email, mobile string) (target string, rec *CustomerRecord, makeAlias bool) {
	var index map[string]string
	var key string
	switch mode {
	case MergeEmail:
		index, key = b.byEmail, emailKey(email)
	case MergeMobile:
		index, key = b.byMobile, mobileKey(mobile)
	}
	if key != "" {
		if id, ok := index[key]; ok {
			_, own := b.customers[customerID]
			_, aliased := b.aliases[customerID]
			return id, b.customers[id], id != customerID && !own && !aliased
		}
	}
	if id, ok := b.aliases[customerID]; ok {
		return id, b.customers[id], false
	}
	return customerID, b.customers[customerID], false
}

// lookup finds a profile by its id or an alias; nil if there is none.
func (b *book) lookup(customerID string) *CustomerRecord {
	if id, ok := b.aliases[customerID]; ok {
		return b.customers[id]
	}
	return b.customers[customerID]
}

// profile returns the profile resolve chose, creating it if new and recording
// the alias. A profile keeps the first email and mobile it is given: a later
// request with other contacts changes nothing, so one profile never answers to
// two merging keys.
func (b *book) profile(target, requestID string, makeAlias bool, email, mobile string) *CustomerRecord {
	rec, ok := b.customers[target]
	if !ok {
		rec = &CustomerRecord{ID: target, Ledger: []LedgerEntry{}}
		b.customers[target] = rec
	}
	if makeAlias {
		rec.Aliases = append(rec.Aliases, requestID)
		b.aliases[requestID] = target
	}
	if rec.Email == "" && emailKey(email) != "" {
		rec.Email = strings.TrimSpace(email)
		b.indexContact(b.byEmail, emailKey(email), rec.ID)
	}
	if rec.Mobile == "" && mobileKey(mobile) != "" {
		rec.Mobile = strings.TrimSpace(mobile)
		b.indexContact(b.byMobile, mobileKey(mobile), rec.ID)
	}
	return rec
}

// indexContact points a contact at the first profile that had it. Without
// merging on that contact, several profiles may share it; the index is then
// unused.
func (b *book) indexContact(index map[string]string, key, id string) {
	if _, taken := index[key]; !taken {
		index[key] = id
	}
}

// record appends an entry to a customer's ledger with the account's next
// gameballTransactionId and marks its transactionId used.
func (b *book) record(rec *CustomerRecord, e LedgerEntry) LedgerEntry {
	b.lastGameballTransactionID++
	e.GameballTransactionID = b.lastGameballTransactionID
	rec.Ledger = append(rec.Ledger, e)
	if e.TransactionID != "" {
		b.usedTransactionIDs[e.TransactionID] = struct{}{}
	}
	return e
}

func (b *book) transactionUsed(id string) bool {
	_, used := b.usedTransactionIDs[id]
	return used
}

func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

func mobileKey(mobile string) string { return strings.TrimSpace(mobile) }

// tierOf is the customer's tier: the one given explicitly, else the highest
// earned by lifetime points; "" for no customer or no tier reached.
func (a *Account) tierOf(rec *CustomerRecord) string {
	if rec == nil {
		return ""
	}
	if rec.Tier != "" {
		return rec.Tier
	}
	return a.program().tierFor(earnedPoints(rec.Ledger))
}

// CustomerView is a customer as the dashboard shows it.
type CustomerView struct {
	ID      string   `json:"id"`
	Email   string   `json:"email,omitempty"`
	Mobile  string   `json:"mobile,omitempty"`
	Tier    string   `json:"tier,omitempty"` // the tier in effect, given or earned
	Aliases []string `json:"aliases,omitempty"`
	Balance Balance  `json:"balance"`
}

// Customers lists the account's profiles, sorted by id. Aliases are listed
// under their profile, not on their own.
func (a *Account) Customers() []CustomerView {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	out := make([]CustomerView, 0, len(a.book.customers))
	for _, rec := range a.book.customers {
		out = append(out, a.view(rec, now))
	}
	slices.SortFunc(out, func(x, y CustomerView) int { return strings.Compare(x.ID, y.ID) })
	return out
}

func (a *Account) view(rec *CustomerRecord, now time.Time) CustomerView {
	return CustomerView{
		ID:      rec.ID,
		Email:   rec.Email,
		Mobile:  rec.Mobile,
		Tier:    a.tierOf(rec),
		Aliases: slices.Clone(rec.Aliases),
		Balance: a.program().balance(rec, now),
	}
}

// Ledger is a copy of a customer's ledger (by id or alias), oldest first.
func (a *Account) Ledger(customerID string) ([]LedgerEntry, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	rec := a.book.lookup(customerID)
	if rec == nil {
		return nil, refuse(errcode.CustomerNotFound, "customer %q not found", customerID)
	}
	return slices.Clone(rec.Ledger), nil
}

// CustomerSeed is a fixture customer for SeedCustomer.
type CustomerSeed struct {
	ID     string
	Email  string
	Mobile string
	Tier   string // a configured tier to pin the customer to; empty: earned by points
	Points int64  // an opening balance, available at once; 0 for none
}

// SeedCustomer creates a customer for a fixture: with a pinned tier and an
// opening balance (an adjustment entry with reason "opening balance", which
// counts toward lifetime earned points). It refuses a customerId that exists
// (as a profile or an alias), an unknown tier, negative points, and, under
// channel merging, a contact that belongs to another profile.
func (a *Account) SeedCustomer(s CustomerSeed) (CustomerView, error) {
	p := a.program()
	switch {
	case s.ID == "":
		return CustomerView{}, refuse(errcode.MissingArgument, "customerId is required")
	case s.Tier != "" && !hasTier(p, s.Tier):
		return CustomerView{}, refuse(errcode.InvalidValue, "tier %q is not one of the program's tiers", s.Tier)
	case s.Points < 0 || s.Points > maxPoints:
		return CustomerView{}, refuse(errcode.InvalidValue, "points must be 0 to %d, got %d", int64(maxPoints), s.Points)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	b := a.book
	if b.lookup(s.ID) != nil {
		return CustomerView{}, refuse(errcode.InvalidValue, "customer %q already exists", s.ID)
	}
	if target, _, _ := b.resolve(p.ChannelMerging, s.ID, s.Email, s.Mobile); target != s.ID {
		return CustomerView{}, refuse(errcode.InvalidValue,
			"the %s of customer %q already belongs to customer %q, and channel merging by %s needs it to name one profile",
			p.ChannelMerging, s.ID, target, p.ChannelMerging)
	}
	now := a.now()
	rec := b.profile(s.ID, s.ID, false, s.Email, s.Mobile)
	rec.Tier = s.Tier
	if s.Points > 0 {
		b.record(rec, LedgerEntry{
			Kind: EntryAdjustment, Points: s.Points, Amount: p.value(s.Points),
			Time: now, RecordedAt: now, AvailableAt: now, Reason: "opening balance",
		})
	}
	return a.view(rec, now), nil
}

func hasTier(p *Program, name string) bool {
	_, ok := p.tier(name)
	return ok
}

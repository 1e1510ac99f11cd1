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
	customers                 map[string]*customer
	batches                   map[int64]*BatchRecord
	program                   *Program

	aliases         map[string]string      // alias customerId → profile id
	byEmail         map[string]string      // normalised email → profile id
	byMobile        map[string]string      // normalised mobile → profile id
	byTransactionID map[string]*customer   // every transactionId in the ledger → the profile whose ledger has it
	holds           map[string]*HoldRecord // by reference; a released hold is deleted
}

func newBook(p *Program) *book {
	return &book{
		program:         p,
		customers:       map[string]*customer{},
		batches:         map[int64]*BatchRecord{},
		aliases:         map[string]string{},
		byEmail:         map[string]string{},
		byMobile:        map[string]string{},
		byTransactionID: map[string]*customer{},
		holds:           map[string]*HoldRecord{},
	}
}

func newAccount(e *Engine, c AccountConfig) *Account {
	return &Account{
		engine:          e,
		name:            c.Name,
		apiKeyDigest:    sha256.Sum256([]byte(c.APIKey)),
		secretKeyDigest: sha256.Sum256([]byte(c.SecretKey)),
		wake:            make(chan struct{}, 1),
		book:            newBook(&e.program),
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
// makeAlias says the customerId should become an alias of target; only the
// writes that create a profile (cashback, manual transactions, adjustments)
// make it one, through profile. Redemptions, holds, refunds and payment
// quotes act on a profile that exists and leave aliases as they are.
func (b *book) resolve(mode, customerID, email, mobile string) (target string, rec *customer, makeAlias bool) {
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
func (b *book) lookup(customerID string) *customer {
	if id, ok := b.aliases[customerID]; ok {
		return b.customers[id]
	}
	return b.customers[customerID]
}

// profile returns the profile resolve chose, creating it if new and recording
// the alias. A profile keeps the first email and mobile it is given: a later
// request with other contacts changes nothing, so one profile never answers to
// two merging keys.
func (b *book) profile(target, requestID string, makeAlias bool, email, mobile string) *customer {
	rec, ok := b.customers[target]
	if !ok {
		rec = &customer{ID: target}
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
func (b *book) record(rec *customer, e LedgerEntry) LedgerEntry {
	b.lastGameballTransactionID++
	e.GameballTransactionID = b.lastGameballTransactionID
	b.add(rec, e)
	return e
}

func (b *book) transactionUsed(id string) bool {
	_, used := b.byTransactionID[id]
	return used
}

func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

func mobileKey(mobile string) string { return strings.TrimSpace(mobile) }

// tierOf is the customer's tier: the one given explicitly, else the highest
// earned by lifetime points; "" for no customer or no tier reached.
func (a *Account) tierOf(rec *customer) string {
	if rec == nil {
		return ""
	}
	if rec.Tier != "" {
		return rec.Tier
	}
	return a.program().tierFor(rec.earned)
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
		out = append(out, a.view(a.book, rec, now))
	}
	slices.SortFunc(out, func(x, y CustomerView) int { return strings.Compare(x.ID, y.ID) })
	return out
}

// view is rec as callers see it, with its balance from b: the account's
// book, or one Seed is building and has not swapped in yet.
func (a *Account) view(b *book, rec *customer, now time.Time) CustomerView {
	return CustomerView{
		ID:      rec.ID,
		Email:   rec.Email,
		Mobile:  rec.Mobile,
		Tier:    a.tierOf(rec),
		Aliases: slices.Clone(rec.Aliases),
		Balance: b.balance(rec, now),
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
	return rec.entries(), nil
}

// CustomerSeed is a fixture customer for SeedCustomer and Engine.Seed.
type CustomerSeed struct {
	ID     string
	Email  string
	Mobile string
	Tier   string // a configured tier to pin the customer to; empty: earned by points
	Points int64  // an opening balance, available at once; 0 for none
	// Ledger is recorded after the opening balance, in order.
	Ledger []SeedEntry
}

// SeedEntry is a fixture ledger entry.
type SeedEntry struct {
	Kind          EntryKind // cashback, manual, adjustment or redemption (of the order TransactionID, which a refund can then reverse)
	TransactionID string    // required for cashback and manual; unused in the account
	Points        int64     // positive earns, negative deducts; not 0
	Time          time.Time // the transaction's time; zero: now
	AvailableAt   time.Time // zero: Time; later than now keeps the points pending
	Reason        string
	Username      string
}

// SeedCustomer creates a customer for a fixture: with a pinned tier, an
// opening balance (an adjustment entry with reason "opening balance", which
// counts toward lifetime earned points) and ledger entries. It refuses, and
// then changes nothing, a customerId that exists (as a profile or an alias),
// an unknown tier, negative points, an entry of an unknown kind, of 0 points,
// without a transactionId where one is needed, with a transactionId in use,
// or available before its time, entries no API call could have written (a
// negative cashback, a pending deduction, a ledger that deducts more than it
// added or earns past 9e15 points), and, under channel merging, a contact
// that belongs to another profile.
func (a *Account) SeedCustomer(s CustomerSeed) (CustomerView, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	rec, err := seedInto(a.book, a.program(), s, now)
	if err != nil {
		return CustomerView{}, err
	}
	a.engine.changed()
	return a.view(a.book, rec, now), nil
}

func hasTier(p *Program, name string) bool {
	_, ok := p.tier(name)
	return ok
}

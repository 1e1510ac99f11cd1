package loyalty

import (
	"fmt"
	"slices"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// The records below are an account's state as plain data: what the engine
// keeps in memory, what Snapshot hands out and what Restore takes back. Their
// JSON form is the mock server's saved-state file.

// CustomerRecord is a customer profile and its ledger.
type CustomerRecord struct {
	ID     string `json:"id"`
	Email  string `json:"email,omitempty"`
	Mobile string `json:"mobile,omitempty"`
	// Tier is a tier given explicitly (by seeding); empty means the tier
	// follows lifetime earned points.
	Tier string `json:"tier,omitempty"`
	// Aliases are other customerIds that channel merging landed on this profile.
	Aliases []string      `json:"aliases,omitempty"`
	Ledger  []LedgerEntry `json:"ledger"`
}

// EntryKind says which operation wrote a ledger entry. It is a small number
// in memory, since every entry carries one, and its name in JSON (cashback,
// manual...), in state files and fixtures alike.
type EntryKind uint8

// The kinds of ledger entries; the zero value is no kind, refused everywhere.
const (
	EntryCashback EntryKind = iota + 1
	EntryManual
	EntryAdjustment // a balance adjustment batch item, or a seeded opening balance
	EntryRedemption // points spent on an order
	// A refund writes one entry per part of the order it refunds: one takes
	// back points of its cashback (0 or fewer), one gives back points of its
	// redemption.
	EntryCashbackRefund
	EntryRedemptionRefund
)

var entryKindNames = [...]string{
	EntryCashback:         "cashback",
	EntryManual:           "manual",
	EntryAdjustment:       "adjustment",
	EntryRedemption:       "redemption",
	EntryCashbackRefund:   "cashbackRefund",
	EntryRedemptionRefund: "redemptionRefund",
}

// String is the kind's name, as in JSON.
func (k EntryKind) String() string {
	if int(k) < len(entryKindNames) && entryKindNames[k] != "" {
		return entryKindNames[k]
	}
	return fmt.Sprintf("EntryKind(%d)", uint8(k))
}

// ParseEntryKind reads a kind's name.
func ParseEntryKind(name string) (EntryKind, error) {
	for k, n := range entryKindNames {
		if n != "" && n == name {
			return EntryKind(k), nil
		}
	}
	return 0, fmt.Errorf("kind %q is not one of cashback, manual, adjustment, redemption, cashbackRefund, redemptionRefund", name)
}

// MarshalText writes the kind's name; no kind has none.
func (k EntryKind) MarshalText() ([]byte, error) {
	if int(k) >= len(entryKindNames) || entryKindNames[k] == "" {
		return nil, fmt.Errorf("loyalty: %s has no name", k)
	}
	return []byte(entryKindNames[k]), nil
}

// UnmarshalText reads a kind's name.
func (k *EntryKind) UnmarshalText(text []byte) error {
	parsed, err := ParseEntryKind(string(text))
	if err != nil {
		return err
	}
	*k = parsed
	return nil
}

// refund reports whether an entry of this kind is a part of a refund.
func (k EntryKind) refund() bool { return k == EntryCashbackRefund || k == EntryRedemptionRefund }

// earns reports whether an entry of this kind counts toward lifetime earned
// points when positive: points given back by a refund were earned before.
func (k EntryKind) earns() bool { return !k.refund() }

// LedgerEntry is one movement of a customer's points. Balances are worked out
// from the ledger when asked, never stored, so they cannot drift from it.
type LedgerEntry struct {
	GameballTransactionID int64     `json:"gameballTransactionId"`
	TransactionID         string    `json:"transactionId,omitempty"` // the caller's id; adjustments have none
	Kind                  EntryKind `json:"kind"`
	Points                int64     `json:"points"` // positive earns, negative deducts
	// Amount is the money the entry is about: a cashback's paid amount, a
	// redemption's redeemed value, the part of a refund's amount an entry of
	// it covers (refunds are measured against the first two), and for manual
	// transactions and adjustments the value of Points.
	Amount float64 `json:"amount"`
	// Time is the request's transactionTime; for adjustments, when recorded.
	Time       time.Time `json:"time"`
	RecordedAt time.Time `json:"recordedAt"`
	// AvailableAt is when the points count as available: the end of the
	// return window for cashback, RecordedAt for everything else.
	AvailableAt time.Time `json:"availableAt"`
	// ExpiresAt is when the entry's points expire, set by a manual
	// transaction's expiryAfter; nil: the program's pointsExpiry decides. A
	// pointer, not a zero time, because few entries have one and every
	// entry is kept: it keeps an entry at 176 bytes.
	ExpiresAt *time.Time `json:"expiresAt,omitempty"`
	Reason    string     `json:"reason,omitempty"`
	Username  string     `json:"username,omitempty"` // the admin behind a manual transaction
	// Reverses is, for a refund entry, the transactionId of the order it refunds.
	Reverses string `json:"reverses,omitempty"`
}

// HoldRecord is points reserved for a customer until they are redeemed, the
// hold is released (then it is gone), or ExpiresAt passes.
type HoldRecord struct {
	Reference  string    `json:"reference"`
	CustomerID string    `json:"customerId"` // the profile
	Points     int64     `json:"points"`
	CreatedAt  time.Time `json:"createdAt"`
	ExpiresAt  time.Time `json:"expiresAt"`
	RedeemedBy string    `json:"redeemedBy,omitempty"` // the redemption's transactionId, once used
}

// HoldState is a hold's status, as Gameball names it.
type HoldState string

// The states of a hold.
const (
	HoldActive  HoldState = "Active"
	HoldUsed    HoldState = "Used"
	HoldExpired HoldState = "Expired"
)

// State is the hold's status at now: holds expire by the clock, with nothing run.
func (h *HoldRecord) State(now time.Time) HoldState {
	switch {
	case h.RedeemedBy != "":
		return HoldUsed
	case !now.Before(h.ExpiresAt):
		return HoldExpired
	}
	return HoldActive
}

// BatchKind says what a batch job's items are.
type BatchKind string

// The kinds of batch jobs.
const (
	BatchOfCashback    BatchKind = "cashback"
	BatchOfAdjustments BatchKind = "adjustment"
)

// BatchRecord is a batch job: its input and what came of each item so far.
type BatchRecord struct {
	ID          int64       `json:"id"`
	Kind        BatchKind   `json:"kind"`
	State       BatchState  `json:"state"`
	Message     string      `json:"message,omitempty"`
	SubmittedAt time.Time   `json:"submittedAt"`
	Items       []BatchItem `json:"items"`
	// Outcomes has one entry per processed item, in input order; the job
	// resumes at item len(Outcomes).
	Outcomes []BatchOutcome `json:"outcomes,omitempty"`
}

// BatchItem is one input item of a batch job: a cashback (Amount in money)
// or an adjustment (Amount in points, CustomerID and Reason only).
type BatchItem struct {
	CustomerID    string          `json:"customerId"`
	Email         string          `json:"email,omitempty"`
	Mobile        string          `json:"mobile,omitempty"`
	TransactionID string          `json:"transactionId,omitempty"`
	Time          time.Time       `json:"transactionTime,omitzero"`
	Amount        float64         `json:"amount"`
	Merchant      *MerchantRecord `json:"merchant,omitempty"`
	ReturnWindow  *int            `json:"returnWindow,omitempty"`
	Reason        string          `json:"reason,omitempty"`
}

// MerchantRecord is a Merchant as saved state.
type MerchantRecord struct {
	UniqueID string `json:"uniqueId,omitempty"`
	Name     string `json:"name,omitempty"`
	BranchID string `json:"branchId,omitempty"`
	Branch   string `json:"branch,omitempty"`
}

// BatchOutcome is what became of one batch item: an award, or an error.
type BatchOutcome struct {
	CustomerID            string       `json:"customerId"` // the profile on success, the item's customerId on error
	TransactionID         string       `json:"transactionId,omitempty"`
	GameballTransactionID int64        `json:"gameballTransactionId,omitempty"`
	Points                int64        `json:"points,omitempty"`
	ErrorCode             errcode.Code `json:"errorCode,omitempty"`
	ErrorMessage          string       `json:"errorMessage,omitempty"`
}

func cashbackItem(c Cashback) BatchItem {
	return BatchItem{
		CustomerID:    c.CustomerID,
		Email:         c.Email,
		Mobile:        c.Mobile,
		TransactionID: c.TransactionID,
		Time:          c.Time.UTC(),
		Amount:        c.Amount,
		Merchant:      merchantRecord(c.Merchant),
		ReturnWindow:  clonePtr(c.ReturnWindow),
	}
}

func (it BatchItem) cashback() Cashback {
	c := Cashback{
		CustomerID:    it.CustomerID,
		Email:         it.Email,
		Mobile:        it.Mobile,
		TransactionID: it.TransactionID,
		Time:          it.Time,
		Amount:        it.Amount,
		ReturnWindow:  clonePtr(it.ReturnWindow),
	}
	if m := it.Merchant; m != nil {
		c.Merchant = &Merchant{UniqueID: m.UniqueID, Name: m.Name, BranchID: m.BranchID, Branch: m.Branch}
	}
	return c
}

func adjustmentItem(a Adjustment) BatchItem {
	return BatchItem{CustomerID: a.CustomerID, Amount: a.Points, Reason: a.Reason}
}

func (it BatchItem) adjustment() Adjustment {
	return Adjustment{CustomerID: it.CustomerID, Points: it.Amount, Reason: it.Reason}
}

func merchantRecord(m *Merchant) *MerchantRecord {
	if m == nil {
		return nil
	}
	return &MerchantRecord{UniqueID: m.UniqueID, Name: m.Name, BranchID: m.BranchID, Branch: m.Branch}
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// The records are shared with no one: everything handed out or taken in is
// copied, so a caller's later edits cannot reach the engine's state.

func (c *CustomerRecord) clone() CustomerRecord {
	out := *c
	out.Aliases = slices.Clone(c.Aliases)
	out.Ledger = slices.Clone(c.Ledger)
	return out
}

func (r *BatchRecord) clone() BatchRecord {
	out := *r
	out.Items = make([]BatchItem, len(r.Items))
	for i, it := range r.Items {
		it.Merchant = clonePtr(it.Merchant)
		it.ReturnWindow = clonePtr(it.ReturnWindow)
		out.Items[i] = it
	}
	out.Outcomes = slices.Clone(r.Outcomes)
	return out
}

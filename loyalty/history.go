package loyalty

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// HistoryQuery filters and pages the transaction history. Pages are in the
// order transactions were recorded (by gameballTransactionId), and a page
// starts after the last id of the one before, so paging never skips or
// repeats a transaction while others are recorded: new ones get higher ids.
type HistoryQuery struct {
	CustomerID string // "": every customer of the account
	Direction  string // "+" accumulations, "-" deductions, "": both
	Status     string // Active, Pending or Expired (any case); "": all
	StartAfter int64  // a gameballTransactionId; 0 starts at the first
	Limit      int    // 1 to MaxHistoryLimit; 0: DefaultHistoryLimit
}

// The history's page sizes, as Gameball documents them.
const (
	DefaultHistoryLimit = 50
	MaxHistoryLimit     = 200
)

// HistoryPage is one page of the history.
type HistoryPage struct {
	Transactions []HistoryRecord
	HasMore      bool
}

// HistoryRecord is one ledger entry as the transaction history shows it.
type HistoryRecord struct {
	GameballTransactionID int64
	TransactionID         string
	Type                  TransactionType
	Direction             string // "+" or "-"
	CustomerID            string // the profile
	Points                int64  // how many, whatever the direction
	Amount                float64
	Time                  time.Time
	Status                TransactionStatus
	Reason                string
	ExpiryDate            time.Time // zero: the points never expire (or none were added)
	// BalanceBefore and BalanceAfter are the customer's points as recorded
	// (the running sum of the ledger, pending included, before any expiry).
	BalanceBefore int64
	BalanceAfter  int64
}

// TransactionType is a history record's type, as Gameball names it.
type TransactionType string

// The types the engine's entries map to: a cashback is a PaymentReward, a
// manual transaction, balance adjustment or seeded balance a
// ManualAccumulation or ManualDeduction by its sign, a redemption a
// Redemption, and either movement of a refund a Refund.
const (
	TypePaymentReward      TransactionType = "PaymentReward"
	TypeManualAccumulation TransactionType = "ManualAccumulation"
	TypeManualDeduction    TransactionType = "ManualDeduction"
	TypeRedemption         TransactionType = "Redemption"
	TypeRefund             TransactionType = "Refund"
)

// TransactionStatus is a history record's status, as Gameball names it.
type TransactionStatus string

// The statuses of history records. Nothing is ever Blocked (Gameball's
// fraud flag) here, but it may be asked for.
const (
	StatusActive  TransactionStatus = "Active"
	StatusPending TransactionStatus = "Pending"
	StatusBlocked TransactionStatus = "Blocked"
	StatusExpired TransactionStatus = "Expired"
)

var historyStatuses = []TransactionStatus{StatusActive, StatusPending, StatusBlocked, StatusExpired}

// History answers a page of the account's transactions. Refusals: 3003 for
// a direction, status or limit it does not know, or a negative startAfter;
// 7000 for a customerId that is not a customer.
func (a *Account) History(q HistoryQuery) (HistoryPage, error) {
	if err := checkHistoryQuery(&q); err != nil {
		return HistoryPage{}, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	b, now := a.book, a.now()
	var customers []*customer
	if q.CustomerID != "" {
		rec := b.lookup(q.CustomerID)
		if rec == nil {
			return HistoryPage{}, refuse(errcode.CustomerNotFound, "customer %q not found", q.CustomerID)
		}
		customers = []*customer{rec}
	} else {
		for _, rec := range b.customers {
			customers = append(customers, rec)
		}
	}

	var matched []HistoryRecord
	for _, rec := range customers {
		var balance int64
		for _, e := range rec.ledger {
			before := balance
			balance += e.Points
			if e.GameballTransactionID <= q.StartAfter {
				continue
			}
			r := b.historyRecord(rec, e, now, before)
			if (q.Direction == "" || r.Direction == q.Direction) && (q.Status == "" || string(r.Status) == q.Status) {
				matched = append(matched, r)
			}
		}
	}
	slices.SortFunc(matched, func(x, y HistoryRecord) int { return cmp.Compare(x.GameballTransactionID, y.GameballTransactionID) })
	page := HistoryPage{Transactions: matched, HasMore: len(matched) > q.Limit}
	if page.HasMore {
		page.Transactions = matched[:q.Limit]
	}
	return page, nil
}

func checkHistoryQuery(q *HistoryQuery) *Error {
	switch q.Direction {
	case "", "+", "-":
	case " ": // a "+" sent unescaped in a query string arrives as a space
		q.Direction = "+"
	default:
		return refuse(errcode.InvalidValue, `direction must be "+" or "-", got %q`, q.Direction)
	}
	if q.Status != "" {
		i := slices.IndexFunc(historyStatuses, func(s TransactionStatus) bool { return strings.EqualFold(string(s), q.Status) })
		if i < 0 {
			return refuse(errcode.InvalidValue, "status must be Active, Pending, Blocked or Expired, got %q", q.Status)
		}
		q.Status = string(historyStatuses[i])
	}
	switch {
	case q.Limit == 0:
		q.Limit = DefaultHistoryLimit
	case q.Limit < 0 || q.Limit > MaxHistoryLimit:
		return refuse(errcode.InvalidValue, "limit must be 1 to %d, got %d", MaxHistoryLimit, q.Limit)
	}
	if q.StartAfter < 0 {
		return refuse(errcode.InvalidValue, "startAfter must be a gameballTransactionId (0 or more), got %d", q.StartAfter)
	}
	return nil
}

func (b *book) historyRecord(rec *customer, e *LedgerEntry, now time.Time, before int64) HistoryRecord {
	r := HistoryRecord{
		GameballTransactionID: e.GameballTransactionID,
		TransactionID:         e.TransactionID,
		Type:                  historyType(e),
		Direction:             "+",
		CustomerID:            rec.ID,
		Points:                e.Points,
		Amount:                math.Abs(e.Amount), // positive with the direction, whatever kind of money it is
		Time:                  e.Time,
		Status:                StatusActive,
		Reason:                e.Reason,
		BalanceBefore:         before,
		BalanceAfter:          before + e.Points,
	}
	if e.Points < 0 {
		r.Direction, r.Points = "-", -e.Points
	}
	if e.Points > 0 {
		r.ExpiryDate = b.program.entryExpiry(e)
	}
	switch {
	case e.AvailableAt.After(now):
		r.Status = StatusPending
	case !r.ExpiryDate.IsZero() && !r.ExpiryDate.After(now):
		r.Status = StatusExpired
	}
	return r
}

func historyType(e *LedgerEntry) TransactionType {
	switch e.Kind {
	case EntryCashback:
		return TypePaymentReward
	case EntryRedemption:
		return TypeRedemption
	case EntryCashbackRefund, EntryRedemptionRefund:
		return TypeRefund
	}
	if e.Points < 0 {
		return TypeManualDeduction
	}
	return TypeManualAccumulation
}

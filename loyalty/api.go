// Package loyalty is the mock server's loyalty engine: Gameball's rules for
// cashback, payment cashback calculation, manual transactions, batch jobs and
// balances, over in-memory state per account. It knows nothing of HTTP; the
// mock server translates requests into these calls and errors into
// Gameball's error object.
package loyalty

import (
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// Error is a refusal by the rules, carrying Gameball's error code.
type Error struct {
	Code    errcode.Code
	Message string
}

func (e *Error) Error() string { return e.Message }

// Merchant identifies where a transaction took place.
type Merchant struct {
	UniqueID string
	Name     string
	BranchID string
	Branch   string
}

// Cashback is one reward cashback call (or one item of a cashback batch).
type Cashback struct {
	CustomerID    string
	Email         string
	Mobile        string
	TransactionID string
	Time          time.Time
	Amount        float64
	Merchant      *Merchant
	// ReturnWindow overrides the program's default return window, in days
	// (0 to 7300); nil keeps the default.
	ReturnWindow *int
}

// CashbackResult is what a reward cashback awarded.
type CashbackResult struct {
	CustomerID            string // the profile the points landed on (after channel merging)
	GameballTransactionID int64
	Points                int64
	RewardAmount          float64 // Points × the program's point value
}

// Payment is a calculate-payment-cashback request.
type Payment struct {
	CustomerID string // may be empty, or unknown: the default rate, no tier, applies
	Email      string
	Mobile     string
	TotalPaid  float64 // used when Services is empty
	Services   []Service
	Merchant   *Merchant
}

// Service is one paid service of a Payment.
type Service struct {
	ID       string
	Name     string
	Provider string
	Amount   float64
	Tax      float64
	Discount float64
	Tags     []string
	Category []string
}

// PaymentCashback is the calculated cashback of a Payment. Nothing is awarded.
type PaymentCashback struct {
	TotalPoints int64
	TotalScore  int64
	Services    []ServiceCashback // one per Service, in order; one for the whole payment when it has none
}

// ServiceCashback is the calculation for one service.
type ServiceCashback struct {
	ServiceID            string
	Quantity             float64
	DecimalPoints        float64 // eligible amount × rate × multiplier, before rounding
	Points               int64   // DecimalPoints rounded down
	Score                int64
	RewardWalletFactor   float64 // the rate: points per currency unit
	Campaign             *Campaign
	CampaignFactor       float64 // the campaign's multiplier; 1 without a campaign
	CampaignImpactPoints int64   // Points minus the points without the campaign
}

// ManualTransaction is an add-manual-transaction call.
type ManualTransaction struct {
	CustomerID    string
	Email         string
	Mobile        string
	TransactionID string
	Time          time.Time // zero: now
	Username      string
	Reason        string
	// Points or Amount, exactly one: points, or a money value turned into
	// points at the program's point value. Positive adds, negative deducts.
	Points *int64
	Amount *float64
	// ExpiryAfter is the number of days after which added points expire;
	// nil or 0: the program's pointsExpiry. Additions only.
	ExpiryAfter *int
}

// ManualResult is what a manual transaction did.
type ManualResult struct {
	CustomerID            string
	GameballTransactionID int64
	TransactionID         string
	Points                int64
	Amount                float64 // money value of Points
}

// Adjustment is one item of a balance adjustment batch.
type Adjustment struct {
	CustomerID string
	Points     float64 // the request's amount, in points; must be a whole number
	Reason     string
}

// BatchState is a batch job's status.
type BatchState string

// The states of a batch job.
const (
	BatchPending    BatchState = "pending"
	BatchProcessing BatchState = "processing"
	BatchCompleted  BatchState = "completed"
	BatchFailed     BatchState = "failed"
)

// BatchStates is every state a batch job can be in, in lifecycle order. The
// contract tests hold it equal to the spec's enum of batch statuses.
var BatchStates = []BatchState{BatchPending, BatchProcessing, BatchCompleted, BatchFailed}

// BatchStatus is a snapshot of a batch job.
type BatchStatus struct {
	ID             int64
	State          BatchState
	TotalItems     int
	ProcessedItems int
	FailedItems    int
	Message        string
	Kind           BatchKind
	SubmittedAt    time.Time
	Results        []BatchItemResult
	Errors         []BatchItemError
}

// Progress is the share of items processed, 0 to 100.
func (s BatchStatus) Progress() float64 {
	if s.TotalItems == 0 {
		return 100
	}
	return float64(s.ProcessedItems) * 100 / float64(s.TotalItems)
}

// BatchItemResult is an item that succeeded.
type BatchItemResult struct {
	Index                 int
	CustomerID            string
	TransactionID         string
	GameballTransactionID int64
	Points                int64
}

// BatchItemError is an item that failed.
type BatchItemError struct {
	Index         int
	CustomerID    string
	TransactionID string
	Err           *Error
}

// Balance is a customer's points balance.
type Balance struct {
	CustomerID         string
	TotalPoints        int64 // available + held + pending
	AvailablePoints    int64
	PendingPoints      int64
	HeldPoints         int64 // reserved by active holds: in TotalPoints, not in AvailablePoints
	TotalEarnedPoints  int64
	TotalValue         float64
	AvailableValue     float64
	PendingValue       float64
	Currency           string
	PointsName         string
	NextExpiringPoints int64
	NextExpiringValue  float64
	NextExpiringDate   *time.Time
}

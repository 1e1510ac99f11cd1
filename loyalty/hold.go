package loyalty

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
	"github.com/google/uuid"
)

// Hold is a hold call: exactly one of Points, Amount and RuleID says what to
// reserve.
type Hold struct {
	CustomerID string
	Email      string
	Mobile     string
	Time       time.Time
	Points     *int64
	Amount     *float64 // money, turned into points as for Redeem
	RuleID     string   // a redemption rule: the mock has none, so it is refused
}

// HoldView is a hold as the API shows it.
type HoldView struct {
	Reference  string
	CustomerID string
	Points     int64
	Amount     float64 // the points' money value
	State      HoldState
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RedeemedBy string // the redemption's transactionId, once used
}

// PlaceHold reserves available points for the program's hold time (by the
// engine's clock): held points are not available to spend until the hold is
// redeemed, released or expires. Nothing runs when it expires: its points
// simply count as available again.
//
// Refusals: 3000 without customerId or transactionTime, or without any of
// pointsToHold, amountToHold and ruleId; 3016 with more than one; 3003 for
// points or an amount not greater than 0, and for a ruleId (the mock has no
// redemption rules); 9007 as for RewardCashback; 9008 beyond the available
// points.
func (a *Account) PlaceHold(h Hold) (HoldView, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	p := a.program()
	if h.CustomerID == "" {
		return HoldView{}, refuse(errcode.MissingArgument, "customerId is required")
	}
	if err := exactlyOne(field{"pointsToHold", h.Points != nil}, field{"amountToHold", h.Amount != nil}, field{"ruleId", h.RuleID != ""}); err != nil {
		return HoldView{}, err
	}
	if h.RuleID != "" {
		return HoldView{}, refuse(errcode.InvalidValue, "ruleId %q: the mock server has no redemption rules; hold pointsToHold or amountToHold", h.RuleID)
	}
	if err := checkTransactionTime(p, h.Time, now); err != nil {
		return HoldView{}, err
	}
	points, err := pointsFor(p, "pointsToHold", h.Points, "amountToHold", h.Amount)
	if err != nil {
		return HoldView{}, err
	}
	b := a.book
	_, rec, _ := b.resolve(p.ChannelMerging, h.CustomerID, h.Email, h.Mobile)
	if err := a.checkDeduction(h.CustomerID, rec, -points, now); err != nil {
		return HoldView{}, err
	}
	hold := &HoldRecord{
		Reference:  uuid.NewString(),
		CustomerID: rec.ID,
		Points:     points,
		CreatedAt:  now,
		ExpiresAt:  now.Add(p.holdTime()),
	}
	b.holds[hold.Reference] = hold
	a.engine.changed()
	return a.holdView(hold, now), nil
}

// GetHold shows a hold, active, used or expired; 9006 for one that does not
// exist or was released.
func (a *Account) GetHold(reference string) (HoldView, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	h, ok := a.book.holds[reference]
	if !ok {
		return HoldView{}, errNoHold(reference)
	}
	return a.holdView(h, a.now()), nil
}

// ReleaseHold cancels a hold, so its points are available again, and forgets
// it. An expired hold is released too (its points already were); 9006 for a
// hold that does not exist, was released, or was redeemed (its points are
// spent).
func (a *Account) ReleaseHold(reference string) (HoldView, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b := a.book
	h, ok := b.holds[reference]
	if !ok {
		return HoldView{}, errNoHold(reference)
	}
	if h.RedeemedBy != "" {
		return HoldView{}, refuse(errcode.HoldNotFound, "hold %q was redeemed by transaction %q: there is nothing to release", reference, h.RedeemedBy)
	}
	view := a.holdView(h, a.now())
	delete(b.holds, reference)
	a.engine.changed()
	return view, nil
}

// Holds lists a customer's holds (by id or alias) not released, oldest
// first, with their state at the clock's time.
func (a *Account) Holds(customerID string) ([]HoldView, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	rec := a.book.lookup(customerID)
	if rec == nil {
		return nil, refuse(errcode.CustomerNotFound, "customer %q not found", customerID)
	}
	now := a.now()
	var out []HoldView
	for _, h := range a.book.holds {
		if h.CustomerID == rec.ID {
			out = append(out, a.holdView(h, now))
		}
	}
	slices.SortFunc(out, func(x, y HoldView) int {
		return cmp.Or(x.CreatedAt.Compare(y.CreatedAt), strings.Compare(x.Reference, y.Reference))
	})
	return out, nil
}

// usableHold is the hold a redemption names, if it is rec's and active.
func (b *book) usableHold(reference string, rec *customer, now time.Time) (*HoldRecord, *Error) {
	h, ok := b.holds[reference]
	if !ok || rec == nil || h.CustomerID != rec.ID {
		return nil, errNoHold(reference)
	}
	switch h.State(now) {
	case HoldUsed:
		return nil, refuse(errcode.HoldNotFound, "hold %q was already redeemed by transaction %q", reference, h.RedeemedBy)
	case HoldExpired:
		return nil, refuse(errcode.HoldNotFound, "hold %q expired at %s", reference, h.ExpiresAt.Format(time.RFC3339))
	}
	return h, nil
}

func (a *Account) holdView(h *HoldRecord, now time.Time) HoldView {
	return HoldView{
		Reference:  h.Reference,
		CustomerID: h.CustomerID,
		Points:     h.Points,
		Amount:     a.program().value(h.Points),
		State:      h.State(now),
		CreatedAt:  h.CreatedAt,
		ExpiresAt:  h.ExpiresAt,
		RedeemedBy: h.RedeemedBy,
	}
}

func errNoHold(reference string) *Error {
	return refuse(errcode.HoldNotFound, "hold reference %q not found", reference)
}

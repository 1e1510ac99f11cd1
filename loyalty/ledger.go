package loyalty

import (
	"cmp"
	"slices"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// Balance is a customer's points balance now (by customerId or alias),
// worked out from the ledger at the clock's current time: points whose return
// window has passed count as available without anything having run.
func (a *Account) Balance(customerID string) (Balance, error) {
	if customerID == "" {
		return Balance{}, refuse(errcode.MissingArgument, "customerId is required")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	rec := a.book.lookup(customerID)
	if rec == nil {
		return Balance{}, refuse(errcode.CustomerNotFound, "customer %q not found", customerID)
	}
	return a.book.balance(rec, a.now()), nil
}

// balance sums a ledger at now:
//   - pending: points earned whose AvailableAt is still ahead, less the
//     refunds waiting with them;
//   - held: points reserved by the customer's active holds;
//   - available: matured points, less deductions, expired points (see
//     standing) and held points;
//   - total: available + held + pending: held points are still the customer's;
//   - earned: every positive entry, pending or not, expired or not.
//
// Pending is never negative for a ledger the API wrote, whichever way the
// clock has moved (see standing), and available is negative only after a
// refund took back cashback points that had been spent, as Gameball's
// refund guide says it can be.
func (bk *book) balance(rec *customer, now time.Time) Balance {
	p := bk.program
	s := bk.standing(rec, now)
	held := bk.held(rec, now)
	b := Balance{
		CustomerID:         rec.ID,
		AvailablePoints:    s.available - held,
		PendingPoints:      s.pending,
		HeldPoints:         held,
		TotalPoints:        s.available + s.pending,
		TotalEarnedPoints:  rec.earned,
		Currency:           p.Currency,
		PointsName:         p.PointsName,
		NextExpiringPoints: s.nextExpiring,
	}
	b.AvailableValue = p.value(b.AvailablePoints)
	b.PendingValue = p.value(b.PendingPoints)
	b.TotalValue = p.value(b.TotalPoints)
	b.NextExpiringValue = p.value(b.NextExpiringPoints)
	if s.nextExpiring > 0 {
		date := s.nextExpiry
		b.NextExpiringDate = &date
	}
	return b
}

// standing is a ledger's points at one instant.
type standing struct {
	available, pending int64
	nextExpiring       int64     // points of the earliest-expiring lot(s)
	nextExpiry         time.Time // when they expire
}

// lot is points that became available together and expire together.
type lot struct {
	points    int64
	expiresAt time.Time // zero: never
}

// standing replays a ledger up to now. Matured entries are taken in the order
// they became available (ties in the order recorded). Each positive entry is
// a lot that expires PointsExpiry days after it became available (or when
// its ExpiresAt says); a deduction
// spends the lots that expire first, so a customer never loses points to
// expiry that a fresher lot could have covered. Without expiry this is simply
// the sum of the matured entries.
//
// Moving the clock back undoes nothing that was recorded; only maturity and
// expiry are judged by the clock. A deduction takes effect when recorded and
// is never pending, but for the refund of a pending cashback, which waits
// with it (see waitsWithCashback): one recorded after now (the clock was moved back past
// it) counts at now. It may then have spent points that are pending again at
// now (they had matured when it was made): what the matured lots cannot
// cover comes out of the pending points, soonest maturing first. So, with
// the clock anywhere, available and pending are never negative and total
// is what the ledger holds (less expired points). 100 cashback points
// matured and 20 of them spent: with the clock moved back between the two,
// 80 are available (not 100 available and -20 pending); moved back before
// the points matured, 80 are pending and none available.
//
// The rules never let deductions exceed what was earned (seeds and state
// files are checked the same way), so the replay never runs short. Were it
// to (a state the API cannot make), the shortfall would show as a negative
// available balance: the ledger is reported, not repaired.
func (b *book) standing(rec *customer, now time.Time) standing {
	p := b.program
	var s standing
	var pending []*LedgerEntry // earnings not yet available, and refunds waiting with them
	effective := make([]*LedgerEntry, 0, len(rec.ledger))
	for _, e := range rec.ledger {
		if e.AvailableAt.After(now) && (e.Points >= 0 || waitsWithCashback(e)) {
			pending = append(pending, e)
		} else {
			effective = append(effective, e)
		}
	}
	// when is an effective entry's time in the replay: a deduction recorded
	// after now counts at now.
	when := func(e *LedgerEntry) time.Time {
		if e.AvailableAt.After(now) {
			return now
		}
		return e.AvailableAt
	}
	byTime := func(when func(*LedgerEntry) time.Time) func(x, y *LedgerEntry) int {
		return func(x, y *LedgerEntry) int {
			return cmp.Or(when(x).Compare(when(y)), cmp.Compare(x.GameballTransactionID, y.GameballTransactionID))
		}
	}
	slices.SortStableFunc(effective, byTime(when))

	// Lots are kept in order of expiry, those that never expire last: most
	// expire a fixed time after they mature, in the order they mature, but a
	// manual transaction's expiryAfter gives its own.
	var lots []lot
	var debt int64
	for _, e := range effective {
		lots = p.dropExpired(lots, when(e))
		if e.Points >= 0 {
			l := lot{points: e.Points, expiresAt: p.entryExpiry(e)}
			paid := min(debt, l.points)
			l.points, debt = l.points-paid, debt-paid
			if l.points > 0 {
				at := len(lots)
				for at > 0 && expiresLater(lots[at-1].expiresAt, l.expiresAt) {
					at--
				}
				lots = slices.Insert(lots, at, l)
			}
			continue
		}
		owed := -e.Points
		for len(lots) > 0 && owed > 0 {
			spent := min(owed, lots[0].points)
			lots[0].points -= spent
			owed -= spent
			if lots[0].points == 0 {
				lots = lots[1:]
			}
		}
		debt += owed
	}
	lots = p.dropExpired(lots, now)

	// A debt left here spent points that are pending again at now.
	slices.SortStableFunc(pending, byTime(func(e *LedgerEntry) time.Time { return e.AvailableAt }))
	for _, e := range pending {
		paid := min(debt, max(e.Points, 0))
		debt -= paid
		s.pending += e.Points - paid
	}

	s.available = -debt
	for _, l := range lots {
		s.available += l.points
	}
	if len(lots) > 0 && !lots[0].expiresAt.IsZero() {
		s.nextExpiry = lots[0].expiresAt
		for _, l := range lots {
			if l.expiresAt.Equal(s.nextExpiry) {
				s.nextExpiring += l.points
			}
		}
	}
	return s
}

// waitsWithCashback reports whether e is a refund of a cashback that was
// still pending when refunded: it takes effect when that cashback matures,
// so the refunded points leave the pending points and never mature.
func waitsWithCashback(e *LedgerEntry) bool {
	return e.Kind == EntryCashbackRefund && e.AvailableAt.After(e.RecordedAt)
}

// entryExpiry is when a positive entry's points expire: its own ExpiresAt
// (a manual transaction's expiryAfter), else the program's pointsExpiry
// after it became available; zero for never.
func (p *Program) entryExpiry(e *LedgerEntry) time.Time {
	if e.ExpiresAt != nil {
		return *e.ExpiresAt
	}
	return p.expiry(e.AvailableAt)
}

// expiry is when points that became available at t expire; zero for never.
func (p *Program) expiry(t time.Time) time.Time {
	if p.PointsExpiry <= 0 {
		return time.Time{}
	}
	return t.Add(days(p.PointsExpiry))
}

// expiresLater reports whether a lot expiring at x expires after one
// expiring at y; zero is never.
func expiresLater(x, y time.Time) bool {
	switch {
	case x.IsZero():
		return !y.IsZero()
	case y.IsZero():
		return false
	}
	return x.After(y)
}

// dropExpired removes the lots expired at t: a lot expires at its expiresAt.
func (p *Program) dropExpired(lots []lot, t time.Time) []lot {
	for len(lots) > 0 && !lots[0].expiresAt.IsZero() && !lots[0].expiresAt.After(t) {
		lots = lots[1:]
	}
	return lots
}

// available is what a customer can spend now: matured, unexpired points
// not reserved by a hold.
func (b *book) available(rec *customer, now time.Time) int64 {
	return b.standing(rec, now).available - b.held(rec, now)
}

// held is the points the customer's active holds reserve at now.
func (b *book) held(rec *customer, now time.Time) int64 {
	var sum int64
	for _, h := range b.holds {
		if h.CustomerID == rec.ID && h.State(now) == HoldActive {
			sum += h.Points
		}
	}
	return sum
}

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

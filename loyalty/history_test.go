package loyalty

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// Paging with startAfter reads every transaction exactly once, even when
// other transactions are recorded between pages: 100 after each of the first
// three pages, which the later pages then read.
func TestHistoryPagingWhileWriting(t *testing.T) {
	_, a, _ := newTestEngine(t, nil)
	for i := range 450 {
		if _, err := a.RewardCashback(cashback(fmt.Sprintf("c%d", i%7), fmt.Sprintf("T%d", i), 10)); err != nil {
			t.Fatal(err)
		}
	}
	written := 450
	seen := map[int64]int{}
	var last int64
	pages := 0
	for {
		page, err := a.History(HistoryQuery{StartAfter: last, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(page.Transactions) > 200 {
			t.Fatalf("page of %d", len(page.Transactions))
		}
		for _, r := range page.Transactions {
			if r.GameballTransactionID <= last {
				t.Fatalf("page %d: id %d is not after %d", pages, r.GameballTransactionID, last)
			}
			seen[r.GameballTransactionID]++
			last = r.GameballTransactionID
		}
		if pages <= 3 {
			for range 100 {
				written++
				if _, err := a.AddManualTransaction(manual("writer", fmt.Sprintf("W%d", written), 1)); err != nil {
					t.Fatal(err)
				}
			}
		}
		if !page.HasMore {
			break
		}
	}
	if last != int64(written) || len(seen) != written {
		t.Fatalf("read %d distinct ids up to %d, want all %d written", len(seen), last, written)
	}
	for id := int64(1); id <= last; id++ {
		if seen[id] != 1 {
			t.Fatalf("id %d seen %d times (read %d pages up to %d)", id, seen[id], pages, last)
		}
	}
}

// Every kind of entry maps to a documented type, direction and status, with
// the balance before and after.
func TestHistoryRecords(t *testing.T) {
	_, a, clock := newTestEngine(t, func(c *Config) { c.Program.ReturnWindow = 10; c.Program.PointsExpiry = 30 })
	withPoints(t, a, "c1", 100)                                           // 1: +100 manual
	if _, err := a.RewardCashback(cashback("c1", "O1", 50)); err != nil { // 2: +50 pending
		t.Fatal(err)
	}
	if _, err := a.Redeem(Redemption{CustomerID: "c1", TransactionID: "D1", Time: t0, Points: new(int64(40)), Reason: "checkout"}); err != nil { // 3: -40
		t.Fatal(err)
	}
	if _, err := a.Refund(Refund{CustomerID: "c1", RefundTransactionID: "R1", ReverseTransactionID: "D1", Time: t0, Amount: new(1.0)}); err != nil { // 4: +10
		t.Fatal(err)
	}
	if _, err := a.AddManualTransaction(manual("c1", "M2", -5)); err != nil { // 5: -5
		t.Fatal(err)
	}
	type row struct {
		Type          TransactionType
		Direction     string
		Points        int64
		Status        TransactionStatus
		Before, After int64
	}
	rows := func(q HistoryQuery) []row {
		t.Helper()
		page, err := a.History(q)
		if err != nil {
			t.Fatal(err)
		}
		var out []row
		for _, r := range page.Transactions {
			out = append(out, row{r.Type, r.Direction, r.Points, r.Status, r.BalanceBefore, r.BalanceAfter})
		}
		return out
	}
	want := []row{
		{TypeManualAccumulation, "+", 100, StatusActive, 0, 100},
		{TypePaymentReward, "+", 50, StatusPending, 100, 150},
		{TypeRedemption, "-", 40, StatusActive, 150, 110},
		{TypeRefund, "+", 10, StatusActive, 110, 120},
		{TypeManualDeduction, "-", 5, StatusActive, 120, 115},
	}
	if got := rows(HistoryQuery{CustomerID: "c1"}); !reflect.DeepEqual(got, want) {
		t.Fatalf("history:\n%+v\nwant\n%+v", got, want)
	}
	if got := rows(HistoryQuery{Direction: "-"}); !reflect.DeepEqual(got, []row{want[2], want[4]}) {
		t.Fatalf("deductions: %+v", got)
	}
	if got := rows(HistoryQuery{Direction: " ", Status: "pending"}); !reflect.DeepEqual(got, []row{want[1]}) {
		t.Fatalf("pending accumulations: %+v", got)
	}
	clock.Set(t0.Add(31 * 24 * time.Hour)) // the manual points expired; the cashback matured on day 10
	got := rows(HistoryQuery{CustomerID: "c1", Limit: 2})
	if got[0].Status != StatusExpired || got[1].Status != StatusActive {
		t.Fatalf("a month later: %+v", got)
	}
	for _, tc := range []struct {
		q    HistoryQuery
		code errcode.Code
	}{
		{HistoryQuery{Limit: 201}, errcode.InvalidValue},
		{HistoryQuery{Limit: -1}, errcode.InvalidValue},
		{HistoryQuery{Direction: "up"}, errcode.InvalidValue},
		{HistoryQuery{Status: "Done"}, errcode.InvalidValue},
		{HistoryQuery{StartAfter: -1}, errcode.InvalidValue},
		{HistoryQuery{CustomerID: "nobody"}, errcode.CustomerNotFound},
	} {
		_, err := a.History(tc.q)
		wantCode(t, err, tc.code)
	}
}

// Refunds, redemptions and holds survive a snapshot and restore, and a
// restored state is refused when it names what no call could have made.
func TestLifecycleStateRoundTrip(t *testing.T) {
	e, a, _ := newTestEngine(t, nil)
	withPoints(t, a, "c1", 100)
	h, err := a.PlaceHold(hold("c1", 20))
	if err != nil {
		t.Fatal(err)
	}
	used, err := a.PlaceHold(hold("c1", 10))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Redeem(Redemption{CustomerID: "c1", TransactionID: "O1", Time: t0, HoldReference: used.Reference}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.RewardCashback(cashback("c1", "O1", 30)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Refund(Refund{CustomerID: "c1", RefundTransactionID: "R1", ReverseTransactionID: "O1", Time: t0}); err != nil {
		t.Fatal(err)
	}
	saved := e.Snapshot()
	before := balanceOf(t, a, "c1")
	e.Reset("")
	if err := e.Restore(saved); err != nil {
		t.Fatal(err)
	}
	if after := balanceOf(t, a, "c1"); after != before {
		t.Fatalf("restored balance %+v, want %+v", after, before)
	}
	if got, err := a.GetHold(h.Reference); err != nil || got.State != HoldActive {
		t.Fatalf("restored hold: %+v, %v", got, err)
	}
	_, err = a.Refund(Refund{CustomerID: "c1", RefundTransactionID: "R2", ReverseTransactionID: "O1", Time: t0})
	wantCode(t, err, errcode.TransactionAlreadyCancelled)

	for _, tc := range []struct {
		name string
		edit func(s *AccountState)
		want string
	}{
		{"a hold of nobody", func(s *AccountState) { s.Holds[0].CustomerID = "nobody" }, "is not a profile"},
		{"a hold twice", func(s *AccountState) { s.Holds = append(s.Holds, s.Holds[0]) }, "appears twice"},
		{"a hold redeemed by no redemption", func(s *AccountState) {
			for i := range s.Holds {
				s.Holds[i].RedeemedBy = "R1"
			}
		}, "is not a redemption"},
		{"a refund of nothing", func(s *AccountState) {
			l := s.Customers[0].Ledger
			l[len(l)-1].Reverses = ""
		}, "reverses"},
		{"a second cashback of one order", func(s *AccountState) {
			c := &s.Customers[0]
			for _, en := range c.Ledger {
				if en.Kind == EntryCashback {
					s.LastGameballTransactionID++
					en.GameballTransactionID = s.LastGameballTransactionID
					c.Ledger = append(c.Ledger, en)
					break
				}
			}
		}, `transactionId "O1" appears twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := e.Snapshot()
			tc.edit(&s.Accounts[0])
			err := wantCode(t, e.Restore(s), errcode.InvalidValue)
			if !strings.Contains(err.Message, tc.want) {
				t.Fatalf("refused for %q, want %q", err.Message, tc.want)
			}
		})
	}
}

// History's amounts are positive with their direction, whatever the kind of
// money (a manual deduction's points value, a redemption's redeemed value, a
// refund's refunded money), and an expiryAfter is the record's expiry date,
// as it is the balance's.
func TestHistoryAmountsAndExpiry(t *testing.T) {
	_, a, clock := newTestEngine(t, nil)
	add := manual("c1", "M1", 100)
	add.ExpiryAfter = new(5)
	if _, err := a.AddManualTransaction(add); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddManualTransaction(manual("c1", "M2", -5)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Redeem(Redemption{CustomerID: "c1", TransactionID: "D1", Time: t0, Points: new(int64(40))}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Refund(Refund{CustomerID: "c1", RefundTransactionID: "R1", ReverseTransactionID: "D1", Time: t0, Amount: new(1.0)}); err != nil {
		t.Fatal(err)
	}
	page, err := a.History(HistoryQuery{CustomerID: "c1"})
	if err != nil {
		t.Fatal(err)
	}
	var amounts []float64
	for _, r := range page.Transactions {
		amounts = append(amounts, r.Amount)
	}
	if want := []float64{10, 0.5, 4, 1}; !reflect.DeepEqual(amounts, want) {
		t.Errorf("amounts %v, want %v", amounts, want)
	}
	if got, want := page.Transactions[0].ExpiryDate, t0.Add(5*24*time.Hour); !got.Equal(want) {
		t.Errorf("expiry date %v, want %v (expiryAfter 5)", got, want)
	}
	clock.Set(t0.Add(5 * 24 * time.Hour))
	page, _ = a.History(HistoryQuery{CustomerID: "c1", Limit: 1})
	if page.Transactions[0].Status != StatusExpired || !page.HasMore {
		t.Errorf("after 5 days: %+v, want the first Expired and more to come", page)
	}
}

// A hold's points can be taken by a refund of the cashback that earned them:
// redeeming the hold then is 9008, not a balance the state cannot reload.
func TestRedeemingAShortHold(t *testing.T) {
	e, a, _ := newTestEngine(t, nil)
	if _, err := a.RewardCashback(cashback("c1", "O1", 100)); err != nil {
		t.Fatal(err)
	}
	h, err := a.PlaceHold(hold("c1", 100))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Refund(Refund{CustomerID: "c1", RefundTransactionID: "R1", ReverseTransactionID: "O1", Time: t0}); err != nil {
		t.Fatal(err)
	}
	_, err = a.Redeem(Redemption{CustomerID: "c1", TransactionID: "D1", Time: t0, HoldReference: h.Reference})
	wantCode(t, err, errcode.InsufficientBalance)
	if err := e.Restore(e.Snapshot()); err != nil {
		t.Fatalf("the account's own state does not reload: %v", err)
	}
}

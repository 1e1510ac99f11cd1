package contracttest

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/client/gbapi"
	"github.com/gbkit/gameball-go/gbtime"
)

// lifecycle runs a customer through the points lifecycle: an order earns
// cashback; points are held, redeemed with the hold, held and released; the
// order is refunded in part; the history is read page by page. Assertions
// are relative to what the server answered, so the sequence holds for any
// program's rates.
func (s *sequence) lifecycle(t *testing.T) {
	ctx := context.Background()
	raw := s.client.Raw()
	customer := s.id("life")
	now := gbtime.New(time.Now().UTC().Add(-time.Minute))
	available := func() int64 {
		t.Helper()
		bal, err := raw.GetCustomerBalanceWithResponse(ctx, customer, nil)
		expectOK(t, bal, err)
		return bal.JSON200.AvailablePointsBalance
	}

	order := s.id("life-order")
	cb, err := raw.RewardCashbackWithResponse(ctx, client.RewardCashbackRequest{
		CustomerID: customer, TransactionID: order, TransactionTime: now, Amount: 400,
		Configurations: &client.CashbackConfigurations{ReturnWindow: new(0)},
	})
	expectOK(t, cb, err)
	earned := cb.JSON200.RewardEquivalentPoints
	if earned < 20 {
		t.Fatalf("a 400 order earned %v points; the sequence needs at least 20", earned)
	}

	// Hold, then redeem the hold: exactly its points, once.
	hold, err := raw.HoldPointsWithResponse(ctx, client.HoldRequest{CustomerID: customer, TransactionTime: now, PointsToHold: new(10)})
	body := expectOK(t, hold, err)
	ref := hold.JSON200.HoldReference
	if ref == "" || hold.JSON200.HoldEquivalentPoints != 10 {
		t.Fatalf("hold answer: %s", body)
	}
	if got := available(); got != earned-10 {
		t.Errorf("available %v while 10 of %v are held", got, earned)
	}
	got, err := raw.GetHoldWithResponse(ctx, ref)
	body = expectOK(t, got, err)
	if got.JSON200.State != "Active" || got.JSON200.HoldEquivalentPoints != 10 {
		t.Errorf("hold details: %s", body)
	}
	redeem := func(id string, edit func(*client.RedeemRequest)) (*gbapi.RedeemPointsResponse, error) {
		req := client.RedeemRequest{CustomerID: customer, TransactionID: s.id(id), TransactionTime: now}
		edit(&req)
		return raw.RedeemPointsWithResponse(ctx, req)
	}
	rd, err := redeem("life-rd1", func(r *client.RedeemRequest) { r.HoldReference = ref })
	body = expectOK(t, rd, err)
	if rd.JSON200.RedeemEquivalentPoints != 10 {
		t.Errorf("redeeming a hold of 10: %s", body)
	}
	rd, err = redeem("life-rd2", func(r *client.RedeemRequest) { r.HoldReference = ref })
	expectError(t, "a hold redeemed twice", rd, err, http.StatusNotFound, 9006)
	rd, err = redeem("life-rd1", func(r *client.RedeemRequest) { r.Points = new(1) })
	expectError(t, "a replayed redemption", rd, err, http.StatusUnprocessableEntity, 9004)
	rd, err = redeem("life-rd3", func(r *client.RedeemRequest) { r.Points = new(1_000_000_000) })
	expectError(t, "a redemption beyond the balance", rd, err, http.StatusUnprocessableEntity, 9008)
	if got := available(); got != earned-10 {
		t.Errorf("available %v after redeeming 10 of %v", got, earned)
	}

	// Hold, then release.
	hold, err = raw.HoldPointsWithResponse(ctx, client.HoldRequest{CustomerID: customer, TransactionTime: now, PointsToHold: new(5)})
	expectOK(t, hold, err)
	ref2 := hold.JSON200.HoldReference
	rel, err := raw.ReleaseHoldWithResponse(ctx, ref2)
	body = expectOK(t, rel, err)
	if !rel.JSON200.Success {
		t.Errorf("release answer: %s", body)
	}
	rel, err = raw.ReleaseHoldWithResponse(ctx, ref2)
	expectError(t, "a hold released twice", rel, err, http.StatusNotFound, 9006)
	got, err = raw.GetHoldWithResponse(ctx, s.id("no-such-hold"))
	expectError(t, "an unknown hold", got, err, http.StatusNotFound, 9006)
	if got := available(); got != earned-10 {
		t.Errorf("available %v after a hold and its release", got)
	}

	// Refund a quarter of the order, then replay the refund.
	refund := client.RefundRequest{
		CustomerID: customer, RefundTransactionID: s.id("life-rf1"), ReverseTransactionID: order,
		TransactionTime: now, RefundAmount: new(100.0),
	}
	rf, err := raw.RefundTransactionWithResponse(ctx, refund)
	body = expectOK(t, rf, err)
	back := rf.JSON200.RefundEquivalentPoints
	if rf.JSON200.RefundAmount != 100 || back <= 0 || back > earned {
		t.Errorf("refunding 100 of a 400 order that earned %v: %s", earned, body)
	}
	rf, err = raw.RefundTransactionWithResponse(ctx, refund)
	expectError(t, "a replayed refund", rf, err, http.StatusUnprocessableEntity, 9004)
	refund.RefundTransactionID, refund.ReverseTransactionID = s.id("life-rf2"), s.id("no-such-order")
	rf, err = raw.RefundTransactionWithResponse(ctx, refund)
	expectError(t, "a refund of an unknown order", rf, err, http.StatusNotFound, 9002)
	if got := available(); got != earned-10-back {
		t.Errorf("available %v after taking back %v of %v and redeeming 10", got, back, earned)
	}

	// Activation: nothing of the order is pending, and an unknown transaction is 404.
	act, err := raw.ActivateTransactionWithResponse(ctx, order)
	body = expectOK(t, act, err)
	if act.JSON200.PointsActivated != 0 || act.JSON200.ClientTransactionID != order {
		t.Errorf("activating an order with nothing pending: %s", body)
	}
	act, err = raw.ActivateTransactionWithResponse(ctx, s.id("no-such-order"))
	expectError(t, "activating an unknown transaction", act, err, http.StatusNotFound, 9002)

	// The history, two a page: the cashback, the redemption and the refund.
	var types []string
	var startAfter int
	for page := 0; ; page++ {
		list, err := raw.ListTransactionsWithResponse(ctx, &client.ListTransactionsParams{CustomerID: customer, Limit: 2, StartAfter: startAfter})
		body := expectOK(t, list, err)
		records := list.JSON200.Transactions
		if len(records) > 2 || page > 10 {
			t.Fatalf("page %d: %s", page, body)
		}
		for _, r := range records {
			types = append(types, r.Type)
		}
		if !list.JSON200.HasMore {
			break
		}
		id, err := strconv.Atoi(records[len(records)-1].GameballTransactionID)
		if err != nil {
			t.Fatalf("page %d: %v: %s", page, err, body)
		}
		startAfter = id
	}
	if want := []string{"PaymentReward", "Redemption", "Refund"}; !slices.Equal(types, want) {
		t.Errorf("history types %v, want %v", types, want)
	}
	list, err := raw.ListTransactionsWithResponse(ctx, &client.ListTransactionsParams{CustomerID: customer, Limit: 201})
	expectError(t, "a page over 200", list, err, http.StatusUnprocessableEntity, 3003)
	list, err = raw.ListTransactionsWithResponse(ctx, &client.ListTransactionsParams{CustomerID: s.id("nobody")})
	expectError(t, "the history of an unknown customer", list, err, http.StatusNotFound, 7000)
}

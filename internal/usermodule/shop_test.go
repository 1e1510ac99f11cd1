package shop_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"example.com/shop"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/gameballtest"
	"github.com/gbkit/gameball-go/loyalty"
)

// TestOrderPaid runs the shop against the mock: Gameball's rules, not
// answers written for the test.
func TestOrderPaid(t *testing.T) {
	srv := gameballtest.NewServer(t)
	s := shop.New(srv.Client)
	ctx := context.Background()

	order := shop.Order{ID: "ORDER-1", Customer: "cust_1", Total: 120, PaidAt: time.Now()}
	tests := []struct {
		name  string
		order shop.Order
		want  int
	}{
		{"a paid order earns its points", order, 120},
		{"the same order again earns nothing", order, 0},
		{"another order earns its own", shop.Order{ID: "ORDER-2", Customer: "cust_1", Total: 30.5, PaidAt: time.Now()}, 30},
	}
	for _, tt := range tests {
		got, err := s.OrderPaid(ctx, tt.order)
		if err != nil || got != tt.want {
			t.Errorf("%s: %d points, error %v; want %d", tt.name, got, err, tt.want)
		}
	}
	bal, err := srv.Client.GetCustomerBalance(ctx, "cust_1")
	if err != nil || bal.AvailablePointsBalance != 150 {
		t.Errorf("balance %v, error %v; want 150", bal, err)
	}
}

// TestOrderPaidInTheFuture: the mock refuses a transaction time ahead of
// its clock, as Gameball does, and the shop reports it.
func TestOrderPaidInTheFuture(t *testing.T) {
	srv := gameballtest.NewServer(t, gameballtest.WithClock(loyalty.NewFakeClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))))
	_, err := shop.New(srv.Client).OrderPaid(context.Background(), shop.Order{ID: "ORDER-1", Customer: "cust_1", Total: 10, PaidAt: srv.Now().Add(time.Hour)})
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != client.ErrorCodeInvalidTransactionTime {
		t.Errorf("got %v, want %d", err, client.ErrorCodeInvalidTransactionTime)
	}
}

// fakeRewarder answers as told: a unit test of the shop's own logic that
// needs no server at all.
type fakeRewarder struct {
	res *client.RewardCashbackResult
	err error
}

func (f fakeRewarder) RewardCashback(context.Context, client.RewardCashbackRequest, ...client.RequestEditorFn) (*client.RewardCashbackResult, error) {
	return f.res, f.err
}

func TestOrderPaidWithAFake(t *testing.T) {
	tests := []struct {
		name    string
		fake    fakeRewarder
		want    int
		wantErr bool
	}{
		{"points", fakeRewarder{res: &client.RewardCashbackResult{RewardEquivalentPoints: 7.0}}, 7, false},
		{"a lost answer of an applied call", fakeRewarder{err: client.ErrAlreadyApplied}, 0, false},
		{"a refusal", fakeRewarder{err: &client.APIError{StatusCode: 422, Code: client.ErrorCodeCashbackDisabled}}, 0, true},
	}
	for _, tt := range tests {
		got, err := shop.New(tt.fake).OrderPaid(context.Background(), shop.Order{ID: "O", Customer: "c", Total: 1, PaidAt: time.Now()})
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("%s: %d, error %v", tt.name, got, err)
		}
	}
}

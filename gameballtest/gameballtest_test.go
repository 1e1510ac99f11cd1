package gameballtest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/gameballtest"
	"github.com/gbkit/gameball-go/gbtime"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver/control"
)

func reward(t *testing.T, c *client.Client, id string, at time.Time) (*client.RewardCashbackResult, error) {
	t.Helper()
	return c.RewardCashback(context.Background(), client.RewardCashbackRequest{
		CustomerID: "cust_1", TransactionID: id, TransactionTime: gbtime.New(at), Amount: 100,
	})
}

// TestNewServer: the default server's client calls the mock as its first
// account, its control client steers the same mock, and the test's cleanup
// stops it.
func TestNewServer(t *testing.T) {
	var srv *gameballtest.Server
	t.Run("while the test runs", func(t *testing.T) {
		srv = gameballtest.NewServer(t)
		ctx := context.Background()
		if _, err := reward(t, srv.Client, "ORDER-1", srv.Now()); err != nil {
			t.Fatal(err)
		}
		bal, err := srv.Client.GetCustomerBalance(ctx, "cust_1")
		if err != nil || bal.AvailablePointsBalance != 100 {
			t.Fatalf("balance %v, error %v", bal, err)
		}
		f, err := srv.Control.CreateFaultWithResponse(ctx, control.FaultRuleInput{Operation: "getCustomerBalance", Status: new(404), Times: new(1)})
		if err != nil || f.StatusCode() != 201 {
			t.Fatalf("creating a fault: %v %v", f.Status(), err)
		}
		if _, err := srv.Client.GetCustomerBalance(ctx, "cust_1"); !errors.Is(err, client.ErrNotFound) {
			t.Errorf("after a fault rule: %v, want ErrNotFound", err)
		}
		if _, err := srv.Control.ResetWithResponse(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := srv.Client.GetCustomerBalance(ctx, "cust_1"); !errors.Is(err, client.ErrNotFound) {
			t.Errorf("after a reset: %v, want ErrNotFound", err)
		}
	})
	once, err := srv.ClientFor("default", client.Retries(client.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := once.GetCustomerBalance(context.Background(), "cust_1"); err == nil || errors.As(err, new(*client.APIError)) {
		t.Errorf("after the test ended the mock answered: %v", err)
	}
	srv.Close() // a second Close does nothing
}

func TestOptions(t *testing.T) {
	t.Run("WithConfig", func(t *testing.T) {
		cfg := loyalty.DefaultConfig()
		cfg.Program.CashbackEnabled = false
		srv := gameballtest.NewServer(t, gameballtest.WithConfig(cfg))
		_, err := reward(t, srv.Client, "ORDER-1", srv.Now())
		var apiErr *client.APIError
		if !errors.As(err, &apiErr) || apiErr.Code != client.ErrorCodeCashbackDisabled {
			t.Errorf("cashback on a program without it: %v, want %d", err, client.ErrorCodeCashbackDisabled)
		}
	})
	t.Run("WithAccounts, before or after WithConfig", func(t *testing.T) {
		accounts := []loyalty.AccountConfig{
			{Name: "eu", APIKey: "eu_apikey", SecretKey: "eu_secretkey"},
			{Name: "us", APIKey: "us_apikey", SecretKey: "us_secretkey"},
		}
		for _, opts := range [][]gameballtest.Option{
			{gameballtest.WithAccounts(accounts...), gameballtest.WithConfig(loyalty.DefaultConfig())},
			{gameballtest.WithConfig(loyalty.DefaultConfig()), gameballtest.WithAccounts(accounts...)},
		} {
			srv := gameballtest.NewServer(t, opts...)
			if _, err := reward(t, srv.Client, "ORDER-1", srv.Now()); err != nil {
				t.Fatal(err)
			}
			us, err := srv.ClientFor("us")
			if err != nil {
				t.Fatal(err)
			}
			// Accounts are isolated: the same order id is new to "us", and
			// its customer unknown before.
			if _, err := us.GetCustomerBalance(context.Background(), "cust_1"); !errors.Is(err, client.ErrNotFound) {
				t.Errorf("us sees eu's customer: %v", err)
			}
			if _, err := reward(t, us, "ORDER-1", srv.Now()); err != nil {
				t.Errorf("us: %v", err)
			}
			if _, err := srv.ClientFor("default"); err == nil {
				t.Error("a client for an account the server does not have")
			}
		}
	})
	t.Run("WithClock", func(t *testing.T) {
		clock := loyalty.NewFakeClock(time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC))
		cfg := loyalty.DefaultConfig()
		cfg.Program.ReturnWindow = 14
		srv := gameballtest.NewServer(t, gameballtest.WithConfig(cfg), gameballtest.WithClock(clock))
		if !srv.Now().Equal(clock.Now()) {
			t.Fatalf("Now %v, clock %v", srv.Now(), clock.Now())
		}
		if _, err := reward(t, srv.Client, "ORDER-1", clock.Now()); err != nil {
			t.Fatal(err)
		}
		pending := func() int64 {
			bal, err := srv.Client.GetCustomerBalance(context.Background(), "cust_1")
			if err != nil {
				t.Fatal(err)
			}
			return bal.PendingPoints
		}
		if p := pending(); p != 100 {
			t.Fatalf("pending %v, want 100", p)
		}
		clock.Advance(15 * 24 * time.Hour)
		if p := pending(); p != 0 {
			t.Errorf("pending %v after the return window, want 0", p)
		}
	})
	t.Run("WithClientOptions", func(t *testing.T) {
		srv := gameballtest.NewServer(t, gameballtest.WithClientOptions(client.Retries(client.RetryPolicy{MaxAttempts: 1})))
		ctx := context.Background()
		if _, err := srv.Control.CreateFaultWithResponse(ctx, control.FaultRuleInput{Operation: "*", Status: new(503), Times: new(1)}); err != nil {
			t.Fatal(err)
		}
		// One attempt only: the 503 is not retried into the success after it.
		if _, err := reward(t, srv.Client, "ORDER-1", srv.Now()); !errors.Is(err, client.ErrServer) {
			t.Errorf("got %v, want the 503", err)
		}
	})
	t.Run("an invalid configuration", func(t *testing.T) {
		if _, err := gameballtest.Start(gameballtest.WithAccounts()); err == nil {
			t.Error("a mock without accounts started")
		}
		cfg := loyalty.DefaultConfig()
		cfg.Program.PointValue = -1
		if _, err := gameballtest.Start(gameballtest.WithConfig(cfg)); err == nil {
			t.Error("a mock with a negative point value started")
		}
	})
}

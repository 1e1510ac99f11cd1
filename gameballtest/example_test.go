package gameballtest_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/gameballtest"
	"github.com/gbkit/gameball-go/gbtime"
	"github.com/gbkit/gameball-go/loyalty"
)

// In a test, gameballtest.NewServer(t) does what Start and Close do here.
func ExampleStart() {
	srv, err := gameballtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	res, err := srv.Client.RewardCashback(context.Background(), client.RewardCashbackRequest{
		CustomerID: "cust_1", TransactionID: "ORDER-1", TransactionTime: gbtime.New(time.Now()), Amount: 120,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.RewardEquivalentPoints, "points")
	// Output: 120 points
}

func ExampleWithClock() {
	// Points stay pending 14 days; the test decides when those have passed.
	clock := loyalty.NewFakeClock(time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC))
	cfg := loyalty.DefaultConfig()
	cfg.Program.ReturnWindow = 14
	srv, err := gameballtest.Start(gameballtest.WithConfig(cfg), gameballtest.WithClock(clock))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	if _, err := srv.Client.RewardCashback(ctx, client.RewardCashbackRequest{
		CustomerID: "cust_1", TransactionID: "ORDER-1", TransactionTime: gbtime.New(srv.Now()), Amount: 50,
	}); err != nil {
		log.Fatal(err)
	}
	for _, days := range []int{0, 15} {
		clock.Advance(time.Duration(days) * 24 * time.Hour)
		bal, err := srv.Client.GetCustomerBalance(ctx, "cust_1")
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("after %d days: %v pending, %v available\n", days, bal.PendingPoints, bal.AvailablePointsBalance)
	}
	// Output:
	// after 0 days: 50 pending, 0 available
	// after 15 days: 0 pending, 50 available
}

package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/gbtime"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
)

// The examples run against the gameball-go mock server, in process, so
// they are checked on every test run. Against Gameball, drop BaseURL and
// use your account's keys.

// startMock starts a mock server with the default program and account
// (keys gb_test_apikey / gb_test_secretkey) and returns its URL.
func startMock(configure ...func(*loyalty.Config)) (url string, stop func()) {
	cfg := loyalty.DefaultConfig()
	for _, f := range configure {
		f(&cfg)
	}
	engine, err := loyalty.New(cfg, loyalty.SystemClock{})
	if err != nil {
		log.Fatal(err)
	}
	srv, err := mockserver.New(engine, mockserver.Options{})
	if err != nil {
		log.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	return ts.URL, func() { ts.Close(); engine.Close() }
}

// mockClient is a client for the mock server at url.
func mockClient(url string, opts ...client.Option) *client.Client {
	c, err := client.New("gb_test_apikey", "gb_test_secretkey", append([]client.Option{client.BaseURL(url)}, opts...)...)
	if err != nil {
		log.Fatal(err)
	}
	return c
}

// aMinuteAgo is a transaction time Gameball accepts: not in the future.
func aMinuteAgo() gbtime.Time { return gbtime.New(time.Now().UTC().Add(-time.Minute)) }

func Example() {
	url, stop := startMock()
	defer stop()
	ctx := context.Background()

	c, err := client.New("gb_test_apikey", "gb_test_secretkey", client.BaseURL(url))
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.RewardCashback(ctx, client.RewardCashbackRequest{
		CustomerId:      "cust_12345abc",
		TransactionId:   "TXN987654321",
		TransactionTime: aMinuteAgo(),
		Amount:          150.75,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("awarded", *res.RewardEquivalentPoints, "points")

	// The same transactionId again is refused, not awarded twice.
	_, err = c.RewardCashback(ctx, client.RewardCashbackRequest{
		CustomerId: "cust_12345abc", TransactionId: "TXN987654321", TransactionTime: aMinuteAgo(), Amount: 150.75,
	})
	fmt.Println("again:", errors.Is(err, client.ErrDuplicateTransaction))
	// Output:
	// awarded 150 points
	// again: true
}

func ExampleClient_RewardCashback() {
	url, stop := startMock()
	defer stop()

	c := mockClient(url)
	res, err := c.RewardCashback(context.Background(), client.RewardCashbackRequest{
		CustomerId:      "cust_1",
		TransactionId:   "ORDER-1001",
		TransactionTime: aMinuteAgo(),
		Amount:          99.5,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s earned %v points worth %v\n", *res.CustomerId, *res.RewardEquivalentPoints, *res.RewardAmount)
	// Output: cust_1 earned 99 points worth 4.95
}

func ExampleClient_RewardCashbackBatch() {
	url, stop := startMock()
	defer stop()
	ctx := context.Background()

	c := mockClient(url, client.BatchPolling(10*time.Millisecond, time.Second))
	job, err := c.RewardCashbackBatch(ctx, client.RewardCashbackBatchRequest{Body: &[]client.CashbackBatchItem{
		{CustomerId: "cust_1", TransactionId: "ORDER-1", TransactionTime: aMinuteAgo(), Amount: 20},
		{CustomerId: "cust_2", TransactionId: "ORDER-2", TransactionTime: aMinuteAgo(), Amount: 30},
	}})
	if err != nil {
		log.Fatal(err)
	}
	// The job runs in the background; wait for it to end.
	st, err := c.WaitForBatch(ctx, job.BatchID())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*st.Status, *st.ProcessedItems, "processed,", *st.FailedItems, "failed")
	// Output: completed 2 processed, 0 failed
}

func ExampleClient_CalculatePaymentCashback() {
	url, stop := startMock()
	defer stop()

	// Calculation needs only the apikey: the secret key may stay on the server.
	c, err := client.New("gb_test_apikey", "", client.BaseURL(url))
	if err != nil {
		log.Fatal(err)
	}
	paid, phone, tv := 100.0, 40.0, 60.0
	res, err := c.CalculatePaymentCashback(context.Background(), client.CalculatePaymentCashbackRequest{
		TotalPaid: &paid,
		PaymentDetails: &[]client.PaymentService{
			{ServiceId: ptr("phone-bill"), Amount: &phone},
			{ServiceId: ptr("tv"), Amount: &tv, Category: &[]string{"Electronics"}}, // a custom rate of 3
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range *res.PaymentDetails {
		fmt.Println(*s.ServiceId, *s.TotalPoints)
	}
	fmt.Println("total", *res.TotalPoints)
	// Output:
	// phone-bill 40
	// tv 180
	// total 220
}

func ExampleClient_AdjustBalanceBatch() {
	url, stop := startMock()
	defer stop()
	ctx := context.Background()

	c := mockClient(url, client.BatchPolling(10*time.Millisecond, time.Second))
	job, err := c.AdjustBalanceBatch(ctx, client.AdjustBalanceBatchRequest{Body: &[]client.BalanceAdjustmentItem{
		{CustomerId: "cust_1", Amount: 40, Reason: ptr("goodwill")},
		{CustomerId: "cust_1", Amount: -15},
	}})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.WaitForBatch(ctx, job.BatchID()); err != nil {
		log.Fatal(err)
	}
	bal, err := c.GetCustomerBalance(ctx, "cust_1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*bal.AvailablePointsBalance, "points available")
	// Output: 25 points available
}

func ExampleClient_AddManualTransaction() {
	url, stop := startMock()
	defer stop()
	ctx := context.Background()

	c := mockClient(url)
	manual := func(id string, points int) (*client.ManualTransaction, error) {
		return c.AddManualTransaction(ctx, client.AddManualTransactionRequest{
			CustomerId: "cust_1", TransactionId: id, TransactionTime: new(aMinuteAgo()),
			Username: "admin_user", Reason: "Referral bonus", Points: new(points),
		})
	}
	res, err := manual("MT-1", 50)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("added", *res.Points)

	_, err = manual("MT-2", -80)
	var apiErr *client.APIError
	if errors.Is(err, client.ErrInsufficientBalance) && errors.As(err, &apiErr) {
		fmt.Println("refused:", apiErr.StatusCode, apiErr.Code)
	}
	// Output:
	// added 50
	// refused: 422 9008
}

func ExampleClient_GetBatchStatus() {
	url, stop := startMock()
	defer stop()
	ctx := context.Background()

	c := mockClient(url, client.BatchPolling(10*time.Millisecond, time.Second))
	job, err := c.RewardCashbackBatch(ctx, client.RewardCashbackBatchRequest{Body: &[]client.CashbackBatchItem{
		{CustomerId: "cust_1", TransactionId: "ORDER-1", TransactionTime: aMinuteAgo(), Amount: 20},
		{CustomerId: "cust_1", TransactionId: "ORDER-1", TransactionTime: aMinuteAgo(), Amount: 20}, // a replay
	}})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.WaitForBatch(ctx, job.BatchID()); err != nil {
		log.Fatal(err)
	}
	st, err := c.GetBatchStatus(ctx, job.BatchID())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*st.Status, *st.Progress)
	_, errs, err := st.Items()
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range errs {
		fmt.Println("item", *e.Index, "refused with", *e.Code)
	}
	// Output:
	// completed 100
	// item 1 refused with 9004
}

func ExampleClient_StopBatch() {
	// A mock whose jobs pause an hour between items, so there is one to stop.
	url, stop := startMock(func(cfg *loyalty.Config) { cfg.Batch.ItemDelay = time.Hour })
	defer stop()
	ctx := context.Background()

	c := mockClient(url)
	job, err := c.RewardCashbackBatch(ctx, client.RewardCashbackBatchRequest{Body: &[]client.CashbackBatchItem{
		{CustomerId: "cust_1", TransactionId: "ORDER-1", TransactionTime: aMinuteAgo(), Amount: 20},
		{CustomerId: "cust_2", TransactionId: "ORDER-2", TransactionTime: aMinuteAgo(), Amount: 30},
	}})
	if err != nil {
		log.Fatal(err)
	}
	stopped, err := c.StopBatch(ctx, job.BatchID())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("batch", *stopped.BatchId, *stopped.Status)
	// Output: batch 1 failed
}

func ExampleClient_GetCustomerBalance() {
	url, stop := startMock()
	defer stop()
	ctx := context.Background()

	c := mockClient(url)
	if _, err := c.RewardCashback(ctx, client.RewardCashbackRequest{
		CustomerId: "cust_1", TransactionId: "ORDER-1", TransactionTime: aMinuteAgo(), Amount: 300,
	}); err != nil {
		log.Fatal(err)
	}
	bal, err := c.GetCustomerBalance(ctx, "cust_1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*bal.AvailablePointsBalance, *bal.PointsName, "worth", *bal.AvailablePointsValue, *bal.Currency)

	_, err = c.GetCustomerBalance(ctx, "nobody")
	fmt.Println("unknown customer:", errors.Is(err, client.ErrNotFound))
	// Output:
	// 300 Points worth 15 USD
	// unknown customer: true
}

func ExampleClient_SubmitCashbackRewards() {
	url, stop := startMock()
	defer stop()
	ctx := context.Background()

	// 2,500 rewards: more than one batch job takes.
	items := make([]client.CashbackBatchItem, 2500)
	for i := range items {
		items[i] = client.CashbackBatchItem{
			CustomerId:      fmt.Sprintf("cust_%d", i%10),
			TransactionId:   fmt.Sprintf("ORDER-%d", i),
			TransactionTime: aMinuteAgo(),
			Amount:          10,
		}
	}
	items[1234].TransactionId = "ORDER-0" // a replay of the first item

	c := mockClient(url, client.BatchPolling(10*time.Millisecond, time.Second))
	jobs, err := c.SubmitCashbackRewards(ctx, items)
	if err != nil {
		log.Fatal(err) // jobs holds those created before the failure
	}
	for _, job := range jobs {
		fmt.Printf("job %s: items %d to %d\n", job.ID, job.First, job.First+job.Count-1)
	}
	outcomes, err := c.WaitForBatches(ctx, jobs)
	if err != nil {
		log.Fatal(err)
	}
	applied := 0
	for i, o := range outcomes { // outcome i is items[i]'s
		switch {
		case o.Err == nil:
			applied++
		case errors.Is(o.Err, client.ErrDuplicateTransaction):
			fmt.Println("item", i, "was a duplicate")
		default:
			fmt.Println("item", i, "failed:", o.Err)
		}
	}
	fmt.Println(applied, "applied")
	// Output:
	// job 1: items 0 to 999
	// job 2: items 1000 to 1999
	// job 3: items 2000 to 2499
	// item 1234 was a duplicate
	// 2499 applied
}

func ExampleAPIError() {
	url, stop := startMock()
	defer stop()

	// The mock answers a request carrying "Prefer: code=503" with a 503 and
	// Retry-After: 1. A budget of half a second cannot wait that long, so
	// the client gives up after one attempt and says why.
	c := mockClient(url, client.Retries(client.RetryPolicy{MaxTotalDelay: 500 * time.Millisecond}))
	_, err := c.GetCustomerBalance(context.Background(), "cust_1", func(_ context.Context, req *http.Request) error {
		req.Header.Set("Prefer", "code=503")
		return nil
	})
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.Type, "retry after", apiErr.RetryAfter, "attempts", apiErr.Attempts)
	}
	fmt.Println("server error:", errors.Is(err, client.ErrServer))
	// Output:
	// 503 5003 ServerError retry after 1s attempts 1
	// server error: true
}

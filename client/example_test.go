package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/gameballtest"
	"github.com/gbkit/gameball-go/gbtime"
	"github.com/gbkit/gameball-go/loyalty"
)

// The examples run against the gameball-go mock server, in process
// (package gameballtest), so they are checked on every test run and each
// one works as it is in a test of yours; there, gameballtest.NewServer(t)
// replaces Start and Close. Against Gameball, use client.New with your
// account's keys instead of srv.Client.

func Example() {
	srv, err := gameballtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	// The mock's default account has these keys.
	c, err := client.New("gb_test_apikey", "gb_test_secretkey", client.BaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.RewardCashback(ctx, client.RewardCashbackRequest{
		CustomerID:      "cust_12345abc",
		TransactionID:   "TXN987654321",
		TransactionTime: gbtime.New(time.Now()),
		Amount:          150.75,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("awarded", res.RewardEquivalentPoints, "points")

	// The same transactionId again is refused, not awarded twice.
	_, err = c.RewardCashback(ctx, client.RewardCashbackRequest{
		CustomerID: "cust_12345abc", TransactionID: "TXN987654321", TransactionTime: gbtime.New(time.Now()), Amount: 150.75,
	})
	fmt.Println("again:", errors.Is(err, client.ErrDuplicateTransaction))
	// Output:
	// awarded 150 points
	// again: true
}

func ExampleClient_RewardCashback() {
	srv, err := gameballtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	c := srv.Client
	res, err := c.RewardCashback(context.Background(), client.RewardCashbackRequest{
		CustomerID:      "cust_1",
		TransactionID:   "ORDER-1001",
		TransactionTime: gbtime.New(time.Now()),
		Amount:          99.5,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s earned %v points worth %v\n", res.CustomerID, res.RewardEquivalentPoints, res.RewardAmount)
	// Output: cust_1 earned 99 points worth 4.95
}

func ExampleClient_RewardCashbackBatch() {
	srv, err := gameballtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	c := srv.Client
	job, err := c.RewardCashbackBatch(ctx, client.RewardCashbackBatchRequest{Body: []client.CashbackBatchItem{
		{CustomerID: "cust_1", TransactionID: "ORDER-1", TransactionTime: gbtime.New(time.Now()), Amount: 20},
		{CustomerID: "cust_2", TransactionID: "ORDER-2", TransactionTime: gbtime.New(time.Now()), Amount: 30},
	}})
	if err != nil {
		log.Fatal(err)
	}
	// The job runs in the background; wait for it to end.
	st, err := c.WaitForBatch(ctx, job.JobID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.Status, st.ProcessedItems, "processed,", st.FailedItems, "failed")
	// Output: completed 2 processed, 0 failed
}

func ExampleClient_CalculatePaymentCashback() {
	srv, err := gameballtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	// Calculation needs only the apikey: the secret key may stay on the server.
	c, err := client.New("gb_test_apikey", "", client.BaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.CalculatePaymentCashback(context.Background(), client.CalculatePaymentCashbackRequest{
		TotalPaid: 100.0,
		PaymentDetails: []client.PaymentService{
			{ServiceID: "phone-bill", Amount: 40.0},
			{ServiceID: "tv", Amount: 60.0, Category: []string{"Electronics"}}, // a custom rate of 3
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range res.PaymentDetails {
		fmt.Println(s.ServiceID, s.TotalPoints)
	}
	fmt.Println("total", res.TotalPoints)
	// Output:
	// phone-bill 40
	// tv 180
	// total 220
}

func ExampleClient_AdjustBalanceBatch() {
	srv, err := gameballtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	c := srv.Client
	job, err := c.AdjustBalanceBatch(ctx, client.AdjustBalanceBatchRequest{Body: []client.BalanceAdjustmentItem{
		{CustomerID: "cust_1", Amount: 40, Reason: "goodwill"},
		{CustomerID: "cust_1", Amount: -15},
	}})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.WaitForBatch(ctx, job.JobID); err != nil {
		log.Fatal(err)
	}
	bal, err := c.GetCustomerBalance(ctx, "cust_1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bal.AvailablePointsBalance, "points available")
	// Output: 25 points available
}

func ExampleClient_AddManualTransaction() {
	srv, err := gameballtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	c := srv.Client
	manual := func(id string, points int) (*client.ManualTransaction, error) {
		return c.AddManualTransaction(ctx, client.AddManualTransactionRequest{
			CustomerID: "cust_1", TransactionID: id, TransactionTime: gbtime.New(time.Now()),
			Username: "admin_user", Reason: "Referral bonus", Points: new(points),
		})
	}
	res, err := manual("MT-1", 50)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("added", res.Points)

	_, err = manual("MT-2", -80)
	var apiErr *client.APIError
	if errors.As(err, &apiErr) && apiErr.Code == client.ErrorCodeInsufficientBalance {
		fmt.Println("refused:", apiErr.StatusCode, apiErr.Code, errors.Is(err, client.ErrInsufficientBalance))
	}
	// Output:
	// added 50
	// refused: 422 9008 true
}

func ExampleClient_GetBatchStatus() {
	srv, err := gameballtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	c := srv.Client
	job, err := c.RewardCashbackBatch(ctx, client.RewardCashbackBatchRequest{Body: []client.CashbackBatchItem{
		{CustomerID: "cust_1", TransactionID: "ORDER-1", TransactionTime: gbtime.New(time.Now()), Amount: 20},
		{CustomerID: "cust_1", TransactionID: "ORDER-1", TransactionTime: gbtime.New(time.Now()), Amount: 20}, // a replay
	}})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.WaitForBatch(ctx, job.JobID); err != nil {
		log.Fatal(err)
	}
	st, err := c.GetBatchStatus(ctx, job.JobID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.Status, st.Progress)
	_, errs, err := client.BatchItems(st)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range errs {
		fmt.Println("item", *e.Index, "refused with", e.Code)
	}
	// Output:
	// completed 100
	// item 1 refused with 9004
}

func ExampleClient_StopBatch() {
	// A mock whose jobs pause an hour between items, so there is one to stop.
	cfg := loyalty.DefaultConfig()
	cfg.Batch.ItemDelay = time.Hour
	srv, err := gameballtest.Start(gameballtest.WithConfig(cfg))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	c := srv.Client
	job, err := c.RewardCashbackBatch(ctx, client.RewardCashbackBatchRequest{Body: []client.CashbackBatchItem{
		{CustomerID: "cust_1", TransactionID: "ORDER-1", TransactionTime: gbtime.New(time.Now()), Amount: 20},
		{CustomerID: "cust_2", TransactionID: "ORDER-2", TransactionTime: gbtime.New(time.Now()), Amount: 30},
	}})
	if err != nil {
		log.Fatal(err)
	}
	stopped, err := c.StopBatch(ctx, job.JobID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("batch", stopped.BatchID, stopped.Status)
	// Output: batch 1 failed
}

func ExampleClient_GetCustomerBalance() {
	srv, err := gameballtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	c := srv.Client
	if _, err := c.RewardCashback(ctx, client.RewardCashbackRequest{
		CustomerID: "cust_1", TransactionID: "ORDER-1", TransactionTime: gbtime.New(time.Now()), Amount: 300,
	}); err != nil {
		log.Fatal(err)
	}
	bal, err := c.GetCustomerBalance(ctx, "cust_1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bal.AvailablePointsBalance, bal.PointsName, "worth", bal.AvailablePointsValue, bal.Currency)

	_, err = c.GetCustomerBalance(ctx, "nobody")
	fmt.Println("unknown customer:", errors.Is(err, client.ErrNotFound))
	// Output:
	// 300 Points worth 15 USD
	// unknown customer: true
}

func ExampleClient_SubmitCashbackRewards() {
	srv, err := gameballtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	// 2,500 rewards: more than one batch job takes.
	items := make([]client.CashbackBatchItem, 2500)
	for i := range items {
		items[i] = client.CashbackBatchItem{
			CustomerID:      fmt.Sprintf("cust_%d", i%10),
			TransactionID:   fmt.Sprintf("ORDER-%d", i),
			TransactionTime: gbtime.New(time.Now()),
			Amount:          10,
		}
	}
	items[1234].TransactionID = "ORDER-0" // a replay of the first item

	c := srv.Client
	jobs, err := c.SubmitCashbackRewards(ctx, items)
	if err != nil {
		log.Fatal(err) // jobs holds those created before the failure
	}
	for _, job := range jobs {
		fmt.Printf("job %d: items %d to %d\n", job.ID, job.First, job.First+job.Count-1)
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
	// The mock answers a request carrying "Prefer: code=503" with a 503 and
	// Retry-After: 1. A budget of half a second cannot wait that long, so
	// the client gives up after one attempt and says why.
	srv, err := gameballtest.Start(gameballtest.WithClientOptions(client.Retries(client.RetryPolicy{MaxTotalDelay: 500 * time.Millisecond})))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	_, err = srv.Client.GetCustomerBalance(context.Background(), "cust_1", func(_ context.Context, req *http.Request) error {
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

func ExampleCaptureResponse() {
	srv, err := gameballtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	// The answer's status and Gameball's request id, for a successful call
	// too: quote the id to Gameball's support.
	var info client.ResponseInfo
	_, err = srv.Client.RewardCashback(context.Background(), client.RewardCashbackRequest{
		CustomerID: "cust_1", TransactionID: "ORDER-1", TransactionTime: gbtime.New(time.Now()), Amount: 10,
	}, client.CaptureResponse(&info))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Operation, info.StatusCode, "after", info.Attempts, "attempt; request id given:", info.RequestID != "")
	// Output: rewardCashback 200 after 1 attempt; request id given: true
}

// operationNamer is a transport under the client that tells each request's
// operation apart, as a tracing transport naming its spans would.
type operationNamer struct{ next http.RoundTripper }

func (t operationNamer) RoundTrip(r *http.Request) (*http.Response, error) {
	if op, ok := client.OperationFromContext(r.Context()); ok {
		fmt.Println("sending", op)
	}
	return t.next.RoundTrip(r)
}

func ExampleOperationFromContext() {
	srv, err := gameballtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	hc := &http.Client{Transport: operationNamer{next: http.DefaultTransport}}
	c, err := client.New("gb_test_apikey", "gb_test_secretkey", client.BaseURL(srv.URL), client.HTTPClient(hc))
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.GetCustomerBalance(context.Background(), "nobody")
	fmt.Println("not found:", errors.Is(err, client.ErrNotFound))
	// Output:
	// sending getCustomerBalance
	// not found: true
}

func ExampleRateLimit() {
	srv, err := gameballtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	// Two processes share the account: each paces itself to half of
	// Gameball's documented limits (for cashback: a burst of 9, then about
	// 5.7 calls a second).
	c, err := client.New("gb_test_apikey", "gb_test_secretkey", client.BaseURL(srv.URL), client.RateLimit(0.5))
	if err != nil {
		log.Fatal(err)
	}
	for i := range 3 {
		if _, err := c.RewardCashback(context.Background(), client.RewardCashbackRequest{
			CustomerID: "cust_1", TransactionID: fmt.Sprintf("ORDER-%d", i), TransactionTime: gbtime.New(time.Now()), Amount: 10,
		}); err != nil {
			log.Fatal(err)
		}
	}
	bal, err := c.GetCustomerBalance(context.Background(), "cust_1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bal.AvailablePointsBalance, "points")
	// Output: 30 points
}

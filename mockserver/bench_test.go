package mockserver_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/internal/optable"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
)

// The benchmarks of the mock's request path, run by `make bench`:
//
//   - BenchmarkEndToEnd: every operation through the typed client, over a
//     loopback TCP connection, through validation, the engine and back, with
//     the response decoded by the client;
//   - BenchmarkServeHTTP: the server alone (no network, no client), to
//     profile the validation → engine → response path;
//   - BenchmarkBatch1000: a 1,000-item cashback batch from submission until
//     its status reads completed.
//
// Validation alone is benchmarked in package spec (BenchmarkValidateRequest).

// perfCall makes one call of an operation and reports its status.
type perfCall func(ctx context.Context, m *perfMock, i int) (int, error)

// perfCalls are valid calls of every operation. Writes use a fresh
// transactionId each time, so every call does the engine's full work.
func perfCalls(tb testing.TB, m *perfMock) map[string]perfCall {
	tb.Helper()
	// A customer with a ledger, and a finished 10-item batch, to read.
	perfSeedCashback(tb, m, "cust_read", 5)
	doneBatch := perfFinishedBatch(tb, m, 10)
	const customers = 64
	return map[string]perfCall{
		"rewardCashback": func(ctx context.Context, m *perfMock, i int) (int, error) {
			res, err := m.raw.RewardCashbackWithResponse(ctx, client.RewardCashbackRequest{
				CustomerID:      "cust_" + strconv.Itoa(i%customers),
				TransactionID:   m.nextID("TXN"),
				TransactionTime: perfRecent(),
				Amount:          150.75,
			})
			return perfStatus(res, err)
		},
		"calculatePaymentCashback": func(ctx context.Context, m *perfMock, i int) (int, error) {
			res, err := m.raw.CalculatePaymentCashbackWithResponse(ctx, client.CalculatePaymentCashbackRequest{
				CustomerID: "cust_read",
				TotalPaid:  100.0,
				PaymentDetails: []client.PaymentService{
					{ServiceID: "s_1", Amount: 60.0, Category: []string{"Electronics"}},
					{ServiceID: "s_2", Amount: 40.0, Tax: 4.0, Tags: []string{"Topup"}},
				},
			})
			return perfStatus(res, err)
		},
		"addManualTransaction": func(ctx context.Context, m *perfMock, i int) (int, error) {
			res, err := m.raw.AddManualTransactionWithResponse(ctx, client.AddManualTransactionRequest{
				CustomerID:      "cust_" + strconv.Itoa(i%customers),
				TransactionID:   m.nextID("MAN"),
				TransactionTime: perfRecent(),
				Username:        "bench",
				Reason:          "benchmark",
				Points:          new(10),
			})
			return perfStatus(res, err)
		},
		"rewardCashbackBatch": func(ctx context.Context, m *perfMock, i int) (int, error) {
			res, err := m.raw.RewardCashbackBatchWithResponse(ctx, client.RewardCashbackBatchRequest{Body: perfCashbackItems(m, 10)})
			return perfStatus(res, err)
		},
		"adjustBalanceBatch": func(ctx context.Context, m *perfMock, i int) (int, error) {
			items := make([]client.BalanceAdjustmentItem, 10)
			for j := range items {
				items[j] = client.BalanceAdjustmentItem{CustomerID: "cust_" + strconv.Itoa((i+j)%customers), Amount: 5, Reason: "bench"}
			}
			res, err := m.raw.AdjustBalanceBatchWithResponse(ctx, client.AdjustBalanceBatchRequest{Body: items})
			return perfStatus(res, err)
		},
		"getBatchStatus": func(ctx context.Context, m *perfMock, i int) (int, error) {
			res, err := m.raw.GetBatchStatusWithResponse(ctx, doneBatch)
			return perfStatus(res, err)
		},
		"stopBatch": func(ctx context.Context, m *perfMock, i int) (int, error) {
			res, err := m.raw.StopBatchWithResponse(ctx, doneBatch)
			return perfStatus(res, err)
		},
		"getCustomerBalance": func(ctx context.Context, m *perfMock, i int) (int, error) {
			res, err := m.raw.GetCustomerBalanceWithResponse(ctx, "cust_read", nil)
			return perfStatus(res, err)
		},
	}
}

// perfResponse is every generated response type.
type perfResponse interface{ StatusCode() int }

func perfStatus(res perfResponse, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	return res.StatusCode(), nil
}

func perfCashbackItems(m *perfMock, n int) []client.CashbackBatchItem {
	items := make([]client.CashbackBatchItem, n)
	at := perfRecent()
	for j := range items {
		items[j] = client.CashbackBatchItem{
			CustomerID:      "cust_batch_" + strconv.Itoa(j%97),
			TransactionID:   m.nextID("BTX"),
			TransactionTime: at,
			Amount:          float64(10 + j%50),
		}
	}
	return items
}

// perfSeedCashback gives a customer n cashback entries.
func perfSeedCashback(tb testing.TB, m *perfMock, customer string, n int) {
	tb.Helper()
	for range n {
		res, err := m.raw.RewardCashbackWithResponse(context.Background(), client.RewardCashbackRequest{
			CustomerID: customer, TransactionID: m.nextID("SEED"), TransactionTime: perfRecent(), Amount: 20,
		})
		if code, err := perfStatus(res, err); err != nil || code != http.StatusOK {
			tb.Fatalf("seed cashback: %d %v", code, err)
		}
	}
}

// perfFinishedBatch submits an n-item cashback batch and waits for it to finish.
func perfFinishedBatch(tb testing.TB, m *perfMock, n int) string {
	tb.Helper()
	res, err := m.raw.RewardCashbackBatchWithResponse(context.Background(), client.RewardCashbackBatchRequest{Body: perfCashbackItems(m, n)})
	if code, err := perfStatus(res, err); err != nil || code != http.StatusOK {
		tb.Fatalf("submit batch: %d %v", code, err)
	}
	id := res.JSON200.JobID
	perfWaitBatch(tb, m.account(), id)
	return strconv.FormatInt(id, 10)
}

// perfWaitBatch polls the engine until job id has ended.
func perfWaitBatch(tb testing.TB, acct *loyalty.Account, id int64) loyalty.BatchStatus {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := acct.BatchStatus(id)
		if err != nil {
			tb.Fatal(err)
		}
		if st.State == loyalty.BatchCompleted || st.State == loyalty.BatchFailed {
			return st
		}
		if time.Now().After(deadline) {
			tb.Fatalf("batch %d still %s after 10s", id, st.State)
		}
		time.Sleep(50 * time.Microsecond)
	}
}

// perfRawCall is the call of an operation perfCalls has no typed call for
// yet (a new one): validRequestBody over plain HTTP, so
// every operation of the table is benchmarked with no edit here. It may
// answer any status the operation documents below 500 (the same example
// twice may be a replay).
func perfRawCall(tb testing.TB, op optable.Operation) perfCall {
	body := validRequestBody(tb, op)
	return func(ctx context.Context, m *perfMock, _ int) (int, error) {
		req, err := http.NewRequestWithContext(ctx, op.Method, m.url+op.Fill("cust_read"), strings.NewReader(body))
		if err != nil {
			return 0, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("apikey", m.apiKey)
		req.Header.Set("secretkey", m.secretKey)
		res, err := m.hc.Do(req)
		if err != nil {
			return 0, err
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode < 500 && slices.Contains(op.Statuses, res.StatusCode) {
			return http.StatusOK, nil
		}
		return res.StatusCode, nil
	}
}

// BenchmarkEndToEnd is client → loopback → validation → engine → response →
// client, one operation of the operations table at a time (b.RunParallel
// would measure the machine's two cores, not the path).
func BenchmarkEndToEnd(b *testing.B) {
	m := startPerfMock(b, mockserver.Options{})
	calls := perfCalls(b, m)
	ctx := context.Background()
	for _, op := range optable.All {
		call, ok := calls[op.ID]
		if !ok {
			call = perfRawCall(b, op)
		}
		b.Run(op.ID, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				code, err := call(ctx, m, i)
				if err != nil || code != http.StatusOK {
					b.Fatalf("%s: %d %v", op.ID, code, err)
				}
				i++
			}
		})
	}
}

// perfServeCases are raw requests for BenchmarkServeHTTP. body returns the
// request body of iteration i.
type perfServeCase struct {
	name, method, path string
	body               func(m *perfMock, i int) []byte
	want               int
}

func perfServeCases() []perfServeCase {
	return []perfServeCase{
		{"rewardCashback", http.MethodPost, "/api/v4.0/integrations/transactions/cashback", func(m *perfMock, i int) []byte {
			return fmt.Appendf(nil, `{"customerId":"srv_%d","transactionId":"%s","transactionTime":"2024-10-11T10:48:56Z","amount":150.75}`, i%64, m.nextID("SRV"))
		}, http.StatusOK},
		{"rewardCashback/invalid", http.MethodPost, "/api/v4.0/integrations/transactions/cashback", func(_ *perfMock, _ int) []byte {
			return []byte(`{"customerId":"cust_1","transactionId":"SRV-X","transactionTime":"yesterday","amount":"150.75"}`)
		}, http.StatusUnprocessableEntity},
		{"calculatePaymentCashback", http.MethodPost, "/api/v4.0/integrations/payments/cashback", func(_ *perfMock, _ int) []byte {
			return []byte(`{"customerId":"cust_1","totalPaid":100,"paymentDetails":[{"serviceId":"s_1","amount":60,"category":["Electronics"]},{"serviceId":"s_2","amount":40,"tax":4,"tags":["Topup"]}]}`)
		}, http.StatusOK},
		{"getCustomerBalance", http.MethodGet, "/api/v4.0/integrations/customers/cust_1/balance", nil, http.StatusOK},
	}
}

// BenchmarkServeHTTP is the server's handler alone: validation, the engine
// and the response, without a network or a client.
func BenchmarkServeHTTP(b *testing.B) {
	m := startPerfMock(b, mockserver.Options{})
	perfSeedCashback(b, m, "cust_1", 3)
	for _, c := range perfServeCases() {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				var body *bytes.Reader
				req := httptest.NewRequest(c.method, c.path, nil)
				if c.body != nil {
					body = bytes.NewReader(c.body(m, i))
					req = httptest.NewRequest(c.method, c.path, body)
					req.Header.Set("Content-Type", "application/json")
				}
				req.Header.Set("apikey", m.apiKey)
				req.Header.Set("secretkey", m.secretKey)
				rec := httptest.NewRecorder()
				m.server.ServeHTTP(rec, req)
				if rec.Code != c.want {
					b.Fatalf("%s: %d %s", c.name, rec.Code, rec.Body)
				}
				i++
			}
		})
	}
}

// BenchmarkBatch1000 submits a 1,000-item cashback batch through the client
// and waits until the engine reports it completed, then reads its status
// (every item's result) through the client.
func BenchmarkBatch1000(b *testing.B) {
	m := startPerfMock(b, mockserver.Options{})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := m.raw.RewardCashbackBatchWithResponse(ctx, client.RewardCashbackBatchRequest{Body: perfCashbackItems(m, 1000)})
		if code, err := perfStatus(res, err); err != nil || code != http.StatusOK {
			b.Fatalf("submit: %d %v", code, err)
		}
		id := res.JSON200.JobID
		if st := perfWaitBatch(b, m.account(), id); st.State != loyalty.BatchCompleted || st.FailedItems != 0 {
			b.Fatalf("batch %d: %s, %d failed", id, st.State, st.FailedItems)
		}
		got, err := m.raw.GetBatchStatusWithResponse(ctx, strconv.FormatInt(id, 10))
		if code, err := perfStatus(got, err); err != nil || code != http.StatusOK || len(got.JSON200.Results) != 1000 {
			b.Fatalf("status: %d %v", code, err)
		}
	}
}

// TestPerfRawCallReachesEveryOperation: the fallback BenchmarkEndToEnd uses
// for an operation without a typed call gets a documented answer below 500
// from each operation of the table, so a new one is benchmarked at once.
func TestPerfRawCallReachesEveryOperation(t *testing.T) {
	m := startPerfMock(t, mockserver.Options{})
	for _, op := range optable.All {
		if code, err := perfRawCall(t, op)(context.Background(), m, 0); err != nil || code != http.StatusOK {
			t.Errorf("%s: %d %v", op.ID, code, err)
		}
	}
}

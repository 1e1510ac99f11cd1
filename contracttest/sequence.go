package contracttest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/client/gbapi"
	"github.com/gbkit/gameball-go/gbtime"
	"github.com/gbkit/gameball-go/internal/optable"
)

// Target is a server for Run: its base URL and an account's keys.
type Target struct {
	BaseURL   string
	APIKey    string
	SecretKey string
	// Writes lets the sequence call operations that change state (cashback,
	// manual transactions, batches). Against a live account it must be an
	// explicit choice.
	Writes bool
	// V41 calls API v4.1 (Secure Integration Mode, client.APIv41): the same
	// operations under /api/v4.1/integrations/, every one needing both keys.
	V41 bool
}

// Response is what every generated response type offers: the status and
// the body as received.
type Response interface {
	StatusCode() int
	GetBody() []byte
}

// call sends one valid request of an operation with the given key headers.
type call func(ctx context.Context, raw gbapi.ClientWithResponsesInterface) (Response, error)

// Run exercises every operation of the spec against target through the
// generated client and a validating Transport, and returns the Transport so
// callers can inspect what was covered. Every exchange must match the spec.
func Run(t *testing.T, target Target) *Transport {
	t.Helper()
	tr, err := NewTransport(nil)
	if err != nil {
		t.Fatal(err)
	}
	tr.RejectEmptyRequired = true
	s := &sequence{
		target: target,
		hc:     &http.Client{Transport: tr, Timeout: 30 * time.Second},
		run:    fmt.Sprintf("ct%x", time.Now().UnixNano()),
	}
	// No retries: the contract is about each exchange as it happens, and a
	// retry would turn a violation into a confusing replay.
	opts := []client.Option{client.BaseURL(target.BaseURL), client.HTTPClient(s.hc), client.Retries(client.RetryPolicy{MaxAttempts: 1})}
	s.keyedHC = s.hc
	if target.V41 {
		opts = append(opts, client.APIv41())
		s.keyedHC = &http.Client{Transport: toV41{tr}, Timeout: s.hc.Timeout}
	}
	s.client, err = client.New(target.APIKey, target.SecretKey, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("EveryOperationHasACall", s.everyOperationHasACall)
	t.Run("Keys", s.keys)
	t.Run("InvalidBodies", s.invalidBodies)
	t.Run("NotFound", s.notFound)
	t.Run("CalculatePaymentCashback", s.calculatePaymentCashback)
	if !target.Writes {
		t.Log("skipping the operations that change state: writes were not allowed")
		return tr
	}
	t.Run("RewardCashback", s.rewardCashback)
	t.Run("AddManualTransaction", s.addManualTransaction)
	t.Run("RewardCashbackBatch", s.rewardCashbackBatch)
	t.Run("AdjustBalanceBatch", s.adjustBalanceBatch)
	t.Run("Lifecycle", s.lifecycle)
	return tr
}

type sequence struct {
	target  Target
	hc      *http.Client
	keyedHC *http.Client // hc, sending v4.1's paths when the target is
	client  *client.Client
	run     string // prefix that keeps this run's ids apart from earlier runs'
}

// id is a customer or transaction id unique to this run.
func (s *sequence) id(name string) string { return s.run + "_" + name }

// keyed is a generated client that sends exactly the given key headers
// (empty: not sent), whatever the operation requires.
func (s *sequence) keyed(t *testing.T, apiKey, secretKey string) gbapi.ClientWithResponsesInterface {
	t.Helper()
	raw, err := gbapi.NewClientWithResponses(s.target.BaseURL, gbapi.WithHTTPClient(s.keyedHC),
		gbapi.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			if apiKey != "" {
				req.Header.Set("apikey", apiKey)
			}
			if secretKey != "" {
				req.Header.Set("secretkey", secretKey)
			}
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// calls holds one valid request per operation. Those that change state
// still change nothing when their keys are refused.
func (s *sequence) calls() map[string]call { return validCalls(s.id) }

// validCalls builds one valid request per operation, with ids made by id.
func validCalls(id func(string) string) map[string]call {
	now := gbtime.New(time.Now().UTC().Add(-time.Minute))
	return map[string]call{
		"rewardCashback": func(ctx context.Context, c gbapi.ClientWithResponsesInterface) (Response, error) {
			return c.RewardCashbackWithResponse(ctx, client.RewardCashbackRequest{
				CustomerID: id("keys"), TransactionID: id("keys-cb"), TransactionTime: now, Amount: 10,
			})
		},
		"rewardCashbackBatch": func(ctx context.Context, c gbapi.ClientWithResponsesInterface) (Response, error) {
			return c.RewardCashbackBatchWithResponse(ctx, client.RewardCashbackBatchRequest{Body: []client.CashbackBatchItem{
				{CustomerID: id("keys"), TransactionID: id("keys-bcb"), TransactionTime: now, Amount: 10},
			}})
		},
		"calculatePaymentCashback": func(ctx context.Context, c gbapi.ClientWithResponsesInterface) (Response, error) {
			return c.CalculatePaymentCashbackWithResponse(ctx, client.CalculatePaymentCashbackRequest{TotalPaid: 100.0})
		},
		"adjustBalanceBatch": func(ctx context.Context, c gbapi.ClientWithResponsesInterface) (Response, error) {
			return c.AdjustBalanceBatchWithResponse(ctx, client.AdjustBalanceBatchRequest{Body: []client.BalanceAdjustmentItem{
				{CustomerID: id("keys"), Amount: 5},
			}})
		},
		"addManualTransaction": func(ctx context.Context, c gbapi.ClientWithResponsesInterface) (Response, error) {
			return c.AddManualTransactionWithResponse(ctx, client.AddManualTransactionRequest{
				CustomerID: id("keys"), TransactionID: id("keys-mt"), TransactionTime: now,
				Username: "contracttest", Reason: "contract test", Points: new(5),
			})
		},
		"getBatchStatus": func(ctx context.Context, c gbapi.ClientWithResponsesInterface) (Response, error) {
			return c.GetBatchStatusWithResponse(ctx, "1")
		},
		"stopBatch": func(ctx context.Context, c gbapi.ClientWithResponsesInterface) (Response, error) {
			return c.StopBatchWithResponse(ctx, "1")
		},
		"getCustomerBalance": func(ctx context.Context, c gbapi.ClientWithResponsesInterface) (Response, error) {
			return c.GetCustomerBalanceWithResponse(ctx, id("keys"), nil)
		},
		"refundTransaction": func(ctx context.Context, c gbapi.ClientWithResponsesInterface) (Response, error) {
			return c.RefundTransactionWithResponse(ctx, client.RefundRequest{
				CustomerID: id("keys"), RefundTransactionID: id("keys-rf"), ReverseTransactionID: id("keys-cb"), TransactionTime: now,
			})
		},
		"redeemPoints": func(ctx context.Context, c gbapi.ClientWithResponsesInterface) (Response, error) {
			return c.RedeemPointsWithResponse(ctx, client.RedeemRequest{
				CustomerID: id("keys"), TransactionID: id("keys-rd"), TransactionTime: now, Points: new(1),
			})
		},
		"holdPoints": func(ctx context.Context, c gbapi.ClientWithResponsesInterface) (Response, error) {
			return c.HoldPointsWithResponse(ctx, client.HoldRequest{CustomerID: id("keys"), TransactionTime: now, PointsToHold: new(1)})
		},
		"getHold": func(ctx context.Context, c gbapi.ClientWithResponsesInterface) (Response, error) {
			return c.GetHoldWithResponse(ctx, id("keys-hold"))
		},
		"releaseHold": func(ctx context.Context, c gbapi.ClientWithResponsesInterface) (Response, error) {
			return c.ReleaseHoldWithResponse(ctx, id("keys-hold"))
		},
		"activateTransaction": func(ctx context.Context, c gbapi.ClientWithResponsesInterface) (Response, error) {
			return c.ActivateTransactionWithResponse(ctx, id("keys-cb"))
		},
		"listTransactions": func(ctx context.Context, c gbapi.ClientWithResponsesInterface) (Response, error) {
			return c.ListTransactionsWithResponse(ctx, &client.ListTransactionsParams{Limit: 5})
		},
	}
}

// ValidCall sends one valid request of the operation through c, with ids
// made unique by run, and returns the status and body it got.
func ValidCall(ctx context.Context, c gbapi.ClientWithResponsesInterface, operationID, run string) (int, []byte, error) {
	do := validCalls(func(name string) string { return run + "_" + name })[operationID]
	if do == nil {
		return 0, nil, fmt.Errorf("contracttest: no valid call known for operation %q", operationID)
	}
	res, err := do(ctx, c)
	if err != nil {
		return 0, nil, err
	}
	return res.StatusCode(), res.GetBody(), nil
}

// everyOperationHasACall fails when the spec gains an operation the sequence
// does not know: regenerating after Gameball adds one shows up here.
func (s *sequence) everyOperationHasACall(t *testing.T) {
	calls := s.calls()
	for _, op := range optable.All {
		if calls[op.ID] == nil {
			t.Errorf("operation %s (%s %s) has no call in the contract sequence", op.ID, op.Method, op.Path)
		}
	}
}

func (s *sequence) keys(t *testing.T) {
	for _, op := range optable.All {
		do := s.calls()[op.ID]
		if do == nil {
			continue
		}
		t.Run(op.ID, func(t *testing.T) {
			ctx := DeliberatelyInvalid(context.Background())
			res, err := do(ctx, s.keyed(t, "", s.target.SecretKey))
			expectError(t, "no apikey", res, err, http.StatusUnauthorized, 1000)
			res, err = do(ctx, s.keyed(t, "gb_wrong_apikey", s.target.SecretKey))
			expectError(t, "wrong apikey", res, err, http.StatusUnauthorized, 1000)
			if !op.Needs("secretkey") && !s.target.V41 {
				return
			}
			res, err = do(ctx, s.keyed(t, s.target.APIKey, ""))
			expectError(t, "no secretkey", res, err, http.StatusUnauthorized, 1001)
			res, err = do(ctx, s.keyed(t, s.target.APIKey, "gb_wrong_secretkey"))
			expectError(t, "wrong secretkey", res, err, http.StatusUnauthorized, 1001)
		})
	}
}

// BodyOperations lists the operations the sequence can send a raw body to:
// every operation of the spec that takes one.
func BodyOperations() []string {
	return slices.Sorted(maps.Keys(bodyCalls()))
}

// SendBody sends body, as it is, to an operation that takes one.
func SendBody(ctx context.Context, c gbapi.ClientWithResponsesInterface, operationID, contentType string, body io.Reader) (Response, error) {
	send := bodyCalls()[operationID]
	if send == nil {
		return nil, fmt.Errorf("contracttest: no body call known for operation %q", operationID)
	}
	return send(ctx, c, contentType, body)
}

// bodyCall sends a raw body to an operation that takes one.
type bodyCall func(ctx context.Context, c gbapi.ClientWithResponsesInterface, contentType string, body io.Reader) (Response, error)

func bodyCalls() map[string]bodyCall {
	return map[string]bodyCall{
		"rewardCashback": func(ctx context.Context, c gbapi.ClientWithResponsesInterface, ct string, b io.Reader) (Response, error) {
			return c.RewardCashbackWithBodyWithResponse(ctx, ct, b)
		},
		"rewardCashbackBatch": func(ctx context.Context, c gbapi.ClientWithResponsesInterface, ct string, b io.Reader) (Response, error) {
			return c.RewardCashbackBatchWithBodyWithResponse(ctx, ct, b)
		},
		"calculatePaymentCashback": func(ctx context.Context, c gbapi.ClientWithResponsesInterface, ct string, b io.Reader) (Response, error) {
			return c.CalculatePaymentCashbackWithBodyWithResponse(ctx, ct, b)
		},
		"adjustBalanceBatch": func(ctx context.Context, c gbapi.ClientWithResponsesInterface, ct string, b io.Reader) (Response, error) {
			return c.AdjustBalanceBatchWithBodyWithResponse(ctx, ct, b)
		},
		"addManualTransaction": func(ctx context.Context, c gbapi.ClientWithResponsesInterface, ct string, b io.Reader) (Response, error) {
			return c.AddManualTransactionWithBodyWithResponse(ctx, ct, b)
		},
		"refundTransaction": func(ctx context.Context, c gbapi.ClientWithResponsesInterface, ct string, b io.Reader) (Response, error) {
			return c.RefundTransactionWithBodyWithResponse(ctx, ct, b)
		},
		"redeemPoints": func(ctx context.Context, c gbapi.ClientWithResponsesInterface, ct string, b io.Reader) (Response, error) {
			return c.RedeemPointsWithBodyWithResponse(ctx, ct, b)
		},
		"holdPoints": func(ctx context.Context, c gbapi.ClientWithResponsesInterface, ct string, b io.Reader) (Response, error) {
			return c.HoldPointsWithBodyWithResponse(ctx, ct, b)
		},
	}
}

func (s *sequence) invalidBodies(t *testing.T) {
	// Per operation, a body missing a required field and one with a field of
	// the wrong type; calculatePaymentCashback requires nothing.
	missing := map[string]string{
		"rewardCashback":       `{"transactionId":"t","transactionTime":"2024-10-11T10:48:56Z","amount":1}`,
		"rewardCashbackBatch":  `{"body":[{"transactionId":"t","transactionTime":"2024-10-11T10:48:56Z","amount":1}]}`,
		"adjustBalanceBatch":   `{"body":[{"amount":1}]}`,
		"addManualTransaction": `{"customerId":"c","transactionId":"t","transactionTime":"2024-10-11T10:48:56Z","username":"u","points":1}`,
		"refundTransaction":    `{"customerId":"c","refundTransactionId":"r","transactionTime":"2024-10-11T10:48:56Z"}`,
		"redeemPoints":         `{"customerId":"c","transactionTime":"2024-10-11T10:48:56Z","points":1}`,
		"holdPoints":           `{"customerId":"c","pointsToHold":1}`,
	}
	wrongType := map[string]string{
		"rewardCashback":           `{"customerId":"c","transactionId":"t","transactionTime":"2024-10-11T10:48:56Z","amount":"ten"}`,
		"rewardCashbackBatch":      `{"body":[{"customerId":7,"transactionId":"t","transactionTime":"2024-10-11T10:48:56Z","amount":1}]}`,
		"calculatePaymentCashback": `{"totalPaid":"100"}`,
		"adjustBalanceBatch":       `{"body":{"customerId":"c","amount":1}}`,
		"addManualTransaction":     `{"customerId":"c","transactionId":"t","transactionTime":"yesterday","username":"u","reason":"r","points":1}`,
		"refundTransaction":        `{"customerId":"c","refundTransactionId":"r","reverseTransactionId":"o","transactionTime":"2024-10-11T10:48:56Z","refundAmount":"all"}`,
		"redeemPoints":             `{"customerId":"c","transactionId":"t","transactionTime":"2024-10-11T10:48:56Z","points":1.5}`,
		"holdPoints":               `{"customerId":"c","transactionTime":"2024-10-11T10:48:56Z","pointsToHold":"ten"}`,
	}
	c := s.keyed(t, s.target.APIKey, s.target.SecretKey)
	ctx := DeliberatelyInvalid(context.Background())
	for _, op := range optable.All {
		send := bodyCalls()[op.ID]
		if !op.Body {
			continue
		}
		if send == nil {
			t.Errorf("operation %s takes a body but the contract sequence cannot send one", op.ID)
			continue
		}
		t.Run(op.ID, func(t *testing.T) {
			if body, ok := missing[op.ID]; ok {
				res, err := send(ctx, c, "application/json", strings.NewReader(body))
				expectError(t, "a required field missing", res, err, http.StatusBadRequest, 3000)
			}
			res, err := send(ctx, c, "application/json", strings.NewReader(wrongType[op.ID]))
			expectError(t, "a field of the wrong type", res, err, http.StatusUnprocessableEntity, 3003)
			res, err = send(ctx, c, "application/json", strings.NewReader(`{"customerId": "c", "amount": 1`))
			expectError(t, "malformed JSON", res, err, http.StatusBadRequest, 3016)
			res, err = send(ctx, c, "text/plain", strings.NewReader(`customerId=c`))
			expectError(t, "a body that is not JSON", res, err, http.StatusUnsupportedMediaType, 3013)
			res, err = send(ctx, c, "application/json", nil)
			expectError(t, "no body", res, err, http.StatusBadRequest, 3000)
		})
	}
}

func (s *sequence) notFound(t *testing.T) {
	ctx := context.Background()
	raw := s.client.Raw()
	bal, err := raw.GetCustomerBalanceWithResponse(ctx, s.id("nobody"), nil)
	expectError(t, "balance of an unknown customer", bal, err, http.StatusNotFound, 7000)
	st, err := raw.GetBatchStatusWithResponse(ctx, "987654321")
	expectError(t, "status of an unknown batch", st, err, http.StatusNotFound, 4004)
	stop, err := raw.StopBatchWithResponse(ctx, "987654321")
	expectError(t, "stop of an unknown batch", stop, err, http.StatusNotFound, 4004)
}

func (s *sequence) calculatePaymentCashback(t *testing.T) {
	ctx := context.Background()
	res, err := s.client.Raw().CalculatePaymentCashbackWithResponse(ctx, client.CalculatePaymentCashbackRequest{
		CustomerID: s.id("calc"),
		TotalPaid:  100.0,
		PaymentDetails: []client.PaymentService{
			{ServiceID: "s_1", Amount: 60.0, Discount: 10.0, Category: []string{"Telecom"}},
			{ServiceID: "s_2", Amount: 50.0},
		},
	})
	body := expectOK(t, res, err)
	got := res.JSON200
	if got == nil || got.TotalPoints == 0 || got.PaymentDetails == nil {
		t.Fatalf("calculation lacks totalPoints or paymentDetails: %s", body)
	}
	if n := len(got.PaymentDetails); n != 2 {
		t.Errorf("paymentDetails has %d entries for 2 services: %s", n, body)
	}
	var sum int64
	for _, d := range got.PaymentDetails {
		sum += d.TotalPoints
	}
	if sum != got.TotalPoints {
		t.Errorf("totalPoints %v is not the sum of the services' %v: %s", got.TotalPoints, sum, body)
	}

	// Its security is the apikey alone on v4.0; v4.1 needs both keys on every call.
	apiKeyOnly, err := s.keyed(t, s.target.APIKey, "").CalculatePaymentCashbackWithResponse(ctx, client.CalculatePaymentCashbackRequest{TotalPaid: 10.0})
	if s.target.V41 {
		expectError(t, "v4.1 without the secretkey", apiKeyOnly, err, http.StatusUnauthorized, 1001)
	} else {
		expectOK(t, apiKeyOnly, err)
	}
}

func (s *sequence) rewardCashback(t *testing.T) {
	ctx := context.Background()
	customer := s.id("cashback")
	req := client.RewardCashbackRequest{
		CustomerID: customer, TransactionID: s.id("cb-1"),
		TransactionTime: gbtime.New(time.Now().UTC().Add(-time.Hour)), Amount: 150.75,
		Configurations: &client.CashbackConfigurations{ReturnWindow: new(0)},
	}
	res, err := s.client.Raw().RewardCashbackWithResponse(ctx, req)
	body := expectOK(t, res, err)
	r := res.JSON200
	if r.CustomerID != customer || r.GameballTransactionID == 0 || r.RewardEquivalentPoints <= 0 {
		t.Fatalf("cashback answer does not describe an award to %s: %s", customer, body)
	}

	again, err := s.client.Raw().RewardCashbackWithResponse(ctx, req)
	expectError(t, "the same transactionId again", again, err, http.StatusUnprocessableEntity, 9004)

	bal, err := s.client.Raw().GetCustomerBalanceWithResponse(ctx, customer, nil)
	balBody := expectOK(t, bal, err)
	if got := bal.JSON200.AvailablePointsBalance; got != r.RewardEquivalentPoints {
		t.Errorf("available balance %v after one award of %v points: %s", got, r.RewardEquivalentPoints, balBody)
	}
}

func (s *sequence) addManualTransaction(t *testing.T) {
	ctx := context.Background()
	customer := s.id("manual")
	sendCtx := func(ctx context.Context, tx string, edit func(*client.AddManualTransactionRequest)) (*gbapi.AddManualTransactionResponse, error) {
		req := client.AddManualTransactionRequest{
			CustomerID: customer, TransactionID: s.id(tx), TransactionTime: gbtime.New(time.Now().UTC().Add(-time.Minute)),
			Username: "contracttest", Reason: "contract test",
		}
		edit(&req)
		return s.client.Raw().AddManualTransactionWithResponse(ctx, req)
	}
	send := func(tx string, edit func(*client.AddManualTransactionRequest)) (*gbapi.AddManualTransactionResponse, error) {
		return sendCtx(ctx, tx, edit)
	}
	manual := func(tx string, points int) (*gbapi.AddManualTransactionResponse, error) {
		return send(tx, func(r *client.AddManualTransactionRequest) { r.Points = &points })
	}
	res, err := manual("mt-add", 50)
	body := expectOK(t, res, err)
	if res.JSON200.Points != 50 || res.JSON200.TransactionID != s.id("mt-add") {
		t.Errorf("manual transaction answer does not echo 50 points and its transactionId: %s", body)
	}
	res, err = manual("mt-too-much", -51)
	expectError(t, "a deduction beyond the balance", res, err, http.StatusUnprocessableEntity, 9008)
	res, err = manual("mt-deduct", -20)
	expectOK(t, res, err)

	// By amount, at the program's point value, and with transactionTime left out (now).
	res, err = send("mt-amount", func(r *client.AddManualTransactionRequest) {
		r.Amount, r.TransactionTime = new(1.0), gbtime.Time{}
	})
	body = expectOK(t, res, err)
	if res.JSON200.Points <= 0 || res.JSON200.Amount <= 0 || res.JSON200.Amount > 1 {
		t.Errorf("a manual addition of amount 1 answered %s; want whole points worth at most 1", body)
	}
	byAmount := res.JSON200.Points

	// The four refusals the published document names (its 400 examples), with its messages.
	for _, refusal := range []struct {
		name, message string
		code          int
		edit          func(*client.AddManualTransactionRequest)
	}{
		{"negativeExpiry", "Expiry cannot be negative", 3016, func(r *client.AddManualTransactionRequest) { r.Points, r.ExpiryAfter = new(5), new(-1) }},
		{"deductionWithExpiry", "Deduction cannot have expiry", 3016, func(r *client.AddManualTransactionRequest) { r.Points, r.ExpiryAfter = new(-5), new(30) }},
		{"multipleRewardingMethods", "Only one rewarding method may be specified", 3016, func(r *client.AddManualTransactionRequest) { r.Points, r.Amount = new(5), new(1.0) }},
		{"missingRewardingCriteria", "A rewarding criteria is required", 3000, func(r *client.AddManualTransactionRequest) {}},
	} {
		// A negative expiryAfter breaks the schema's minimum: sent past the transport's check.
		res, err := sendCtx(DeliberatelyInvalid(ctx), "mt-"+refusal.name, refusal.edit)
		expectError(t, refusal.name, res, err, http.StatusBadRequest, refusal.code)
		if err == nil && res.JSON400 != nil && res.JSON400.Message != refusal.message {
			t.Errorf("%s: message %q, want the published %q", refusal.name, res.JSON400.Message, refusal.message)
		}
	}

	bal, err := s.client.Raw().GetCustomerBalanceWithResponse(ctx, customer, &client.GetCustomerBalanceParams{Expand: "tier,referrals"})
	balBody := expectOK(t, bal, err)
	if got := bal.JSON200.AvailablePointsBalance; got != 30+byAmount {
		t.Errorf("available balance is %v after +50, -20 and +%v: %s", got, byAmount, balBody)
	}
}

func (s *sequence) rewardCashbackBatch(t *testing.T) {
	ctx := context.Background()
	when := gbtime.New(time.Now().UTC().Add(-time.Hour))
	items := []client.CashbackBatchItem{
		{CustomerID: s.id("batch-a"), TransactionID: s.id("bcb-1"), TransactionTime: when, Amount: 20},
		{CustomerID: s.id("batch-b"), TransactionID: s.id("bcb-2"), TransactionTime: when, Amount: 30},
		{CustomerID: s.id("batch-a"), TransactionID: s.id("bcb-1"), TransactionTime: when, Amount: 40}, // a replay: fails alone
	}
	res, err := s.client.Raw().RewardCashbackBatchWithResponse(ctx, client.RewardCashbackBatchRequest{Body: items})
	body := expectOK(t, res, err)
	if res.JSON200.JobID == 0 {
		t.Fatalf("batch answer has no jobId: %s", body)
	}
	st := s.waitForBatch(t, res.JSON200.JobID)
	if st.Status != client.BatchStateCompleted || st.ProcessedItems != 3 || st.FailedItems != 1 {
		t.Errorf("batch ended %s with %v processed, %v failed; want completed, 3, 1", st.Status, st.ProcessedItems, st.FailedItems)
	}
	_, errs, err := client.BatchItems(&st)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) != 1 || errs[0].Index == nil || *errs[0].Index != 2 || errs[0].Code != 9004 {
		t.Errorf("batch errors %+v; want item 2 refused with 9004", errs)
	}

	stop, err := s.client.Raw().StopBatchWithResponse(ctx, formatJobID(res.JSON200.JobID))
	stopBody := expectOK(t, stop, err)
	if stop.JSON200.Status != string(client.BatchStateCompleted) {
		t.Errorf("stopping a finished batch changed its status: %s", stopBody)
	}
}

func (s *sequence) adjustBalanceBatch(t *testing.T) {
	ctx := context.Background()
	customer := s.id("adjust")
	items := []client.BalanceAdjustmentItem{
		{CustomerID: customer, Amount: 40, Reason: "goodwill"},
		{CustomerID: customer, Amount: -15},
		{CustomerID: customer, Amount: -1000}, // more than the balance: fails alone
	}
	res, err := s.client.Raw().AdjustBalanceBatchWithResponse(ctx, client.AdjustBalanceBatchRequest{Body: items})
	body := expectOK(t, res, err)
	if res.JSON200.JobID == 0 {
		t.Fatalf("batch answer has no jobId: %s", body)
	}
	st := s.waitForBatch(t, res.JSON200.JobID)
	if st.Status != client.BatchStateCompleted || st.FailedItems != 1 {
		t.Errorf("adjustment batch ended %s with %v failed; want completed with 1 failed", st.Status, st.FailedItems)
	}
	bal, err := s.client.Raw().GetCustomerBalanceWithResponse(ctx, customer, nil)
	balBody := expectOK(t, bal, err)
	if got := bal.JSON200.AvailablePointsBalance; got != 25 {
		t.Errorf("available balance is %v after +40 and -15: %s", got, balBody)
	}
}

// waitForBatch polls a job's status until it ends, for at most a minute.
func (s *sequence) waitForBatch(t *testing.T, jobID int64) client.BatchStatus {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for delay := 5 * time.Millisecond; ; delay = min(2*delay, time.Second) {
		res, err := s.client.Raw().GetBatchStatusWithResponse(context.Background(), formatJobID(jobID))
		body := expectOK(t, res, err)
		st := *res.JSON200
		switch st.Status {
		case client.BatchStateCompleted, client.BatchStateFailed:
			return st
		case client.BatchStatePending, client.BatchStateProcessing:
		default:
			t.Fatalf("batch status has no known status: %s", body)
		}
		if time.Now().After(deadline) {
			t.Fatalf("batch %v still %s after a minute", jobID, st.Status)
		}
		time.Sleep(delay)
	}
}

func formatJobID(id int64) string { return strconv.FormatInt(id, 10) }

// expectOK fails the test unless res is a 200; it returns the body for messages.
func expectOK(t *testing.T, res Response, err error) []byte {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode() != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", res.StatusCode(), res.GetBody())
	}
	return res.GetBody()
}

// expectError checks that res is Gameball's error object with status and code.
func expectError(t *testing.T, what string, res Response, err error, status, code int) {
	t.Helper()
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	var e client.GameballError
	if jsonErr := json.Unmarshal(res.GetBody(), &e); jsonErr != nil || res.StatusCode() != status || e.Code != code {
		t.Errorf("%s: got %d %s, want %d with code %d", what, res.StatusCode(), res.GetBody(), status, code)
	}
}

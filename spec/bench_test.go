package spec_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/gbkit/gameball-go/internal/optable"
)

// benchBodies are realistic request bodies, one per operation with a body.
var benchBodies = map[string]string{
	"rewardCashback":           `{"customerId":"cust_12345abc","transactionId":"TXN987654321","transactionTime":"2024-10-11T10:48:56.719Z","amount":150.75,"email":"john.doe@example.com","merchant":{"uniqueId":"m1","name":"Shop","branch":{"uniqueId":"b1","name":"Downtown"}},"configurations":{"returnWindow":7}}`,
	"calculatePaymentCashback": `{"customerId":"cust456","totalPaid":100,"totalDiscount":20,"paymentDetails":[{"serviceId":"s_1","amount":60,"category":["Electronics"]},{"serviceId":"s_2","amount":40,"tax":4,"tags":["Topup"],"extra":{"k":"v"}}]}`,
	"addManualTransaction":     `{"customerId":"cust_abc","transactionId":"txn543211","transactionTime":"2024-10-11T15:54:10.944Z","username":"admin_user","reason":"Referral bonus","points":50}`,
	"rewardCashbackBatch":      `{"body":[{"customerId":"c1","transactionId":"T1","transactionTime":"2024-10-11T10:48:56Z","amount":10},{"customerId":"c2","transactionId":"T2","transactionTime":"2024-10-11T10:48:56","amount":20}]}`,
	"adjustBalanceBatch":       `{"body":[{"customerId":"c1","amount":10,"reason":"r"},{"customerId":"c2","amount":-5}]}`,
	"refundTransaction":        `{"customerId":"cust_12345abc","refundTransactionId":"REFUND-98765","reverseTransactionId":"TXN987654321","transactionTime":"2024-10-13T17:11:00.249Z","refundAmount":15}`,
	"redeemPoints":             `{"customerId":"cust_12345abc","transactionId":"txn98765","transactionTime":"2024-10-11T10:57:43.382Z","points":100,"reason":"Discount on order #12345"}`,
	"holdPoints":               `{"customerId":"cust_12345abc","transactionTime":"2024-10-11T16:15:15.071Z","pointsToHold":50}`,
}

// benchResponses are realistic 200 bodies, one per operation.
var benchResponses = map[string]string{
	"rewardCashback":           `{"customerId":"cust_12345abc","gameballTransactionId":11034733,"rewardAmount":7.5,"rewardEquivalentPoints":150}`,
	"calculatePaymentCashback": `{"totalPoints":100,"totalScore":0,"paymentDetails":[{"serviceId":"s_1","quantity":1,"totalDecimalPoints":180,"totalPoints":180,"totalScore":0,"rewardWalletFactor":3,"campaignImpactWalletFactor":1,"campaignImpactPoints":0,"campaignId":null,"campaignName":null,"campaignEndDate":null}]}`,
	"addManualTransaction":     `{"customerId":"cust_abc","gameballTransactionId":11035201,"transactionId":"txn543211","points":50,"amount":2.5}`,
	"rewardCashbackBatch":      `{"jobId":4821}`,
	"adjustBalanceBatch":       `{"jobId":4822}`,
	"getBatchStatus":           `{"batchId":"4821","status":"completed","progress":100,"totalItems":2,"processedItems":2,"failedItems":1,"results":[{"index":0,"customerId":"c1","transactionId":"T1","gameballTransactionId":1,"points":10}],"errors":[{"index":1,"customerId":"c2","transactionId":"T2","code":9004,"type":"TransactionError","message":"transactionId already exists"}]}`,
	"stopBatch":                `{"batchId":"4821","status":"failed","message":"stopped after 1 of 2 items"}`,
	"getCustomerBalance":       `{"totalPointsBalance":1500,"totalPointsValue":75,"availablePointsBalance":1200,"availablePointsValue":60,"pendingPoints":300,"pendingPointsValue":15,"currency":"USD","pointsName":"Points","nextExpiringPointsAmount":100,"nextExpiringPointsValue":5,"nextExpiringPointsDate":"2024-12-01T00:00:00","totalEarnedPoints":2000}`,
	"refundTransaction":        `{"gameballTransactionId":"11034735","refundTransactionId":"REFUND-98765","refundAmount":15,"refundEquivalentPoints":300}`,
	"redeemPoints":             `{"customerId":"cust_12345abc","gameballTransactionId":"11034734","transactionId":"txn98765","redeemAmount":5,"redeemEquivalentPoints":100,"reason":"Discount on order #12345"}`,
	"holdPoints":               `{"customerId":"cust_12345abc","holdAmount":2.5,"holdEquivalentPoints":50,"holdReference":"a2a199ad-86f3-45c4-8253-7aaee50e4798"}`,
	"getHold":                  `{"customerId":"cust_12345abc","holdAmount":2.5,"holdEquivalentPoints":50,"state":"Active","dateToExpire":"2024-10-16T08:11:24Z"}`,
	"releaseHold":              `{"success":true,"message":"Hold released successfully"}`,
	"activateTransaction":      `{"pointsActivated":50,"gameballTransactionId":11035201,"clientTransactionId":"txn54321221"}`,
	"listTransactions":         `{"transactions":[{"transactionId":"txn123456","gameballTransactionId":"11034736","type":"PaymentReward","direction":"+","customerId":"cust_12345abc","points":10,"amount":10,"transactionTime":"2024-10-13T17:11:00Z","status":"Active","pointsBalanceBefore":1154,"pointsBalanceAfter":1164}],"count":1,"hasMore":false}`,
}

// benchOrder is the operations table's order. A new operation fails
// TestBenchBodiesAreValid until it has realistic bodies above: a
// validation benchmark measures what Gameball's callers send, which the
// spec's examples (often partial) do not show.
var benchOrder = optable.IDs()

// BenchmarkValidateRequest is request validation alone (openapi3filter, the
// spec's options, routes found beforehand) of every operation, three ways:
// validator=validation-3.0, the validation document (what validators use);
// validator=compiled-3.1, the 3.1 bundle with each body schema compiled once
// (compiledValidator); validator=bundle-3.1, the 3.1 bundle on kin-openapi's
// own 3.1 path. `make bench` prints them side by side with benchstat, the
// validation document as the base.
func BenchmarkValidateRequest(b *testing.B) {
	v31, v30, ops := validatorsForBoth(b)
	compiled := newCompiledValidator(b)
	for _, id := range benchOrder {
		op := ops[id]
		body := []byte(benchBodies[id])
		for _, v := range []struct {
			name string
			v    *validator
		}{{"bundle-3.1", v31}, {"validation-3.0", v30}, {"compiled-3.1", compiled}} {
			b.Run("op="+id+"/validator="+v.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := v.v.request(op, "application/json", body); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkValidateResponse is response validation alone of every
// operation's 200, as the contract tests' transport does it, the same three
// ways.
func BenchmarkValidateResponse(b *testing.B) {
	v31, v30, ops := validatorsForBoth(b)
	compiled := newCompiledValidator(b)
	for _, id := range benchOrder {
		op := ops[id]
		body := []byte(benchResponses[id])
		header := http.Header{"Content-Type": {"application/json"}}
		for _, v := range []struct {
			name string
			v    *validator
		}{{"bundle-3.1", v31}, {"validation-3.0", v30}, {"compiled-3.1", compiled}} {
			b.Run("op="+id+"/validator="+v.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := v.v.response(op, http.StatusOK, header, body); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestBenchBodiesAreValid keeps the benchmarks' bodies valid and complete.
func TestBenchBodiesAreValid(t *testing.T) {
	v31, v30, ops := validatorsForBoth(t)
	compiled := newCompiledValidator(t)
	for _, id := range benchOrder {
		op, ok := ops[id]
		if !ok {
			t.Fatalf("no operation %s", id)
		}
		if body, ok := benchBodies[id]; ok || op.body != nil {
			for _, v := range []*validator{v31, v30, compiled} {
				if err := v.request(op, "application/json", []byte(body)); err != nil {
					t.Errorf("%s request: %v", id, err)
				}
			}
		}
		for _, v := range []*validator{v31, v30, compiled} {
			if err := v.response(op, http.StatusOK, http.Header{"Content-Type": {"application/json"}}, []byte(benchResponses[id])); err != nil {
				t.Errorf("%s response: %v", id, err)
			}
		}
	}
	if len(ops) != len(benchOrder) || !slices.Equal(slices.Sorted(func(yield func(string) bool) {
		for id := range ops {
			if !yield(id) {
				return
			}
		}
	}), slices.Sorted(slices.Values(benchOrder))) {
		t.Errorf("the operations table has %v; the spec has %d operations", benchOrder, len(ops))
	}
}

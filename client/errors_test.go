package client_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
)

// TestErrorDecoding: every refusal becomes an *APIError with the status,
// whatever its body: Gameball's error object, nothing, or a proxy's HTML.
func TestErrorDecoding(t *testing.T) {
	cases := []struct {
		name      string
		step      step
		want      client.APIError // Body is compared by prefix; Message by containment
		wantInMsg string
	}{
		{
			name: "Gameball's error object",
			step: answer(422, "application/json", `{"code":9004,"type":"TransactionError","message":"transactionId already exists","documentationUrl":"https://docs.gameball.co/api-reference/errors","requestId":"0b5c7a2e"}`),
			want: client.APIError{StatusCode: 422, Code: 9004, Type: "TransactionError", Message: "transactionId already exists",
				DocumentationURL: "https://docs.gameball.co/api-reference/errors", RequestID: "0b5c7a2e", Body: []byte(`{"code":9004`)},
			wantInMsg: "transactionId already exists",
		},
		{
			name:      "the error object without a type: the code's category",
			step:      answer(404, "application/json", `{"code":7000,"message":"customer not found"}`),
			want:      client.APIError{StatusCode: 404, Code: 7000, Type: "CustomerError", Message: "customer not found"},
			wantInMsg: "customer not found",
		},
		{
			name:      "an empty body",
			step:      answer(401, "", ""),
			want:      client.APIError{StatusCode: 401},
			wantInMsg: "Unauthorized (empty body)",
		},
		{
			name:      "an HTML body from a proxy",
			step:      answer(413, "text/html; charset=utf-8", "<html><body>413 Request Entity Too Large</body></html>"),
			want:      client.APIError{StatusCode: 413, Body: []byte("<html>")},
			wantInMsg: "not Gameball's error object",
		},
		{
			name:      "JSON that is not the error object",
			step:      answer(400, "application/json", `{"error":"bad"}`),
			want:      client.APIError{StatusCode: 400, Body: []byte(`{"error"`)},
			wantInMsg: "Bad Request (a 15-byte application/json body",
		},
		{
			name:      "a 429 keeps its Retry-After",
			step:      answer(429, "application/json", `{"code":4029,"type":"GeneralError","message":"too many requests"}`, "Retry-After", "90"),
			want:      client.APIError{StatusCode: 429, Code: 4029, Type: "GeneralError", Message: "too many requests", RetryAfter: 90 * time.Second},
			wantInMsg: "too many requests",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, url := serve(t, tc.step)
			c := newClient(t, url, &waits{}, client.Retries(client.RetryPolicy{MaxAttempts: 1}))
			err := calls["getCustomerBalance"](context.Background(), c)
			var got *client.APIError
			if !errors.As(err, &got) {
				t.Fatalf("error %v (%T), want an *APIError", err, err)
			}
			w := tc.want
			if got.Operation != "getCustomerBalance" || got.StatusCode != w.StatusCode || got.Code != w.Code || got.Type != w.Type ||
				got.RequestID != w.RequestID || got.DocumentationURL != w.DocumentationURL || got.RetryAfter != w.RetryAfter || got.Attempts != 1 {
				t.Errorf("got %+v\nwant %+v", *got, w)
			}
			if !strings.Contains(got.Message, tc.wantInMsg) || !strings.Contains(got.Error(), tc.wantInMsg) {
				t.Errorf("message %q / error %q lacks %q", got.Message, got.Error(), tc.wantInMsg)
			}
			if !strings.HasPrefix(string(got.Body), string(w.Body)) {
				t.Errorf("body %q, want it to start with %q", got.Body, w.Body)
			}
		})
	}
}

// TestErrorsIs: each sentinel matches exactly the refusals callers branch
// on it for.
func TestErrorsIs(t *testing.T) {
	sentinels := []error{
		client.ErrUnauthorized, client.ErrDuplicateTransaction, client.ErrAlreadyApplied, client.ErrInsufficientBalance,
		client.ErrRateLimited, client.ErrValidation, client.ErrNotFound, client.ErrServer,
	}
	cases := []struct {
		name string
		err  client.APIError
		is   []error
	}{
		{"1000 missing apikey", client.APIError{StatusCode: 401, Code: 1000}, []error{client.ErrUnauthorized}},
		{"1001 wrong secretkey", client.APIError{StatusCode: 401, Code: 1001}, []error{client.ErrUnauthorized}},
		{"401 without a body", client.APIError{StatusCode: 401}, []error{client.ErrUnauthorized}},
		{"9004 replayed transactionId", client.APIError{StatusCode: 422, Code: 9004}, []error{client.ErrDuplicateTransaction}},
		{"9004 after an attempt that landed", client.APIError{StatusCode: 422, Code: 9004, AlreadyApplied: true}, []error{client.ErrAlreadyApplied}},
		{"9008 insufficient balance", client.APIError{StatusCode: 422, Code: 9008}, []error{client.ErrInsufficientBalance}},
		{"429", client.APIError{StatusCode: 429, Code: 4029}, []error{client.ErrRateLimited}},
		{"429 without a body", client.APIError{StatusCode: 429}, []error{client.ErrRateLimited}},
		{"3000 missing argument", client.APIError{StatusCode: 400, Code: 3000}, []error{client.ErrValidation}},
		{"3003 invalid value", client.APIError{StatusCode: 422, Code: 3003}, []error{client.ErrValidation}},
		{"3013 not JSON", client.APIError{StatusCode: 415, Code: 3013}, []error{client.ErrValidation}},
		{"413 from a proxy", client.APIError{StatusCode: 413}, []error{client.ErrValidation}},
		{"9007 future time is its own code", client.APIError{StatusCode: 422, Code: 9007}, nil},
		{"7000 customer not found", client.APIError{StatusCode: 404, Code: 7000}, []error{client.ErrNotFound}},
		{"4004 batch not found", client.APIError{StatusCode: 404, Code: 4004}, []error{client.ErrNotFound}},
		{"500", client.APIError{StatusCode: 500, Code: 5000}, []error{client.ErrServer}},
		{"502 HTML", client.APIError{StatusCode: 502}, []error{client.ErrServer}},
		{"503", client.APIError{StatusCode: 503, Code: 5003}, []error{client.ErrServer}},
		{"a batch item refused with 9008", client.APIError{Code: 9008}, []error{client.ErrInsufficientBalance}},
		{"a batch item refused with 7000", client.APIError{Code: 7000}, []error{client.ErrNotFound}},
	}
	for _, tc := range cases {
		for _, s := range sentinels {
			want := false
			for _, w := range tc.is {
				want = want || w == s
			}
			// Wrapped, as a batch submission wraps it.
			err := fmt.Errorf("submitting: %w", &tc.err)
			if got := errors.Is(err, s); got != want {
				t.Errorf("%s: errors.Is(%v) = %v, want %v", tc.name, s, got, want)
			}
		}
	}
}

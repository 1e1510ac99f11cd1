package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// The cases callers branch on. Match them with errors.Is on any error a
// Client method returns; errors.As with an *APIError gives the details.
var (
	// ErrUnauthorized: a missing or wrong apikey (1000) or secretkey (1001).
	ErrUnauthorized = errors.New("gameball: unauthorized")
	// ErrDuplicateTransaction: the transactionId was used before this call
	// (9004). See ErrAlreadyApplied for the case where this call's own
	// earlier attempt used it.
	ErrDuplicateTransaction = errors.New("gameball: duplicate transaction")
	// ErrAlreadyApplied: a retried write was refused as a duplicate (9004)
	// after an earlier attempt of the same call failed in a way that may
	// have come after Gameball applied it (a lost answer, a 500). The write
	// was then applied once, by that attempt; only its answer (points
	// awarded, Gameball's transaction id) was lost. Read it back (the
	// customer's balance) if you need it; do not write again.
	ErrAlreadyApplied = errors.New("gameball: already applied by an earlier attempt")
	// ErrInsufficientBalance: a deduction larger than the available
	// points (9008).
	ErrInsufficientBalance = errors.New("gameball: insufficient points balance")
	// ErrRateLimited: HTTP 429, once the retry policy is spent (or at once
	// for adjustBalanceBatch, which is never replayed). APIError.RetryAfter
	// says how long Gameball asked to wait.
	ErrRateLimited = errors.New("gameball: rate limited")
	// ErrValidation: Gameball refused the payload itself: a payload error
	// (3xxx: missing or null argument, invalid value, limit exceeded, not
	// JSON, malformed JSON), or a 400, 413, 415 or 422 without Gameball's
	// error object. Rule refusals such as 9007 (transaction time in the
	// future) are told apart by APIError.Code.
	ErrValidation = errors.New("gameball: validation failed")
	// ErrNotFound: HTTP 404: an unknown batch (4004), customer (7000) or
	// transaction (9002).
	ErrNotFound = errors.New("gameball: not found")
	// ErrServer: a 5xx, once the retry policy is spent (or at once where a
	// replay is not safe), whether from Gameball or from a proxy before it.
	ErrServer = errors.New("gameball: server error")
	// ErrNotProcessed: a batch item the job ended without reporting on
	// (it was stopped, or failed, before the item ran).
	ErrNotProcessed = errors.New("gameball: batch item not processed")
	// ErrUndecodableResponse: Gameball answered 2xx, so the call was
	// applied (a write's points were awarded or deducted, a batch job was
	// started), but the body could not be decoded into the answer's type.
	// Do not send the write again: a retry would be refused as a duplicate
	// (ErrDuplicateTransaction) or, for a balance adjustment, applied
	// twice. Read the state back instead (the customer's balance, the
	// batch's status). errors.As with an *UndecodableResponseError gives
	// the status and the start of the body.
	ErrUndecodableResponse = errors.New("gameball: answer not decodable (the call was applied)")
)

// maxBodySample bounds the body an *UndecodableResponseError keeps: enough
// to see what came back, not a copy of a 16 MiB answer per error.
const maxBodySample = 1024

// UndecodableResponseError is a 2xx answer whose body did not decode: the
// call was applied, only its answer is lost (see ErrUndecodableResponse).
type UndecodableResponseError struct {
	// Operation is the operationId of the call ("rewardCashback").
	Operation string
	// StatusCode is the HTTP status, a 2xx.
	StatusCode int
	// ContentType is the answer's Content-Type header.
	ContentType string
	// Attempts is how many attempts the call made, retries included.
	Attempts int
	// Body is the start of the answer's body, at most 1 KiB of it.
	Body []byte
	// BodyLength is the whole body's length in bytes.
	BodyLength int
	// Err is the decoder's error.
	Err error
}

func newUndecodableError(info callInfo, resp *http.Response, body []byte, err error) *UndecodableResponseError {
	return &UndecodableResponseError{
		Operation:   info.op.ID,
		StatusCode:  resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"),
		Attempts:    info.attempts,
		Body:        bytes.Clone(body[:min(len(body), maxBodySample)]),
		BodyLength:  len(body),
		Err:         err,
	}
}

// Error says what came back and that the call was applied.
func (e *UndecodableResponseError) Error() string {
	return fmt.Sprintf("gameball: %s: %d answer (%d bytes) not decodable, but the call was applied: %v", e.Operation, e.StatusCode, e.BodyLength, e.Err)
}

// Is matches ErrUndecodableResponse.
func (e *UndecodableResponseError) Is(target error) bool { return target == ErrUndecodableResponse }

// Unwrap is the decoder's error.
func (e *UndecodableResponseError) Unwrap() error { return e.Err }

// ErrorCode is one of Gameball's error codes, the "code" member of its error
// object: APIError.Code. The constants (ErrorCodeDuplicateTransaction, ...)
// are generated from the table the mock server answers with; errors.Is with
// the Err... values above matches the cases most callers branch on.
type ErrorCode int

// APIError is a refusal: an answer other than 2xx, decoded from Gameball's
// error object where the body is one, or a batch item that failed. An
// answer that is not Gameball's error object (an HTML 502 from a proxy, an
// empty 503) is an APIError too, with Code 0 and the raw Body.
type APIError struct {
	// Operation is the operationId of the call ("rewardCashback").
	Operation string
	// StatusCode is the HTTP status; 0 for a batch item.
	StatusCode int
	// Code is Gameball's error code (ErrorCodeDuplicateTransaction,
	// ErrorCodeInsufficientBalance, ...); 0 when the answer was not
	// Gameball's error object.
	Code ErrorCode
	// Type is the code's category ("TransactionError").
	Type string
	// Message is Gameball's explanation, or a description of an answer
	// that was not the error object.
	Message string
	// DocumentationURL is where Gameball documents the error, if it said.
	DocumentationURL string
	// RequestID identifies the request to Gameball's support.
	RequestID string
	// RetryAfter is the wait a 429 or 503 asked for in its Retry-After
	// header; 0 when it did not ask.
	RetryAfter time.Duration
	// Attempts is how many attempts the call made, retries included.
	Attempts int
	// AlreadyApplied marks a duplicate refusal (9004) that most likely met
	// this call's own earlier attempt; see ErrAlreadyApplied.
	AlreadyApplied bool
	// Body is the answer's raw body.
	Body []byte
}

// Error describes the refusal in one line.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "gameball: %s: ", e.Operation)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, "%d ", e.StatusCode)
	} else {
		b.WriteString("item refused: ")
	}
	if e.Code != 0 {
		fmt.Fprintf(&b, "%s %d: ", e.Type, e.Code)
	}
	b.WriteString(e.Message)
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (requestId %s)", e.RequestID)
	}
	if e.AlreadyApplied {
		fmt.Fprintf(&b, "; an earlier of %d attempts was most likely applied", e.Attempts)
	} else if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	return b.String()
}

// Is matches the sentinel errors above.
func (e *APIError) Is(target error) bool {
	status := e.StatusCode
	if status == 0 && errcode.Code(e.Code).Known() {
		status = errcode.Code(e.Code).Status() // a batch item: the status the code goes with
	}
	switch target {
	case ErrUnauthorized:
		return status == http.StatusUnauthorized
	case ErrDuplicateTransaction:
		return e.Code == ErrorCodeDuplicateTransaction && !e.AlreadyApplied
	case ErrAlreadyApplied:
		return e.AlreadyApplied
	case ErrInsufficientBalance:
		return e.Code == ErrorCodeInsufficientBalance
	case ErrRateLimited:
		return status == http.StatusTooManyRequests
	case ErrValidation:
		if e.Code != 0 {
			return e.Code/1000 == 3
		}
		switch status {
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity:
			return true
		}
	case ErrNotFound:
		return status == http.StatusNotFound
	case ErrServer:
		return status >= 500
	}
	return false
}

// newAPIError decodes a refusal. Gameball's error object gives code, type,
// message and requestId; anything else keeps the status and the raw body.
func newAPIError(info callInfo, resp *http.Response, body []byte, now time.Time) *APIError {
	e := &APIError{
		Operation:  info.op.ID,
		StatusCode: resp.StatusCode,
		Attempts:   info.attempts,
		Body:       body,
	}
	if d, ok := retryAfter(resp.Header, now); ok {
		e.RetryAfter = d
	}
	var obj GameballError
	if json.Unmarshal(body, &obj) == nil && (obj.Code != 0 || obj.Message != "") {
		e.Code, e.Type, e.Message = ErrorCode(obj.Code), obj.Type, obj.Message
		e.DocumentationURL, e.RequestID = obj.DocumentationURL, obj.RequestID
		if e.Type == "" && e.Code != 0 {
			e.Type = errcode.Code(e.Code).Type()
		}
	} else {
		e.Message = describeBody(resp, body)
	}
	e.AlreadyApplied = info.mayHaveLanded && info.op.ReplaySafe && e.Code == ErrorCodeDuplicateTransaction
	return e
}

// describeBody says what an answer that is not the error object was.
func describeBody(resp *http.Response, body []byte) string {
	text := http.StatusText(resp.StatusCode)
	if text == "" {
		text = "unexpected status"
	}
	if len(body) == 0 {
		return text + " (empty body)"
	}
	media, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if media == "" {
		media = "no content type"
	}
	return fmt.Sprintf("%s (a %d-byte %s body, not Gameball's error object)", text, len(body), media)
}

// itemError is a failed batch item as an *APIError, so errors.Is works on
// it as on a call's refusal. An item of a job whose submission was retried
// after an attempt that may have landed is marked AlreadyApplied when it
// is a duplicate: the lost job most likely applied it.
func itemError(job BatchJob, e BatchItemError) *APIError {
	code := e.Code
	out := &APIError{
		Operation: job.Operation,
		Code:      code,
		Type:      e.Type,
		Message:   e.Message,
	}
	if out.Type == "" && code != 0 {
		out.Type = errcode.Code(code).Type()
	}
	out.AlreadyApplied = job.Replayed && code == ErrorCodeDuplicateTransaction
	return out
}

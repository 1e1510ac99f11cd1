// Package errcode is Gameball's table of error codes: each code's HTTP status
// and category, as Gameball's API reference lists them. The mock server
// answers with it and the client decodes with it, so both read one table;
// `go generate` writes the client's exported ErrorCode constants from this
// file (internal/cmd/errcodes), so a code added here reaches users too.
// It also holds the documented limit whose breach is LimitExceeded, so the
// client's splitting and the engine's refusal read one number.
package errcode

// MaxBatchItems is the most items Gameball takes in one batch job (its
// batch pages); more are refused with LimitExceeded.
const MaxBatchItems = 1000

// Code is a Gameball error code, the "code" member of the error object.
type Code int

// The codes that matter for the cashback and points operations.
const (
	Unauthorized                Code = 1000 // missing or wrong apikey
	SecretKeyRequired           Code = 1001 // missing or wrong secretkey
	Forbidden                   Code = 1002
	PreconditionFailed          Code = 2000
	CustomerBusy                Code = 2001 // another request for the same customer is in progress
	MissingArgument             Code = 3000 // a required argument is missing
	NullArgument                Code = 3001 // null passed for a required argument
	InvalidValue                Code = 3003
	LimitExceeded               Code = 3011
	NotSupported                Code = 3013 // e.g. a body that is not JSON
	InvalidPayload              Code = 3016 // malformed JSON
	NotFound                    Code = 4004
	RateLimited                 Code = 4029 // gameball-go's code for HTTP 429, which Gameball answers without one
	InternalError               Code = 5000
	ServiceUnavailable          Code = 5003
	GameballDisabled            Code = 6000
	CashbackDisabled            Code = 6001
	CustomerNotFound            Code = 7000
	TransactionNonReversible    Code = 9000 // the transaction cannot be reversed
	TransactionAlreadyCancelled Code = 9001 // the transaction was cancelled before
	TransactionNotFound         Code = 9002
	DuplicateTransaction        Code = 9004 // the transactionId was used before
	HoldNotFound                Code = 9006 // no such points hold
	InvalidTransactionTime      Code = 9007 // e.g. in the future
	InsufficientBalance         Code = 9008
)

var statuses = map[Code]int{
	Unauthorized:                401,
	SecretKeyRequired:           401,
	Forbidden:                   403,
	PreconditionFailed:          412,
	CustomerBusy:                422,
	MissingArgument:             400,
	NullArgument:                422,
	InvalidValue:                422,
	LimitExceeded:               422,
	NotSupported:                415,
	InvalidPayload:              400,
	NotFound:                    404,
	RateLimited:                 429,
	InternalError:               500,
	ServiceUnavailable:          503,
	GameballDisabled:            422,
	CashbackDisabled:            422,
	CustomerNotFound:            404,
	TransactionNonReversible:    422,
	TransactionAlreadyCancelled: 422,
	TransactionNotFound:         404,
	DuplicateTransaction:        422,
	HoldNotFound:                404,
	InvalidTransactionTime:      422,
	InsufficientBalance:         422,
}

// Status is the HTTP status Gameball answers with code; 500 for a code it does not list.
func (c Code) Status() int {
	if s, ok := statuses[c]; ok {
		return s
	}
	return 500
}

// Known reports whether c is in the table.
func (c Code) Known() bool {
	_, ok := statuses[c]
	return ok
}

// Type is the category name of c, from its thousands.
func (c Code) Type() string {
	switch c / 1000 {
	case 1:
		return "AuthenticationError"
	case 2:
		return "RequestError"
	case 3:
		return "PayloadError"
	case 4:
		return "GeneralError"
	case 5:
		return "ServerError"
	case 6:
		return "ConfigurationError"
	case 7:
		return "CustomerError"
	case 8:
		return "SubscriptionError"
	case 9:
		return "TransactionError"
	}
	return "Error"
}

// ForStatus is the code gameball-go answers with when all it has is an HTTP
// status (a fault injected for a status, say).
func ForStatus(status int) Code {
	switch status {
	case 400:
		return MissingArgument
	case 401:
		return Unauthorized
	case 403:
		return Forbidden
	case 404:
		return NotFound
	case 412:
		return PreconditionFailed
	case 413:
		return LimitExceeded
	case 415:
		return NotSupported
	case 422:
		return InvalidValue
	case 429:
		return RateLimited
	case 503:
		return ServiceUnavailable
	}
	return InternalError
}

package mockserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/internal/errcode"
	"github.com/gbkit/gameball-go/loyalty"
)

// documentationURL is where Gameball documents its error codes.
const documentationURL = "https://docs.gameball.co/api-reference/errors"

// apiError is a refusal answered with Gameball's error object.
type apiError struct {
	status  int
	code    errcode.Code
	message string
	typ     string // the error object's type; empty: the code's category
}

func (e *apiError) Error() string { return e.message }

// newError is an apiError with the code's usual status.
func newError(code errcode.Code, format string, args ...any) *apiError {
	return &apiError{status: code.Status(), code: code, message: fmt.Sprintf(format, args...)}
}

// asAPIError maps anything a handler returns to the error object's terms. A
// rule's refusal keeps its code; anything else is the server's fault.
func asAPIError(err error) *apiError {
	if ae, ok := errors.AsType[*apiError](err); ok {
		return ae
	}
	if le, ok := errors.AsType[*loyalty.Error](err); ok {
		return &apiError{status: le.Code.Status(), code: le.Code, message: le.Message}
	}
	return newError(errcode.InternalError, "internal error: %v", err)
}

// writeError answers r with Gameball's error object.
func writeError(w http.ResponseWriter, r *http.Request, e *apiError) {
	body := client.GameballError{
		Code:             int(e.code),
		Type:             e.code.Type(),
		Message:          e.message,
		DocumentationURL: documentationURL,
	}
	if e.typ != "" {
		body.Type = e.typ
	}
	if x := exchangeFrom(r.Context()); x != nil {
		if x.closed {
			return // a fault rule closed the connection
		}
		body.RequestID = x.requestID
		body.Message = x.redact.text(body.Message)
		x.err = e
	}
	w.Header().Set("Content-Type", "application/json")
	if e.status == http.StatusTooManyRequests || e.status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(body)
}

// deref reads an optional field of the control API's models, which keep
// pointers (spec/controldoc is generated without prefer-skip-optional-pointer).
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

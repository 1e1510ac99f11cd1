package loyalty

import (
	"fmt"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// refuse is a rule's refusal: an *Error with a code and a message that names
// the field and the value at fault.
func refuse(code errcode.Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// errClosed answers calls that would need the batch workers after Close.
func errClosed() *Error {
	return refuse(errcode.ServiceUnavailable, "the loyalty engine is closed")
}

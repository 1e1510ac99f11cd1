package mockserver

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gbkit/gameball-go/loyalty"
)

// exchange is what the layers of the server learn about one request. It
// travels in the request's context, and each field has one layer that
// writes it, named beside it; the others only read.
type exchange struct {
	requestID string           // ServeHTTP
	started   time.Time        // ServeHTTP
	redact    *redactor        // ServeHTTP: the server's
	body      []byte           // readBody (body.go): the request body as sent
	malformed *apiError        // readBody: a JSON body that is not one value of valid UTF-8
	v41       bool             // apiVersion (version.go): called under /api/v4.1/integrations/, every operation needs both keys
	account   *loyalty.Account // the validator's authentication (validate.go)
	operation string           // recordOperation, the outermost strict middleware (server.go)
	request   any              // recordOperation: the generated RequestObject, once validated
	faults    []string         // the fault middleware (faults.go): ids of the rules that fired
	closed    bool             // the fault middleware: a rule closed the connection, nothing more to write
	err       *apiError        // writeError (errors.go): the refusal answered
	// record journals the exchange, once (journal.capture sets it); a
	// fault that closes the connection calls it before closing, so a
	// client that sees the connection drop finds the exchange in the
	// journal at once.
	record func()
}

// journal records the exchange unless it is recorded already.
func (x *exchange) journal() {
	if x.record != nil {
		record := x.record
		x.record = nil
		record()
	}
}

type exchangeKey struct{}

func withExchange(ctx context.Context, x *exchange) context.Context {
	return context.WithValue(ctx, exchangeKey{}, x)
}

func exchangeFrom(ctx context.Context) *exchange {
	x, _ := ctx.Value(exchangeKey{}).(*exchange)
	return x
}

// requestIDs numbers requests; the boot time keeps ids of two runs apart.
type requestIDs struct {
	prefix string
	next   atomic.Uint64
}

func newRequestIDs() *requestIDs {
	return &requestIDs{prefix: fmt.Sprintf("mock-%x", time.Now().UnixNano()&0xffffffffff)}
}

func (ids *requestIDs) new() string {
	return ids.prefix + "-" + strconv.FormatUint(ids.next.Add(1), 10)
}

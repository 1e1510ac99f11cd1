package mockserver

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/gbkit/gameball-go/loyalty"
)

// exchange is what the layers of the server learn about one request: the
// validator's authentication sets the account, the strict middleware the
// operation and the typed request, the fault rules what they did, writeError
// the refusal. It travels in the request's context.
type exchange struct {
	requestID string
	started   time.Time
	account   *loyalty.Account
	operation string
	request   any // the generated RequestObject, once validated
	err       *apiError
	faults    []string // ids of the fault rules that fired
	closed    bool     // a fault rule closed the connection: nothing more to write
	redact    *redactor
	v41       bool // called under /api/v4.1/integrations/: every operation needs both keys
	// record journals the exchange, once; a fault that closes the connection
	// calls it before closing, so a client that sees the connection drop
	// finds the exchange in the journal at once.
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
	return fmt.Sprintf("%s-%d", ids.prefix, ids.next.Add(1))
}

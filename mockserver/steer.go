package mockserver

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
	"github.com/gbkit/gameball-go/internal/gameballserver"
	"github.com/gbkit/gameball-go/internal/optable"
)

// maxSteeredDelay bounds the latency one request may ask for.
const maxSteeredDelay = 30 * time.Second

// Per-request steering, in the spirit of Prism's Prefer header: a valid,
// authenticated request may ask for one of its operation's documented error
// statuses, or for latency, without setting up a fault rule:
//
//	Prefer: code=503
//	Prefer: delay=250ms
//	Prefer: code=422, delay=1s
type steering struct {
	code  int
	delay time.Duration
}

// parseSteering reads the Prefer header's code and delay preferences and
// ignores the others (RFC 7240 lets a server ignore what it does not know).
func parseSteering(r *http.Request) (steering, error) {
	var st steering
	for _, header := range r.Header.Values("Prefer") {
		for pref := range strings.SplitSeq(header, ",") {
			name, value, _ := strings.Cut(strings.TrimSpace(pref), "=")
			value = strings.Trim(strings.TrimSpace(value), `"`)
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "code":
				code, err := strconv.Atoi(value)
				if err != nil || code < 200 || code > 599 {
					return st, fmt.Errorf("Prefer: code=%s is not an HTTP status", value)
				}
				st.code = code
			case "delay":
				d, err := time.ParseDuration(value)
				if err != nil {
					ms, msErr := strconv.Atoi(value) // a bare number is milliseconds
					if msErr != nil {
						return st, fmt.Errorf("Prefer: delay=%s is not a duration (250ms, 1s)", value)
					}
					d = time.Duration(ms) * time.Millisecond
				}
				if d < 0 || d > maxSteeredDelay {
					return st, fmt.Errorf("Prefer: delay=%s is outside 0..%s", value, maxSteeredDelay)
				}
				st.delay = d
			}
		}
	}
	return st, nil
}

// operationNamed is the row of the operations table a generated strict
// middleware was given the name of (the operationId as a Go identifier).
// A name the table lacks, which go generate makes impossible, keeps its
// name and documents nothing, so nothing can be steered to a status.
func operationNamed(goName string) optable.Operation {
	if op, ok := optable.ByGoName(goName); ok {
		return op
	}
	return optable.Operation{ID: goName}
}

// steer applies the request's Prefer header before the operation runs. A
// forced error status answers in place of the operation, which then changes
// nothing.
func steer(next gameballserver.StrictHandlerFunc, operationID string) gameballserver.StrictHandlerFunc {
	op := operationNamed(operationID)
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, request any) (any, error) {
		st, err := parseSteering(r)
		if err != nil {
			return nil, newError(errcode.InvalidValue, "%v", err)
		}
		if st.delay > 0 {
			select {
			case <-time.After(st.delay):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		if st.code == 0 || st.code == http.StatusOK {
			return next(ctx, w, r, request)
		}
		if !slices.Contains(op.Statuses, st.code) {
			return nil, newError(errcode.InvalidValue, "Prefer: code=%d is not a documented status of %s (documented: %v)", st.code, op.ID, op.Statuses)
		}
		code := errcode.ForStatus(st.code)
		return nil, &apiError{status: st.code, code: code, message: fmt.Sprintf("%s answered with %d as the Prefer header asked", op.ID, st.code)}
	}
}

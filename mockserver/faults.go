package mockserver

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
	"github.com/gbkit/gameball-go/internal/gameballserver"
	"github.com/gbkit/gameball-go/internal/optable"
	"github.com/gbkit/gameball-go/mockserver/control"
)

// maxFaultLatency bounds the latency a fault rule may add.
const maxFaultLatency = 60 * time.Second

// AnyOperation is the operation of a fault rule that matches every operation.
const AnyOperation = "*"

// faultRules are the fault rules, in the order they are tried.
type faultRules struct {
	mu     sync.Mutex
	rules  []*faultRule
	lastID int
	// roll answers a number in [0, 1) for probabilities, and pick one in
	// [0, n) for latency ranges; tests replace them to be deterministic.
	roll func() float64
	pick func(n int64) int64
}

func newFaultRules() *faultRules {
	return &faultRules{roll: rand.Float64, pick: rand.Int64N}
}

// faultRule is a rule as created, with what it has done since.
type faultRule struct {
	spec       control.FaultRuleInput
	id         string
	created    time.Time
	status     int
	err        *apiError
	minLatency time.Duration
	maxLatency time.Duration
	close      bool
	remaining  int // matches left to fire for; -1: unlimited
	hits       int
}

// compileFault checks a rule the schema allows for what it cannot say: that
// the rule does something, that its operation exists, that its latencies
// parse and its status and error agree.
func compileFault(in control.FaultRuleInput) (*faultRule, error) {
	r := &faultRule{spec: in, remaining: -1, close: deref(in.CloseConnection)}
	if _, ok := optable.ByID(in.Operation); in.Operation != AnyOperation && !ok {
		return nil, newError(errcode.InvalidValue, "operation: %q is not an operation of the Gameball API; use one of %s, or %s for every operation",
			in.Operation, strings.Join(optable.IDs(), ", "), AnyOperation)
	}
	if in.Status != nil {
		r.status = *in.Status
		code := errcode.ForStatus(r.status)
		r.err = &apiError{status: r.status, code: code, message: fmt.Sprintf("fault injected by the mock: %s answered %d", in.Operation, r.status)}
	}
	if e := in.Error; e != nil {
		if in.Status == nil {
			return nil, newError(errcode.InvalidValue, "error: needs a status to answer with")
		}
		if e.Code != nil {
			if *e.Code < 1000 || *e.Code > 9999 {
				return nil, newError(errcode.InvalidValue, "error.code: %d is not a Gameball error code (1000 to 9999)", *e.Code)
			}
			r.err.code = errcode.Code(*e.Code)
		}
		r.err.typ = deref(e.Type)
		if e.Message != nil {
			r.err.message = *e.Message
		}
	}
	if r.close && r.status != 0 {
		return nil, newError(errcode.InvalidValue, "closeConnection: a rule either closes the connection or answers a status, not both")
	}
	if l := in.Latency; l != nil {
		var err error
		if r.minLatency, r.maxLatency, err = parseLatency(*l); err != nil {
			return nil, newError(errcode.InvalidValue, "latency: %v", err)
		}
	}
	if r.status == 0 && !r.close && r.maxLatency == 0 {
		return nil, newError(errcode.InvalidValue, "the rule does nothing: give it a status, a latency or closeConnection")
	}
	if in.Times != nil {
		r.remaining = *in.Times
	}
	return r, nil
}

func parseLatency(l control.Latency) (lo, hi time.Duration, err error) {
	parse := func(field string, s *string) (time.Duration, error) {
		d, err := time.ParseDuration(deref(s))
		if err != nil {
			return 0, fmt.Errorf("%s: %q is not a duration (250ms, 2s)", field, deref(s))
		}
		if d < 0 || d > maxFaultLatency {
			return 0, fmt.Errorf("%s: %s is outside 0..%s", field, d, maxFaultLatency)
		}
		return d, nil
	}
	switch {
	case l.Fixed != nil && l.Min == nil && l.Max == nil:
		lo, err = parse("fixed", l.Fixed)
		return lo, lo, err
	case l.Fixed == nil && l.Min != nil && l.Max != nil:
		if lo, err = parse("min", l.Min); err != nil {
			return 0, 0, err
		}
		if hi, err = parse("max", l.Max); err != nil {
			return 0, 0, err
		}
		if hi < lo {
			return 0, 0, fmt.Errorf("max %s is less than min %s", hi, lo)
		}
		return lo, hi, nil
	}
	return 0, 0, fmt.Errorf("give either fixed, or min and max")
}

func (f *faultRules) add(r *faultRule) control.FaultRule {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastID++
	r.id = "f" + strconv.Itoa(f.lastID)
	r.created = time.Now().UTC()
	f.rules = append(f.rules, r)
	return r.view()
}

func (f *faultRules) list() []control.FaultRule {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]control.FaultRule, 0, len(f.rules))
	for _, r := range f.rules {
		out = append(out, r.view())
	}
	return out
}

func (f *faultRules) get(id string) (control.FaultRule, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.rules {
		if r.id == id {
			return r.view(), true
		}
	}
	return control.FaultRule{}, false
}

func (f *faultRules) remove(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(f.rules)
	f.rules = slices.DeleteFunc(f.rules, func(r *faultRule) bool { return r.id == id })
	return len(f.rules) < n
}

// clear deletes every rule and answers how many there were. Ids go on from
// where they were, so an old id never names a new rule.
func (f *faultRules) clear() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(f.rules)
	f.rules = nil
	return n
}

func (r *faultRule) view() control.FaultRule {
	in := r.spec
	out := control.FaultRule{
		ID: r.id, Operation: in.Operation, Account: in.Account, CustomerID: in.CustomerID,
		Status: in.Status, Error: in.Error, Latency: in.Latency, CloseConnection: in.CloseConnection,
		Times: in.Times, Probability: in.Probability, Hits: r.hits, CreatedAt: r.created,
	}
	if r.remaining >= 0 {
		out.Remaining = new(r.remaining)
	}
	return out
}

// faultPlan is what the rules that fired for a request ask of it.
type faultPlan struct {
	ids   []string
	delay time.Duration
	err   *apiError // answer this instead of running the operation
	close bool      // close the connection instead of answering
}

// match tries the rules for one request. customers is called only when a
// rule needs the request's customerIds.
func (f *faultRules) match(operation, account string, customers func() []string) *faultPlan {
	f.mu.Lock()
	defer f.mu.Unlock()
	var plan *faultPlan
	var ids []string
	idsKnown := false
	for _, r := range f.rules {
		in := r.spec
		if r.remaining == 0 ||
			(in.Operation != AnyOperation && in.Operation != operation) ||
			(in.Account != nil && *in.Account != account) {
			continue
		}
		if in.CustomerID != nil {
			if !idsKnown {
				ids, idsKnown = customers(), true
			}
			if !slices.Contains(ids, *in.CustomerID) {
				continue
			}
		}
		decides := r.status != 0 || r.close
		if decides && plan != nil && (plan.err != nil || plan.close) {
			continue // the answer is decided; this rule is not used up
		}
		if p := in.Probability; p != nil && f.roll() >= *p {
			continue
		}
		if plan == nil {
			plan = &faultPlan{}
		}
		r.hits++
		if r.remaining > 0 {
			r.remaining--
		}
		plan.ids = append(plan.ids, r.id)
		plan.delay += r.minLatency
		if spread := r.maxLatency - r.minLatency; spread > 0 {
			plan.delay += time.Duration(f.pick(int64(spread) + 1))
		}
		if r.status != 0 {
			e := *r.err
			plan.err = &e
		}
		plan.close = plan.close || r.close
	}
	if plan != nil {
		plan.delay = min(plan.delay, maxFaultLatency) // rules' latencies add up to the bound of one
	}
	return plan
}

// middleware is the strict middleware that applies the rules to a valid,
// authenticated request.
func (f *faultRules) middleware(next gameballserver.StrictHandlerFunc, goName string) gameballserver.StrictHandlerFunc {
	operationID := operationNamed(goName).ID
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, request any) (any, error) {
		x := exchangeFrom(ctx)
		account := ""
		if x != nil && x.account != nil {
			account = x.account.Name()
		}
		plan := f.match(operationID, account, func() []string { return customerIDs(request) })
		if plan == nil {
			return next(ctx, w, r, request)
		}
		if x != nil {
			x.faults = plan.ids
		}
		w.Header().Set("X-Mock-Fault", strings.Join(plan.ids, ","))
		if plan.delay > 0 {
			timer := time.NewTimer(plan.delay)
			select {
			case <-timer.C:
			case <-ctx.Done():
				timer.Stop()
				return nil, ctx.Err()
			}
		}
		switch {
		case plan.close:
			if x != nil {
				x.closed = true
				x.journal()
			}
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close()
				return nil, errConnectionClosed
			}
			panic(http.ErrAbortHandler) // no hijacking (HTTP/2): abort the stream instead
		case plan.err != nil:
			return nil, plan.err
		}
		return next(ctx, w, r, request)
	}
}

// errConnectionClosed ends a request whose connection a fault rule closed;
// writeError writes nothing for it.
var errConnectionClosed = newError(errcode.ServiceUnavailable, "the connection was closed by a fault rule")

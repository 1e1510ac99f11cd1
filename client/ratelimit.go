package client

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"

	"golang.org/x/time/rate"
)

// Gameball limits each API resource twice: requests per second, and a quota
// per 30 seconds (docs: api-reference/overview/rate-limiting). Above either
// it answers 429, which the client retries; a client that paces itself does
// not spend its retry budget, or its callers' time, on those.
type bucket struct {
	name      string
	perSecond float64 // Gameball's rate
	per30s    float64 // Gameball's quota
}

// The documented buckets of the operations here. Batch and payment
// operations belong to no listed resource: "Others".
var (
	transactionsBucket   = bucket{"transactions", 30, 360}
	customerReadsBucket  = bucket{"customers GET", 100, 1200}
	customerWritesBucket = bucket{"customers POST", 30, 360}
	othersBucket         = bucket{"others", 30, 360}
)

// bucketOf is the bucket of op, by the resource its path names, so an
// operation added to the spec lands in its resource's bucket without a list
// to keep.
func bucketOf(op operation) bucket {
	_, rest, _ := strings.Cut(op.Path, "/integrations/")
	resource, _, _ := strings.Cut(rest, "/")
	switch resource {
	case "transactions":
		return transactionsBucket
	case "customers":
		if op.Method == http.MethodGet || op.Method == http.MethodHead {
			return customerReadsBucket
		}
		return customerWritesBucket
	}
	return othersBucket
}

// limiter is one token bucket that keeps within both of a bucket's limits,
// scaled by share. A token bucket of burst b refilled at r per second lets
// at most b + r·t requests through in any window of t seconds, so
// b + r ≤ rate and b + 30·r ≤ quota hold both limits:
// r = (quota − rate) / 29, b = ⌊rate − r⌋. For transactions that is a burst
// of 18 and 11.4 requests a second (359 in 30 s, 29 in one).
func (b bucket) limiter(share float64) *rate.Limiter {
	perSecond, per30s := b.perSecond*share, b.per30s*share
	r := (per30s - perSecond) / 29
	burst := max(int(math.Floor(perSecond-r)), 1)
	return rate.NewLimiter(rate.Limit(r), burst)
}

// limits holds a limiter per bucket; nil (RateLimit not given) waits for
// nothing.
type limits struct {
	byBucket map[string]*rate.Limiter
}

func newLimits(share float64) *limits {
	l := &limits{byBucket: map[string]*rate.Limiter{}}
	for _, b := range []bucket{transactionsBucket, customerReadsBucket, customerWritesBucket, othersBucket} {
		l.byBucket[b.name] = b.limiter(share)
	}
	return l
}

// wait blocks until op's bucket has room for one more attempt. It fails at
// once when ctx would end before then, rather than sleeping into the
// deadline.
func (l *limits) wait(ctx context.Context, op operation) error {
	if l == nil {
		return nil
	}
	return l.byBucket[bucketOf(op).name].Wait(ctx)
}

// RateLimit paces the client's calls to stay within Gameball's documented
// rate limits, per bucket (transactions, customer reads, customer writes,
// others: 30 to 100 requests a second, 360 to 1,200 per 30 seconds): each
// attempt, retries included, waits for room in its bucket first. share is
// the part of the account's limits this client may use: 1 when it is the
// account's only client, 0.25 for each of four processes sharing the
// account. A wait that would outlast the call's context deadline fails the
// call at once, before sending. Off by default: Gameball's 429s are retried
// anyway (RetryPolicy), and most programs send far below the limits.
func RateLimit(share float64) Option {
	return func(c *Client) error {
		if !(share > 0 && share <= 1) {
			return errors.New("client: rate limit share must be in (0, 1]")
		}
		c.limits = newLimits(share)
		return nil
	}
}

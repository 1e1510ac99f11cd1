package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy bounds the retries of one call. The client retries a call
// that failed with a network error, a 429 or a 5xx answer, waiting between
// attempts with exponential backoff and full jitter (a uniform random wait
// between 0 and BaseDelay·2ⁿ⁻¹, capped at MaxDelay), or exactly as long as a
// Retry-After header says (in seconds or as an HTTP date).
//
// Only calls the generated operations table marks safe to replay are retried
// once they may have reached Gameball: reads, the writes whose bodies
// require a transactionId (Gameball refuses a second copy with 9004 instead
// of awarding twice), payment cashback calculation and stopping a batch.
// adjustBalanceBatch carries no ids: it is retried only when the connection
// failed before the request was sent.
type RetryPolicy struct {
	// MaxAttempts bounds the attempts of one call, the first included; 1
	// turns retries off.
	MaxAttempts int
	// BaseDelay is the ceiling of the first backoff wait; each further
	// retry doubles it.
	BaseDelay time.Duration
	// MaxDelay caps one backoff wait. It does not cap a Retry-After, which
	// is obeyed as long as MaxTotalDelay allows (retrying sooner would only
	// be refused again).
	MaxDelay time.Duration
	// MaxTotalDelay bounds the sum of the waits of one call: a retry whose
	// wait would exceed it is not made, and the last answer is returned.
	MaxTotalDelay time.Duration
}

// DefaultRetryPolicy is four attempts, backoff ceilings of 0.5s, 1s and 2s
// between them (8s at most for a policy with more attempts), and at most
// 30s of waiting in all: enough to ride out Gameball's per-second and
// per-30-second rate limits without holding a caller for minutes.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, BaseDelay: 500 * time.Millisecond, MaxDelay: 8 * time.Second, MaxTotalDelay: 30 * time.Second}
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	if p.MaxAttempts == 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.BaseDelay == 0 {
		p.BaseDelay = d.BaseDelay
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = max(d.MaxDelay, p.BaseDelay)
	}
	if p.MaxTotalDelay == 0 {
		p.MaxTotalDelay = d.MaxTotalDelay
	}
	return p
}

func (p RetryPolicy) validate() error {
	if p.MaxAttempts < 1 || p.BaseDelay < 0 || p.MaxDelay < p.BaseDelay || p.MaxTotalDelay < 0 {
		return fmt.Errorf("client: invalid retry policy %+v: need MaxAttempts >= 1 and 0 <= BaseDelay <= MaxDelay, MaxTotalDelay >= 0", p)
	}
	return nil
}

// backoff is the wait before retry n (1 for the first retry): full jitter
// under an exponentially growing ceiling, so clients that failed together
// do not come back together.
func (c *Client) backoff(n int) time.Duration {
	ceiling := c.retry.MaxDelay
	if shift := n - 1; shift < 62 && c.retry.BaseDelay<<shift>>shift == c.retry.BaseDelay {
		ceiling = min(ceiling, c.retry.BaseDelay<<shift)
	}
	return c.jitter(ceiling)
}

// retryAfter reads a Retry-After header: delay-seconds or an HTTP date,
// which is measured from now. A date in the past means no wait.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, int64(24*time.Hour/time.Second))) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// landing says whether a failed attempt may have been applied by Gameball.
type landing int

const (
	notSent       landing = iota // the connection failed before the request was written
	refused                      // Gameball answered that it did not take the request (429, 503)
	mayHaveLanded                // the request may have been applied (a lost answer, a 500, a 502)
	hopeless                     // retrying cannot help (a certificate Go will not trust, a redirect loop)
)

// classifyError sorts a transport error. Only a failed dial proves the
// request never left: any later failure may have come after Gameball read
// and applied it.
func classifyError(err error) landing {
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.As(err, &unknownCA), errors.As(err, &hostname), errors.As(err, &invalid), errors.As(err, &verify):
		return hopeless
	}
	var redirect *redirectError
	if errors.As(err, &redirect) {
		return hopeless
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return notSent
	}
	return mayHaveLanded
}

// classifyStatus sorts an answer's status; ok is false for one that is not
// retried at all (2xx, 4xx other than 429).
func classifyStatus(status int) (l landing, ok bool) {
	switch {
	case status == http.StatusTooManyRequests, status == http.StatusServiceUnavailable:
		return refused, true
	case status >= 500:
		return mayHaveLanded, true
	}
	return 0, false
}

// sleepContext waits d, or less when ctx ends first.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// fullJitter is a uniform random duration in [0, ceiling].
func fullJitter(ceiling time.Duration) time.Duration {
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling + 1)
}

package client

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Option configures a Client: BaseURL, HTTPClient, Timeout, Logger, Retries
// and the others below are the one family of options (the low-level client's
// own, gbapi.ClientOption, stays in package gbapi and is set by New).
type Option func(*Client) error

// BaseURL points the client at another server: a staging proxy, or the
// gameball-go mock server (http://127.0.0.1:8741). A path is kept: requests
// go below it.
func BaseURL(baseURL string) Option {
	return func(c *Client) error {
		u, err := url.Parse(strings.TrimSuffix(baseURL, "/"))
		if err != nil {
			return err
		}
		if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
			return errors.New("client: base URL must be an absolute http(s) URL")
		}
		c.baseURL = u
		return nil
	}
}

// HTTPClient sends requests with hc instead of http.DefaultClient. Its
// Transport, Jar, Timeout and redirect policy apply to each attempt, and the
// client never modifies it: it sends with a copy whose transport also drops
// the apikey and secretkey headers from any request to an origin other than
// the base URL's (a redirect elsewhere gets no key), and whose stopped
// redirects (a loop) end the call instead of being retried.
func HTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("client: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// HighSecurity sends the secretkey header with every call, as accounts in
// Gameball's high security mode require.
func HighSecurity() Option {
	return func(c *Client) error {
		c.highSecurity = true
		return nil
	}
}

// Timeout bounds each attempt of a call, reading the answer included
// (DefaultTimeout when not given; 0 for no bound of the client's own). The
// waits between attempts are bounded by RetryPolicy.MaxTotalDelay, and the
// whole call by its context.
func Timeout(d time.Duration) Option {
	return func(c *Client) error {
		if d < 0 {
			return errors.New("client: negative timeout")
		}
		c.timeout = d
		return nil
	}
}

// UserAgent names the application in the User-Agent header, ahead of the
// client's own token: "shop-backend/2.1 gameball-go/v1.0.0". Keeping
// gameball-go's token lets Gameball's support tell which client sent a call.
func UserAgent(product string) Option {
	return func(c *Client) error {
		product = strings.TrimSpace(product)
		if product == "" || strings.ContainsAny(product, "\r\n") {
			return errors.New("client: user agent must be a non-empty single line")
		}
		c.userAgent = product + " gameball-go/" + Version()
		return nil
	}
}

// Logger logs through l: one debug line per attempt, a warning per retry.
// Keys are never logged. Logging is off unless this option is given; nil
// turns it off.
func Logger(l *slog.Logger) Option {
	return func(c *Client) error {
		if l == nil {
			l = slog.New(slog.DiscardHandler)
		}
		c.log = l
		return nil
	}
}

// Retries replaces DefaultRetryPolicy; zero fields of p take the default's
// values. Retries(RetryPolicy{MaxAttempts: 1}) turns retries off.
func Retries(p RetryPolicy) Option {
	return func(c *Client) error {
		p = p.withDefaults()
		if err := p.validate(); err != nil {
			return err
		}
		c.retry = p
		return nil
	}
}

// BatchPolling sets how WaitForBatch polls a job's status: it waits first
// after the first poll that finds the job still running, doubles the wait
// after each further one, and never waits longer than longest. The default
// is 500ms up to 10s.
func BatchPolling(first, longest time.Duration) Option {
	return func(c *Client) error {
		if first <= 0 || longest < first {
			return errors.New("client: batch polling needs 0 < first <= longest")
		}
		c.pollFirst, c.pollMax = first, longest
		return nil
	}
}

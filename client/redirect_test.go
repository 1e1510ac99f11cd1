package client_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/gbkit/gameball-go/client"
)

// redirectTo answers 307 to url plus the request's own path, so the
// redirected request is the same call at another place.
func redirectTo(url string) step {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, url+r.URL.Path, http.StatusTemporaryRedirect)
	}
}

// countingTransport is a caller's own transport: it must still carry the
// requests, and must not be replaced in the caller's client.
type countingTransport struct {
	next  http.RoundTripper
	trips int
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.trips++
	return t.next.RoundTrip(r)
}

// TestKeysStayWithTheBaseOrigin: a 307 from the base URL to another host
// (another port of 127.0.0.1 is another origin) must not deliver either
// key there, whatever http.Client the caller passed; a redirect within the
// base URL's origin keeps them; and the caller's client is not modified.
func TestKeysStayWithTheBaseOrigin(t *testing.T) {
	cases := []struct {
		name      string
		op        string
		elsewhere bool // the redirect leaves the base URL's origin
		hc        func() *http.Client
		opts      []client.Option
	}{
		{"a read redirected to another host, default client", "getCustomerBalance", true, nil, nil},
		{"a write redirected to another host, caller's client", "rewardCashback", true, noKeepAlive, nil},
		{"high security, caller's client with its own redirect policy", "calculatePaymentCashback", true, func() *http.Client {
			hc := noKeepAlive()
			hc.CheckRedirect = func(*http.Request, []*http.Request) error { return nil }
			return hc
		}, []client.Option{client.HighSecurity()}},
		{"a redirect within the base origin keeps the keys", "getCustomerBalance", false, noKeepAlive, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			target, targetURL := serve(t, ok(`{"jobId":1}`))
			base, baseURL := serve(t, redirectTo(targetURL))
			if !tc.elsewhere {
				// The base URL is /proxy on the same server; it redirects below /moved.
				base, baseURL = serve(t, func(w http.ResponseWriter, r *http.Request) {
					if rest, ok := strings.CutPrefix(r.URL.Path, "/proxy"); ok {
						http.Redirect(w, r, "/moved"+rest, http.StatusTemporaryRedirect)
						return
					}
					ok(`{"jobId":1}`)(w, r)
				})
				target = base
				baseURL += "/proxy"
			}
			opts := append([]client.Option{}, tc.opts...)
			var hc *http.Client
			var tr *countingTransport
			if tc.hc != nil {
				hc = tc.hc()
				tr = &countingTransport{next: hc.Transport}
				hc.Transport = tr
				opts = append(opts, client.HTTPClient(hc))
			}
			before := http.Client{}
			if hc != nil {
				before = *hc
			}
			c, err := client.New(testAPIKey, testSecretKey, append([]client.Option{client.BaseURL(baseURL)}, opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			if err := calls[tc.op](context.Background(), c); err != nil {
				t.Fatal(err)
			}
			first, last := base.seen()[0], target.seen()[len(target.seen())-1]
			if first.header.Get("apikey") != testAPIKey {
				t.Errorf("the base URL got apikey %q", first.header.Get("apikey"))
			}
			for _, k := range []string{"apikey", "secretkey"} {
				got := last.header.Get(k)
				if tc.elsewhere && got != "" {
					t.Errorf("the other host got %s %q", k, got)
				}
				if !tc.elsewhere && got != first.header.Get(k) {
					t.Errorf("the redirect within the base origin lost %s: %q, first request had %q", k, got, first.header.Get(k))
				}
			}
			if !tc.elsewhere && !strings.HasPrefix(last.path, "/moved/") {
				t.Errorf("the redirect was not followed: %s", last.path)
			}
			if hc != nil {
				if hc.Transport != before.Transport || (hc.CheckRedirect == nil) != (before.CheckRedirect == nil) || hc.Jar != before.Jar || hc.Timeout != before.Timeout {
					t.Errorf("the caller's *http.Client was modified: %+v, was %+v", *hc, before)
				}
				if tr.trips != 2 {
					t.Errorf("the caller's transport carried %d requests, want 2 (the call and its redirect)", tr.trips)
				}
			}
		})
	}
}

// TestRedirectLoopIsNotRetried: a redirect loop ends the call after one
// attempt's redirects (http.Client's 10, or the caller's own policy), even
// for a read, which a network error would retry: another attempt meets the
// same loop.
func TestRedirectLoopIsNotRetried(t *testing.T) {
	cases := []struct {
		name     string
		policy   func(*http.Request, []*http.Request) error
		requests int
	}{
		{"http.Client's own bound", nil, 10},
		{"the caller's policy", func(_ *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("three redirects are enough")
			}
			return nil
		}, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, url := serve(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, r.URL.Path, http.StatusFound)
			})
			hc := noKeepAlive()
			hc.CheckRedirect = tc.policy
			w := &waits{}
			err := calls["getCustomerBalance"](context.Background(), newClient(t, url, w, client.HTTPClient(hc)))
			var apiErr *client.APIError
			if err == nil || errors.As(err, &apiErr) {
				t.Fatalf("error %v, want the redirect policy's", err)
			}
			if n := len(srv.seen()); n != tc.requests || len(w.slept()) != 0 {
				t.Errorf("%d requests after waits %v; want %d, one attempt, no retry", n, w.slept(), tc.requests)
			}
		})
	}
}

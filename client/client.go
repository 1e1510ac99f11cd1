// Package client is a typed Go client for Gameball's v4.0 cashback and points
// API, generated from Gameball's own documents (see spec/ in the module).
//
// New returns a Client for one account. Its methods named after the
// operations (RewardCashback, GetCustomerBalance, ...) return the decoded
// answer or an error, so the common path is one call:
//
//	c, err := client.New(apiKey, secretKey)
//	res, err := c.RewardCashback(ctx, client.RewardCashbackRequest{...})
//
// Every request, from those methods and from Raw's low-level client alike,
// goes through one pipeline:
//
//   - keys: the apikey header everywhere, the secretkey header only where the
//     operation's documented security asks for it (everywhere with
//     HighSecurity), read from a table generated from the spec;
//   - retries: network errors, 429 and 5xx are retried with exponential
//     backoff and full jitter, obeying Retry-After, within RetryPolicy's
//     bounds, and only where the generated table says a replay is safe;
//   - logging: one debug line per attempt and a warning per retry, never a
//     key;
//   - the keys never go to an origin other than the base URL's, whatever
//     redirects the server sends;
//   - a 2xx JSON answer's integral numbers (50.0) are written as integers
//     before decoding, so fields the spec types integer read them.
//
// Refusals are *APIError values; errors.Is tells the cases apart
// (ErrDuplicateTransaction, ErrInsufficientBalance, ErrRateLimited, ...).
// A retried write whose earlier attempt was applied ends in ErrAlreadyApplied
// rather than in a confusing duplicate error; a 2xx answer that does not
// decode is ErrUndecodableResponse, for a call that was applied. SubmitCashbackRewards,
// SubmitBalanceAdjustments and WaitForBatches run any number of items as
// batch jobs of at most 1,000.
//
// Around the calls: APIError.Code is an ErrorCode, with a constant for each of
// Gameball's codes (ErrorCodeInsufficientBalance, ...); CaptureResponse gives
// a successful call's status and request id; OperationFromContext tells a
// transport under the client (a tracer, a logger) which operation a request
// is; RateLimit paces calls within Gameball's documented limits.
//
// The models (RewardCashbackRequest, CustomerBalance, ...) are generated into
// package client/gbapi with the low-level client, and named here by type
// aliases (models.gen.go, written by internal/cmd/modelalias): client needs
// the low-level client to send, and the mock's server needs the models, so
// one generated package below both avoids an import cycle, while users only
// ever import client. Optional fields are values, not pointers; the few that
// keep a pointer are those where absent and zero mean different things
// (AddManualTransactionRequest's Points, Amount and ExpiryAfter,
// CashbackConfigurations.ReturnWindow, a batch entry's Index). Ids and whole
// points are int64; a batch job id is an int64 everywhere.
//
// To test code that uses the client, package gameballtest starts the
// gameball-go mock in process: srv := gameballtest.NewServer(t), then call
// through srv.Client.
package client

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/gbkit/gameball-go/client/gbapi"
)

// DefaultBaseURL is Gameball's production API.
const DefaultBaseURL = "https://api.gameball.co"

// DefaultTimeout bounds one attempt of a call (sending, waiting, reading the
// answer) unless Timeout says otherwise. A 1,000-item batch is answered with a
// job id at once, so no operation here legitimately takes long.
const DefaultTimeout = 30 * time.Second

// Client is a Gameball API client for one account. It is safe for concurrent
// use.
type Client struct {
	raw          *gbapi.ClientWithResponses
	baseURL      *url.URL
	server       string // baseURL with a trailing slash, as the generated request builders want it
	apiKey       string
	secretKey    string
	highSecurity bool
	v41          bool // API v4.1 (APIv41)
	httpClient   *http.Client
	timeout      time.Duration
	userAgent    string
	log          *slog.Logger
	retry        RetryPolicy
	limits       *limits       // nil: no client-side rate limit
	pollFirst    time.Duration // first wait between two batch status polls
	pollMax      time.Duration // longest wait between two polls

	// Seams, so tests assert delays exactly instead of measuring them.
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(ceiling time.Duration) time.Duration // uniform in [0, ceiling]
	now    func() time.Time
}

// New returns a client for the account with apiKey and secretKey. The secret
// key may be empty when only apikey operations are called (payment cashback
// calculation); operations that need it then fail at Gameball with 401.
//
// Without options the client talks to DefaultBaseURL through
// http.DefaultClient, bounds each attempt by DefaultTimeout, retries as
// DefaultRetryPolicy says and logs nothing.
func New(apiKey, secretKey string, opts ...Option) (*Client, error) {
	if apiKey == "" {
		return nil, errors.New("client: apiKey is required")
	}
	c := &Client{
		apiKey:     apiKey,
		secretKey:  secretKey,
		httpClient: http.DefaultClient,
		timeout:    DefaultTimeout,
		userAgent:  "gameball-go/" + Version(),
		log:        slog.New(slog.DiscardHandler),
		retry:      DefaultRetryPolicy(),
		pollFirst:  500 * time.Millisecond,
		pollMax:    10 * time.Second,
		sleep:      sleepContext,
		jitter:     fullJitter,
		now:        time.Now,
	}
	if err := BaseURL(DefaultBaseURL)(c); err != nil {
		return nil, err
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.v41 {
		c.httpClient = v41Client(c.httpClient)
	}
	c.server = c.baseURL.String() + "/"
	c.httpClient = guardedHTTPClient(c.httpClient, c.baseURL)
	// The generated client sends through the same pipeline as the
	// convenience methods: keys, retries and logging live in one place.
	raw, err := gbapi.NewClientWithResponses(c.server, gbapi.WithHTTPClient(doer{c}))
	if err != nil {
		return nil, err
	}
	c.raw = raw
	return c, nil
}

// RequestEditorFn changes a request before it is sent: a header of your own
// (tracing, or the mock server's Prefer). Every call takes any number; they run
// once, before the first attempt, and cannot change the key headers.
type RequestEditorFn = gbapi.RequestEditorFn

// Raw is the generated client, sending through the same pipeline (keys,
// retries, logging): every documented response of every operation, decoded
// by status, for callers who want full control. Its answers are responses,
// not *APIError values, so what only the convenience methods know (that a
// duplicate met the call's own earlier attempt: ErrAlreadyApplied) is not
// reported through it.
func (c *Client) Raw() *gbapi.ClientWithResponses { return c.raw }

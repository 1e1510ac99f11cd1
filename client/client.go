// Package client is a typed Go client for Gameball's v4.0 cashback and points
// API, generated from Gameball's own documents (see spec/ in the module).
//
// New returns a Client that sends the account's keys as each operation
// requires: the apikey header everywhere, the secretkey header only where the
// operation's documented security asks for it. Raw gives the generated client
// for full control over every documented response.
package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// DefaultBaseURL is Gameball's production API.
const DefaultBaseURL = "https://api.gameball.co"

// Client is a Gameball API client for one account.
type Client struct {
	raw          *ClientWithResponses
	baseURL      *url.URL
	apiKey       string
	secretKey    string
	highSecurity bool
	httpClient   *http.Client
}

// Option configures a Client.
type Option func(*Client) error

// BaseURL points the client at another server: a staging proxy, or the
// gameball-go mock server (http://127.0.0.1:8741).
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

// HTTPClient sends requests with hc instead of http.DefaultClient.
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

// New returns a client for the account with apiKey and secretKey. The secret
// key may be empty when only apikey operations are called (payment cashback
// calculation); operations that need it then fail at Gameball with 401.
func New(apiKey, secretKey string, opts ...Option) (*Client, error) {
	if apiKey == "" {
		return nil, errors.New("client: apiKey is required")
	}
	c := &Client{apiKey: apiKey, secretKey: secretKey, httpClient: http.DefaultClient}
	if err := BaseURL(DefaultBaseURL)(c); err != nil {
		return nil, err
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	raw, err := NewClientWithResponses(c.baseURL.String(),
		WithHTTPClient(c.httpClient),
		WithRequestEditorFn(c.addKeys))
	if err != nil {
		return nil, err
	}
	c.raw = raw
	return c, nil
}

// Raw is the generated client, sending the same keys: every documented
// response of every operation, decoded by status.
func (c *Client) Raw() *ClientWithResponses { return c.raw }

// addKeys sets the key headers the request's operation requires.
func (c *Client) addKeys(_ context.Context, req *http.Request) error {
	op, known := operationFor(req.Method, strings.TrimPrefix(req.URL.Path, c.baseURL.Path))
	// An unknown operation gets both keys: better a key too many than a 401.
	if !known || op.needs("apikey") {
		req.Header.Set("apikey", c.apiKey)
	}
	if c.secretKey != "" && (!known || c.highSecurity || op.needs("secretkey")) {
		req.Header.Set("secretkey", c.secretKey)
	}
	return nil
}

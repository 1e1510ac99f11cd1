package mockserver_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/client/gbapi"
	"github.com/gbkit/gameball-go/gbtime"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
)

// perfMock is a mock server on a loopback port with a typed client, for the
// benchmarks, the fuzz targets, the soak and the limit tests.
type perfMock struct {
	engine    *loyalty.Engine
	server    *mockserver.Server
	http      *httptest.Server
	url       string
	apiKey    string
	secretKey string
	hc        *http.Client
	raw       *gbapi.ClientWithResponses

	ids atomic.Uint64
}

// startPerfMock runs the mock with the default program on 127.0.0.1.
func startPerfMock(tb testing.TB, opts mockserver.Options) *perfMock {
	tb.Helper()
	cfg := loyalty.DefaultConfig()
	engine, srv := newMock(tb, cfg, loyalty.SystemClock{}, opts)
	ts := httptest.NewServer(srv)
	m := &perfMock{
		engine: engine, server: srv, http: ts, url: ts.URL,
		apiKey: cfg.Accounts[0].APIKey, secretKey: cfg.Accounts[0].SecretKey,
		hc: &http.Client{
			Transport: &http.Transport{MaxIdleConnsPerHost: 128, IdleConnTimeout: 30 * time.Second},
			Timeout:   30 * time.Second,
		},
	}
	c, err := client.New(m.apiKey, m.secretKey, client.BaseURL(m.url), client.HTTPClient(m.hc))
	if err != nil {
		tb.Fatal(err)
	}
	m.raw = c.Raw()
	tb.Cleanup(m.close)
	return m
}

// close stops the server and the engine (which newMock's cleanup closes
// again, harmlessly), so the soak test can count goroutines after it.
func (m *perfMock) close() {
	m.hc.CloseIdleConnections()
	m.http.Close()
	m.engine.Close()
}

// account is the default configuration's only account.
func (m *perfMock) account() *loyalty.Account { return m.engine.Accounts()[0] }

// nextID is a transactionId no other request of this mock used.
func (m *perfMock) nextID(prefix string) string {
	return fmt.Sprintf("%s-%d", prefix, m.ids.Add(1))
}

// recent is a transactionTime the future-time rule accepts.
func perfRecent() gbtime.Time {
	return gbtime.New(time.Now().Add(-time.Minute).UTC().Truncate(time.Millisecond))
}

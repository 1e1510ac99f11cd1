package contracttest_test

import (
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/gbkit/gameball-go/contracttest"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/spec"
)

// mock is the in-process mock server every test of this package talks to.
var mock struct {
	url, apiKey, secretKey string

	mu         sync.Mutex
	transports []*contracttest.Transport
}

// covering registers a transport whose exchanges count for the coverage gate.
func covering(tr *contracttest.Transport) *contracttest.Transport {
	mock.mu.Lock()
	defer mock.mu.Unlock()
	mock.transports = append(mock.transports, tr)
	return tr
}

func target() contracttest.Target {
	return contracttest.Target{BaseURL: mock.url, APIKey: mock.apiKey, SecretKey: mock.secretKey, Writes: true}
}

// TestMain starts the mock, runs the tests and then the coverage gate: every
// operation and documented status of the bundled spec must have been
// answered, validated, in some test. It runs only when the whole package
// runs (no -run filter), so a focused run is not failed by what it skipped.
func TestMain(m *testing.M) {
	flag.Parse()
	cfg := loyalty.DefaultConfig()
	engine, err := loyalty.New(cfg, loyalty.SystemClock{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	srv, err := mockserver.New(engine, mockserver.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ts := httptest.NewServer(srv)
	mock.url, mock.apiKey, mock.secretKey = ts.URL, cfg.Accounts[0].APIKey, cfg.Accounts[0].SecretKey

	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && !testing.Short() {
		code = coverageGate()
	}
	ts.Close()
	engine.Close()
	os.Exit(code)
}

func coverageGate() int {
	doc, err := spec.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	mock.mu.Lock()
	seen := contracttest.Merge(mock.transports...)
	mock.mu.Unlock()
	missing := contracttest.Uncovered(doc, seen)
	if len(missing) == 0 {
		return 0
	}
	fmt.Fprintf(os.Stderr, "coverage gate: %d documented operation statuses were never exercised by a test:\n", len(missing))
	for _, m := range missing {
		fmt.Fprintln(os.Stderr, "  -", m)
	}
	fmt.Fprintln(os.Stderr, "Add a test that makes the mock answer each (a new operation or status in the spec needs one).")
	return 1
}

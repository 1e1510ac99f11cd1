package contracttest_test

import (
	"net/http/httptest"
	"testing"

	"github.com/gbkit/gameball-go/contracttest"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
)

// TestMock runs the contract sequence against the mock server in-process,
// writes included.
func TestMock(t *testing.T) {
	cfg := loyalty.DefaultConfig()
	engine, err := loyalty.New(cfg, loyalty.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(engine.Close)
	srv, err := mockserver.New(engine, mockserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)

	account := cfg.Accounts[0]
	contracttest.Run(t, contracttest.Target{
		BaseURL:   ts.URL,
		APIKey:    account.APIKey,
		SecretKey: account.SecretKey,
		Writes:    true,
	})
}

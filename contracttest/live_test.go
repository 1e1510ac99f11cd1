package contracttest_test

import (
	"os"
	"testing"

	"github.com/gbkit/gameball-go/contracttest"
)

// TestLive runs the contract sequence against a real server: Gameball
// itself, a staging proxy, or a mock started elsewhere. It needs
// GAMEBALL_BASE_URL, GAMEBALL_APIKEY and GAMEBALL_SECRETKEY; operations that
// change state run only with GAMEBALL_CONTRACT_WRITES=1.
func TestLive(t *testing.T) {
	base := os.Getenv("GAMEBALL_BASE_URL")
	if base == "" {
		t.Skip("GAMEBALL_BASE_URL is not set: no live server to check (set it with GAMEBALL_APIKEY and GAMEBALL_SECRETKEY)")
	}
	contracttest.Run(t, contracttest.Target{
		BaseURL:   base,
		APIKey:    os.Getenv("GAMEBALL_APIKEY"),
		SecretKey: os.Getenv("GAMEBALL_SECRETKEY"),
		Writes:    os.Getenv("GAMEBALL_CONTRACT_WRITES") == "1",
	})
}

package contracttest_test

import (
	"testing"

	"github.com/gbkit/gameball-go/contracttest"
)

// TestMock runs the contract sequence against the mock server, writes included.
func TestMock(t *testing.T) {
	covering(contracttest.Run(t, target()))
}

// TestMockV41 runs the same sequence against the mock's API v4.1 (Secure
// Integration Mode): one engine and one state behind both versions.
func TestMockV41(t *testing.T) {
	target := target()
	target.V41 = true
	covering(contracttest.Run(t, target))
}

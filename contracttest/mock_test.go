package contracttest_test

import (
	"testing"

	"github.com/gbkit/gameball-go/contracttest"
)

// TestMock runs the contract sequence against the mock server, writes included.
func TestMock(t *testing.T) {
	covering(contracttest.Run(t, target()))
}


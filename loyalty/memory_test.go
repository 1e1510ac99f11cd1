package loyalty

import (
	"fmt"
	"runtime"
	"testing"
)

// BenchmarkHeapPerTransaction reports the live heap each recorded cashback
// costs the engine (ledger entry, its transactionId, indexes), the figure
// the mock's memory grows with: `go test -run '^$' -bench HeapPerTransaction ./loyalty`.
func BenchmarkHeapPerTransaction(b *testing.B) {
	const n = 200_000
	for range b.N {
		_, a, _ := newTestEngine(b, nil)
		before := liveHeap()
		for i := range n {
			if _, err := a.RewardCashback(cashback(fmt.Sprintf("cust_%d", i%4096), fmt.Sprintf("L0-abcdef-%d-%d", i%32, i), 150.75)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(liveHeap()-before)/n, "B/tx")
		runtime.KeepAlive(a)
	}
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

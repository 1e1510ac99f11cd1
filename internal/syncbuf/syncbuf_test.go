package syncbuf

import (
	"strings"
	"sync"
	"testing"
)

// TestConcurrentWrites: under -race, writers and a reader at once, and every
// write kept whole.
func TestConcurrentWrites(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				b.Write([]byte("ab\n"))
				_ = b.String()
			}
		})
	}
	wg.Wait()
	if got := b.String(); strings.Count(got, "ab\n") != 800 || len(got) != 2400 {
		t.Errorf("%d bytes, %d whole writes; want 2400, 800", len(got), strings.Count(got, "ab\n"))
	}
}

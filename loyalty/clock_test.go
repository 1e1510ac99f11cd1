package loyalty

import (
	"sync"
	"testing"
	"time"
)

func TestFakeClock(t *testing.T) {
	c := NewFakeClock(time.Date(2025, 1, 1, 3, 0, 0, 0, time.FixedZone("UTC+3", 3*3600)))
	if got := c.Now(); got.Location() != time.UTC || !got.Equal(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("Now = %s, want midnight UTC", got)
	}
	c.Advance(36 * time.Hour)
	if got := c.Now(); !got.Equal(time.Date(2025, 1, 2, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("after Advance: %s", got)
	}
	c.Set(t0)
	if !c.Now().Equal(t0) {
		t.Fatalf("after Set: %s", c.Now())
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				c.Advance(time.Second)
				_ = c.Now()
			}
		})
	}
	wg.Wait()
	if got := c.Now().Sub(t0); got != 800*time.Second {
		t.Fatalf("concurrent Advance lost steps: %s", got)
	}
}

func TestShiftedClock(t *testing.T) {
	c := NewShiftedClock()
	if c.Offset() != 0 {
		t.Fatal("zero value is not real time")
	}
	c.Advance(48 * time.Hour)
	if d := c.Now().Sub(time.Now()); d < 47*time.Hour || d > 49*time.Hour {
		t.Fatalf("after Advance(48h) Now is %s ahead", d)
	}
	target := time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC)
	c.Set(target)
	if d := c.Now().Sub(target); d < 0 || d > time.Minute {
		t.Fatalf("after Set, Now is %s from the target", d)
	}
	if c.Now().Location() != time.UTC {
		t.Fatal("Now is not UTC")
	}
	if off := c.Offset(); (off - time.Until(target)).Abs() > time.Minute {
		t.Fatalf("Offset %s, want about %s", off, time.Until(target))
	}
	var sys SystemClock
	if sys.Now().Location() != time.UTC {
		t.Fatal("SystemClock is not UTC")
	}
}

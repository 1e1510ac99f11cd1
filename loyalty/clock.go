package loyalty

import (
	"sync"
	"sync/atomic"
	"time"
)

// Clock tells the engine what time it is. Every time it answers is UTC.
// Pending points mature and campaigns start and end by this clock, read when
// needed: the engine runs no timers, so moving a clock moves everything.
type Clock interface {
	Now() time.Time
}

// SystemClock is real time.
type SystemClock struct{}

// Now is the current time in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// FakeClock stands still until told to move; for tests. Safe for concurrent use.
type FakeClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewFakeClock is a FakeClock set to t.
func NewFakeClock(t time.Time) *FakeClock { return &FakeClock{now: t.UTC()} }

// Now is the time the clock was set to.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *FakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t.UTC()
}

// Advance moves the clock by d (back if d is negative).
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// ShiftedClock is real time plus an adjustable offset: time keeps flowing,
// but a tester can jump it to a date or forward by a return window. Safe for
// concurrent use; the zero value is real time.
type ShiftedClock struct {
	offset atomic.Int64 // nanoseconds
}

// NewShiftedClock is a ShiftedClock at real time (offset 0).
func NewShiftedClock() *ShiftedClock { return &ShiftedClock{} }

// Now is real time plus the offset, in UTC.
func (c *ShiftedClock) Now() time.Time {
	return time.Now().Add(c.Offset()).UTC()
}

// Set makes Now answer t at this instant (and t plus elapsed time later).
func (c *ShiftedClock) Set(t time.Time) {
	c.offset.Store(int64(time.Until(t)))
}

// Advance adds d to the offset.
func (c *ShiftedClock) Advance(d time.Duration) {
	c.offset.Add(int64(d))
}

// Offset is how far Now is ahead of real time (behind if negative).
func (c *ShiftedClock) Offset() time.Duration {
	return time.Duration(c.offset.Load())
}

// The times a clock may be moved to. ShiftedClock keeps its offset from real
// time in int64 nanoseconds, about ±292 years, and wraps beyond it (year 9999
// read back as 2319); these bounds keep every setting well inside that for
// the next 150 years of real time, and far beyond any test's needs. A
// controller that moves a clock (the mock server's control API) refuses
// anything outside them.
var (
	EarliestClockTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	LatestClockTime   = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// ClockTimeInRange reports whether t is within [EarliestClockTime,
// LatestClockTime].
func ClockTimeInRange(t time.Time) bool {
	return !t.Before(EarliestClockTime) && !t.After(LatestClockTime)
}

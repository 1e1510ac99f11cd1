package loyalty

import (
	"slices"
	"sync"
	"sync/atomic"
)

// changes counts the changes to an engine's state and tells whoever asked.
// Every operation that changes an account's data (an award, a deduction, a
// batch job submitted, started, advanced by one item or stopped, a seed, a
// Reset or Restore) counts one, after the change and before the account's
// lock is released; refusals and reads count nothing. The clock is not state:
// moving it counts nothing.
type changes struct {
	count atomic.Uint64

	mu     sync.Mutex
	notify []chan<- struct{}
}

// ChangeCount is the number of changes to the engine's state so far. A saver
// reads it before Snapshot and saves again when it has moved since.
func (e *Engine) ChangeCount() uint64 { return e.changes.count.Load() }

// Notify makes the engine send to ch after every change, without blocking:
// when ch is full the send is skipped, so a channel with a buffer of one
// coalesces a burst of changes into one wake-up, and a slow reader never
// slows the engine. Like signal.Notify, ch may be registered more than once
// (it is then sent to once per registration).
func (e *Engine) Notify(ch chan<- struct{}) {
	e.changes.mu.Lock()
	defer e.changes.mu.Unlock()
	e.changes.notify = append(e.changes.notify, ch)
}

// StopNotify undoes every Notify(ch).
func (e *Engine) StopNotify(ch chan<- struct{}) {
	e.changes.mu.Lock()
	defer e.changes.mu.Unlock()
	e.changes.notify = slices.DeleteFunc(e.changes.notify, func(c chan<- struct{}) bool { return c == ch })
}

// ClockMoved wakes the channels Notify registered without counting a
// change: the clock is not state, but a saver that keeps the clock's offset
// with the state (the mock's state file) saves again when it moves. Whoever
// moves the clock calls it.
func (e *Engine) ClockMoved() { e.changes.wake() }

// changed records one change and wakes the registered channels.
func (e *Engine) changed() {
	e.changes.count.Add(1)
	e.changes.wake()
}

// wake sends to every registered channel, skipping those that are full.
func (c *changes) wake() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ch := range c.notify {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

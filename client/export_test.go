package client

import (
	"context"
	"time"
)

// Seams for the external tests: how the client waits, its jitter source
// and its clock, so delays are asserted exactly rather than measured.

func WithSleep(f func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) error { c.sleep = f; return nil }
}

func WithJitter(f func(ceiling time.Duration) time.Duration) Option {
	return func(c *Client) error { c.jitter = f; return nil }
}

func WithClock(now func() time.Time) Option {
	return func(c *Client) error { c.now = now; return nil }
}

// SleepContext is the client's real wait.
var SleepContext = sleepContext

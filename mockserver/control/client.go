// Package control is the Go client of the gameball-go mock server's control
// API (/_mock/): reset, seed, dump and load the state, move the clock, inject
// faults, read the journal, health and readiness. The models and the client
// are generated from spec/controldoc/mock-control.yaml (control.gen.go); this
// file adds what the document cannot say.
//
//	c, err := control.NewClientWithResponses("http://127.0.0.1:8741", control.WithAdminKey(key))
//	if err := c.WaitReady(ctx); err != nil { ... }
//	c.AdvanceClockWithResponse(ctx, control.ClockAdvance{By: "30d"})
package control

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// AdminKeyHeader carries the admin key of a mock started with one.
const AdminKeyHeader = "X-Mock-Admin-Key"

// WithAdminKey sends key in the X-Mock-Admin-Key header of every request.
func WithAdminKey(key string) ClientOption {
	return WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set(AdminKeyHeader, key)
		return nil
	})
}

// WaitReady polls readiness until the mock answers ready, or ctx ends: for
// test harnesses that start the mock and must not call it too early.
func (c *ClientWithResponses) WaitReady(ctx context.Context) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		res, err := c.GetReadinessWithResponse(ctx)
		if err == nil && res.JSON200 != nil && res.JSON200.Ready {
			return nil
		}
		select {
		case <-ctx.Done():
			if err == nil {
				err = fmt.Errorf("readiness answered %d", res.StatusCode())
			}
			return fmt.Errorf("the mock is not ready: %w (%v)", ctx.Err(), err)
		case <-tick.C:
		}
	}
}

package main

import (
	"fmt"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// The load generator is vegeta's attacker: conns workers and at most conns
// keep-alive connections, each worker sending its next request as soon as
// the last is answered (rate 0: a closed loop, like wrk). Response bodies are
// drained but not kept (MaxBody(0)) so the client holds no answers.

// phaseResult is one target under one kind of request for a while.
type phaseResult struct {
	Target   string `json:"target"`
	Kind     string `json:"kind"`
	Requests int    `json:"requests"`
	Errors   int    `json:"errors"` // I/O errors and unexpected statuses
	// Answered counts the answers with the wanted status, warm-up included.
	Answered int           `json:"answered"`
	Elapsed  time.Duration `json:"elapsed"`
	Rate     float64       `json:"rate"` // measured requests per second
	P50      time.Duration `json:"p50"`
	P99      time.Duration `json:"p99"`
	Max      time.Duration `json:"max"`
	// PeakRSS is the target's highest RSS sampled during the phase (the mock's only).
	PeakRSS int64 `json:"peakRSS,omitempty"`
	// FirstError describes the first error, if any.
	FirstError string `json:"firstError,omitempty"`
}

func (r phaseResult) rate() float64 { return r.Rate }

func newAttacker(conns int) *vegeta.Attacker {
	return vegeta.NewAttacker(
		vegeta.Workers(uint64(conns)),
		vegeta.MaxWorkers(uint64(conns)),
		vegeta.Connections(conns),
		vegeta.MaxConnections(conns),
		vegeta.KeepAlive(true),
		vegeta.HTTP2(false),
		vegeta.MaxBody(0),
		vegeta.Timeout(30*time.Second),
	)
}

// closedLoop is vegeta's rate 0: no pacing, the workers bound the load.
var closedLoop = vegeta.ConstantPacer{}

// drive attacks with targets over conns connections: unmeasured for warmup,
// then measured for d. want is the status every answer must have.
func drive(conns int, warmup, d time.Duration, want int, targets vegeta.Targeter) phaseResult {
	var (
		metrics vegeta.Metrics
		res     phaseResult
	)
	began := time.Now()
	measureFrom := began.Add(warmup)
	for r := range newAttacker(conns).Attack(targets, closedLoop, warmup+d, "") {
		ok := r.Code == uint16(want)
		if ok {
			res.Answered++
		}
		if r.Timestamp.Before(measureFrom) {
			continue
		}
		metrics.Add(r)
		if !ok {
			res.Errors++
			if res.FirstError == "" {
				res.FirstError = describe(r, want)
			}
		}
	}
	metrics.Close()
	res.Requests = int(metrics.Requests)
	res.Elapsed = metrics.Duration
	res.Rate = metrics.Rate
	res.P50, res.P99, res.Max = metrics.Latencies.P50, metrics.Latencies.P99, metrics.Latencies.Max
	return res
}

// fillResult is what fill sent and what came back.
type fillResult struct {
	Requests int    `json:"requests"`
	Answered int    `json:"answered"` // answers with the wanted status
	Errors   int    `json:"errors"`
	First    string `json:"firstError,omitempty"`
}

// fill sends exactly n requests from targets over conns connections, as fast
// as they are answered, and counts the answers with status want.
func fill(conns, n int, want int, targets vegeta.Targeter) fillResult {
	var res fillResult
	for r := range newAttacker(conns).Attack(limit(targets, n), closedLoop, 0, "") {
		if r.Method == "" {
			continue // a worker found the targets exhausted: no request was sent
		}
		res.Requests++
		if r.Code == uint16(want) {
			res.Answered++
			continue
		}
		res.Errors++
		if res.First == "" {
			res.First = describe(r, want)
		}
	}
	return res
}

// describe says why a result is not the answer wanted.
func describe(r *vegeta.Result, want int) string {
	if r.Code == 0 {
		return r.Error
	}
	return fmt.Sprintf("status %d, want %d", r.Code, want)
}

// limit yields the first n targets of targets, then vegeta.ErrNoTargets,
// which ends the attack once the requests in flight are answered.
func limit(targets vegeta.Targeter, n int) vegeta.Targeter {
	var given atomic.Int64
	return func(t *vegeta.Target) error {
		if given.Add(1) > int64(n) {
			return vegeta.ErrNoTargets
		}
		return targets(t)
	}
}

package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// The load generator: one goroutine per connection, each a keep-alive
// HTTP/1.1 connection sending one request at a time and reading the whole
// answer with net/http's http.ReadResponse, like wrk. It writes each request
// as bytes on a net.Conn rather than through net/http's client, which costs
// three times as much CPU per request (see the package doc): on two shared
// cores, what the client spends the servers do not get.

// requestMaker appends request number seq of worker w (headers and body) to
// buf. Every (w, seq) pair of a run is distinct.
type requestMaker func(buf []byte, w, seq int) []byte

// phaseResult is one target under one kind of request for a while.
type phaseResult struct {
	Target   string `json:"target"`
	Kind     string `json:"kind"`
	Requests int    `json:"requests"`
	Errors   int    `json:"errors"` // I/O errors and unexpected statuses
	// Answered counts the answers with the wanted status, warm-up included.
	Answered int           `json:"answered"`
	Elapsed  time.Duration `json:"elapsed"`
	P50      time.Duration `json:"p50"`
	P99      time.Duration `json:"p99"`
	Max      time.Duration `json:"max"`
	// PeakRSS is the target's highest RSS sampled during the phase (the mock's only).
	PeakRSS int64 `json:"peakRSS,omitempty"`
	// CPU is the CPU time the target process spent while the phase was
	// measured (user and system, from /proc; 0 when unknown).
	CPU time.Duration `json:"cpu"`
	// FirstError describes the first error, if any.
	FirstError string `json:"firstError,omitempty"`
}

func (r phaseResult) rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// cpuPerRequest is the target's CPU time per measured request. Unlike the
// rate, it does not depend on how the shared cores were divided between
// the target, the load loop and other work on the machine.
func (r phaseResult) cpuPerRequest() time.Duration {
	if r.Requests == 0 {
		return 0
	}
	return r.CPU / time.Duration(r.Requests)
}

// workerTally is what one connection's goroutine saw.
type workerTally struct {
	latencies      []time.Duration // measured requests only
	requests       int             // measured requests
	answered, errs int             // answered: with the wanted status, measured or not
	first          string
}

// tally gathers the workers' tallies.
type tally struct {
	mu sync.Mutex
	workerTally
}

func (t *tally) add(w workerTally) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.latencies = append(t.latencies, w.latencies...)
	t.requests += w.requests
	t.answered += w.answered
	t.errs += w.errs
	t.first = cmpOr(t.first, w.first)
}

// drive sends requests to addr over conns connections: unmeasured for
// warmup, then measured for d. want is the status every answer must have.
// cpu reads the target's CPU time so far, at the start and at the end of
// the measured time.
func drive(addr string, conns int, warmup, d time.Duration, want int, next requestMaker, cpu func() time.Duration) phaseResult {
	var (
		measuring, stop atomic.Bool
		wg              sync.WaitGroup
		all             tally
	)
	for w := range conns {
		wg.Go(func() {
			var (
				c   = &httpConn{}
				buf []byte
				t   = workerTally{latencies: make([]time.Duration, 0, 1<<16)}
			)
			defer func() { c.close(); all.add(t) }()
			for seq := 0; !stop.Load(); seq++ {
				buf = next(buf[:0], w, seq)
				started := time.Now()
				status, err := c.roundTrip(addr, buf)
				took := time.Since(started)
				if err == nil && status == want {
					t.answered++
				}
				if err != nil {
					time.Sleep(time.Millisecond) // a refused dial is not a request a microsecond
				}
				if !measuring.Load() {
					continue
				}
				t.requests++
				t.latencies = append(t.latencies, took)
				if err != nil || status != want {
					t.errs++
					t.first = cmpOr(t.first, describe(status, want, err))
				}
			}
		})
	}
	time.Sleep(warmup)
	cpuBefore := cpu()
	measuring.Store(true)
	started := time.Now()
	time.Sleep(d)
	measuring.Store(false)
	elapsed := time.Since(started)
	spent := cpu() - cpuBefore
	stop.Store(true)
	wg.Wait()

	res := phaseResult{Requests: all.requests, Answered: all.answered, Errors: all.errs, Elapsed: elapsed, CPU: spent, FirstError: all.first}
	if len(all.latencies) > 0 {
		slices.Sort(all.latencies)
		res.P50 = quantile(all.latencies, 0.50)
		res.P99 = quantile(all.latencies, 0.99)
		res.Max = all.latencies[len(all.latencies)-1]
	}
	return res
}

// fillResult is what fill sent and what came back.
type fillResult struct {
	Requests   int    `json:"requests"`
	Answered   int    `json:"answered"` // answers with the wanted status
	Errors     int    `json:"errors"`
	FirstError string `json:"firstError,omitempty"`
}

// fill sends exactly n requests to addr over conns connections, as fast as
// they are answered, and counts the answers with status want. The workers
// share one sequence, so request seq is sent once whichever worker takes it.
func fill(addr string, conns, n, want int, next requestMaker) fillResult {
	var (
		claimed atomic.Int64
		wg      sync.WaitGroup
		all     tally
	)
	for w := range conns {
		wg.Go(func() {
			var (
				c   = &httpConn{}
				buf []byte
				t   workerTally
			)
			defer func() { c.close(); all.add(t) }()
			for seq := int(claimed.Add(1) - 1); seq < n; seq = int(claimed.Add(1) - 1) {
				buf = next(buf[:0], w, seq)
				status, err := c.roundTrip(addr, buf)
				t.requests++
				if err == nil && status == want {
					t.answered++
					continue
				}
				t.errs++
				t.first = cmpOr(t.first, describe(status, want, err))
			}
		})
	}
	wg.Wait()
	return fillResult{Requests: all.requests, Answered: all.answered, Errors: all.errs, FirstError: all.first}
}

func describe(status, want int, err error) string {
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("status %d, want %d", status, want)
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// httpConn is one keep-alive HTTP/1.1 connection, dialled when first used
// and again after an error or an answer that closes it. The zero httpConn
// is one not dialled yet.
type httpConn struct {
	conn net.Conn
	r    *bufio.Reader
}

func (c *httpConn) close() {
	if c.conn != nil {
		_ = c.conn.Close()
		c.conn = nil
	}
}

// roundTrip writes a whole request and reads the whole answer, dialling
// addr first when the connection is not open.
func (c *httpConn) roundTrip(addr string, req []byte) (status int, err error) {
	if c.conn == nil {
		conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			return 0, err
		}
		c.conn = conn
		if c.r == nil {
			c.r = bufio.NewReaderSize(conn, 16<<10)
		} else {
			c.r.Reset(conn)
		}
	}
	_ = c.conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := c.conn.Write(req); err != nil {
		c.close()
		return 0, err
	}
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil {
		c.close()
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || resp.Close {
		c.close()
	}
	return resp.StatusCode, err
}

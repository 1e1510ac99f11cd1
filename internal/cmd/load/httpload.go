package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// The load generator: one goroutine per connection, each a keep-alive
// HTTP/1.1 connection sending one request at a time and reading the whole
// answer, like wrk. It is written on net.Conn rather than net/http's client
// so that it costs the shared two cores as little as possible: what it
// measures is the servers.

// requestMaker appends request number seq of worker w (headers and body) to
// buf.
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
	// FirstError describes the first error, if any.
	FirstError string `json:"firstError,omitempty"`
}

func (r phaseResult) rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// drive sends requests to addr over conns connections: unmeasured for
// warmup, then measured for d. want is the status every answer must have.
func drive(addr string, conns int, warmup, d time.Duration, want int, next requestMaker) phaseResult {
	var (
		measuring atomic.Bool
		stop      atomic.Bool
		wg        sync.WaitGroup
		mu        sync.Mutex
		latencies []time.Duration
		requests  int
		answered  int
		errs      int
		firstErr  string
	)
	seqBase := 0
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var (
				c      *httpConn
				buf    []byte
				lat    = make([]time.Duration, 0, 1<<16)
				n, bad int
				good   int
				first  string
			)
			defer func() {
				if c != nil {
					c.close()
				}
				mu.Lock()
				latencies = append(latencies, lat...)
				requests += n
				answered += good
				errs += bad
				if firstErr == "" {
					firstErr = first
				}
				mu.Unlock()
			}()
			for seq := seqBase; !stop.Load(); seq++ {
				if c == nil {
					var err error
					if c, err = dial(addr); err != nil {
						if measuring.Load() {
							bad++
							first = cmpOr(first, err.Error())
						}
						time.Sleep(time.Millisecond)
						continue
					}
				}
				buf = next(buf[:0], w, seq)
				started := time.Now()
				status, keep, err := c.roundTrip(buf)
				took := time.Since(started)
				if err != nil || !keep {
					c.close()
					c = nil
				}
				if err == nil && status == want {
					good++
				}
				if !measuring.Load() {
					continue
				}
				n++
				lat = append(lat, took)
				if err != nil || status != want {
					bad++
					if err == nil {
						err = fmt.Errorf("status %d, want %d", status, want)
					}
					first = cmpOr(first, err.Error())
				}
			}
		}()
	}
	time.Sleep(warmup)
	measuring.Store(true)
	started := time.Now()
	time.Sleep(d)
	measuring.Store(false)
	elapsed := time.Since(started)
	stop.Store(true)
	wg.Wait()

	res := phaseResult{Requests: requests, Answered: answered, Errors: errs, Elapsed: elapsed, FirstError: firstErr}
	if len(latencies) > 0 {
		slices.Sort(latencies)
		res.P50 = quantile(latencies, 0.50)
		res.P99 = quantile(latencies, 0.99)
		res.Max = latencies[len(latencies)-1]
	}
	return res
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

// httpConn is one keep-alive HTTP/1.1 connection.
type httpConn struct {
	conn net.Conn
	r    *bufio.Reader
}

func dial(addr string) (*httpConn, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	return &httpConn{conn: conn, r: bufio.NewReaderSize(conn, 16<<10)}, nil
}

func (c *httpConn) close() { _ = c.conn.Close() }

// roundTrip writes a whole request and reads the whole answer. keep says
// whether the connection may carry another request.
func (c *httpConn) roundTrip(req []byte) (status int, keep bool, err error) {
	_ = c.conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := c.conn.Write(req); err != nil {
		return 0, false, err
	}
	return readResponse(c.r)
}

var errMalformed = errors.New("malformed HTTP response")

// readResponse reads one HTTP/1.1 response, discarding its body (by
// Content-Length or chunked).
func readResponse(r *bufio.Reader) (status int, keep bool, err error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	// HTTP/1.1 200 OK
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, false, errMalformed
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, false, errMalformed
	}
	keep = true
	length := int64(-1)
	chunked := false
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return status, false, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return status, false, errMalformed
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.ParseInt(string(value), 10, 64); err != nil {
				return status, false, errMalformed
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			keep = !bytes.EqualFold(value, []byte("close"))
		}
	}
	switch {
	case chunked:
		for {
			line, err := r.ReadSlice('\n')
			if err != nil {
				return status, false, err
			}
			size, err := strconv.ParseInt(string(bytes.TrimSpace(bytes.SplitN(line, []byte(";"), 2)[0])), 16, 64)
			if err != nil {
				return status, false, errMalformed
			}
			if _, err := r.Discard(int(size) + 2); err != nil { // data and CRLF
				return status, false, err
			}
			if size == 0 {
				return status, keep, nil
			}
		}
	case length >= 0:
		if _, err := io.CopyN(io.Discard, r, length); err != nil {
			return status, false, err
		}
		return status, keep, nil
	}
	return status, false, nil // read to close: this connection is done
}

package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// The hand-written load generator this tool used before vegeta, kept for
// one commit so that -compare-drivers can measure both against the bare
// server: one goroutine per connection, each a keep-alive HTTP/1.1
// connection on net.Conn sending one request at a time and reading the
// whole answer, like wrk.

// requestMaker appends request number seq of worker w (headers and body) to
// buf.
type requestMaker func(buf []byte, w, seq int) []byte

// handDrive sends requests to addr over conns connections: unmeasured for
// warmup, then measured for d. want is the status every answer must have.
func handDrive(addr string, conns int, warmup, d time.Duration, want int, next requestMaker) phaseResult {
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

	res := phaseResult{Requests: requests, Answered: answered, Errors: errs, Elapsed: elapsed, FirstError: firstErr,
		Rate: float64(requests) / elapsed.Seconds()}
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
	if stdlibParser {
		resp, err := http.ReadResponse(c.r, nil)
		if err != nil {
			return 0, false, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, err == nil && !resp.Close, err
	}
	return readResponse(c.r)
}

// stdlibParser makes the hand driver read answers with net/http's
// http.ReadResponse instead of readResponse (set before a drive only).
var stdlibParser bool

// cpuTime is the user and system CPU this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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

// The hand driver's requests, as raw bytes.

func requestHead(length int) string {
	return "POST " + cashbackPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nApikey: " + apiKey + "\r\nSecretkey: " + secretKey +
		"\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(length) + "\r\n\r\n"
}

func rawValidRequests(round int) requestMaker {
	at := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	prefix := fmt.Sprintf("L%d-%x-", round, time.Now().UnixNano()&0xffffff)
	return func(buf []byte, w, seq int) []byte {
		var body [160]byte
		b := append(body[:0], `{"customerId":"cust_`...)
		b = strconv.AppendInt(b, int64((w*7919+seq)%4096), 10)
		b = append(b, `","transactionId":"`...)
		b = append(b, prefix...)
		b = strconv.AppendInt(b, int64(w), 10)
		b = append(b, '-')
		b = strconv.AppendInt(b, int64(seq), 10)
		b = append(b, `","transactionTime":"`...)
		b = append(b, at...)
		b = append(b, `","amount":150.75}`...)
		buf = append(buf, requestHead(len(b))...)
		return append(buf, b...)
	}
}

var invalidRequest = requestHead(len(invalidBody)) + invalidBody

func rawInvalidRequests(buf []byte, _, _ int) []byte { return append(buf, invalidRequest...) }

// compareDrivers drives the bare server with the hand driver (its own
// parser, then net/http's http.ReadResponse) and with vegeta, in turn, n
// times each, and prints each run, the medians, and the client's own CPU
// per request (getrusage over the whole drive, warm-up included).
func compareDrivers(o options, out io.Writer, n int) error {
	bareCmd, addr, err := startBare()
	if err != nil {
		return err
	}
	defer stop(bareCmd)
	base := "http://" + addr
	fmt.Fprintf(out, "the bare server, %d connections, %v after %v warm-up, %d runs each, in turn\n", o.conns, o.duration, o.warmup, n)
	drivers := []string{"hand", "hand+ReadResponse", "vegeta"}
	for _, kind := range []string{"invalid", "valid"} {
		rates := map[string][]float64{}
		p99s := map[string][]float64{}
		cpus := map[string][]float64{}
		for i := range n {
			line := fmt.Sprintf("  %s run %d:", kind, i+1)
			for _, d := range drivers {
				want := 200
				if kind == "invalid" {
					want = 422
				}
				before := cpuTime()
				var r phaseResult
				switch d {
				case "vegeta":
					t := invalidTargets(base)
					if kind == "valid" {
						t = validTargets(base, 10*i+2)
					}
					r = drive(o.conns, o.warmup, o.duration, want, t)
				default:
					stdlibParser = d != "hand"
					next := rawInvalidRequests
					if kind == "valid" {
						next = rawValidRequests(10*i + len(d))
					}
					r = handDrive(addr, o.conns, o.warmup, o.duration, want, next)
				}
				cpu := float64(cpuTime()-before) / float64(max(1, r.Answered)) / 1e3
				line += fmt.Sprintf(" %s %.0f req/s p99 %v cpu %.1fµs/req errors %d;", d, r.rate(), ms(r.P99), cpu, r.Errors)
				rates[d], p99s[d], cpus[d] = append(rates[d], r.rate()), append(p99s[d], float64(r.P99)), append(cpus[d], cpu)
			}
			fmt.Fprintln(out, line)
		}
		for _, d := range drivers {
			fmt.Fprintf(out, "%s %s: median %.0f req/s (%.2f of hand), p99 %v, client CPU %.1f µs per request\n", kind, d,
				median(rates[d]), median(rates[d])/median(rates["hand"]), ms(time.Duration(median(p99s[d]))), median(cpus[d]))
		}
	}
	return nil
}

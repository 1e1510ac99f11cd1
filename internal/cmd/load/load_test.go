package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// recorder is a loopback server that checks every request is well formed
// and counts the transactionIds it was sent, refusing a second of any.
type recorder struct {
	mu   sync.Mutex
	seen map[string]int
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct{ TransactionID string }
	if r.Method != http.MethodPost || r.URL.Path != cashbackPath || r.Header.Get("apikey") != apiKey ||
		r.Header.Get("secretkey") != secretKey || json.NewDecoder(r.Body).Decode(&body) != nil || body.TransactionID == "" {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	rec.mu.Lock()
	rec.seen[body.TransactionID]++
	n := rec.seen[body.TransactionID]
	rec.mu.Unlock()
	if n > 1 {
		w.WriteHeader(http.StatusConflict)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"ok":true}`))
}

func (rec *recorder) count() int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return len(rec.seen)
}

// TestDrive runs the generator briefly against the recorder: every request
// is well formed with a new transactionId, and an unexpected status counts
// as an error.
func TestDrive(t *testing.T) {
	rec := &recorder{seen: map[string]int{}}
	ts := httptest.NewServer(rec)
	defer ts.Close()
	addr := strings.TrimPrefix(ts.URL, "http://")
	// A target's CPU clock, 1s and then 3s, read at the start and at the
	// end of the measured time and nowhere else: after the warm-up's
	// answers, and after the measured ones.
	var recordedAt []int
	cpu := func() time.Duration {
		recordedAt = append(recordedAt, rec.count())
		return time.Duration(2*len(recordedAt)-1) * time.Second
	}
	res := drive(addr, 4, 50*time.Millisecond, 200*time.Millisecond, 200, validRequests(0), cpu)
	if res.Requests == 0 || res.Errors != 0 || res.P50 <= 0 || res.P99 < res.P50 || res.rate() <= 0 {
		t.Fatalf("%+v", res)
	}
	if res.CPU != 2*time.Second || res.cpuPerRequest() != 2*time.Second/time.Duration(res.Requests) {
		t.Errorf("CPU %v, %v a request over %d requests; want 2s over the measured time", res.CPU, res.cpuPerRequest(), res.Requests)
	}
	if len(recordedAt) != 2 || recordedAt[0] == 0 || recordedAt[1]-recordedAt[0] < res.Requests/2 || recordedAt[1] > res.Answered {
		t.Errorf("CPU read with %v transactions recorded (%d answered, %d measured): want once after the warm-up, once after the measured time", recordedAt, res.Answered, res.Requests)
	}
	// Warm-up answers are not measured but are recorded.
	if res.Answered < res.Requests || rec.count() != res.Answered {
		t.Errorf("the server recorded %d transactions, drive counted %d answered (%d measured)", rec.count(), res.Answered, res.Requests)
	}
	bad := drive(addr, 2, 0, 100*time.Millisecond, 422, validRequests(1), func() time.Duration { return 0 })
	if bad.Requests == 0 || bad.Errors != bad.Requests || bad.FirstError != "status 200, want 422" {
		t.Errorf("unexpected statuses were not counted as errors: %+v", bad)
	}
}

// TestFill checks the fill sends exactly the number of requests asked for,
// each a new transaction, however many workers share them.
func TestFill(t *testing.T) {
	for _, c := range []struct{ conns, n int }{{1, 1}, {4, 257}, {32, 1000}} {
		rec := &recorder{seen: map[string]int{}}
		ts := httptest.NewServer(rec)
		res := fill(strings.TrimPrefix(ts.URL, "http://"), c.conns, c.n, 200, validRequests(0))
		ts.Close()
		if res.Requests != c.n || res.Answered != c.n || res.Errors != 0 || rec.count() != c.n {
			t.Errorf("%d workers, %d transactions: got %+v, the server recorded %d", c.conns, c.n, res, rec.count())
		}
	}
}

// TestBytesPerTx checks the memory arithmetic the report quotes.
func TestBytesPerTx(t *testing.T) {
	for _, c := range []struct {
		f    fillRound
		want float64
	}{
		{fillRound{Held: 200_001, RSSStart: 20 << 20, RSSHeld: 20<<20 + 200_000*100}, 100},
		{fillRound{Held: 1, RSSStart: 20 << 20, RSSHeld: 30 << 20}, 0}, // nothing added
	} {
		if got := c.f.bytesPerTx(); got != c.want {
			t.Errorf("%+v: %v bytes per transaction, want %v", c.f, got, c.want)
		}
	}
}

// TestRoundTrip checks one connection carries request after request, and is
// dialled again when an answer closes it, chunked answers included.
func TestRoundTrip(t *testing.T) {
	var dials atomic.Int32
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		switch r.Header.Get("Apikey") {
		case "close":
			w.Header().Set("Connection", "close")
			w.WriteHeader(http.StatusRequestEntityTooLarge)
		case "chunked":
			w.WriteHeader(http.StatusUnprocessableEntity)
			for range 3 {
				_, _ = w.Write([]byte("part"))
				w.(http.Flusher).Flush()
			}
		default:
			_, _ = w.Write([]byte(`{}`))
		}
	}))
	ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dials.Add(1)
		}
	}
	ts.Start()
	defer ts.Close()
	addr := strings.TrimPrefix(ts.URL, "http://")
	request := func(key string) []byte {
		return []byte("POST / HTTP/1.1\r\nHost: x\r\nApikey: " + key + "\r\nContent-Length: 2\r\n\r\n{}")
	}
	c := &httpConn{}
	defer c.close()
	for i, step := range []struct {
		key    string
		status int
		dials  int32
	}{
		{"plain", 200, 1},
		{"chunked", 422, 1},
		{"plain", 200, 1},
		{"close", 413, 1},
		{"plain", 200, 2},
	} {
		status, err := c.roundTrip(addr, request(step.key))
		if err != nil || status != step.status || dials.Load() != step.dials {
			t.Fatalf("request %d (%s): status %d, %v, %d connections; want %d on %d", i, step.key, status, err, dials.Load(), step.status, step.dials)
		}
	}
}

// TestCPUTime checks the /proc reading against getrusage's account of
// the same process: after this test has spent 200ms of CPU, both say so
// within a few of /proc's 10ms ticks.
func TestCPUTime(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc here")
	}
	if got := cpuTime(-1); got != 0 {
		t.Errorf("cpuTime of no process = %v, want 0", got)
	}
	rusage := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			t.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	procBefore, ruBefore := cpuTime(os.Getpid()), rusage()
	for giveUp := time.Now().Add(time.Minute); rusage()-ruBefore < 200*time.Millisecond && time.Now().Before(giveUp); {
	}
	procSpent, ruSpent := cpuTime(os.Getpid())-procBefore, rusage()-ruBefore
	if diff := procSpent - ruSpent; ruSpent < 200*time.Millisecond || diff < -3*clockTick || diff > 3*clockTick {
		t.Errorf("/proc read %v of CPU where getrusage read %v", procSpent, ruSpent)
	}
}

package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestReadResponse(t *testing.T) {
	for name, c := range map[string]struct {
		raw    string
		status int
		keep   bool
	}{
		"content-length": {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 200, true},
		"chunked":        {"HTTP/1.1 422 Unprocessable Entity\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3;x=y\r\nabc\r\n0\r\n\r\n", 422, true},
		"close":          {"HTTP/1.1 413 Request Entity Too Large\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}", 413, false},
		"read to close":  {"HTTP/1.0 200 OK\r\n\r\nbody", 200, false},
	} {
		t.Run(name, func(t *testing.T) {
			r := bufio.NewReader(strings.NewReader(c.raw + "NEXT"))
			status, keep, err := readResponse(r)
			if err != nil || status != c.status || keep != c.keep {
				t.Fatalf("got %d keep=%v %v, want %d keep=%v", status, keep, err, c.status, c.keep)
			}
			if rest, _ := r.Peek(4); c.keep && string(rest) != "NEXT" {
				t.Errorf("the body was not consumed exactly: %q follows", rest)
			}
		})
	}
	if _, _, err := readResponse(bufio.NewReader(strings.NewReader("garbage\r\n"))); err == nil {
		t.Error("a malformed status line passed")
	}
}

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
	res := drive(4, 50*time.Millisecond, 200*time.Millisecond, 200, validTargets(ts.URL, 0))
	if res.Requests == 0 || res.Errors != 0 || res.P50 <= 0 || res.P99 < res.P50 || res.Rate <= 0 {
		t.Fatalf("%+v", res)
	}
	// Warm-up answers are not measured but are recorded.
	if res.Answered < res.Requests || rec.count() != res.Answered {
		t.Errorf("the server recorded %d transactions, drive counted %d answered (%d measured)", rec.count(), res.Answered, res.Requests)
	}
	bad := drive(2, 0, 100*time.Millisecond, 422, validTargets(ts.URL, 1))
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
		res := fill(c.conns, c.n, 200, validTargets(ts.URL, 0))
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

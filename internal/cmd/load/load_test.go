package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
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

// TestDrive runs the generator briefly against a loopback server that
// checks every request is well formed and its transactionId new.
func TestDrive(t *testing.T) {
	seen := map[string]bool{}
	ch := make(chan string, 1<<16)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct{ TransactionID string }
		if r.URL.Path != cashbackPath || r.Header.Get("apikey") != apiKey || json.NewDecoder(r.Body).Decode(&body) != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		select {
		case ch <- body.TransactionID:
		default:
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	defer ts.Close()
	res := drive(strings.TrimPrefix(ts.URL, "http://"), 4, 50*time.Millisecond, 200*time.Millisecond, 200, validRequests(0))
	close(ch)
	if res.Requests == 0 || res.Errors != 0 || res.P50 <= 0 || res.P99 < res.P50 {
		t.Fatalf("%+v", res)
	}
	for id := range ch {
		if seen[id] {
			t.Fatalf("transactionId %s sent twice", id)
		}
		seen[id] = true
	}
	bad := drive(strings.TrimPrefix(ts.URL, "http://"), 2, 0, 100*time.Millisecond, 422, validRequests(1))
	if bad.Errors != bad.Requests || bad.FirstError == "" {
		t.Errorf("unexpected statuses were not counted as errors: %+v", bad)
	}
}

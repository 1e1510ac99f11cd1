package mockserver_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/internal/syncbuf"
	"github.com/gbkit/gameball-go/mockserver"
)

// The edges of issue 13, black-box over HTTP: hostile input, cross-site
// calls and protocol corners, each answered with Gameball's error object.

const (
	balancePath = "/api/v4.0/integrations/customers/%s/balance"
	manualPath  = "/api/v4.0/integrations/transactions/manual"
)

// answer is what a test reads of a response.
type answer struct {
	status int
	header http.Header
	body   []byte
	err    client.GameballError // decoded when the body is one
}

// send makes one request with the default account's keys and extra headers.
func send(t *testing.T, base, method, path, body string, header map[string]string) answer {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, base+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("apikey", "gb_test_apikey")
	req.Header.Set("secretkey", "gb_test_secretkey")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	out := answer{status: res.StatusCode, header: res.Header}
	out.body, _ = io.ReadAll(res.Body)
	_ = json.Unmarshal(out.body, &out.err)
	return out
}

func recentTime() string { return time.Now().Add(-time.Minute).UTC().Format(time.RFC3339) }

func cashbackJSON(customer, txn string) string {
	return fmt.Sprintf(`{"customerId":%q,"transactionId":%q,"transactionTime":%q,"amount":100}`, customer, txn, recentTime())
}

func manualJSON(customer, txn, points string) string {
	return fmt.Sprintf(`{"customerId":%q,"transactionId":%q,"transactionTime":%q,"reason":"r","username":"u","points":%s}`, customer, txn, recentTime(), points)
}

// balanceOf is a customer's total points balance over the API; -1 when the
// customer is not found.
func balanceOf(t *testing.T, base, customer string) int {
	t.Helper()
	a := send(t, base, http.MethodGet, fmt.Sprintf(balancePath, url.PathEscape(customer)), "", nil)
	if a.status == http.StatusNotFound {
		return -1
	}
	var b struct {
		TotalPointsBalance int `json:"totalPointsBalance"`
	}
	if a.status != http.StatusOK || json.Unmarshal(a.body, &b) != nil {
		t.Fatalf("balance of %q: %d %s", customer, a.status, a.body)
	}
	return b.TotalPointsBalance
}

// TestCrossSiteWritesRefused: a page on another origin cannot change the
// state through either API (a browser's simple request), while allowed
// origins, same-origin requests, non-browser clients and reads go through.
func TestCrossSiteWritesRefused(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	host := strings.TrimPrefix(m.url, "http://")
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		header map[string]string
		want   int
	}{
		{"control reset from another site", "POST", "/_mock/reset?account=default", "", map[string]string{"Origin": "https://evil.example"}, 403},
		{"control reset, Sec-Fetch-Site cross-site", "POST", "/_mock/reset?account=default", "", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, 403},
		{"Gameball write from another site", "POST", cashbackPath, cashbackJSON("x1", "t-evil"), map[string]string{"Origin": "https://evil.example", "Content-Type": "text/plain"}, 403},
		{"Gameball write from an allowed origin", "POST", cashbackPath, cashbackJSON("x1", "t-local"), map[string]string{"Origin": "http://localhost:5173", "Sec-Fetch-Site": "cross-site"}, 200},
		{"same origin", "POST", "/_mock/reset?account=default", "", map[string]string{"Origin": "http://" + host, "Sec-Fetch-Site": "same-origin"}, 200},
		{"no browser at all", "POST", cashbackPath, cashbackJSON("x1", "t-curl"), nil, 200},
		{"a read from another site", "GET", "/_mock/health", "", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := balanceOf(t, m.url, "x1")
			a := send(t, m.url, tt.method, tt.path, tt.body, tt.header)
			if a.status != tt.want {
				t.Fatalf("answered %d %s, want %d", a.status, a.body, tt.want)
			}
			if tt.want == 403 {
				if a.err.Code != 1002 || a.err.RequestID == "" {
					t.Errorf("refusal is not Gameball's error object: %s", a.body)
				}
				if after := balanceOf(t, m.url, "x1"); after != before {
					t.Errorf("a refused request changed the balance from %d to %d", before, after)
				}
			}
		})
	}
}

// TestHostNamesOnLoopback: a loopback mock answers only loopback Host names
// and those configured, against DNS rebinding; without the option any.
func TestHostNamesOnLoopback(t *testing.T) {
	tests := []struct {
		name string
		opts mockserver.Options
		host string
		want int
	}{
		{"a rebound name", mockserver.Options{LoopbackHosts: true}, "evil.example", 403},
		{"a rebound name with a port", mockserver.Options{LoopbackHosts: true}, "evil.example:8741", 403},
		{"a look-alike", mockserver.Options{LoopbackHosts: true}, "localhost.evil.example", 403},
		{"localhost", mockserver.Options{LoopbackHosts: true}, "localhost:8741", 200},
		{"LOCALHOST without a port", mockserver.Options{LoopbackHosts: true}, "LOCALHOST", 200},
		{"127.0.0.1", mockserver.Options{LoopbackHosts: true}, "127.0.0.1:1", 200},
		{"[::1]", mockserver.Options{LoopbackHosts: true}, "[::1]:8741", 200},
		{"a configured name", mockserver.Options{LoopbackHosts: true, AllowedHosts: []string{"mock.test"}}, "mock.test:8741", 200},
		{"not restricted", mockserver.Options{}, "evil.example", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := startQA(t, tt.opts, nil)
			a := send(t, m.url, http.MethodGet, "/_mock/state", "", map[string]string{"Host": tt.host})
			if a.status != tt.want {
				t.Fatalf("Host %q: %d %s, want %d", tt.host, a.status, a.body, tt.want)
			}
			if tt.want == 403 && (a.err.Code != 1002 || strings.Contains(string(a.body), "accounts")) {
				t.Errorf("Host %q: refusal %s", tt.host, a.body)
			}
		})
	}
}

// TestRefusedOriginsAreBounded: many distinct, long refused Origins leave a
// bounded log (the log stands for the memory too: both were per origin).
func TestRefusedOriginsAreBounded(t *testing.T) {
	var log syncbuf.Buffer
	m := startQA(t, mockserver.Options{Logger: slog.New(slog.NewTextHandler(&log, nil))}, nil)
	long := strings.Repeat("a", 40<<10)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	defer hc.CloseIdleConnections()
	for i := range 1500 {
		req, _ := http.NewRequest(http.MethodGet, m.url+"/_mock/health", nil)
		req.Header.Set("Origin", fmt.Sprintf("https://%d.%s.example", i, long))
		res, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	if n := len(log.String()); n > 64<<10 || n == 0 {
		t.Fatalf("1,500 refused 40 KB origins logged %d bytes; want some, at most 64 KiB", n)
	}
}

// TestMethodsAllowAndHEAD: 405 says which methods the path takes, and HEAD
// on a GET operation is answered as GET, without a body, on both APIs.
func TestMethodsAllowAndHEAD(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	send(t, m.url, http.MethodPost, cashbackPath, cashbackJSON("h1", "h1"), nil)
	tests := []struct {
		method, path string
		status       int
		allow        string
	}{
		{"DELETE", cashbackPath, 405, "POST"},
		{"POST", fmt.Sprintf(balancePath, "h1"), 405, "GET, HEAD"},
		{"HEAD", cashbackPath, 405, "POST"},
		{"POST", "/_mock/clock", 405, "DELETE, GET, HEAD, PUT"},
		{"HEAD", fmt.Sprintf(balancePath, "h1"), 200, ""},
		{"HEAD", "/_mock/state", 200, ""},
		{"HEAD", "/_mock/health", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			a := send(t, m.url, tt.method, tt.path, "", nil)
			if a.status != tt.status || a.header.Get("Allow") != tt.allow {
				t.Fatalf("%d Allow %q %s, want %d Allow %q", a.status, a.header.Get("Allow"), a.body, tt.status, tt.allow)
			}
			if tt.method != "HEAD" {
				if a.err.Code != 4004 {
					t.Errorf("405 without the error object: %s", a.body)
				}
				return
			}
			if tt.status != 200 {
				return
			}
			get := send(t, m.url, "GET", tt.path, "", nil)
			if len(a.body) != 0 || a.header.Get("Content-Type") != get.header.Get("Content-Type") || get.status != 200 {
				t.Errorf("HEAD: %q %v; GET: %d %v", a.body, a.header, get.status, get.header)
			}
		})
	}
}

// TestContentEncodingIsRefused: a content coding the mock does not decode
// is 415/3013, gzipped or merely labelled so, and changes nothing.
func TestContentEncodingIsRefused(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(cashbackJSON("e1", "e1")))
	_ = zw.Close()
	tests := []struct {
		name, path, body, coding string
		want                     int
	}{
		{"gzipped", cashbackPath, gz.String(), "gzip", 415},
		{"plain, labelled gzip", cashbackPath, cashbackJSON("e1", "e2"), "gzip", 415},
		{"control, labelled br", "/_mock/clock", `{"now":"2030-01-01T00:00:00Z"}`, "br", 415},
		{"identity", cashbackPath, cashbackJSON("e2", "e3"), "identity", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := http.MethodPost
			if strings.HasPrefix(tt.path, "/_mock/") {
				method = http.MethodPut
			}
			a := send(t, m.url, method, tt.path, tt.body, map[string]string{"Content-Encoding": tt.coding})
			if a.status != tt.want || (tt.want == 415 && a.err.Code != 3013) {
				t.Errorf("answered %d %s, want %d", a.status, a.body, tt.want)
			}
		})
	}
	if b := balanceOf(t, m.url, "e1"); b != -1 {
		t.Errorf("a refused coded body made customer e1 (balance %d)", b)
	}
	// Without a body there is nothing coded to refuse.
	if a := send(t, m.url, http.MethodGet, "/_mock/health", "", map[string]string{"Content-Encoding": "gzip"}); a.status != 200 {
		t.Errorf("a read labelled gzip: %d %s", a.status, a.body)
	}
}

// TestLargeBodyWithoutExpectGets413: a client that sends a 10 MB body whole
// before reading (no Expect: 100-continue) reads 413/3011, not a reset.
func TestLargeBodyWithoutExpectGets413(t *testing.T) {
	s := startLimitServer(t, mockserver.Options{}, mockserver.DefaultTimeouts, nil)
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second)) // a safety net, not a measure
	const size = 10 << 20
	w := bufio.NewWriter(conn)
	_, _ = io.WriteString(w, head(cashbackPath, size, ""))
	chunk := bytes.Repeat([]byte(" "), 64<<10)
	for sent := 0; sent < size; sent += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			t.Fatalf("sending the body failed after %d bytes: %v", sent, err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatalf("sending the body failed: %v", err)
	}
	res, e := gameballError(t, bufio.NewReader(conn))
	if res.StatusCode != http.StatusRequestEntityTooLarge || e.Code != 3011 {
		t.Errorf("10 MB body: %d code %d %q", res.StatusCode, e.Code, e.Message)
	}
}

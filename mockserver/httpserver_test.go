package mockserver_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
)

// The limits of mockserver/httpserver.go, on a real loopback server built as
// gameball-mock builds it (NewHTTPServer), with short timeouts. The generous
// deadlines below only keep a broken server from hanging the test; no test
// asserts how fast anything is.

const cashbackPath = "/api/v4.0/integrations/transactions/cashback"

// limitServer serves a fresh mock with NewHTTPServer and timeouts t.
type limitServer struct {
	engine *loyalty.Engine
	mock   *mockserver.Server
	http   *http.Server
	addr   string
	served chan error
}

func startLimitServer(t *testing.T, opts mockserver.Options, timeouts mockserver.Timeouts, edit func(*loyalty.Config)) *limitServer {
	t.Helper()
	cfg := loyalty.DefaultConfig()
	if edit != nil {
		edit(&cfg)
	}
	engine, mock := newMock(t, cfg, loyalty.SystemClock{}, opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &limitServer{engine: engine, mock: mock, http: mockserver.NewHTTPServer(mock, timeouts, nil), addr: ln.Addr().String(), served: make(chan error, 1)}
	go func() { s.served <- s.http.Serve(ln) }()
	t.Cleanup(func() { _ = s.http.Close() })
	return s
}

// raw writes req on a new connection and returns the connection and a reader.
func (s *limitServer) raw(t *testing.T, req string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second)) // a safety net, not a measure
	return conn, bufio.NewReader(conn)
}

func head(path string, length int, extra string) string {
	return fmt.Sprintf("POST %s HTTP/1.1\r\nHost: mock\r\napikey: gb_test_apikey\r\nsecretkey: gb_test_secretkey\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n", path, length, extra)
}

// gameballError reads a response and decodes its error object.
func gameballError(t *testing.T, r *bufio.Reader) (*http.Response, client.GameballError) {
	t.Helper()
	res, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	defer res.Body.Close()
	var e client.GameballError
	body, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(body, &e); err != nil && res.StatusCode != http.StatusOK {
		t.Fatalf("%d answered with %q, not Gameball's error object", res.StatusCode, body)
	}
	return res, e
}

var shortTimeouts = mockserver.Timeouts{ReadHeader: 300 * time.Millisecond, Read: 500 * time.Millisecond, Write: 10 * time.Second, Idle: 300 * time.Millisecond}

// TestBodyLimitBoundary: a body of exactly MaxBodyBytes is read and judged
// on its content; one byte more is 413 with code 3011, on every operation
// that takes a body, whatever the keys.
func TestBodyLimitBoundary(t *testing.T) {
	const limit = 2048
	s := startLimitServer(t, mockserver.Options{MaxBodyBytes: limit}, mockserver.DefaultTimeouts, nil)
	pad := func(n int) string {
		body := `{"customerId":"cust_1","transactionId":"TXN-limit","transactionTime":"2024-10-11T10:48:56Z","amount":1,"email":"`
		return body + strings.Repeat("x", n-len(body)-2) + `"}`
	}
	for _, path := range []string{cashbackPath, "/api/v4.0/integrations/batch/cashback", "/api/v4.0/integrations/payments/cashback",
		"/api/v4.0/integrations/batch/balance-adjustment", "/api/v4.0/integrations/transactions/manual"} {
		for _, n := range []int{limit, limit + 1, 10 * limit} {
			_, r := s.raw(t, head(path, n, "")+pad(n))
			res, e := gameballError(t, r)
			if over := n > limit; over != (res.StatusCode == http.StatusRequestEntityTooLarge) || over && e.Code != 3011 {
				t.Errorf("%s with a %d-byte body (limit %d): %d code %d %q", path, n, limit, res.StatusCode, e.Code, e.Message)
			}
		}
	}
	// Wrong keys do not get past the size check either way.
	_, r := s.raw(t, strings.Replace(head(cashbackPath, 10*limit, ""), "gb_test_apikey", "wrong", 1)+pad(10*limit))
	if res, e := gameballError(t, r); res.StatusCode != http.StatusRequestEntityTooLarge || e.Code != 3011 {
		t.Errorf("oversized body with a wrong key: %d code %d", res.StatusCode, e.Code)
	}
}

// TestEndlessBodyIsCutAtTheLimit: a chunked body that never ends is answered
// 413 once the limit is crossed; the server does not read it to the end.
func TestEndlessBodyIsCutAtTheLimit(t *testing.T) {
	s := startLimitServer(t, mockserver.Options{}, mockserver.DefaultTimeouts, nil)
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = io.WriteString(conn, "POST "+cashbackPath+" HTTP/1.1\r\nHost: mock\r\napikey: gb_test_apikey\r\nsecretkey: gb_test_secretkey\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
	stop := make(chan struct{})
	defer close(stop)
	go func() { // keep sending until told to stop or refused
		chunk := fmt.Sprintf("%x\r\n%s\r\n", 64<<10, strings.Repeat(" ", 64<<10))
		for sent := 0; sent < 64<<20; sent += 64 << 10 {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := io.WriteString(conn, chunk); err != nil {
				return
			}
		}
	}()
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	res, e := gameballError(t, bufio.NewReader(conn))
	if res.StatusCode != http.StatusRequestEntityTooLarge || e.Code != 3011 {
		t.Errorf("endless body: %d code %d %q", res.StatusCode, e.Code, e.Message)
	}
}

// TestStalledHeadersAreDropped: a client that sends half its headers and
// stops has its connection closed.
func TestStalledHeadersAreDropped(t *testing.T) {
	s := startLimitServer(t, mockserver.Options{}, shortTimeouts, nil)
	_, r := s.raw(t, "POST "+cashbackPath+" HTTP/1.1\r\nHost: mock\r\napikey: gb_te")
	if _, err := io.ReadAll(r); err != nil {
		t.Errorf("the server did not close a connection with stalled headers: %v", err)
	}
}

// TestHalfSentBodyIsAnswered: a client that sends half its body and stalls
// gets 400 (3016) once the read timeout passes; the handler is released.
func TestHalfSentBodyIsAnswered(t *testing.T) {
	s := startLimitServer(t, mockserver.Options{}, shortTimeouts, nil)
	body := `{"customerId":"cust_1","transactionId":"TXN-half","transactionTime":"2024-10-11T10:48:56Z","amount":1}`
	_, r := s.raw(t, head(cashbackPath, len(body), "")+body[:len(body)/2])
	res, e := gameballError(t, r)
	if res.StatusCode != http.StatusBadRequest || e.Code != 3016 {
		t.Errorf("half-sent body: %d code %d %q", res.StatusCode, e.Code, e.Message)
	}
	// Nothing was recorded for it.
	if _, err := s.engine.Accounts()[0].Ledger("cust_1"); err == nil {
		t.Error("a half-sent request changed the state")
	}
}

// TestBodyCutShortIsAnswered: a Content-Length longer than what comes before
// the client closes its sending side is 400 (3016) before anything else is
// judged: on the Gameball API, on the control API with the right admin key
// (not a wrong key), and on a path that names no operation.
func TestBodyCutShortIsAnswered(t *testing.T) {
	s := startLimitServer(t, mockserver.Options{AdminKey: "sekrit"}, mockserver.DefaultTimeouts, nil)
	body := `{"customerId":"cust_1","transactionId":"TXN-cut","transactionTime":"2024-10-11T10:48:56Z","amount":1}`
	for _, tt := range []struct{ name, head string }{
		{"Gameball API", head(cashbackPath, len(body)+20, "")},
		{"control API", fmt.Sprintf("PUT /_mock/clock HTTP/1.1\r\nHost: mock\r\nX-Mock-Admin-Key: sekrit\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body)+20)},
		{"no operation", head("/api/v4.0/integrations/nothing", len(body)+20, "")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			conn, r := s.raw(t, tt.head+body)
			_ = conn.(*net.TCPConn).CloseWrite()
			res, e := gameballError(t, r)
			if res.StatusCode != http.StatusBadRequest || e.Code != 3016 {
				t.Errorf("body cut short: %d code %d %q", res.StatusCode, e.Code, e.Message)
			}
		})
	}
}

// TestIdleConnectionIsClosed: a keep-alive connection left idle is closed.
func TestIdleConnectionIsClosed(t *testing.T) {
	s := startLimitServer(t, mockserver.Options{}, shortTimeouts, nil)
	_, r := s.raw(t, "GET /api/v4.0/integrations/customers/cust_1/balance HTTP/1.1\r\nHost: mock\r\napikey: gb_test_apikey\r\nsecretkey: gb_test_secretkey\r\n\r\n")
	res, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if _, err := r.ReadByte(); !errors.Is(err, io.EOF) {
		t.Errorf("an idle keep-alive connection was not closed: %v", err)
	}
}

// TestOversizedHeadersAre431: headers past DefaultMaxHeaderBytes.
func TestOversizedHeadersAre431(t *testing.T) {
	s := startLimitServer(t, mockserver.Options{}, mockserver.DefaultTimeouts, nil)
	_, r := s.raw(t, "GET /api/v4.0/integrations/customers/cust_1/balance HTTP/1.1\r\nHost: mock\r\nX-Big: "+
		strings.Repeat("x", 2*mockserver.DefaultMaxHeaderBytes)+"\r\n\r\n")
	res, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("oversized headers: %d", res.StatusCode)
	}
}

// TestGracefulShutdownFinishesInFlight: Shutdown waits for a request in
// flight (here one that asked for 300ms of latency), which is answered in
// full, and new connections are refused.
func TestGracefulShutdownFinishesInFlight(t *testing.T) {
	s := startLimitServer(t, mockserver.Options{}, mockserver.DefaultTimeouts, nil)
	body := `{"customerId":"cust_sd","transactionId":"TXN-shutdown","transactionTime":"2024-10-11T10:48:56Z","amount":10}`
	_, r := s.raw(t, head(cashbackPath, len(body), "Prefer: delay=300ms\r\n")+body)
	time.Sleep(50 * time.Millisecond) // let the request reach its delay
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	shut := make(chan error, 1)
	go func() { shut <- s.http.Shutdown(ctx) }()

	res, _ := gameballError(t, r)
	if res.StatusCode != http.StatusOK {
		t.Errorf("the in-flight request got %d during shutdown", res.StatusCode)
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-s.served; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("Serve: %v", err)
	}
	if c, err := net.DialTimeout("tcp", s.addr, time.Second); err == nil {
		c.Close()
		t.Error("a new connection was accepted after shutdown")
	}
	if l, err := s.engine.Accounts()[0].Ledger("cust_sd"); err != nil || len(l) != 1 {
		t.Errorf("the in-flight request's transaction: %v %v", l, err)
	}
}

// TestShutdownStopsBatchesBetweenItems: closing the engine (what
// gameball-mock does after the HTTP server has shut down) stops a running
// job after its current item and returns; every processed item is applied
// whole, and the job stays processing, to resume from a saved state.
func TestShutdownStopsBatchesBetweenItems(t *testing.T) {
	s := startLimitServer(t, mockserver.Options{}, mockserver.DefaultTimeouts, func(c *loyalty.Config) { c.Batch.ItemDelay = 5 * time.Millisecond })
	c, err := client.New("gb_test_apikey", "gb_test_secretkey", client.BaseURL("http://"+s.addr))
	if err != nil {
		t.Fatal(err)
	}
	items := make([]client.CashbackBatchItem, 200)
	for i := range items {
		items[i] = client.CashbackBatchItem{CustomerID: "cust_batch", TransactionID: fmt.Sprintf("TXN-B-%d", i), TransactionTime: perfRecent(), Amount: 10}
	}
	res, err := c.Raw().RewardCashbackBatchWithResponse(context.Background(), client.RewardCashbackBatchRequest{Body: items})
	if err != nil || res.JSON200 == nil {
		t.Fatalf("submit: %v %v", err, res)
	}
	acct := s.engine.Accounts()[0]
	id := res.JSON200.JobID
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(time.Millisecond) {
		if st, _ := acct.BatchStatus(id); st.ProcessedItems >= 3 || time.Now().After(deadline) {
			break
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.http.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	s.engine.Close()
	st, err := acct.BatchStatus(id)
	if err != nil {
		t.Fatal(err)
	}
	ledger, _ := acct.Ledger("cust_batch")
	if st.State != loyalty.BatchProcessing || st.ProcessedItems == len(items) || st.FailedItems != 0 || len(ledger) != st.ProcessedItems {
		t.Errorf("after Close: %s, %d of %d processed (%d failed), %d ledger entries", st.State, st.ProcessedItems, len(items), st.FailedItems, len(ledger))
	}
	time.Sleep(50 * time.Millisecond)
	if again, _ := acct.BatchStatus(id); again.ProcessedItems != st.ProcessedItems {
		t.Errorf("items ran after Close: %d, then %d", st.ProcessedItems, again.ProcessedItems)
	}
}

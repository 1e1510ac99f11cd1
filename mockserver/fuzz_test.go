package mockserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/gbkit/gameball-go/internal/corpus"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/spec"
)

// Fuzz targets, one per operation: any bytes as the body, any values of the
// headers that carry keys and the media type, any path parameter. Whatever
// arrives, the mock answers a status the operation documents, never a 5xx,
// with a body that matches the spec for that status (Gameball's error object
// for a refusal), and does not panic.
//
//	go test ./mockserver -run '^$' -fuzz '^FuzzRewardCashback$' -fuzztime 60s
//	make fuzz FUZZTIME=10s   # every target in turn
//
// The seed corpus is in testdata/fuzz/<target>/, committed; plain `go test`
// runs it. Regenerate it with GAMEBALL_WRITE_FUZZ_SEEDS=1 go test -run
// TestWriteFuzzSeeds ./mockserver.

// fuzzOperation is an operation's request path as the fuzz targets call it.
type fuzzOperation struct {
	id, method, path string // path with "{}" where the parameter goes
	body             bool   // the operation takes a JSON body
}

var fuzzOperations = map[string]fuzzOperation{
	"rewardCashback":           {"rewardCashback", http.MethodPost, "/api/v4.0/integrations/transactions/cashback", true},
	"rewardCashbackBatch":      {"rewardCashbackBatch", http.MethodPost, "/api/v4.0/integrations/batch/cashback", true},
	"calculatePaymentCashback": {"calculatePaymentCashback", http.MethodPost, "/api/v4.0/integrations/payments/cashback", true},
	"adjustBalanceBatch":       {"adjustBalanceBatch", http.MethodPost, "/api/v4.0/integrations/batch/balance-adjustment", true},
	"addManualTransaction":     {"addManualTransaction", http.MethodPost, "/api/v4.0/integrations/transactions/manual", true},
	"getBatchStatus":           {"getBatchStatus", http.MethodGet, "/api/v4.0/integrations/batches/{}/status", false},
	"stopBatch":                {"stopBatch", http.MethodPost, "/api/v4.0/integrations/batches/{}/stop", false},
	"getCustomerBalance":       {"getCustomerBalance", http.MethodGet, "/api/v4.0/integrations/customers/{}/balance", false},
}

func FuzzRewardCashback(f *testing.F)           { fuzzOperationTarget(f, "rewardCashback") }
func FuzzRewardCashbackBatch(f *testing.F)      { fuzzOperationTarget(f, "rewardCashbackBatch") }
func FuzzCalculatePaymentCashback(f *testing.F) { fuzzOperationTarget(f, "calculatePaymentCashback") }
func FuzzAdjustBalanceBatch(f *testing.F)       { fuzzOperationTarget(f, "adjustBalanceBatch") }
func FuzzAddManualTransaction(f *testing.F)     { fuzzOperationTarget(f, "addManualTransaction") }
func FuzzGetBatchStatus(f *testing.F)           { fuzzOperationTarget(f, "getBatchStatus") }
func FuzzStopBatch(f *testing.F)                { fuzzOperationTarget(f, "stopBatch") }
func FuzzGetCustomerBalance(f *testing.F)       { fuzzOperationTarget(f, "getCustomerBalance") }

// fuzzServer is one mock per process (each fuzz worker is one), with a
// validator of its answers.
var fuzzServer = sync.OnceValues(func() (*fuzzTarget, error) {
	engine, err := loyalty.New(loyalty.DefaultConfig(), loyalty.SystemClock{})
	if err != nil {
		return nil, err
	}
	srv, err := mockserver.New(engine, mockserver.Options{})
	if err != nil {
		return nil, err
	}
	doc, err := spec.LoadForValidation()
	if err != nil {
		return nil, err
	}
	router, err := spec.PathRouter(doc)
	if err != nil {
		return nil, err
	}
	opts := spec.FilterOptions()
	opts.AuthenticationFunc = openapi3filter.NoopAuthenticationFunc
	t := &fuzzTarget{server: srv, router: router, opts: opts, documented: map[string][]int{}}
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			for code := range op.Responses.Map() {
				if status, err := strconv.Atoi(code); err == nil {
					t.documented[op.OperationID] = append(t.documented[op.OperationID], status)
				}
			}
		}
	}
	return t, nil
})

type fuzzTarget struct {
	server     *mockserver.Server
	router     routers.Router
	opts       openapi3filter.Options
	documented map[string][]int
}

func fuzzOperationTarget(f *testing.F, id string) {
	op := fuzzOperations[id]
	for _, seed := range fuzzSeeds(op) {
		f.Add(seed.param, seed.body, seed.contentType, seed.apiKey, seed.secretKey)
	}
	f.Fuzz(func(t *testing.T, param string, body []byte, contentType, apiKey, secretKey string) {
		target, err := fuzzServer()
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{contentType, apiKey, secretKey} {
			if !validHeaderValue(v) {
				t.Skip("net/http refuses such a header before any handler sees it")
			}
		}
		path := op.path
		if strings.Contains(path, "{}") {
			path = strings.Replace(path, "{}", url.PathEscape(param), 1)
		}
		req := httptest.NewRequest(op.method, "http://mock.test"+path, bytes.NewReader(body))
		for name, value := range map[string]string{"Content-Type": contentType, "apikey": apiKey, "secretkey": secretKey} {
			if value != "" {
				req.Header.Set(name, value)
			}
		}
		rec := httptest.NewRecorder()
		target.server.ServeHTTP(rec, req)
		res := rec.Result()
		got, _ := io.ReadAll(res.Body)
		if res.StatusCode >= 500 {
			t.Fatalf("%s answered %d: %s", id, res.StatusCode, got)
		}
		if !slices.Contains(target.documented[id], res.StatusCode) {
			t.Fatalf("%s answered %d, which it does not document (%v): %s", id, res.StatusCode, target.documented[id], got)
		}
		// The answer matches the spec for its status.
		check := httptest.NewRequest(op.method, "http://mock.test"+path, nil)
		route, params, err := target.router.FindRoute(check)
		if err != nil {
			return // a parameter that changes the path: the status was documented
		}
		in := &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route, Options: &target.opts}
		if err := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
			Body: io.NopCloser(bytes.NewReader(got)), Options: &target.opts,
		}); err != nil {
			t.Fatalf("%s answered %d with a body the spec does not allow: %v\n%s", id, res.StatusCode, err, got)
		}
	})
}

// validHeaderValue is net/http's rule for a field value: no control
// characters but tab.
func validHeaderValue(v string) bool {
	for i := range len(v) {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

type fuzzSeed struct {
	param                          string
	body                           []byte
	contentType, apiKey, secretKey string
}

// fuzzSeeds are the in-code seeds: valid calls, calls with wrong keys and
// media types, and bodies that are not JSON. The committed corpus adds the
// spec's examples, broken in every way internal/corpus knows.
func fuzzSeeds(op fuzzOperation) []fuzzSeed {
	const key, secret = "gb_test_apikey", "gb_test_secretkey"
	valid := map[string]string{
		"rewardCashback":           `{"customerId":"cust_1","transactionId":"TXN-1","transactionTime":"2024-10-11T10:48:56Z","amount":150.75}`,
		"rewardCashbackBatch":      `{"body":[{"customerId":"c1","transactionId":"B-1","transactionTime":"2024-10-11T10:48:56","amount":10}]}`,
		"calculatePaymentCashback": `{"customerId":"cust_1","totalPaid":100,"paymentDetails":[{"amount":60,"category":["Electronics"]}]}`,
		"adjustBalanceBatch":       `{"body":[{"customerId":"c1","amount":10,"reason":"r"}]}`,
		"addManualTransaction":     `{"customerId":"cust_1","transactionId":"M-1","transactionTime":"2024-10-11T10:48:56Z","username":"u","reason":"r","points":5}`,
	}[op.id]
	seeds := []fuzzSeed{
		{"1", []byte(valid), "application/json", key, secret},
		{"cust_1", []byte(valid), "application/json; charset=utf-8", key, secret},
		{"x", []byte(valid), "application/json", "wrong", secret},
		{"x", []byte(valid), "application/json", key, "wrong"},
		{"", []byte(valid), "application/json", "", ""},
		{"1", []byte(valid), "text/plain", key, secret},
		{"-1", []byte(valid), "", key, secret},
		{"../../x", nil, "application/json", key, secret},
		{"9223372036854775808", nil, "", key, secret},
	}
	for _, raw := range corpus.RawBodies {
		seeds = append(seeds, fuzzSeed{"1", []byte(raw), "application/json", key, secret})
	}
	return seeds
}

// TestWriteFuzzSeeds writes the committed seed corpus: for every operation,
// the spec's request examples and valid drawn bodies, each broken once in
// every place, as files in testdata/fuzz/<target>/. It runs only when asked.
func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("GAMEBALL_WRITE_FUZZ_SEEDS") == "" {
		t.Skip("set GAMEBALL_WRITE_FUZZ_SEEDS=1 to rewrite testdata/fuzz")
	}
	bodies := fuzzCorpusBodies(t)
	for id, op := range fuzzOperations {
		dir := filepath.Join("testdata", "fuzz", "Fuzz"+strings.ToUpper(id[:1])+id[1:])
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		var seeds []fuzzSeed
		if op.body {
			// At most 64, spread over the examples and their breakages.
			all := bodies[id]
			stride := max(1, (len(all)+63)/64)
			for i := 0; i < len(all); i += stride {
				seeds = append(seeds, fuzzSeed{"1", all[i], "application/json", "gb_test_apikey", "gb_test_secretkey"})
			}
		} else {
			for _, param := range []string{"1", "2", "0", "-1", "abc", "cust_1", "cust_12345abc", "4821", "99999999999999999999",
				"1.5", "1e3", " ", "%", "a/b", "..", "ünï", "\x00", strings.Repeat("9", 300)} {
				for _, body := range []string{"", "{}"} {
					seeds = append(seeds, fuzzSeed{param, []byte(body), "application/json", "gb_test_apikey", "gb_test_secretkey"})
				}
			}
		}
		for i, seed := range seeds {
			file := fmt.Sprintf("go test fuzz v1\nstring(%q)\n[]byte(%q)\nstring(%q)\nstring(%q)\nstring(%q)\n",
				seed.param, seed.body, seed.contentType, seed.apiKey, seed.secretKey)
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed-%03d", i)), []byte(file), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if len(seeds) == 0 {
			t.Fatalf("no seeds for %s", id)
		}
	}
}

// fuzzCorpusBodies are, per operation, JSON bodies built from the spec's
// examples and the operation's schema: each example as is and broken in
// each place in turn.
func fuzzCorpusBodies(t *testing.T) map[string][][]byte {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][][]byte{}
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			id := op.OperationID
			var examples []any
			if rb := op.RequestBody; rb != nil {
				mt := rb.Value.Content.Get("application/json")
				if mt.Example != nil {
					examples = append(examples, mt.Example)
				}
				for _, ex := range mt.Examples {
					examples = append(examples, ex.Value.Value)
				}
			}
			valid := map[string]any{}
			_ = json.Unmarshal([]byte(fuzzSeeds(fuzzOperations[id])[0].body), &valid)
			if len(valid) > 0 {
				examples = append(examples, valid)
			}
			if len(examples) == 0 {
				examples = append(examples, map[string]any{})
			}
			for _, ex := range examples {
				raw, _ := json.Marshal(ex)
				out[id] = append(out[id], raw)
				for _, broken := range corpus.EachBroken(ex) {
					raw, _ := json.Marshal(broken)
					out[id] = append(out[id], raw)
				}
			}
		}
	}
	return out
}

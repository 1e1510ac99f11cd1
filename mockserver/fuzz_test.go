package mockserver_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"

	"github.com/gbkit/gameball-go/contracttest"
	"github.com/gbkit/gameball-go/internal/corpus"
	"github.com/gbkit/gameball-go/internal/optable"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/spec"
)

// FuzzOperation fuzzes every operation of the operations table
// (internal/optable), so an operation taken into the spec is fuzzed with no
// edit here: any bytes as the body, any values of the headers that carry
// keys and the media type, any path parameter. Whatever arrives, the mock
// answers a status the operation documents, never a 5xx, with a body that
// matches the spec for that status (Gameball's error object for a refusal),
// and does not panic. The first argument names the operation; a name the
// table lacks picks one by its bytes, so the fuzzer's mutations of it still
// reach an operation.
//
//	go test ./mockserver -run '^$' -fuzz '^FuzzOperation$' -fuzztime 60s
//	make fuzz FUZZTIME=10s
//
// The seed corpus is in testdata/fuzz/FuzzOperation/, committed; plain `go
// test` runs it, and the in-code seeds below, for every operation of the
// table. Regenerate it with GAMEBALL_WRITE_FUZZ_SEEDS=1 go test -run
// TestWriteFuzzSeeds ./mockserver.
func FuzzOperation(f *testing.F) {
	for _, op := range optable.All {
		for _, seed := range fuzzSeeds(f, op) {
			f.Add(op.ID, seed.param, seed.body, seed.contentType, seed.apiKey, seed.secretKey)
		}
	}
	f.Fuzz(func(t *testing.T, id, param string, body []byte, contentType, apiKey, secretKey string) {
		op := fuzzedOperation(id)
		target, err := fuzzServer()
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{contentType, apiKey, secretKey} {
			if !validHeaderValue(v) {
				t.Skip("net/http refuses such a header before any handler sees it")
			}
		}
		path := op.Fill(url.PathEscape(param))
		req := httptest.NewRequest(op.Method, "http://mock.test"+path, bytes.NewReader(body))
		for name, value := range map[string]string{"Content-Type": contentType, "apikey": apiKey, "secretkey": secretKey} {
			if value != "" {
				req.Header.Set(name, value)
			}
		}
		// contracttest's Transport checks the answer against the spec,
		// an undocumented status included; the request is unchecked, as
		// it is meant to break the spec.
		res, err := target.checked.RoundTrip(req.WithContext(contracttest.DeliberatelyInvalid(req.Context())))
		if v, ok := errors.AsType[*contracttest.Violation](err); ok && v.Status != 0 {
			t.Fatalf("%s answered %d, which the spec does not allow (documented: %v): %v", op.ID, v.Status, op.Statuses, v.Err)
		}
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(res.Body)
		if res.StatusCode >= 500 {
			t.Fatalf("%s answered %d: %s", op.ID, res.StatusCode, got)
		}
		// A parameter that changes the path reaches no route, and the
		// Transport leaves its answer unchecked: it must still be a status
		// the operation documents.
		if !slices.Contains(op.Statuses, res.StatusCode) {
			t.Fatalf("%s answered %d, which it does not document (%v): %s", op.ID, res.StatusCode, op.Statuses, got)
		}
	})
}

// fuzzedOperation is the table's operation of that id or, for any other
// string, one chosen by its bytes.
func fuzzedOperation(id string) optable.Operation {
	if op, ok := optable.ByID(id); ok {
		return op
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return optable.All[h.Sum32()%uint32(len(optable.All))]
}

// fuzzServer is one mock per process (each fuzz worker is one), called in
// process through contracttest's validating Transport.
var fuzzServer = sync.OnceValues(func() (*fuzzTarget, error) {
	engine, err := loyalty.New(loyalty.DefaultConfig(), loyalty.SystemClock{})
	if err != nil {
		return nil, err
	}
	srv, err := mockserver.New(engine, mockserver.Options{})
	if err != nil {
		return nil, err
	}
	checked, err := contracttest.NewTransport(inProcess{srv})
	if err != nil {
		return nil, err
	}
	return &fuzzTarget{server: srv, checked: checked}, nil
})

type fuzzTarget struct {
	server  *mockserver.Server
	checked *contracttest.Transport
}

// inProcess is a RoundTripper that hands the request to a handler.
type inProcess struct{ h http.Handler }

func (p inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, req)
	return rec.Result(), nil
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

// fuzzValidBodies are request bodies known to be accepted, one for each
// operation with a body today: seeds that get past validation at once. An
// operation without one is seeded from its spec examples alone.
var fuzzValidBodies = map[string]string{
	"rewardCashback":           `{"customerId":"cust_1","transactionId":"TXN-1","transactionTime":"2024-10-11T10:48:56Z","amount":150.75}`,
	"rewardCashbackBatch":      `{"body":[{"customerId":"c1","transactionId":"B-1","transactionTime":"2024-10-11T10:48:56","amount":10}]}`,
	"calculatePaymentCashback": `{"customerId":"cust_1","totalPaid":100,"paymentDetails":[{"amount":60,"category":["Electronics"]}]}`,
	"adjustBalanceBatch":       `{"body":[{"customerId":"c1","amount":10,"reason":"r"}]}`,
	"addManualTransaction":     `{"customerId":"cust_1","transactionId":"M-1","transactionTime":"2024-10-11T10:48:56Z","username":"u","reason":"r","points":5}`,
}

// fuzzSeeds are the in-code seeds of an operation: its valid body and its
// spec examples, sent right, with wrong keys and media types, and bodies
// that are not JSON. The committed corpus adds the spec's examples, broken
// in every way internal/corpus knows.
func fuzzSeeds(tb testing.TB, op optable.Operation) []fuzzSeed {
	const key, secret = "gb_test_apikey", "gb_test_secretkey"
	bodies := [][]byte{[]byte(validRequestBody(tb, op))}
	for _, ex := range requestExamples(tb, op.ID) {
		raw, _ := json.Marshal(ex)
		bodies = append(bodies, raw)
	}
	var seeds []fuzzSeed
	for _, valid := range bodies {
		seeds = append(seeds,
			fuzzSeed{"1", valid, "application/json", key, secret},
			fuzzSeed{"cust_1", valid, "application/json; charset=utf-8", key, secret},
			fuzzSeed{"x", valid, "application/json", "wrong", secret},
			fuzzSeed{"x", valid, "application/json", key, "wrong"},
			fuzzSeed{"", valid, "application/json", "", ""},
			fuzzSeed{"1", valid, "text/plain", key, secret},
			fuzzSeed{"-1", valid, "", key, secret},
		)
	}
	seeds = append(seeds,
		fuzzSeed{"../../x", nil, "application/json", key, secret},
		fuzzSeed{"9223372036854775808", nil, "", key, secret},
	)
	for _, raw := range corpus.RawBodies {
		seeds = append(seeds, fuzzSeed{"1", []byte(raw), "application/json", key, secret})
	}
	return seeds
}

// validRequestBody is a request body of the operation that passes
// validation: its known valid body, else its first spec example, else a
// value drawn from its schema (internal/corpus, the same draw every time);
// "" for an operation without a body. An operation added to the spec gets
// one with no edit here.
func validRequestBody(tb testing.TB, op optable.Operation) string {
	if body, ok := fuzzValidBodies[op.ID]; ok || !op.Body {
		return body
	}
	if examples := requestExamples(tb, op.ID); len(examples) > 0 {
		raw, _ := json.Marshal(examples[0])
		return string(raw)
	}
	schema := requestSchema(tb, op.ID)
	if schema == nil {
		return ""
	}
	raw, _ := json.Marshal(rapid.Custom(func(t *rapid.T) any { return corpus.Valid(t, schema, "body") }).Example(0))
	return string(raw)
}

// requestSchema is the operation's JSON request body schema, or nil.
func requestSchema(tb testing.TB, id string) *openapi3.Schema {
	doc, err := bundle()
	if err != nil {
		tb.Fatal(err)
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			if op.OperationID == id && op.RequestBody != nil {
				if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
					return mt.Schema.Value
				}
			}
		}
	}
	return nil
}

// bundle is the spec the examples come from, loaded once per process.
var bundle = sync.OnceValues(spec.Load)

// requestExamples are the JSON request examples the spec gives an operation.
func requestExamples(tb testing.TB, id string) []any {
	doc, err := bundle()
	if err != nil {
		tb.Fatal(err)
	}
	var examples []any
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			if op.OperationID != id || op.RequestBody == nil {
				continue
			}
			mt := op.RequestBody.Value.Content.Get("application/json")
			if mt == nil {
				continue
			}
			if mt.Example != nil {
				examples = append(examples, mt.Example)
			}
			for _, ex := range mt.Examples {
				examples = append(examples, ex.Value.Value)
			}
		}
	}
	return examples
}

// TestWriteFuzzSeeds writes the committed seed corpus: for every operation
// of the table, the spec's request examples and valid bodies, each broken
// once in every place, or for an operation without a body, path parameters
// of every kind, as files in testdata/fuzz/FuzzOperation/. It runs only when
// asked.
func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("GAMEBALL_WRITE_FUZZ_SEEDS") == "" {
		t.Skip("set GAMEBALL_WRITE_FUZZ_SEEDS=1 to rewrite testdata/fuzz")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzOperation")
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, op := range optable.All {
		var seeds []fuzzSeed
		if bodies := fuzzCorpusBodies(t, op); len(bodies) > 0 {
			// At most 64, spread over the examples and their breakages.
			stride := max(1, (len(bodies)+63)/64)
			for i := 0; i < len(bodies); i += stride {
				seeds = append(seeds, fuzzSeed{"1", bodies[i], "application/json", "gb_test_apikey", "gb_test_secretkey"})
			}
		}
		if op.HasParam() || len(seeds) == 0 {
			for _, param := range []string{"1", "2", "0", "-1", "abc", "cust_1", "cust_12345abc", "4821", "99999999999999999999",
				"1.5", "1e3", " ", "%", "a/b", "..", "ünï", "\x00", strings.Repeat("9", 300)} {
				for _, body := range []string{"", "{}"} {
					seeds = append(seeds, fuzzSeed{param, []byte(body), "application/json", "gb_test_apikey", "gb_test_secretkey"})
				}
			}
		}
		for i, seed := range seeds {
			file := fmt.Sprintf("go test fuzz v1\nstring(%q)\nstring(%q)\n[]byte(%q)\nstring(%q)\nstring(%q)\nstring(%q)\n",
				op.ID, seed.param, seed.body, seed.contentType, seed.apiKey, seed.secretKey)
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%03d", op.ID, i)), []byte(file), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// fuzzCorpusBodies are an operation's JSON bodies built from the spec's
// examples and validRequestBody: each as is and broken in each place in
// turn. None for an operation without a request body.
func fuzzCorpusBodies(t *testing.T, op optable.Operation) [][]byte {
	examples := requestExamples(t, op.ID)
	if body := validRequestBody(t, op); body != "" {
		var valid any
		if err := json.Unmarshal([]byte(body), &valid); err != nil {
			t.Fatal(err)
		}
		if len(examples) == 0 || fuzzValidBodies[op.ID] != "" {
			examples = append(examples, valid)
		}
	}
	var out [][]byte
	for _, ex := range examples {
		raw, _ := json.Marshal(ex)
		out = append(out, raw)
		for _, broken := range corpus.EachBroken(ex) {
			raw, _ := json.Marshal(broken)
			out = append(out, raw)
		}
	}
	return out
}

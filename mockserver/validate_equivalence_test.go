package mockserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"

	"github.com/gbkit/gameball-go/internal/corpus"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/spec"
)

// TestValidatorAnswersAsWithTheBundle builds the mock's request validator
// twice, over the validation document (what the server uses) and over the
// 3.1 bundle (kin-openapi's 3.1 path), and requires the same answer, status
// and Gameball code, to drawn requests of every operation: valid and broken
// bodies, bodies that are not JSON, other media types, missing and wrong keys.
func TestValidatorAnswersAsWithTheBundle(t *testing.T) {
	engine, err := loyalty.New(loyalty.DefaultConfig(), loyalty.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer engine.Close()
	s, err := New(engine, Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc31, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	doc30, err := spec.LoadForValidation()
	if err != nil {
		t.Fatal(err)
	}
	passed := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	with31, with30 := s.validator(doc31)(passed), s.validator(doc30)(passed)
	ops := equivOperations(doc31)

	answer := func(h http.Handler, r equivRequest) (int, int) {
		req := httptest.NewRequest(r.method, r.path, bytes.NewReader(r.body))
		for k, v := range r.header {
			req.Header[k] = v
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var e struct{ Code int }
		_ = json.Unmarshal(rec.Body.Bytes(), &e)
		return rec.Code, e.Code
	}
	check := func(t interface{ Fatalf(string, ...any) }, r equivRequest, what string) {
		s31, c31 := answer(with31, r)
		s30, c30 := answer(with30, r)
		if s31 != s30 || c31 != c30 {
			t.Fatalf("%s %s %s (%v) %q:\n  with the 3.1 bundle:           %d code %d\n  with the validation document: %d code %d",
				what, r.method, r.path, r.header, r.body, s31, c31, s30, c30)
		}
	}

	for _, id := range slices.Sorted(maps.Keys(ops)) {
		op := ops[id]
		t.Run(id, func(t *testing.T) {
			if op.body != nil {
				for _, raw := range corpus.RawBodies {
					for _, ct := range []string{"application/json", "text/plain", ""} {
						check(t, op.request([]byte(raw), ct, true, true), "raw body")
					}
				}
			}
			rapid.Check(t, func(rt *rapid.T) {
				var body []byte
				what := "no body"
				if op.body != nil {
					value := corpus.Valid(rt, op.body, "body")
					what = "valid body"
					if rapid.Bool().Draw(rt, "broken?") {
						var b corpus.Breakage
						value, b = corpus.Broken(rt, value, "body")
						what = b.String()
					}
					body, _ = json.Marshal(value)
				}
				apiKey := rapid.IntRange(0, 5).Draw(rt, "apikey") > 0
				secretKey := rapid.IntRange(0, 5).Draw(rt, "secretkey") > 0
				check(rt, op.request(body, "application/json", apiKey, secretKey), what)
			})
		})
	}
}

type equivRequest struct {
	method, path string
	header       http.Header
	body         []byte
}

type equivOperation struct {
	method, path string
	body         *openapi3.Schema
}

func (op equivOperation) request(body []byte, contentType string, apiKey, secretKey bool) equivRequest {
	h := http.Header{}
	if contentType != "" && op.body != nil {
		h.Set("Content-Type", contentType)
	}
	if apiKey {
		h.Set("apikey", "gb_test_apikey")
	} else {
		h.Set("apikey", "wrong")
	}
	if secretKey {
		h.Set("secretkey", "gb_test_secretkey")
	}
	return equivRequest{method: op.method, path: op.path, header: h, body: body}
}

func equivOperations(doc *openapi3.T) map[string]equivOperation {
	out := map[string]equivOperation{}
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			o := equivOperation{method: method, path: strings.NewReplacer("{batchId}", "4821", "{customerId}", "cust_1").Replace(path)}
			if rb := op.RequestBody; rb != nil {
				if mt := rb.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
					o.body = mt.Schema.Value
				}
			}
			out[op.OperationID] = o
		}
	}
	if len(out) < 8 {
		panic(fmt.Sprintf("only %d operations", len(out)))
	}
	return out
}

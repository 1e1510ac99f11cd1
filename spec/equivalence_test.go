package spec_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"pgregory.net/rapid"

	"github.com/gbkit/gameball-go/contracttest"
	"github.com/gbkit/gameball-go/internal/bundle"
	"github.com/gbkit/gameball-go/internal/corpus"
	"github.com/gbkit/gameball-go/spec"
)

// The validation document (OpenAPI30, what every validator uses) must accept
// and refuse exactly what the bundle does under kin-openapi's 3.1 path. These
// tests run both through openapi3filter, with the same options, on every
// example of the spec and on drawn requests and responses, valid and broken.
// The benchmarks' other candidate, the bundle with bodies compiled once
// (compiled_test.go), is held to the same answers, so that the benchmarks
// compare validators that agree.

// TestOpenAPI30IsFresh fails when the bundle changed without `go generate`.
func TestOpenAPI30IsFresh(t *testing.T) {
	fresh, err := bundle.OpenAPI30(spec.Bundle)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, spec.OpenAPI30) {
		t.Fatalf("spec/%s is stale: run `go generate ./...` (make generate) and commit", bundle.OpenAPI30File)
	}
	doc, err := spec.LoadForValidation()
	if err != nil {
		t.Fatal(err)
	}
	if doc.IsOpenAPI31OrLater() {
		t.Fatalf("the validation document is OpenAPI %s; validators would take kin-openapi's 3.1 path", doc.OpenAPI)
	}
}

// TestOpenAPI30SameSurface: the same operations, parameters, bodies,
// statuses, media types, headers and security.
func TestOpenAPI30SameSurface(t *testing.T) {
	doc31, doc30 := loadBoth(t)
	a, b := surface(doc31), surface(doc30)
	if !slices.Equal(a, b) {
		t.Errorf("the documents differ beyond the 3.1 spellings:\nbundle:     %v\nvalidation: %v", a, b)
	}
	if len(a) < 8 {
		t.Fatalf("surface lists only %d operations", len(a))
	}
}

func surface(doc *openapi3.T) []string {
	var out []string
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			line := fmt.Sprintf("%s %s %s", method, path, op.OperationID)
			for _, p := range op.Parameters {
				line += fmt.Sprintf(" param(%s %s required=%v)", p.Value.In, p.Value.Name, p.Value.Required)
			}
			if rb := op.RequestBody; rb != nil {
				line += fmt.Sprintf(" body(required=%v %v)", rb.Value.Required, slices.Sorted(maps.Keys(rb.Value.Content)))
			}
			for _, code := range slices.Sorted(maps.Keys(op.Responses.Map())) {
				r := op.Responses.Value(code).Value
				line += fmt.Sprintf(" %s%v%v", code, slices.Sorted(maps.Keys(r.Content)), slices.Sorted(maps.Keys(r.Headers)))
			}
			if op.Security != nil {
				line += fmt.Sprintf(" security%v", *op.Security)
			}
			out = append(out, line)
		}
	}
	slices.Sort(out)
	return out
}

// TestOpenAPI30AgreesOnExamples: every example of the spec, sent as its
// request or answered as its response, gets the same verdict.
func TestOpenAPI30AgreesOnExamples(t *testing.T) {
	v31, v30, ops := validatorsForBoth(t)
	compiled := newCompiledValidator(t)
	examples := contracttest.Examples(v31.doc)
	if len(examples) < 16 {
		t.Fatalf("found only %d examples", len(examples))
	}
	for _, ex := range examples {
		op := ops[ex.Operation]
		raw, err := json.Marshal(ex.Value)
		if err != nil {
			t.Fatal(err)
		}
		var e31, e30, ec error
		if ex.Status == 0 {
			e31, e30, ec = v31.request(op, "application/json", raw), v30.request(op, "application/json", raw), compiled.request(op, "application/json", raw)
		} else {
			e31, e30, ec = v31.response(op, ex.Status, jsonHeader(), raw), v30.response(op, ex.Status, jsonHeader(), raw), compiled.response(op, ex.Status, jsonHeader(), raw)
		}
		if e31 != nil || e30 != nil || ec != nil {
			t.Errorf("%s: 3.1 says %v; 3.0 says %v; compiled 3.1 says %v", ex.Where, e31, e30, ec)
		}
	}
}

// TestOpenAPI30AgreesOnRequests draws request bodies from each operation's
// schema, valid or broken in one place, and requires the same verdict.
func TestOpenAPI30AgreesOnRequests(t *testing.T) {
	v31, v30, ops := validatorsForBoth(t)
	compiled := newCompiledValidator(t)
	for _, id := range slices.Sorted(maps.Keys(ops)) {
		op := ops[id]
		if op.body == nil {
			continue
		}
		t.Run(id, func(t *testing.T) {
			// Bodies that are not the right JSON at all, and other media types.
			for _, raw := range corpus.RawBodies {
				for _, ct := range []string{"application/json", "text/plain", "", "application/json; charset=utf-8"} {
					what := fmt.Sprintf("%s body %q", ct, raw)
					e31 := v31.request(op, ct, []byte(raw))
					agree(t, what, e31, v30.request(op, ct, []byte(raw)), compiled.request(op, ct, []byte(raw)))
				}
			}
			rapid.Check(t, func(rt *rapid.T) {
				value := corpus.Valid(rt, op.body, "body")
				what := "valid"
				if rapid.Bool().Draw(rt, "broken?") {
					var b corpus.Breakage
					value, b = corpus.Broken(rt, value, "body")
					what = b.String()
				} else if err := v30.request(op, "application/json", mustJSON(rt, value)); err != nil {
					rt.Fatalf("a valid draw is refused: %v", err)
				}
				raw := mustJSON(rt, value)
				agree(rt, fmt.Sprintf("%s: %s", what, raw), v31.request(op, "application/json", raw), v30.request(op, "application/json", raw), compiled.request(op, "application/json", raw))
			})
		})
	}
}

// TestOpenAPI30AgreesOnResponses draws response bodies (and Retry-After
// headers) for every documented status, valid or broken, and undocumented
// statuses, and requires the same verdict.
func TestOpenAPI30AgreesOnResponses(t *testing.T) {
	v31, v30, ops := validatorsForBoth(t)
	compiled := newCompiledValidator(t)
	for _, id := range slices.Sorted(maps.Keys(ops)) {
		op := ops[id]
		t.Run(id, func(t *testing.T) {
			statuses := slices.Sorted(maps.Keys(op.responses))
			rapid.Check(t, func(rt *rapid.T) {
				status := rapid.SampledFrom(append(statuses, 201, 418)).Draw(rt, "status")
				schema := op.responses[status]
				var value any = map[string]any{"code": float64(3000), "type": "PayloadError", "message": "m"}
				if schema != nil {
					value = corpus.Valid(rt, schema, "body")
				}
				what := "valid"
				if rapid.Bool().Draw(rt, "broken?") {
					var b corpus.Breakage
					value, b = corpus.Broken(rt, value, "body")
					what = b.String()
				}
				header := jsonHeader()
				if ra := rapid.SampledFrom([]string{"-", "1", "30", "", "x", "1.5", "-3"}).Draw(rt, "retryAfter"); ra != "-" {
					header.Set("Retry-After", ra)
				}
				raw := mustJSON(rt, value)
				agree(rt, fmt.Sprintf("%d %s: %s (Retry-After %q)", status, what, raw, header.Get("Retry-After")),
					v31.response(op, status, header, raw), v30.response(op, status, header, raw), compiled.response(op, status, header, raw))
			})
		})
	}
}

// agree fails when the validation document or the compiled bodies accept
// what kin-openapi's 3.1 path refuses, or the other way round.
func agree(t interface{ Fatalf(string, ...any) }, what string, e31, e30, compiled error) {
	if (e31 == nil) != (e30 == nil) || (e31 == nil) != (compiled == nil) {
		t.Fatalf("%s\n  kin-openapi 3.1 path: %v\n  validation document:  %v\n  compiled 3.1 bodies:  %v", what, e31, e30, compiled)
	}
}

func mustJSON(t *rapid.T, v any) []byte {
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func jsonHeader() http.Header { return http.Header{"Content-Type": {"application/json"}} }

func loadBoth(t testing.TB) (doc31, doc30 *openapi3.T) {
	t.Helper()
	doc31, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	doc30, err = spec.LoadForValidation()
	if err != nil {
		t.Fatal(err)
	}
	return doc31, doc30
}

// specOp is an operation to call: a concrete path, and the bundle's schemas.
type specOp struct {
	id, method, path string
	body             *openapi3.Schema
	responses        map[int]*openapi3.Schema // nil for a status without a JSON body
}

// validator is openapi3filter over one document, with the spec's options.
type validator struct {
	doc      *openapi3.T
	router   routers.Router
	opts     openapi3filter.Options
	compiled *compiledValidator // bodies by schemas compiled once, when set
}

func validatorsForBoth(t testing.TB) (v31, v30 *validator, ops map[string]specOp) {
	t.Helper()
	doc31, doc30 := loadBoth(t)
	if !doc31.IsOpenAPI31OrLater() {
		t.Fatal("the bundle is not OpenAPI 3.1: these tests would compare the 3.0 path with itself")
	}
	ops = map[string]specOp{}
	for _, path := range doc31.Paths.InMatchingOrder() {
		for method, op := range doc31.Paths.Value(path).Operations() {
			o := specOp{id: op.OperationID, method: method, responses: map[int]*openapi3.Schema{}}
			o.path = strings.NewReplacer("{batchId}", "4821", "{customerId}", "cust_12345abc").Replace(path)
			if rb := op.RequestBody; rb != nil {
				if mt := rb.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
					o.body = mt.Schema.Value
				}
			}
			for code, r := range op.Responses.Map() {
				status, err := strconv.Atoi(code)
				if err != nil {
					continue
				}
				o.responses[status] = nil
				if mt := r.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
					o.responses[status] = mt.Schema.Value
				}
			}
			ops[o.id] = o
		}
	}
	return newValidator(t, doc31), newValidator(t, doc30), ops
}

func newValidator(t testing.TB, doc *openapi3.T) *validator {
	t.Helper()
	router, err := spec.PathRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	opts := spec.FilterOptions()
	opts.AuthenticationFunc = openapi3filter.NoopAuthenticationFunc
	return &validator{doc: doc, router: router, opts: opts}
}

func (v *validator) input(op specOp, contentType string, body []byte) (*openapi3filter.RequestValidationInput, error) {
	req, err := http.NewRequest(op.method, "http://gameball.test"+op.path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return nil, err
	}
	return &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: &v.opts}, nil
}

func (v *validator) request(op specOp, contentType string, body []byte) error {
	in, err := v.input(op, contentType, body)
	if err != nil {
		return err
	}
	if v.compiled != nil {
		return v.compiled.ValidateRequest(context.Background(), in)
	}
	return openapi3filter.ValidateRequest(context.Background(), in)
}

func (v *validator) response(op specOp, status int, header http.Header, body []byte) error {
	in, err := v.input(op, "application/json", nil)
	if err != nil {
		return err
	}
	rin := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &v.opts,
	}
	if v.compiled != nil {
		return v.compiled.ValidateResponse(context.Background(), rin)
	}
	return openapi3filter.ValidateResponse(context.Background(), rin)
}

// newCompiledValidator is compiledValidator over a fresh 3.1 bundle.
func newCompiledValidator(t testing.TB) *validator {
	t.Helper()
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	v := newValidator(t, doc)
	if v.compiled, err = newCompiled(doc); err != nil {
		t.Fatal(err)
	}
	return v
}

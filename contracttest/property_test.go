package contracttest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/internal/corpus"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/spec"
	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"
)

// propertyTarget is a mock of its own for the property tests, so their
// random traffic cannot disturb the sequence's expectations.
type propertyTarget struct {
	doc *openapi3.T
	tr  *Transport
	hc  *http.Client
	url string
	cfg loyalty.AccountConfig
}

func newPropertyTarget(t *testing.T) *propertyTarget {
	t.Helper()
	cfg := loyalty.DefaultConfig()
	engine, err := loyalty.New(cfg, loyalty.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(engine.Close)
	srv, err := mockserver.New(engine, mockserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTransport(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &propertyTarget{doc: doc, tr: tr, hc: &http.Client{Transport: tr, Timeout: 30 * time.Second}, url: ts.URL, cfg: cfg.Accounts[0]}
}

// bodyOperation is an operation with a JSON request body.
type bodyOperation struct {
	id, method, path string
	schema           *openapi3.Schema
}

func (p *propertyTarget) bodyOperations() []bodyOperation {
	var out []bodyOperation
	for _, path := range p.doc.Paths.InMatchingOrder() {
		item := p.doc.Paths.Value(path)
		for _, method := range slices.Sorted(maps.Keys(item.Operations())) {
			op := item.Operations()[method]
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
				out = append(out, bodyOperation{op.OperationID, method, path, mt.Schema.Value})
			}
		}
	}
	return out
}

// send posts body to op with the account's keys and returns status and body.
// The transport validates the response against the spec whatever it is.
func (p *propertyTarget) send(ctx context.Context, op bodyOperation, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, op.method, p.url+op.path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("apikey", p.cfg.APIKey)
	req.Header.Set("secretkey", p.cfg.SecretKey)
	resp, err := p.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

// TestPropertyValidRequests: a request drawn from an operation's request
// schema passes request validation and is answered with a documented
// status, never a 5xx, with a body that validates.
func TestPropertyValidRequests(t *testing.T) {
	p := newPropertyTarget(t)
	for _, op := range p.bodyOperations() {
		t.Run(op.id, func(t *testing.T) {
			rapid.Check(t, func(rt *rapid.T) {
				body, err := json.Marshal(corpus.Valid(rt, op.schema, "body"))
				if err != nil {
					rt.Fatal(err)
				}
				status, answer, err := p.send(context.Background(), op, body)
				if err != nil {
					rt.Fatalf("%s with %s: %v", op.id, body, err)
				}
				if status >= 500 {
					rt.Fatalf("%s with %s: %d %s", op.id, body, status, answer)
				}
			})
		})
	}
}

// mutation breaks a valid body in one way and says what the mock must answer.
type mutation struct {
	name   string
	status int
	code   int
}

// TestPropertyMutatedRequests: a valid body broken in one way (a required
// property dropped, a property of the wrong type or null, a value below its
// minimum, the JSON cut short) gets the documented 4xx with Gameball's error
// object and the code for that kind of break.
func TestPropertyMutatedRequests(t *testing.T) {
	p := newPropertyTarget(t)
	for _, op := range p.bodyOperations() {
		t.Run(op.id, func(t *testing.T) {
			rapid.Check(t, func(rt *rapid.T) {
				value := corpus.Valid(rt, op.schema, "body")
				body, want := mutate(rt, op.schema, value)
				ctx := DeliberatelyInvalid(context.Background())
				status, answer, err := p.send(ctx, op, body)
				if err != nil {
					rt.Fatalf("%s (%s) with %s: %v", op.id, want.name, body, err)
				}
				var e client.GameballError
				if jsonErr := json.Unmarshal(answer, &e); jsonErr != nil || status != want.status || e.Code != want.code {
					rt.Fatalf("%s (%s) with %s: got %d %s, want %d with code %d", op.id, want.name, body, status, answer, want.status, want.code)
				}
			})
		})
	}
}

// mutate breaks value in one way chosen by rt and returns the broken JSON.
func mutate(rt *rapid.T, schema *openapi3.Schema, value any) ([]byte, mutation) {
	places := placesIn(schema, value, nil)
	kinds := []string{"truncate"}
	if slices.ContainsFunc(places, func(pl place) bool { return pl.required }) {
		kinds = append(kinds, "drop")
	}
	if len(places) > 0 {
		kinds = append(kinds, "retype", "null")
	}
	if slices.ContainsFunc(places, func(pl place) bool { return pl.schema.Min != nil }) {
		kinds = append(kinds, "below")
	}
	switch kind := rapid.SampledFrom(kinds).Draw(rt, "mutation"); kind {
	case "drop":
		pl := rapid.SampledFrom(filter(places, func(pl place) bool { return pl.required })).Draw(rt, "place")
		return marshal(rt, remove(value, pl.path)), mutation{"drop " + pl.String(), 400, 3000}
	case "retype":
		pl := rapid.SampledFrom(places).Draw(rt, "place")
		return marshal(rt, replace(value, pl.path, wrongType(pl.schema))), mutation{"retype " + pl.String(), 422, 3003}
	case "null":
		pl := rapid.SampledFrom(places).Draw(rt, "place")
		return marshal(rt, replace(value, pl.path, nil)), mutation{"null " + pl.String(), 422, 3001}
	case "below":
		pl := rapid.SampledFrom(filter(places, func(pl place) bool { return pl.schema.Min != nil })).Draw(rt, "place")
		below := mutation{"below the minimum " + pl.String(), 422, 3003}
		if pl.String() == "/expiryAfter" {
			// Published: the manual transaction's "Expiry cannot be negative" is a 400.
			below.status, below.code = 400, 3016
		}
		return marshal(rt, replace(value, pl.path, *pl.schema.Min-1)), below
	default:
		full := marshal(rt, value)
		cut := rapid.IntRange(1, len(full)-1).Draw(rt, "cut")
		return full[:cut], mutation{fmt.Sprintf("cut to %d of %d bytes", cut, len(full)), 400, 3016}
	}
}

// place is a property present in a drawn value.
type place struct {
	path     []any // object member names and array indexes
	schema   *openapi3.Schema
	required bool
}

func (pl place) String() string {
	parts := make([]string, len(pl.path))
	for i, p := range pl.path {
		parts[i] = fmt.Sprint(p)
	}
	return "/" + strings.Join(parts, "/")
}

// placesIn lists the declared properties present in value, at any depth.
// Members of free-form objects (additionalProperties) are not places: any
// value fits there.
func placesIn(s *openapi3.Schema, value any, at []any) []place {
	var out []place
	switch v := value.(type) {
	case map[string]any:
		for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
			member, ok := v[name]
			prop := s.Properties[name]
			if !ok || prop == nil || prop.Value == nil {
				continue
			}
			path := append(slices.Clone(at), name)
			out = append(out, place{path, prop.Value, slices.Contains(s.Required, name)})
			if len(prop.Value.Properties) > 0 || prop.Value.Items != nil {
				out = append(out, placesIn(prop.Value, member, path)...)
			}
		}
	case []any:
		if s.Items != nil && s.Items.Value != nil {
			for i, item := range v {
				out = append(out, placesIn(s.Items.Value, item, append(slices.Clone(at), i))...)
			}
		}
	}
	return out
}

// wrongType is a value of a JSON type s does not allow.
func wrongType(s *openapi3.Schema) any {
	switch {
	case s.Type.Is("string"):
		return 42.0
	case s.Type.Is("array"):
		return map[string]any{"not": "an array"}
	default: // numbers, booleans, objects
		return "not a " + strings.Join(s.Type.Slice(), " or ")
	}
}

func remove(value any, path []any) any { return edit(value, path, nil, true) }

func replace(value any, path []any, with any) any { return edit(value, path, with, false) }

// edit returns a copy of value with the member at path replaced or removed.
func edit(value any, path []any, with any, drop bool) any {
	if len(path) == 0 {
		return with
	}
	switch v := value.(type) {
	case map[string]any:
		out := maps.Clone(v)
		name := path[0].(string)
		if len(path) == 1 && drop {
			delete(out, name)
		} else {
			out[name] = edit(v[name], path[1:], with, drop)
		}
		return out
	case []any:
		out := slices.Clone(v)
		i := path[0].(int)
		out[i] = edit(v[i], path[1:], with, drop)
		return out
	}
	return value
}

func filter(places []place, keep func(place) bool) []place {
	return slices.DeleteFunc(slices.Clone(places), func(pl place) bool { return !keep(pl) })
}

func marshal(rt *rapid.T, v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		rt.Fatal(err)
	}
	return data
}

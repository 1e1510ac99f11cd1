package contracttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/gbkit/gameball-go/client/gbapi"
	"github.com/gbkit/gameball-go/spec"
	"github.com/getkin/kin-openapi/openapi3"
)

// requestBodies makes, per operation with a JSON body, a value of its
// generated request body type.
var requestBodies = map[string]func() any{
	"rewardCashback":           func() any { return new(gbapi.RewardCashbackJSONRequestBody) },
	"rewardCashbackBatch":      func() any { return new(gbapi.RewardCashbackBatchJSONRequestBody) },
	"calculatePaymentCashback": func() any { return new(gbapi.CalculatePaymentCashbackJSONRequestBody) },
	"adjustBalanceBatch":       func() any { return new(gbapi.AdjustBalanceBatchJSONRequestBody) },
	"addManualTransaction":     func() any { return new(gbapi.AddManualTransactionJSONRequestBody) },
	"refundTransaction":        func() any { return new(gbapi.RefundTransactionJSONRequestBody) },
	"redeemPoints":             func() any { return new(gbapi.RedeemPointsJSONRequestBody) },
	"holdPoints":               func() any { return new(gbapi.HoldPointsJSONRequestBody) },
}

// responseParsers are the generated client's response decoders, per operation.
var responseParsers = map[string]func(*http.Response) (any, error){
	"rewardCashback":           func(r *http.Response) (any, error) { return gbapi.ParseRewardCashbackResponse(r) },
	"rewardCashbackBatch":      func(r *http.Response) (any, error) { return gbapi.ParseRewardCashbackBatchResponse(r) },
	"calculatePaymentCashback": func(r *http.Response) (any, error) { return gbapi.ParseCalculatePaymentCashbackResponse(r) },
	"adjustBalanceBatch":       func(r *http.Response) (any, error) { return gbapi.ParseAdjustBalanceBatchResponse(r) },
	"addManualTransaction":     func(r *http.Response) (any, error) { return gbapi.ParseAddManualTransactionResponse(r) },
	"getBatchStatus":           func(r *http.Response) (any, error) { return gbapi.ParseGetBatchStatusResponse(r) },
	"stopBatch":                func(r *http.Response) (any, error) { return gbapi.ParseStopBatchResponse(r) },
	"getCustomerBalance":       func(r *http.Response) (any, error) { return gbapi.ParseGetCustomerBalanceResponse(r) },
	"refundTransaction":        func(r *http.Response) (any, error) { return gbapi.ParseRefundTransactionResponse(r) },
	"redeemPoints":             func(r *http.Response) (any, error) { return gbapi.ParseRedeemPointsResponse(r) },
	"holdPoints":               func(r *http.Response) (any, error) { return gbapi.ParseHoldPointsResponse(r) },
	"getHold":                  func(r *http.Response) (any, error) { return gbapi.ParseGetHoldResponse(r) },
	"releaseHold":              func(r *http.Response) (any, error) { return gbapi.ParseReleaseHoldResponse(r) },
	"activateTransaction":      func(r *http.Response) (any, error) { return gbapi.ParseActivateTransactionResponse(r) },
	"listTransactions":         func(r *http.Response) (any, error) { return gbapi.ParseListTransactionsResponse(r) },
}

// Example is one example of the spec: where it is, its schema and its value.
type Example struct {
	Where     string // e.g. "rewardCashback response 200 (media example)"
	Operation string
	Status    int // 0 for a request body
	Schema    *openapi3.Schema
	Value     any
}

// Examples lists every example of doc's JSON bodies: media-level example and
// examples, the body schema's own example, and one example synthesized from
// the property-level examples (so a zone-less date-time on a nested property
// is decoded too).
func Examples(doc *openapi3.T) []Example {
	var out []Example
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for _, method := range slices.Sorted(maps.Keys(item.Operations())) {
			op := item.Operations()[method]
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				out = append(out, mediaExamples(op.OperationID, "request", 0, op.RequestBody.Value.Content.Get("application/json"))...)
			}
			for _, code := range slices.Sorted(maps.Keys(op.Responses.Map())) {
				status, err := strconv.Atoi(code)
				ref := op.Responses.Value(code)
				if err != nil || ref == nil || ref.Value == nil {
					continue
				}
				out = append(out, mediaExamples(op.OperationID, "response "+code, status, ref.Value.Content.Get("application/json"))...)
			}
		}
	}
	return out
}

func mediaExamples(op, what string, status int, mt *openapi3.MediaType) []Example {
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return nil
	}
	schema := mt.Schema.Value
	add := func(kind string, v any) Example {
		return Example{Where: fmt.Sprintf("%s %s (%s)", op, what, kind), Operation: op, Status: status, Schema: schema, Value: v}
	}
	var out []Example
	if mt.Example != nil {
		out = append(out, add("media example", mt.Example))
	}
	for _, name := range slices.Sorted(maps.Keys(mt.Examples)) {
		if ex := mt.Examples[name]; ex != nil && ex.Value != nil {
			out = append(out, add("media examples/"+name, ex.Value.Value))
		}
	}
	if schema.Example != nil {
		out = append(out, add("schema example", schema.Example))
	}
	if v, ok := synthesize(schema, 0); ok {
		out = append(out, add("property examples", v))
	}
	return out
}

// synthesize builds a value from the examples of a schema's properties and
// items, or reports false when none of them has one.
func synthesize(s *openapi3.Schema, depth int) (any, bool) {
	if s == nil || depth > 16 {
		return nil, false
	}
	if s.Example != nil && depth > 0 {
		return s.Example, true
	}
	switch {
	case s.Type.Is("object") || len(s.Properties) > 0:
		obj := map[string]any{}
		for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
			if p := s.Properties[name]; p != nil {
				if v, ok := synthesize(p.Value, depth+1); ok {
					obj[name] = v
				}
			}
		}
		return obj, len(obj) > 0
	case s.Type.Is("array") && s.Items != nil:
		if v, ok := synthesize(s.Items.Value, depth+1); ok {
			return []any{v}, true
		}
	}
	return nil, false
}

// CheckExample validates an example against its schema (with the spec's
// date-time rule) and decodes it into the generated type the client uses for
// it; a member the type has no field for is an error too.
func CheckExample(ex Example) error {
	opts := append(spec.SchemaOptions(), openapi3.EnableJSONSchema2020())
	if ex.Status == 0 {
		opts = append(opts, openapi3.VisitAsRequest())
	} else {
		opts = append(opts, openapi3.VisitAsResponse())
	}
	if err := ex.Schema.VisitJSON(ex.Value, opts...); err != nil {
		return fmt.Errorf("%s does not validate: %w", ex.Where, err)
	}
	raw, err := json.Marshal(ex.Value)
	if err != nil {
		return fmt.Errorf("%s: %w", ex.Where, err)
	}
	decoded, err := decode(ex, raw)
	if err != nil {
		return fmt.Errorf("%s does not decode into the generated type: %w", ex.Where, err)
	}
	again, err := json.Marshal(decoded)
	if err != nil {
		return fmt.Errorf("%s: %w", ex.Where, err)
	}
	var original, roundTrip any
	_ = json.Unmarshal(raw, &original)
	_ = json.Unmarshal(again, &roundTrip)
	// The models leave a zero value out of what they encode (omitzero: an absent
	// field reads as zero), so a member whose example is zero is kept when the
	// type has a field for it.
	missing := slices.DeleteFunc(missingKeys(original, roundTrip, ""), func(at string) bool {
		return isZeroAt(original, at) && hasFieldAt(reflect.TypeOf(decoded), at)
	})
	if len(missing) > 0 {
		return fmt.Errorf("%s: the generated type drops %v", ex.Where, missing)
	}
	return nil
}

func decode(ex Example, raw []byte) (any, error) {
	if ex.Status == 0 {
		newBody := requestBodies[ex.Operation]
		if newBody == nil {
			return nil, fmt.Errorf("no generated request type known for %s", ex.Operation)
		}
		v := newBody()
		dec := json.NewDecoder(bytes.NewReader(raw))
		return v, dec.Decode(v)
	}
	parse := responseParsers[ex.Operation]
	if parse == nil {
		return nil, fmt.Errorf("no generated response parser known for %s", ex.Operation)
	}
	res, err := parse(&http.Response{
		StatusCode: ex.Status,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(bytes.NewReader(raw)),
	})
	if err != nil {
		return nil, err
	}
	field := reflect.ValueOf(res).Elem().FieldByName(fmt.Sprintf("JSON%d", ex.Status))
	if !field.IsValid() || field.IsNil() {
		return nil, fmt.Errorf("the generated response has no decoded JSON%d", ex.Status)
	}
	return field.Interface(), nil
}

// isZeroAt tells whether the JSON value at the slash-separated path at is a
// zero value: 0, "", false, null, {} or [].
func isZeroAt(v any, at string) bool {
	for _, k := range strings.Split(strings.TrimPrefix(at, "/"), "/") {
		switch c := v.(type) {
		case map[string]any:
			v = c[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i >= len(c) {
				return false
			}
			v = c[i]
		default:
			return false
		}
	}
	switch z := v.(type) {
	case nil:
		return true
	case float64:
		return z == 0
	case string:
		return z == ""
	case bool:
		return !z
	case map[string]any:
		return len(z) == 0
	case []any:
		return len(z) == 0
	}
	return false
}

// hasFieldAt tells whether the Go type t has a field for every member of the
// slash-separated JSON path at (array indexes step into the element type).
func hasFieldAt(t reflect.Type, at string) bool {
	for _, k := range strings.Split(strings.TrimPrefix(at, "/"), "/") {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Slice, reflect.Array:
			if _, err := strconv.Atoi(k); err != nil {
				return false
			}
			t = t.Elem()
		case reflect.Struct:
			f, ok := fieldByJSONName(t, k)
			if !ok {
				return false
			}
			t = f.Type
		default:
			return false
		}
	}
	return true
}

// fieldByJSONName is t's field encoded as the JSON member name.
func fieldByJSONName(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// missingKeys lists the object members of want that got lacks.
func missingKeys(want, got any, at string) []string {
	var out []string
	switch w := want.(type) {
	case map[string]any:
		g, _ := got.(map[string]any)
		for _, k := range slices.Sorted(maps.Keys(w)) {
			gv, ok := g[k]
			if !ok {
				out = append(out, at+"/"+k)
				continue
			}
			out = append(out, missingKeys(w[k], gv, at+"/"+k)...)
		}
	case []any:
		g, _ := got.([]any)
		for i := range w {
			if i < len(g) {
				out = append(out, missingKeys(w[i], g[i], fmt.Sprintf("%s/%d", at, i))...)
			}
		}
	}
	return out
}

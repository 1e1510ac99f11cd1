// Package corpus draws JSON values from OpenAPI schemas for property tests:
// values a schema accepts, and the same values broken in one place (a member
// removed, a null, a wrong type, a bad date-time, a value below a minimum,
// an unknown enum value, an unknown member). The equivalence tests of the
// validation document (package spec and the mock server) feed both to
// validators and compare their verdicts; the fuzz targets of the mock server
// start from them.
//
// Values are what encoding/json decodes into an any: nil, bool, float64,
// string, []any and map[string]any.
package corpus

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"
)

// Valid draws a value that s accepts: required members always, optional ones
// half the time, null where the schema allows it, date-times with and
// without a UTC offset, enums from their values, numbers within their bounds.
func Valid(t *rapid.T, s *openapi3.Schema, label string) any {
	return valid(t, s, label, 0)
}

const maxDepth = 12

func valid(t *rapid.T, s *openapi3.Schema, label string, depth int) any {
	if s == nil || depth > maxDepth {
		return nil
	}
	// The bundle is OpenAPI 3.1: null is valid only where the type lists it; a
	// `nullable` there (Gameball publishes one) validates nothing.
	if s.Type.Includes("null") && rapid.IntRange(0, 3).Draw(t, label+".null?") == 0 {
		return nil
	}
	if len(s.Enum) > 0 {
		return rapid.SampledFrom(s.Enum).Draw(t, label)
	}
	var types []string
	for _, typ := range s.Type.Slice() {
		if typ != "null" {
			types = append(types, typ)
		}
	}
	typ := "object"
	if len(types) > 0 {
		typ = rapid.SampledFrom(types).Draw(t, label+".type")
	}
	switch typ {
	case "object":
		obj := map[string]any{}
		for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
			prop := s.Properties[name]
			if prop == nil || prop.Value == nil {
				continue
			}
			if slices.Contains(s.Required, name) || rapid.Bool().Draw(t, label+"."+name+"?") {
				obj[name] = valid(t, prop.Value, label+"."+name, depth+1)
			}
		}
		if ap := s.AdditionalProperties; ap.Has != nil && *ap.Has || ap.Schema != nil {
			for i := range rapid.IntRange(0, 2).Draw(t, label+".extra") {
				var v any = rapid.SampledFrom([]any{"v", float64(i), true}).Draw(t, label+".extraValue")
				if ap.Schema != nil && ap.Schema.Value != nil {
					v = valid(t, ap.Schema.Value, label+".extraValue", depth+1)
				}
				obj[fmt.Sprintf("x%d", i)] = v
			}
		}
		return obj
	case "array":
		lo := int(s.MinItems)
		hi := lo + 3
		if s.MaxItems != nil {
			hi = min(hi, int(*s.MaxItems))
		}
		out := make([]any, rapid.IntRange(lo, hi).Draw(t, label+".len"))
		for i := range out {
			if s.Items != nil && s.Items.Value != nil {
				out[i] = valid(t, s.Items.Value, fmt.Sprintf("%s[%d]", label, i), depth+1)
			} else {
				out[i] = "item"
			}
		}
		return out
	case "string":
		if s.Format == "date-time" {
			return DateTime(t, label)
		}
		return rapid.SampledFrom(strings_).Draw(t, label)
	case "integer":
		return float64(rapid.IntRange(intBound(s.Min, -10), intBound(s.Max, 7400)).Draw(t, label))
	case "number":
		lo, hi := bound(s.Min, -50), bound(s.Max, 5000)
		if rapid.Bool().Draw(t, label+".whole") {
			return float64(rapid.IntRange(int(lo), int(hi)).Draw(t, label))
		}
		return rapid.Float64Range(lo, hi).Draw(t, label)
	case "boolean":
		return rapid.Bool().Draw(t, label)
	}
	return nil
}

// strings_ are the strings drawn for plain string schemas: ids that collide,
// contacts, the empty string and some that are not ASCII.
var strings_ = []string{"a", "cust_1", "cust_2", "TXN-1", "TXN-2", "x@example.com", "+201000000000", "", " ", "ünïcødé", "0", "null"}

// DateTime draws a past date-time in one of the forms Gameball uses: RFC
// 3339 with Z or an offset, with or without a fraction, or without an offset.
func DateTime(t *rapid.T, label string) string {
	at := time.Date(2024, 10, 11, 10, 48, 56, 719_000_000, time.UTC).
		Add(-time.Duration(rapid.Int64Range(0, int64(400*24*time.Hour)).Draw(t, label+".ago")))
	layout := rapid.SampledFrom([]string{time.RFC3339, time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04:05.000", "2006-01-02T15:04:05-07:00"}).Draw(t, label+".layout")
	if strings.HasSuffix(layout, "-07:00") {
		at = at.In(time.FixedZone("", 2*3600))
	}
	return at.Format(layout)
}

// Breakage is one way Broken breaks a value.
type Breakage struct {
	At   string // JSON pointer of the broken place ("" for the whole value)
	What string // what was done there
}

func (b Breakage) String() string { return fmt.Sprintf("%s at %q", b.What, b.At) }

// replacements are what Broken may put in place of a value.
var replacements = []any{
	nil, "", "x", "completed", float64(-1), float64(0), 1.5, float64(7), -0.0001, 1e300, true, false,
	map[string]any{}, []any{}, map[string]any{"a": float64(1)}, []any{"x"}, []any{nil},
	"2024-10-11T10:48:56", "2024-10-11T10:48:56+02:00", "2024-10-11 10:48:56", "2024-13-01T00:00:00Z",
	"2024-10-11T25:00:00Z", "2024-10-11T10:48:56.719Z", "yesterday", "1", "true",
}

// Broken draws a copy of v broken in one place: a member removed or added, or
// a value replaced (with null, another type, a bad or good date-time, a
// negative number, an unknown word). The copy may still be valid (a member
// that was optional, a replacement of the right type): the point is that
// validators agree on it.
func Broken(t *rapid.T, v any, label string) (any, Breakage) {
	v = deepCopy(v)
	var places []string
	collect(v, "", &places)
	at := rapid.SampledFrom(places).Draw(t, label+".at")
	parentAt, key := splitPointer(at)
	parent := lookup(v, parentAt)
	obj, isMember := parent.(map[string]any)
	ops := []string{"replace"}
	if at != "" && isMember {
		ops = append(ops, "remove")
	}
	if target, ok := lookup(v, at).(map[string]any); ok && target != nil {
		ops = append(ops, "add member")
	}
	op := rapid.SampledFrom(ops).Draw(t, label+".op")
	switch op {
	case "remove":
		delete(obj, key)
		return v, Breakage{At: at, What: "removed"}
	case "add member":
		lookup(v, at).(map[string]any)["unexpectedMember"] = rapid.SampledFrom(replacements).Draw(t, label+".member")
		return v, Breakage{At: at, What: "added unexpectedMember"}
	}
	with := deepCopy(rapid.SampledFrom(replacements).Draw(t, label+".with"))
	what := fmt.Sprintf("replaced with %#v", with)
	if at == "" {
		return with, Breakage{At: at, What: what}
	}
	switch p := parent.(type) {
	case map[string]any:
		p[key] = with
	case []any:
		var i int
		_, _ = fmt.Sscanf(key, "%d", &i)
		p[i] = with
	}
	return v, Breakage{At: at, What: what}
}

func collect(v any, at string, into *[]string) {
	*into = append(*into, at)
	switch v := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			collect(v[k], at+"/"+escape(k), into)
		}
	case []any:
		for i, item := range v {
			collect(item, fmt.Sprintf("%s/%d", at, i), into)
		}
	}
}

func escape(s string) string { return strings.NewReplacer("~", "~0", "/", "~1").Replace(s) }

func unescape(s string) string { return strings.NewReplacer("~1", "/", "~0", "~").Replace(s) }

func splitPointer(at string) (parent, key string) {
	i := strings.LastIndex(at, "/")
	if i < 0 {
		return "", ""
	}
	return at[:i], unescape(at[i+1:])
}

func lookup(v any, at string) any {
	if at == "" {
		return v
	}
	for _, part := range strings.Split(at[1:], "/") {
		part = unescape(part)
		switch c := v.(type) {
		case map[string]any:
			v = c[part]
		case []any:
			var i int
			_, _ = fmt.Sscanf(part, "%d", &i)
			v = c[i]
		default:
			return nil
		}
	}
	return v
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = deepCopy(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = deepCopy(x)
		}
		return out
	}
	return v
}

func bound(p *float64, fallback float64) float64 {
	if p != nil {
		return *p
	}
	return fallback
}

func intBound(p *float64, fallback int) int {
	if p != nil {
		return int(*p)
	}
	return fallback
}

// RawBodies are request bodies that are not a JSON value of the right
// shape at all, for the validators and the fuzz seeds.
var RawBodies = []string{
	"", " ", "{", "}", "[", "{\"", `{"customerId":`, `{"customerId":"cust_1"`, "null", "true", "42", `"s"`, "[]", "[{}]",
	"{}", `{"a":1}{"b":2}`, "\x00", "\xff\xfe", "{\"customerId\":\"\xff\"}", `{"amount":1e999}`, `{"amount":-0}`,
	`{"customerId":"a","customerId":"b"}`, strings.Repeat("[", 1000), `{"body":[` + strings.Repeat(`{},`, 50) + `{}]}`,
}

// EachBroken is Broken made deterministic, for seed corpora: copies of v
// with each place in turn removed (a member), set to null, and replaced by
// a value of another type.
func EachBroken(v any) []any {
	var places []string
	collect(v, "", &places)
	var out []any
	for _, at := range places {
		parentAt, key := splitPointer(at)
		if _, member := lookup(v, parentAt).(map[string]any); member && at != "" {
			c := deepCopy(v)
			delete(lookup(c, parentAt).(map[string]any), key)
			out = append(out, c)
		}
		for _, with := range []any{nil, "x", 1.5, -1.0, []any{}, map[string]any{}, "2024-10-11 10:48:56"} {
			if at == "" {
				out = append(out, with)
				continue
			}
			c := deepCopy(v)
			switch p := lookup(c, parentAt).(type) {
			case map[string]any:
				p[key] = deepCopy(with)
			case []any:
				var i int
				_, _ = fmt.Sscanf(key, "%d", &i)
				p[i] = deepCopy(with)
			}
			out = append(out, c)
		}
	}
	return out
}

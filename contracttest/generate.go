package contracttest

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"
)

// Request values drawn from an operation's request schema, for the property
// tests. Ids come from small alphabets so that draws collide (a customer
// seen twice, a transactionId replayed), which is where a stateful mock's
// rules live.

// drawValue draws a JSON value (as encoding/json would decode it) that
// satisfies s.
func drawValue(t *rapid.T, s *openapi3.Schema, label string) any {
	switch {
	case len(s.Enum) > 0:
		return rapid.SampledFrom(s.Enum).Draw(t, label)
	case s.Type.Is("object") || len(s.Properties) > 0:
		return drawObject(t, s, label)
	case s.Type.Is("array"):
		return drawArray(t, s, label)
	case s.Type.Is("string"):
		return drawString(t, s, label)
	case s.Type.Is("integer"):
		return float64(rapid.IntRange(intBound(s.Min, -10), intBound(s.Max, 7400)).Draw(t, label))
	case s.Type.Is("number"):
		lo, hi := bound(s.Min, -50), bound(s.Max, 5000)
		// Whole numbers half the time: points and amounts are often whole.
		if rapid.Bool().Draw(t, label+".whole") {
			return float64(rapid.IntRange(int(lo), int(hi)).Draw(t, label))
		}
		return rapid.Float64Range(lo, hi).Draw(t, label)
	case s.Type.Is("boolean"):
		return rapid.Bool().Draw(t, label)
	}
	return nil
}

func drawObject(t *rapid.T, s *openapi3.Schema, label string) map[string]any {
	obj := map[string]any{}
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		prop := s.Properties[name]
		if prop == nil || prop.Value == nil {
			continue
		}
		if slices.Contains(s.Required, name) || rapid.Bool().Draw(t, label+"."+name+"?") {
			obj[name] = drawValue(t, prop.Value, label+"."+name)
		}
	}
	if s.AdditionalProperties.Has != nil && *s.AdditionalProperties.Has || s.AdditionalProperties.Schema != nil {
		for i := range rapid.IntRange(0, 2).Draw(t, label+".extra") {
			obj[fmt.Sprintf("x%d", i)] = rapid.OneOf(rapid.Just[any]("v"), rapid.Just[any](float64(i))).Draw(t, label+".extraValue")
		}
	}
	return obj
}

func drawArray(t *rapid.T, s *openapi3.Schema, label string) []any {
	if s.Items == nil || s.Items.Value == nil {
		return []any{}
	}
	lo := 0
	if s.MinItems > 0 {
		lo = int(s.MinItems)
	}
	hi := lo + 4
	if s.MaxItems != nil {
		hi = min(hi, int(*s.MaxItems))
	}
	n := rapid.IntRange(lo, hi).Draw(t, label+".len")
	out := make([]any, n)
	for i := range out {
		out[i] = drawValue(t, s.Items.Value, fmt.Sprintf("%s[%d]", label, i))
	}
	return out
}

func drawString(t *rapid.T, s *openapi3.Schema, label string) string {
	if s.Format == "date-time" {
		// The past, so most draws pass the future-time rule; and both forms
		// Gameball knows, with and without a UTC offset.
		at := time.Now().UTC().Add(-time.Duration(rapid.Int64Range(int64(time.Minute), int64(400*24*time.Hour)).Draw(t, label)))
		if rapid.Bool().Draw(t, label+".zoneless") {
			return at.Format("2006-01-02T15:04:05")
		}
		return at.Format(time.RFC3339Nano)
	}
	return rapid.SampledFrom([]string{"a", "b", "c", "cust_1", "cust_2", "TXN-1", "TXN-2", "x@example.com", "+201000000000", ""}).Draw(t, label)
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

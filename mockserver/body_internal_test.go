package mockserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"testing"

	"pgregory.net/rapid"
)

// TestIntegralNumbers: which literals are rewritten, and that strings are
// left alone whatever they hold.
func TestIntegralNumbers(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"p":10.0}`, `{"p":10}`},
		{`{"p":1e1,"q":1E+1,"r":100e-1}`, `{"p":10,"q":10,"r":10}`},
		{`{"p":-0.0}`, `{"p":0}`},
		{`{"p":10.5,"q":1.05e1,"r":10}`, `{"p":10.5,"q":1.05e1,"r":10}`},
		{`{"p":1e300,"q":1e-300,"r":92233720368547758080.0}`, `{"p":1e300,"q":1e-300,"r":92233720368547758080.0}`},
		{`{"p":9.223372036854775807e18}`, `{"p":9223372036854775807}`},
		{`{"s":"10.0 \" 1e1 \\","t":[2.0]}`, `{"s":"10.0 \" 1e1 \\","t":[2]}`},
		{`[1.0,"2.0",{"3.0":3.0}]`, `[1,"2.0",{"3.0":3}]`},
	}
	for _, tt := range tests {
		if got := string(integralNumbers([]byte(tt.in))); got != tt.want {
			t.Errorf("integralNumbers(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestIntegralNumbersProperty: any JSON text whose integers are written in
// any integral form (10.0, 1e1, 100e-1) decodes, once rewritten, to the
// same value with plain integer literals; strings are never touched.
func TestIntegralNumbersProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var value func(depth int) (text string, want any)
		value = func(depth int) (string, any) {
			switch kind := rapid.IntRange(0, 3).Draw(t, "kind"); {
			case kind == 0 || depth > 3:
				n := rapid.Int64Range(-1<<53, 1<<53).Draw(t, "n")
				forms := []string{strconv.FormatInt(n, 10), strconv.FormatInt(n, 10) + ".0", strconv.FormatInt(n, 10) + ".000", strconv.FormatInt(n, 10) + "e0", strconv.FormatInt(n, 10) + "0e-1"}
				return rapid.SampledFrom(forms).Draw(t, "form"), json.Number(strconv.FormatInt(n, 10))
			case kind == 1:
				s := rapid.StringMatching(`[a-z0-9.eE"\\ ]{0,12}`).Draw(t, "s")
				data, _ := json.Marshal(s)
				return string(data), s
			case kind == 2:
				n := rapid.IntRange(0, 3).Draw(t, "len")
				text, want := "[", []any{}
				for i := range n {
					itemText, item := value(depth + 1)
					if i > 0 {
						text += ","
					}
					text += itemText
					want = append(want, item)
				}
				return text + "]", want
			default:
				n := rapid.IntRange(0, 3).Draw(t, "fields")
				text, want := "{", map[string]any{}
				for i := range n {
					key := fmt.Sprintf("k%d.0", i)
					itemText, item := value(depth + 1)
					if i > 0 {
						text += ","
					}
					text += fmt.Sprintf("%q:%s", key, itemText)
					want[key] = item
				}
				return text + "}", want
			}
		}
		text, want := value(0)
		var got any
		dec := json.NewDecoder(bytes.NewReader(integralNumbers([]byte(text))))
		dec.UseNumber()
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s rewritten as %s decodes to %v, want %v", text, integralNumbers([]byte(text)), got, want)
		}
	})
}

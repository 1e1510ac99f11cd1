package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"testing"

	"pgregory.net/rapid"
)

// TestWholeNumber: which number tokens are rewritten, and to what.
func TestWholeNumber(t *testing.T) {
	cases := []struct {
		tok, want string // want "" for left alone
	}{
		{"50.0", "50"}, {"5e1", "50"}, {"5.0E+1", "50"}, {"500e-1", "50"}, {"-7.000", "-7"},
		{"0.0", "0"}, {"-0.0", "0"}, {"0e5", "0"}, {"1.5e1", "15"}, {"12000e-2", "120"},
		{"9223372036854775807.0", "9223372036854775807"}, {"-9223372036854775808.0", "-9223372036854775808"},
		{"9007199254740993.0", "9007199254740993"}, // beyond float64's exact integers: done on digits
		{"50", ""}, {"-3", ""}, // already integers
		{"50.5", ""}, {"0.05", ""}, {"5e-1", ""}, {"50.000000000000001", ""}, // fractions
		{"9223372036854775808.0", ""}, {"1e19", ""}, {"1e400", ""}, {"1e99999999999", ""}, // too large
		{"1e-2147483648", ""}, {"0e-99999999999", ""},
		{"01.0", ""}, {"1.", ""}, {".5", ""}, {"1e", ""}, {"1e+", ""}, {"1.0.0", ""}, {"1-1", ""}, {"-", ""}, // not numbers
	}
	for _, tc := range cases {
		got, ok := wholeNumber(tc.tok)
		if ok != (tc.want != "") || got != tc.want {
			t.Errorf("wholeNumber(%q) = %q, %v; want %q", tc.tok, got, ok, tc.want)
		}
	}
}

// TestIntegralNumbersLeavesTheRestAlone: strings (escaped quotes included)
// and bodies with nothing to rewrite come back byte for byte.
func TestIntegralNumbersLeavesTheRestAlone(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"a":1.0,"b":"1.0","c":[2.0,"x\"3.0",4e0]}`, `{"a":1,"b":"1.0","c":[2,"x\"3.0",4]}`},
		{`{"s":"\\","n":6.0}`, `{"s":"\\","n":6}`},
		{`{"a":1,"b":2.5,"c":"3.0"}`, `{"a":1,"b":2.5,"c":"3.0"}`},
		{`[1.0`, `[1`}, // invalid stays invalid
		{`"unterminated 1.0`, `"unterminated 1.0`},
		{``, ``},
	}
	for _, tc := range cases {
		if got := string(integralNumbers([]byte(tc.in))); got != tc.want {
			t.Errorf("integralNumbers(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
	same := []byte(`{"a":1,"b":"2.0"}`)
	if got := integralNumbers(same); &got[0] != &same[0] {
		t.Error("a body with nothing to rewrite was copied")
	}
}

// TestIntegralNumbersKeepsValues: for any JSON document, the rewrite
// decodes to the same values, and every whole number in it, however it was
// spelled, decodes into an int64.
func TestIntegralNumbersKeepsValues(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.Int64().Draw(t, "n")
		spelling := rapid.SampledFrom([]string{"%d.0", "%de0", "%d.000E+0", "%d00e-2"}).Draw(t, "spelling")
		if n == 0 && spelling == "%d00e-2" {
			spelling = "%d.00e-2" // 000e-2 is not JSON
		}
		tok := []byte(fmt.Sprintf(spelling, n))
		var got int64
		if err := json.Unmarshal(integralNumbers(tok), &got); err != nil || got != n {
			t.Fatalf("%s: decoded %d, %v; want %d", tok, got, err, n)
		}

		doc := rapid.SliceOf(rapid.OneOf(
			rapid.Map(rapid.Float64(), func(f float64) any { return f }),
			rapid.Map(rapid.Int32(), func(i int32) any { return float64(i) }),
			rapid.Map(rapid.String(), func(s string) any { return s }),
			rapid.Map(rapid.MapOf(rapid.String(), rapid.Float64()), func(m map[string]float64) any { return m }),
		)).Draw(t, "doc")
		for i, v := range doc {
			if f, ok := v.(float64); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
				doc[i] = 0.0
			}
			if m, ok := v.(map[string]float64); ok {
				for k, f := range m {
					if math.IsInf(f, 0) || math.IsNaN(f) {
						m[k] = 0
					}
				}
			}
		}
		body, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		var before, after any
		if err := json.Unmarshal(body, &before); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(integralNumbers(body), &after); err != nil || !reflect.DeepEqual(before, after) {
			t.Fatalf("%s rewritten as %s: %v", body, integralNumbers(body), err)
		}
	})
}

// batchStatusBody is the status of a finished 1,000-item batch, the largest
// answer the client reads, as the mock writes it (integers as integers).
func batchStatusBody() []byte {
	st := BatchStatus{Status: BatchStateCompleted, TotalItems: 1000, ProcessedItems: 1000, FailedItems: 0}
	results := make([]any, 1000)
	for i := range results {
		results[i] = BatchItemResult{Index: new(i), CustomerID: fmt.Sprintf("cust_%d", i), TransactionID: fmt.Sprintf("TXN-%d", i),
			GameballTransactionID: int64(100000 + i), Points: 150}
	}
	st.Results = results
	body, _ := json.Marshal(st)
	return body
}

// BenchmarkDecodeBatchStatus measures the rewrite of integral numbers
// against the decoding it precedes, on the largest answer: as the mock
// writes it (nothing to rewrite) and with every points and index spelled
// 150.0 (a rewrite per item). Compare the medians of the sub-benchmarks.
func BenchmarkDecodeBatchStatus(b *testing.B) {
	plain := batchStatusBody()
	spelled := bytes.ReplaceAll(bytes.ReplaceAll(plain, []byte(`"points":150`), []byte(`"points":150.0`)), []byte(`"index":`), []byte(`"index":1e0*`))
	spelled = bytes.ReplaceAll(spelled, []byte(`1e0*`), []byte(``)) // keep the index valid: only points are respelled
	for _, bc := range []struct {
		name string
		run  func(body []byte) error
	}{
		{"decode", func(body []byte) error { var st BatchStatus; return json.Unmarshal(body, &st) }},
		{"rewrite", func(body []byte) error { _ = integralNumbers(body); return nil }},
	} {
		for _, body := range []struct {
			name string
			b    []byte
		}{{"as-written", plain}, {"all-150.0", spelled}} {
			b.Run(bc.name+"/"+body.name, func(b *testing.B) {
				b.SetBytes(int64(len(body.b)))
				for b.Loop() {
					if err := bc.run(body.b); err != nil && bc.name == "decode" && body.name == "as-written" {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

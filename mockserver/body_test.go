package mockserver_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gbkit/gameball-go/mockserver"
)

// Bodies as issue 13 found them: JSON that is not one value, integral
// numbers, ids that could not be read back, secrets at the journal's cut.

// TestJournalRedactsBeforeTheCut: a secret straddling the journal's 64 KiB
// cut of a body is redacted, not kept in part.
func TestJournalRedactsBeforeTheCut(t *testing.T) {
	m := startQA(t, mockserver.Options{Secrets: []string{"gb_test_secretkey"}}, nil)
	prefix := `{"customerId":"c1","transactionId":"t1","transactionTime":"` + recentTime() + `","amount":1,"email":"`
	pad := strings.Repeat("x", 64<<10-len(prefix)-8)
	body := prefix + pad + " gb_test_secretkey " + strings.Repeat("y", 100) + `"}`
	send(t, m.url, http.MethodPost, cashbackPath, body, nil)
	a := send(t, m.url, http.MethodGet, "/_mock/journal", "", nil)
	if a.status != 200 || !strings.Contains(string(a.body), "requestBodyTruncated") {
		t.Fatalf("journal: %d %.300s", a.status, a.body)
	}
	for n := len("gb_test_secretkey"); n >= 6; n-- {
		if bytes.Contains(a.body, []byte("gb_test_secretkey"[:n])) {
			t.Fatalf("the journal keeps %q of the secret", "gb_test_secretkey"[:n])
		}
	}
}

// TestMalformedJSONIsRefused: JSON text that is not one whole, valid UTF-8
// value is 400/3016 on both APIs, and changes nothing.
func TestMalformedJSONIsRefused(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	clockBefore := send(t, m.url, http.MethodGet, "/_mock/clock", "", nil).body
	tests := []struct {
		name, method, path, body string
	}{
		{"trailing garbage", "POST", cashbackPath, cashbackJSON("m1", "t1") + "xyz"},
		{"two objects", "POST", cashbackPath, cashbackJSON("m1", "t2") + cashbackJSON("m1", "t3")},
		{"invalid UTF-8 in a string", "POST", manualPath, strings.Replace(manualJSON("m1", "t4", "10"), `"r"`, "\"r\xff\xfe\"", 1)},
		{"control: trailing garbage", "PUT", "/_mock/clock", `{"now":"2030-01-01T00:00:00Z"}xyz`},
		{"control: two objects", "PUT", "/_mock/clock", `{"now":"2030-01-01T00:00:00Z"}{"now":"2031-01-01T00:00:00Z"}`},
		{"control: invalid UTF-8", "POST", "/_mock/seed", "{\"accounts\":[{\"name\":\"default\",\"customers\":[{\"id\":\"m1\xff\"}]}]}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := send(t, m.url, tt.method, tt.path, tt.body, nil)
			if a.status != 400 || a.err.Code != 3016 {
				t.Errorf("answered %d %s, want 400 with code 3016", a.status, a.body)
			}
		})
	}
	if b := balanceOf(t, m.url, "m1"); b != -1 {
		t.Errorf("malformed requests made customer m1 (balance %d)", b)
	}
	if after := send(t, m.url, http.MethodGet, "/_mock/clock", "", nil).body; !bytes.Equal(clockBefore[:20], after[:20]) {
		t.Errorf("malformed requests moved the clock: %s then %s", clockBefore, after)
	}
}

// TestIntegralNumbersAreIntegers: where the spec says integer, 10.0 and 1e1
// are the integer 10 (as JSON Schema has it); a fraction is 422/3003; no
// message names Go's types.
func TestIntegralNumbersAreIntegers(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	tests := []struct {
		points string
		status int
		code   int
		adds   int
	}{
		{"10", 200, 0, 10},
		{"10.0", 200, 0, 10},
		{"1e1", 200, 0, 10},
		{"1.0E1", 200, 0, 10},
		{"-0.0", 0, 0, 0}, // whatever the rules say of 0, not a type error
		{"10.5", 422, 3003, 0},
		{"1e300", 422, 3003, 0},
		{"-1e300", 422, 3003, 0},
	}
	for i, tt := range tests {
		t.Run(tt.points, func(t *testing.T) {
			before := max(0, balanceOf(t, m.url, "n1"))
			a := send(t, m.url, http.MethodPost, manualPath, manualJSON("n1", fmt.Sprintf("t%d", i), tt.points), nil)
			for _, goName := range []string{"Go struct", "of type", "int64", "float64", "json: "} {
				if strings.Contains(a.err.Message, goName) {
					t.Errorf("message %q shows Go's terms (%q)", a.err.Message, goName)
				}
			}
			if tt.status == 0 {
				if a.status == 400 {
					t.Errorf("points %s: %d %s", tt.points, a.status, a.body)
				}
				return
			}
			if a.status != tt.status || int(a.err.Code) != tt.code {
				t.Fatalf("points %s: %d %s, want %d code %d", tt.points, a.status, a.body, tt.status, tt.code)
			}
			if got := max(0, balanceOf(t, m.url, "n1")) - before; got != tt.adds {
				t.Errorf("points %s added %d, want %d", tt.points, got, tt.adds)
			}
		})
	}
}

// TestEveryWrittenIDIsReadable: a customerId a write accepts can be read
// back through its GET path; one that could not is refused at write time.
func TestEveryWrittenIDIsReadable(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	for i, id := range []string{"plain", ".", "..", "a/b", "a/../b", "./x", "x/.", "%2E", "a?b", "a#b", "a b", "a%b", "é", "a\\b", "a//b", "/"} {
		t.Run(id, func(t *testing.T) {
			w := send(t, m.url, http.MethodPost, cashbackPath, cashbackJSON(id, fmt.Sprintf("id-%d", i)), nil)
			switch {
			case w.status == 200:
				if b := balanceOf(t, m.url, id); b <= 0 {
					t.Errorf("customerId %q was written but reads as %d", id, b)
				}
			case w.status == 422 && w.err.Code == 3003:
			default:
				t.Errorf("customerId %q: %d %s", id, w.status, w.body)
			}
			// A seed is a write too: the same ids, the same answer.
			seed := send(t, m.url, http.MethodPost, "/_mock/seed", fmt.Sprintf(`{"accounts":[{"name":"second","customers":[{"id":%q}]}]}`, id), nil)
			if (seed.status == 200) != (w.status == 200) {
				t.Errorf("customerId %q: the API answered %d, a seed %d %s", id, w.status, seed.status, seed.body)
			}
		})
	}
}

// TestHandlersActOnWhatWasValidated: member names are exact, as the
// validator reads them. A member that differs from a property only in case
// is not that property (encoding/json would take it for one, and the last
// of the two would win), so the engine credits the customer the validated
// customerId names, for the validated amount.
func TestHandlersActOnWhatWasValidated(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	plain := cashbackJSON("plain1", "v1")
	folded := strings.TrimSuffix(cashbackJSON("exact1", "v2"), "}") + `,"CustomerID":"folded1","AMOUNT":5000}`
	for _, body := range []string{plain, folded} {
		if a := send(t, m.url, http.MethodPost, cashbackPath, body, nil); a.status != 200 {
			t.Fatalf("%s: answered %d %s", body, a.status, a.body)
		}
	}
	want := balanceOf(t, m.url, "plain1")
	if got := balanceOf(t, m.url, "exact1"); want <= 0 || got != want {
		t.Errorf("exact1 has %d points, want %d as for the same body without the folded members", got, want)
	}
	if got := balanceOf(t, m.url, "folded1"); got != -1 {
		t.Errorf("folded1, named only by a case-folded member, has %d points", got)
	}
}

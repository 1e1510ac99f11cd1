package gbtime_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/gbtime"
)

func TestDecode(t *testing.T) {
	cases := []struct {
		in   string
		want time.Time
	}{
		{`"2024-11-01T08:39:00"`, time.Date(2024, 11, 1, 8, 39, 0, 0, time.UTC)},
		{`"2024-10-11T10:48:56.719Z"`, time.Date(2024, 10, 11, 10, 48, 56, 719e6, time.UTC)},
		{`"2024-10-11T12:48:56+02:00"`, time.Date(2024, 10, 11, 10, 48, 56, 0, time.UTC)},
		{`"2024-12-01T00:00:00.5"`, time.Date(2024, 12, 1, 0, 0, 0, 5e8, time.UTC)},
	}
	for _, c := range cases {
		var got gbtime.Time
		if err := json.Unmarshal([]byte(c.in), &got); err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if !got.Equal(c.want) {
			t.Errorf("%s decoded as %v, want %v", c.in, got, c.want)
		}
	}
}

func TestDecodeRefuses(t *testing.T) {
	for _, in := range []string{`"2024-11-01"`, `"2024-11-01 08:39:00"`, `"2024-13-01T08:39:00"`, `"2024-11-01T8:39:00"`, `"yesterday"`, `1730450340`, `""`, `"2024-11-01T08:39:00+0200"`} {
		var got gbtime.Time
		if err := json.Unmarshal([]byte(in), &got); err == nil {
			t.Errorf("%s decoded as %v, want an error", in, got)
		}
	}
}

func TestEncodeRFC3339(t *testing.T) {
	cases := []struct {
		in   gbtime.Time
		want string
	}{
		{gbtime.Date(2024, 11, 1, 8, 39, 0, 0), `"2024-11-01T08:39:00Z"`},
		{gbtime.Date(2024, 10, 11, 10, 48, 56, 719e6), `"2024-10-11T10:48:56.719Z"`},
		{gbtime.New(time.Date(2024, 10, 11, 12, 0, 0, 0, time.FixedZone("", 2*3600))), `"2024-10-11T12:00:00+02:00"`},
	}
	for _, c := range cases {
		got, err := json.Marshal(c.in)
		if err != nil || string(got) != c.want {
			t.Errorf("%v encoded as %s (%v), want %s", c.in.Time, got, err, c.want)
		}
	}
}

func TestNullLeavesValue(t *testing.T) {
	v := struct{ T *gbtime.Time }{}
	if err := json.Unmarshal([]byte(`{"T":null}`), &v); err != nil || v.T != nil {
		t.Errorf("null decoded as %v (%v), want nil", v.T, err)
	}
}

func TestRoundTrip(t *testing.T) {
	in := gbtime.Date(2031, 2, 3, 4, 5, 6, 7)
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out gbtime.Time
	if err := json.Unmarshal(data, &out); err != nil || !out.Equal(in.Time) {
		t.Errorf("round trip of %v gave %v (%v)", in, out, err)
	}
}

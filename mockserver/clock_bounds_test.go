package mockserver_test

import (
	"context"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/mockserver/control"
)

// TestClockRefusesWhatItCannotHold: the control API refuses (422/3003) a
// time outside the clock's range, by setting or by advancing, and leaves
// the clock where it was; an accepted advance moves the clock the way its
// sign says. Before, 9999-12-31 read back as 2319, 0001-01-01 as 1734, and
// two advances of 2562047h went back to 2026.
func TestClockRefusesWhatItCannotHold(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	ctx := context.Background()
	now := func() time.Time {
		t.Helper()
		res, err := m.ctl.GetClockWithResponse(ctx)
		if err != nil || res.JSON200 == nil {
			t.Fatalf("getClock: %v", err)
		}
		return res.JSON200.Now
	}
	type move struct {
		name    string
		do      func() (status int, body []byte, err error)
		refused bool
		// forward/back: the direction an accepted move goes; 0 for a set.
		direction int
	}
	set := func(ts string) func() (int, []byte, error) {
		return func() (int, []byte, error) {
			at, _ := time.Parse(time.RFC3339, ts)
			res, err := m.ctl.SetClockWithResponse(ctx, control.ClockSet{Now: at})
			if err != nil {
				return 0, nil, err
			}
			return res.StatusCode(), res.Body, nil
		}
	}
	advance := func(by string) func() (int, []byte, error) {
		return func() (int, []byte, error) {
			res, err := m.ctl.AdvanceClockWithResponse(ctx, control.ClockAdvance{By: by})
			if err != nil {
				return 0, nil, err
			}
			return res.StatusCode(), res.Body, nil
		}
	}
	moves := []move{
		{"set to 9999-12-31", set("9999-12-31T23:59:59Z"), true, 0},
		{"set to 0001-01-01", set("0001-01-01T00:00:00Z"), true, 0},
		{"advance by the longest duration", advance("2562047h"), true, 0},
		{"advance back by the longest duration", advance("-2562047h"), true, 0},
		{"advance by 100 years", advance("36500d"), false, 1},
		{"advance by another 100 years, past 2200", advance("36500d"), true, 0},
		{"advance back by a day", advance("-1d"), false, -1},
		{"set to 2199-12-31", set("2199-12-31T00:00:00Z"), false, 0},
		{"advance past the range by a day", advance("2d"), true, 0},
		{"set to 1900-01-01", set("1900-01-01T00:00:00Z"), false, 0},
		{"advance before the range", advance("-1d"), true, 0},
		{"a state whose clock offset is beyond the range", func() (int, []byte, error) {
			res, err := m.ctl.PutStateWithResponse(ctx, control.MockState{Format: control.MockStateFormatV1, Version: loyalty.StateVersion,
				Accounts: []control.StateAccount{}, ClockOffset: new("2562047h")})
			if err != nil {
				return 0, nil, err
			}
			return res.StatusCode(), res.Body, nil
		}, true, 0},
	}
	for _, mv := range moves {
		before := now()
		status, body, err := mv.do()
		if err != nil {
			t.Fatalf("%s: %v", mv.name, err)
		}
		after := now()
		if mv.refused {
			if status != 422 || errorCode(body) != 3003 {
				t.Errorf("%s: answered %d %s, want 422/3003", mv.name, status, body)
			}
			if d := after.Sub(before); d < 0 || d > time.Minute {
				t.Errorf("%s: the clock moved from %s to %s on a refusal", mv.name, before, after)
			}
			continue
		}
		if status != 200 {
			t.Errorf("%s: answered %d %s", mv.name, status, body)
		}
		if mv.direction > 0 && !after.After(before) || mv.direction < 0 && !after.Before(before) {
			t.Errorf("%s: the clock went from %s to %s", mv.name, before, after)
		}
	}
}

package mockserver

import "testing"

func TestReadiness(t *testing.T) {
	cases := []struct {
		name                  string
		stopping, saveFailing bool
		want                  bool
	}{
		{"from the start", false, false, true},
		{"shutting down", true, false, false},
		{"a save failing", false, true, false},
		{"both", true, true, false},
	}
	for _, c := range cases {
		var r readiness
		r.stopping.Store(c.stopping)
		r.saveFailing.Store(c.saveFailing)
		if got := r.ready(); got != c.want {
			t.Errorf("%s: ready %v, want %v", c.name, got, c.want)
		}
	}
	var r readiness
	if r.file() != "" {
		t.Errorf("no state file: %q", r.file())
	}
	path := "/tmp/state.json"
	r.stateFile.Store(&path)
	if r.file() != path {
		t.Errorf("state file %q, want %q", r.file(), path)
	}
}

package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionLine(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	tests := []struct {
		name    string
		stamped string
		info    *debug.BuildInfo
		want    string
	}{
		{"make dist in a clean checkout", "v1.2.0", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}, Settings: vcs("abc123", "false")}, "gameball-mock v1.2.0 (commit abc123)"},
		{"make dist with local changes", "v0.0.0-dev-d3171d1-dirty", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201085600-d3171d1aaaaa+dirty"}, Settings: vcs("d3171d1aaaaa", "true")}, "gameball-mock v0.0.0-dev-d3171d1-dirty (commit d3171d1aaaaa, modified)"},
		{"go install …@v1.2.0", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "gameball-mock v1.2.0"},
		{"go install …@latest on an untagged commit", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201085600-d3171d1aaaaa"}}, "gameball-mock v0.0.0-20261201085600-d3171d1aaaaa"},
		{"go build in a checkout", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("abc123", "false")}, "gameball-mock (devel) (commit abc123)"},
		{"go build without version control", "", &debug.BuildInfo{Main: debug.Module{Version: ""}}, "gameball-mock (devel)"},
		{"no build information", "", nil, "gameball-mock (devel)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionLine(tt.stamped, tt.info); got != tt.want {
				t.Errorf("versionLine = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestVersionFlag checks that -version prints the line and starts nothing.
func TestVersionFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"-version", "-addr", "256.0.0.1:1"}, &stdout, &stderr); err != nil {
		t.Fatalf("run -version: %v\n%s", err, stderr.String())
	}
	if got := stdout.String(); !strings.HasPrefix(got, "gameball-mock ") || strings.Count(got, "\n") != 1 {
		t.Errorf("-version printed %q, want one line starting with \"gameball-mock \"", got)
	}
}

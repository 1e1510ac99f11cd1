package main

import (
	"runtime/debug"
	"strings"
)

// version is the release this binary is, stamped by make dist
// (-ldflags "-X main.version=v1.2.0"), so that its binaries and npm packages
// carry one and the same version. Empty in other builds, where Go's build
// information says it instead.
var version string

// versionLine is what -version prints: the version, then the commit when the
// build recorded one. A stamped version wins; else the module version Go
// records ("v1.2.0" for go install …@v1.2.0, a pseudo-version, which names
// its commit, for …@latest on an untagged commit); else "(devel)". The
// commit comes from vcs.revision, which only builds in a git checkout have
// (go install from the module proxy has none).
func versionLine(stamped string, info *debug.BuildInfo) string {
	v := stamped
	var commit, modified string
	if info != nil {
		if v == "" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					modified = ", modified"
				}
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	var b strings.Builder
	b.WriteString("gameball-mock " + v)
	if commit != "" {
		b.WriteString(" (commit " + commit + modified + ")")
	}
	return b.String()
}

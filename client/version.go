package client

import (
	"runtime/debug"
	"sync"
)

const modulePath = "github.com/gbkit/gameball-go"

// Version is the version of gameball-go built into the running program, as
// Go's build information records it ("v1.2.0"), or "devel" for a build from
// a work tree. It is the client's User-Agent token: gameball-go/<Version>.
func Version() string { return version() }

// version reads the build information once; it does not change while the
// program runs, and reading it for no reason on every New would be waste.
var version = sync.OnceValue(func() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	v := ""
	if info.Main.Path == modulePath {
		v = info.Main.Version
	}
	for _, dep := range info.Deps {
		if dep.Path == modulePath {
			v = dep.Version
			if dep.Replace != nil && dep.Replace.Version != "" {
				v = dep.Replace.Version
			}
		}
	}
	if v == "" || v == "(devel)" {
		return "devel"
	}
	return v
})

// Command bundle writes a spec directory's bundle: every vendored document in
// it merged, in file name order, with its overlay applied.
//
//	go run ./internal/cmd/bundle spec    # writes spec/gameball.bundle.yaml
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gbkit/gameball-go/internal/bundle"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: bundle SPEC_DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	out, err := bundle.FromDir(dir)
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, bundle.BundleFile), out, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

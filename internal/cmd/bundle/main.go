// Command bundle writes a spec directory's bundle: every vendored document in
// it merged, in file name order, with its overlay applied. With -openapi30 it
// writes the bundle's validation rendering instead: the equivalent OpenAPI
// 3.0.3 document validators use (see internal/bundle's OpenAPI30).
//
//	go run ./internal/cmd/bundle spec              # writes spec/gameball.bundle.yaml
//	go run ./internal/cmd/bundle -openapi30 spec   # writes spec/gameball.openapi30.yaml from it
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gbkit/gameball-go/internal/bundle"
)

func main() {
	openapi30 := flag.Bool("openapi30", false, "write the bundle's OpenAPI 3.0.3 rendering ("+bundle.OpenAPI30File+") from "+bundle.BundleFile)
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: bundle [-openapi30] SPEC_DIR")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	dir := flag.Arg(0)
	if err := write(dir, *openapi30); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func write(dir string, openapi30 bool) error {
	if !openapi30 {
		out, err := bundle.FromDir(dir)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, bundle.BundleFile), out, 0o644)
	}
	in, err := os.ReadFile(filepath.Join(dir, bundle.BundleFile))
	if err != nil {
		return err
	}
	out, err := bundle.OpenAPI30(in)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, bundle.OpenAPI30File), out, 0o644)
}

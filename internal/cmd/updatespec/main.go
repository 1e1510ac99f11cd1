// Command updatespec replaces Gameball's published document in spec/
// (openapi.json) with a new version (a file or a URL), prints the breaking
// and non-breaking changes it brings to the operations the project takes,
// and lists the operations it has that the project does not take yet. It
// refuses, changing nothing, when the new version does not bundle. `make
// update-spec` then regenerates and runs the spec and contract tests.
//
//	go run ./internal/cmd/updatespec -from https://raw.githubusercontent.com/gameballers/gameball-docs/main/api-reference/openapi.json
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gbkit/gameball-go/internal/bundle"
	"github.com/gbkit/gameball-go/internal/specdiff"
)

func main() {
	dir := flag.String("dir", "spec", "the spec directory")
	from := flag.String("from", "", "the new version: a file path or an http(s) URL")
	flag.Parse()
	if *from == "" {
		fmt.Fprintln(os.Stderr, "usage: updatespec -from FILE_OR_URL [-dir spec]")
		os.Exit(2)
	}
	if err := run(*dir, *from); err != nil {
		fmt.Fprintln(os.Stderr, "update-spec:", err)
		os.Exit(1)
	}
}

func run(dir, from string) error {
	raw, err := read(from)
	if err != nil {
		return err
	}
	newDoc, err := specdiff.Extract(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", from, err)
	}
	res, err := specdiff.Plan(dir, newDoc)
	if err != nil {
		return err
	}
	res.Report(os.Stdout)
	// As fetched, byte for byte: the vendored document is never rewritten.
	return os.WriteFile(filepath.Join(dir, bundle.PublishedFile), newDoc, 0o644)
}

func read(from string) ([]byte, error) {
	if !strings.HasPrefix(from, "http://") && !strings.HasPrefix(from, "https://") {
		return os.ReadFile(from)
	}
	hc := &http.Client{Timeout: 30 * time.Second}
	resp, err := hc.Get(from)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", from, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 16<<20))
}

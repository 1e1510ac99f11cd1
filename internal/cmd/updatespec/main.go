// Command updatespec replaces one vendored document of spec/ with a new
// version (a file, a URL, or a Gameball docs page that embeds the document)
// and prints the breaking and non-breaking changes it brings. It refuses,
// changing nothing, when the new version does not bundle. `make update-spec`
// then regenerates and runs the contract tests.
//
//	go run ./internal/cmd/updatespec -doc reward-cashback -from new.yaml
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

	"github.com/gbkit/gameball-go/internal/specupdate"
)

func main() {
	dir := flag.String("dir", "spec", "the spec directory")
	doc := flag.String("doc", "", "the vendored document to replace, e.g. reward-cashback")
	from := flag.String("from", "", "the new version: a file path or an http(s) URL")
	flag.Parse()
	if *doc == "" || *from == "" {
		fmt.Fprintln(os.Stderr, "usage: updatespec -doc NAME -from FILE_OR_URL [-dir spec]")
		os.Exit(2)
	}
	if err := run(*dir, *doc, *from); err != nil {
		fmt.Fprintln(os.Stderr, "update-spec:", err)
		os.Exit(1)
	}
}

func run(dir, doc, from string) error {
	raw, err := read(from)
	if err != nil {
		return err
	}
	newDoc, err := specupdate.Extract(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", from, err)
	}
	res, err := specupdate.Plan(dir, doc, newDoc)
	if err != nil {
		return err
	}
	res.Report(os.Stdout)
	return os.WriteFile(filepath.Join(dir, res.Doc), newDoc, 0o644)
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

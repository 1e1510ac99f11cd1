// Command seedstate writes the seed pages' state of Gameball's published
// document: the document as it stood when the five seed pages
// (spec/testdata/seeds) were taken, for the drift drill and the README's
// worked example of `make update-spec`. It was run once, and its output is
// committed as spec/testdata/seed-state.json:
//
//	go run ./internal/cmd/seedstate -o spec/testdata/seed-state.json
//
// It starts from the published document and puts back what the seed pages
// show for the operations they cover:
//   - batch cashback, payment cashback and balance adjustment: the operations
//     the three pages embed, as embedded (the same as the published ones but
//     for their descriptions);
//   - the manual transaction as its rendered page lists it, before Gameball's
//     change of 2026-06-03: `points` and `transactionTime` required, no
//     `expiryAfter`, no 400 examples;
//   - the reward cashback as its rendered page lists it: a merchant's branch
//     without a required `uniqueId`.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/gbkit/gameball-go/internal/specdiff"
)

const prefix = "/api/v4.0/integrations"

// embedded are the seed pages that embed their operation's document.
var embedded = []string{"000_adf1e574f9c62cde.txt", "002_eebd7bdf471428fa.txt", "003_e96c8e7993d4959f.txt"}

func main() {
	published := flag.String("published", "spec/openapi.json", "Gameball's published document")
	seeds := flag.String("seeds", "spec/testdata/seeds", "the seed pages")
	out := flag.String("o", "", "where to write the seed state")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: seedstate -o FILE [-published FILE] [-seeds DIR]")
		os.Exit(2)
	}
	if err := run(*published, *seeds, *out); err != nil {
		fmt.Fprintln(os.Stderr, "seedstate:", err)
		os.Exit(1)
	}
}

func run(publishedPath, seeds, out string) error {
	data, err := os.ReadFile(publishedPath)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	paths := doc["paths"].(map[string]any)
	for _, name := range embedded {
		page, err := os.ReadFile(filepath.Join(seeds, name))
		if err != nil {
			return err
		}
		raw, err := specdiff.Extract(page)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		var seed any
		if err := yaml.Unmarshal(raw, &seed); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		for path, item := range normalize(seed).(map[string]any)["paths"].(map[string]any) {
			for method, op := range item.(map[string]any) {
				paths[path].(map[string]any)[method] = op
			}
		}
	}

	manual := paths[prefix+"/transactions/manual"].(map[string]any)["post"].(map[string]any)
	schema := dig(manual, "requestBody", "content", "application/json", "schema")
	schema["required"] = []any{"customerId", "transactionId", "transactionTime", "username", "reason", "points"}
	props := dig(schema, "properties")
	delete(props, "expiryAfter")
	dig(props, "points")["description"] = "The number of points to be rewarded or deducted (should be positive for rewards and negative for deductions)."
	dig(props, "transactionTime")["description"] = "The time of the transaction in your system (e.g., order datetime, invoice datetime)."
	delete(dig(manual, "responses"), "400")

	cashback := paths[prefix+"/transactions/cashback"].(map[string]any)["post"].(map[string]any)
	delete(dig(cashback, "requestBody", "content", "application/json", "schema", "properties", "merchant", "properties", "branch"), "required")

	text, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(text, '\n'), 0o644)
}

func dig(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		m = m[k].(map[string]any)
	}
	return m
}

// normalize makes YAML's mappings JSON's: string keys (a status code is an
// integer key in YAML).
func normalize(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = normalize(x)
		}
		return v
	case map[any]any:
		out := map[string]any{}
		for k, x := range v {
			out[fmt.Sprint(k)] = normalize(x)
		}
		return out
	case []any:
		for i, x := range v {
			v[i] = normalize(x)
		}
	}
	return v
}

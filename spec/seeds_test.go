package spec_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gbkit/gameball-go/internal/specdiff"
)

// The vendored document is Gameball's, byte for byte: its sha256 is the one
// its provenance records (that of the pinned copy).
func TestPublishedDocumentIsAsPublished(t *testing.T) {
	data, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	provenance, err := os.ReadFile("openapi.json.provenance")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if want := regexp.MustCompile(`sha256:\s+([0-9a-f]{64})`).FindSubmatch(provenance); want == nil || string(want[1]) != hex.EncodeToString(sum[:]) {
		t.Errorf("spec/openapi.json has sha256 %x; its provenance records %s: replace it whole with `make update-spec`, never edit it", sum, want)
	}
}

func published(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func operation(t *testing.T, doc map[string]any, method, path string) map[string]any {
	t.Helper()
	op, _ := doc["paths"].(map[string]any)[path].(map[string]any)[method].(map[string]any)
	if op == nil {
		t.Fatalf("the published document has no %s %s", method, path)
	}
	return op
}

// structure is a document part without what only describes, and with JSON's
// types (YAML's integer status codes as strings, its ints as float64s).
func structure(t *testing.T, v any) any {
	t.Helper()
	raw, err := json.Marshal(normalize(v))
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return strip(out)
}

func normalize(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = normalize(x)
		}
	case map[any]any:
		out := map[string]any{}
		for k, x := range v {
			out[yamlKey(k)] = normalize(x)
		}
		return out
	case []any:
		for i, x := range v {
			v[i] = normalize(x)
		}
	}
	return v
}

func yamlKey(k any) string {
	raw, _ := json.Marshal(k)
	return strings.Trim(string(raw), `"`)
}

func strip(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			switch k {
			case "description", "summary", "example", "examples":
			default:
				out[k] = strip(x)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = strip(x)
		}
		return out
	}
	return v
}

// The three seed pages that embed their operation's document embed the
// published document's operation: the same, descriptions and examples aside.
func TestEmbeddedSeedDocumentsArePublishedOperations(t *testing.T) {
	doc := published(t)
	for _, page := range []string{"000_adf1e574f9c62cde.txt", "002_eebd7bdf471428fa.txt", "003_e96c8e7993d4959f.txt"} {
		data, err := os.ReadFile(filepath.Join("testdata", "seeds", page))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := specdiff.Extract(data)
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		var seed struct {
			Paths map[string]map[string]any `yaml:"paths"`
		}
		if err := yaml.Unmarshal(raw, &seed); err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		if len(seed.Paths) != 1 {
			t.Fatalf("%s embeds %d paths, want one operation", page, len(seed.Paths))
		}
		for path, item := range seed.Paths {
			for method, op := range item {
				got, want := structure(t, op), structure(t, operation(t, doc, method, path))
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: %s %s differs from the published operation:\nseed:      %v\npublished: %v", page, method, path, got, want)
				}
			}
		}
	}
}

// fieldType is the line under a field's name in a rendered page: its type.
var fieldType = regexp.MustCompile(`^(string|integer|number|boolean|object|array)(<[^>]*>)?(\[\])?$`)

// renderedFields reads a rendered docs page's field names, by section: Body
// and Response.
func renderedFields(t *testing.T, page string) (body, response []string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "seeds", page))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	section := ""
	name := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	for i, line := range lines {
		line = strings.TrimSpace(line)
		switch line {
		case "Authorizations", "Body", "Response":
			section = line
			continue
		}
		if i+1 < len(lines) && name.MatchString(line) && fieldType.MatchString(strings.TrimSpace(lines[i+1])) {
			switch section {
			case "Body":
				body = append(body, line)
			case "Response":
				response = append(response, line)
			}
		}
	}
	if len(body) == 0 || len(response) == 0 {
		t.Fatalf("%s: no fields found (body %v, response %v): has the page's layout changed?", page, body, response)
	}
	return body, response
}

func properties(t *testing.T, schema any, keys ...string) []string {
	t.Helper()
	m, _ := schema.(map[string]any)
	for _, k := range keys {
		m, _ = m[k].(map[string]any)
	}
	props, _ := m["properties"].(map[string]any)
	var out []string
	for name := range props {
		out = append(out, name)
	}
	return out
}

// Every field of the two rendered seed pages is in the published operation.
func TestRenderedSeedPagesFieldsArePublished(t *testing.T) {
	doc := published(t)
	for _, c := range []struct{ page, path string }{
		{"001_5379c0b9357be8fd.txt", "/api/v4.0/integrations/transactions/cashback"},
		{"004_8a76fe3f2c49aae4.txt", "/api/v4.0/integrations/transactions/manual"},
	} {
		op := operation(t, doc, "post", c.path)
		request := properties(t, op, "requestBody", "content", "application/json", "schema")
		response := properties(t, op, "responses", "200", "content", "application/json", "schema")
		body, answer := renderedFields(t, c.page)
		for _, f := range body {
			if !slices.Contains(request, f) {
				t.Errorf("%s: request field %s is not in the published %s (it has %v)", c.page, f, c.path, request)
			}
		}
		for _, f := range answer {
			if !slices.Contains(response, f) {
				t.Errorf("%s: response field %s is not in the published %s's 200 (it has %v)", c.page, f, c.path, response)
			}
		}
	}
}

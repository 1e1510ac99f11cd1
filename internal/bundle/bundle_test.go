package bundle

import (
	"bytes"
	"strings"
	"testing"
)

// published is a small published document: two operations taken, one not,
// and components some of which only the untaken one uses.
const published = `{
  "openapi": "3.1.0",
  "info": {"title": "Gameball API", "version": "4.0.0", "description": "published"},
  "paths": {
    "/a": {"post": {"operationId": "opA", "responses": {"200": {"description": "ok",
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}},
    "/b": {"get": {"security": [{"apiKey": []}], "responses": {"200": {"description": "ok"}}}},
    "/plants": {"get": {"responses": {"200": {"description": "ok",
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Plant"}}}}}}}
  },
  "webhooks": {"/plant/webhook": {"post": {"responses": {"200": {"description": "ok"}}}}},
  "components": {
    "schemas": {
      "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
      "B": {"type": "string"},
      "Plant": {"type": "object"}
    },
    "securitySchemes": {
      "apiKey": {"type": "apiKey", "in": "header", "name": "apikey"},
      "bearerAuth": {"type": "http", "scheme": "bearer"}
    }
  }
}`

var taken = []Operation{{"POST", "/a"}, {"GET", "/b"}}

const nameB = `overlay: 1.1.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.paths['/b'].get
    update: {operationId: opB}
`

func TestBundleTakesListedOperations(t *testing.T) {
	out, err := Bundle([]byte(published), taken, []byte(nameB))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/a:", "/b:", "operationId: opA", "operationId: opB", "description: published", "    A:", "    B:", "apiKey:"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("bundle lacks %q:\n%s", want, out)
		}
	}
	for _, unwanted := range []string{"/plants", "Plant", "webhook", "bearerAuth"} {
		if bytes.Contains(out, []byte(unwanted)) {
			t.Errorf("bundle has %q, which no taken operation uses:\n%s", unwanted, out)
		}
	}
	again, err := Bundle([]byte(published), taken, []byte(nameB))
	if err != nil || !bytes.Equal(out, again) {
		t.Errorf("two runs over the same inputs differ (err %v)", err)
	}
}

func TestBundleRefuses(t *testing.T) {
	duplicateID := `overlay: 1.1.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.paths['/b'].get
    update: {operationId: opA}
`
	missingTarget := `overlay: 1.1.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.paths['/b'].get
    update: {operationId: opB}
  - target: $.paths['/gone'].post
    update: {operationId: opC}
`
	cases := []struct {
		name    string
		doc     string
		ops     []Operation
		overlay string
		want    string
	}{
		{"a listed operation the document lacks", published, append(taken, Operation{"DELETE", "/a"}), nameB, "has no DELETE /a"},
		{"an operationId used twice", published, taken, duplicateID, `same operation id "opA"`},
		{"an operation without an operationId", published, taken, "", "without an operationId"},
		{"an overlay target that matches nothing", published, taken, missingTarget, "did not match"},
		{"an invalid document", `{"openapi": "3.1.0", "info": {}, "paths": {"/a": {"post": {}}}}`, taken[:1], "", "not a valid OpenAPI document"},
		{"a document that is not JSON or YAML", "{", taken, nameB, "the published document"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var overlay []byte
			if c.overlay != "" {
				overlay = []byte(c.overlay)
			}
			_, err := Bundle([]byte(c.doc), c.ops, overlay)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestParseOperations(t *testing.T) {
	ops, err := ParseOperations([]byte("# comment\n\nPOST /a\nGET /b/{id}\n"))
	if err != nil || len(ops) != 2 || ops[1] != (Operation{"GET", "/b/{id}"}) {
		t.Fatalf("ParseOperations = %v, %v", ops, err)
	}
	for _, bad := range []string{"post /a\n", "POST a\n", "POST\n", "FETCH /a\n", "POST /a\nPOST /a\n", "# nothing\n", "POST /a b\n"} {
		if _, err := ParseOperations([]byte(bad)); err == nil {
			t.Errorf("ParseOperations(%q) accepted it", bad)
		}
	}
}

package bundle

import (
	"bytes"
	"strings"
	"testing"
)

const pageA = `openapi: 3.1.0
info: {title: Gameball API, version: 4.0.0, description: page A}
paths:
  /a:
    post:
      operationId: opA
      responses:
        '200': {description: ok}
components:
  securitySchemes:
    apiKey: {type: apiKey, in: header, name: apikey}
`

const pageB = `openapi: 3.1.0
info: {title: Gameball API, version: 4.0.0, description: page B}
paths:
  /b:
    get:
      responses:
        '200': {description: ok}
components:
  securitySchemes:
    apiKey: {type: apiKey, in: header, name: apikey}
`

const nameB = `overlay: 1.1.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.paths['/b'].get
    update: {operationId: opB}
`

func docs(pages ...string) []Document {
	var out []Document
	for i, p := range pages {
		out = append(out, Document{Name: string(rune('a'+i)) + ".yaml", Data: []byte(p)})
	}
	return out
}

func TestBundleMergesAndNames(t *testing.T) {
	out, err := Bundle(docs(pageA, pageB), []byte(nameB))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/a:", "/b:", "operationId: opA", "operationId: opB", "description: page A"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("bundle lacks %q:\n%s", want, out)
		}
	}
	again, err := Bundle(docs(pageA, pageB), []byte(nameB))
	if err != nil || !bytes.Equal(out, again) {
		t.Errorf("two runs over the same inputs differ (err %v)", err)
	}
}

func TestBundleRefuses(t *testing.T) {
	clashingScheme := strings.Replace(pageB, "name: apikey", "name: x-api-key", 1)
	samePath := strings.Replace(pageB, "/b:\n    get:", "/a:\n    post:", 1)
	otherTitle := strings.Replace(pageB, "title: Gameball API", "title: Other", 1)
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
		pages   []string
		overlay string
		want    string
	}{
		{"a component defined twice differently", []string{pageA, clashingScheme}, nameB, "component securitySchemes/apiKey clash"},
		{"one operation in two documents", []string{pageA, samePath}, nameB, "paths /a post clash"},
		{"documents of different APIs", []string{pageA, otherTitle}, nameB, "info.title clash"},
		{"an operationId used twice", []string{pageA, pageB}, duplicateID, `same operation id "opA"`},
		{"an operation without an operationId", []string{pageA, pageB}, "", "without an operationId"},
		{"an overlay target that matches nothing", []string{pageA, pageB}, missingTarget, "did not match"},
		{"an invalid document", []string{pageA, "openapi: 3.1.0\ninfo: {}\npaths: {}\n"}, nameB, "b.yaml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var overlay []byte
			if c.overlay != "" {
				overlay = []byte(c.overlay)
			}
			_, err := Bundle(docs(c.pages...), overlay)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

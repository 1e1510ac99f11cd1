// Package controldoc owns the OpenAPI document of the mock server's control API
// (mock-control.yaml): gameball-go's own document, not Gameball's, so its
// operationIds and type names are written in it. `go generate ./...` makes
// the client (mockserver/control) and the server (internal/controlserver)
// from it; the mock server validates control requests with it.
package controldoc

import (
	_ "embed"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// Document is mock-control.yaml as committed.
//
//go:embed mock-control.yaml
var Document []byte

// Load parses Document into a fresh, validated document.
func Load() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(Document)
	if err != nil {
		return nil, fmt.Errorf("spec/control: load mock-control.yaml: %w", err)
	}
	if err := doc.Validate(openapi3.NewLoader().Context); err != nil {
		return nil, fmt.Errorf("spec/control: mock-control.yaml is not a valid OpenAPI document: %w", err)
	}
	return doc, nil
}

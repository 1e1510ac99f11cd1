// Package spec owns the bundled OpenAPI document of Gameball's API: the
// vendored pages merged with the overlay by `go generate ./...`. The mock
// server validates requests with it and the contract tests validate both
// directions with it; no other package embeds it.
package spec

import (
	_ "embed"
	"fmt"

	"github.com/gbkit/gameball-go/gbtime"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// Bundle is the bundled document, as committed in gameball.bundle.yaml.
//
//go:embed gameball.bundle.yaml
var Bundle []byte

// Load parses Bundle into a fresh document. Each call returns a new value,
// since validators adjust the document they are given (servers, for one).
func Load() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(Bundle)
	if err != nil {
		return nil, fmt.Errorf("spec: load the bundle: %w", err)
	}
	return doc, nil
}

// SchemaOptions are the schema validation options every validator of this
// spec uses: Gameball's date-times may lack a UTC offset.
func SchemaOptions() []openapi3.SchemaValidationOption {
	return []openapi3.SchemaValidationOption{
		openapi3.WithStringFormatValidator("date-time", openapi3.NewCallbackValidator(gbtime.Validate)),
	}
}

// FilterOptions are the openapi3filter options for validating requests and
// responses against this spec. An undocumented response status is an error
// (IncludeResponseStatus), and date-times follow SchemaOptions.
func FilterOptions() openapi3filter.Options {
	return openapi3filter.Options{
		IncludeResponseStatus:   true,
		MultiError:              false,
		SchemaValidationOptions: SchemaOptions(),
	}
}

// Package spec owns the bundled OpenAPI document of Gameball's API: the
// operations of spec/operations.txt taken from Gameball's published document
// (spec/openapi.json), with the overlay applied, by `go generate ./...`. The mock
// server validates requests with it and the contract tests validate both
// directions with it; no other package embeds it.
//
// # How validators use it
//
// The bundle is OpenAPI 3.1, and kin-openapi validates a 3.1 document by
// compiling a JSON Schema 2020-12 validator on every call: 7 to 50 times
// the time, and 7 to 50 times the allocations, of its 3.0 validator, on
// the mock server's hot path. So `go generate` also writes the validation
// document (OpenAPI30, by internal/cmd/bundle -openapi30): the bundle as the
// equivalent OpenAPI 3.0.3 document, `type: [T, "null"]` as `type: T` with
// `nullable: true`, without what only describes (descriptions, examples,
// extensions). Anything the renderer cannot express exactly fails the
// generation instead of dropping a check. The validation document accepts
// and refuses exactly what the bundle does: equivalence_test.go checks it on
// every example of the spec and on drawn valid and broken requests and
// responses, under kin-openapi's 3.1 path and its 3.0 path with the same
// options, and the mock server's tests check that its answers (status and
// Gameball code) do not change either.
//
// Every validator of this spec, the mock server's request validator and the
// contract tests' validating transport alike, loads LoadForValidation and
// validates with FilterOptions (or SchemaOptions for a lone schema). Load,
// the 3.1 bundle itself, is for everything else: code generation, examples,
// coverage, and the equivalence tests.
//
// # Why not the bundle with its schemas compiled once
//
// Validating the 3.1 bundle with each body schema compiled once and kept
// (compiled_test.go: santhosh-tekuri/jsonschema v6, the library under
// kin-openapi's 3.1 path, behind openapi3filter's flow for security,
// parameters and statuses) gives the same verdicts as kin-openapi's 3.1 path
// on every example and drawn body, but it is not as fast as the validation
// document, so the validation document stays. Measured with `make bench`
// (medians of 6 and of 10 runs, in the same run as the validation document,
// on a shared 2-core machine): bodies come out even (4 of 5 requests and 6 of
// 8 responses within the noise, 0.24x to 2.6x), but each request with a path
// parameter takes 3.6 to 13 times as long (getBatchStatus 11 µs against
// 146 µs, getCustomerBalance 14 µs against 176 µs) with 202 allocations
// against 32, since openapi3filter validates a 3.1 document's parameters (and
// Retry-After response headers) on kin-openapi's 3.1 path, which compiles a
// JSON Schema validator on every call; kin-openapi v0.153.0 has no option or
// cache to avoid that. The compiled bodies also allocate 22% to 50% more
// (rewardCashback 98 to 139); over all sixteen benchmarks the geometric mean
// is 32% to 66% slower. Run `make bench` again when kin-openapi caches compiled
// schemas (getkin/kin-openapi#1186 proposes it): its compiled-3.1 column is
// this comparison.
package spec

import (
	_ "embed"
	"fmt"

	"github.com/gbkit/gameball-go/gbtime"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Bundle is the bundled document, as committed in gameball.bundle.yaml.
//
//go:embed gameball.bundle.yaml
var Bundle []byte

// OpenAPI30 is the validation document: Bundle's validation keywords as the
// equivalent OpenAPI 3.0.3 document, as committed in gameball.openapi30.yaml.
//
//go:embed gameball.openapi30.yaml
var OpenAPI30 []byte

// Load parses Bundle into a fresh document. Each call returns a new value,
// since validators adjust the document they are given (servers, for one).
func Load() (*openapi3.T, error) {
	return load("the bundle", Bundle)
}

// LoadForValidation parses OpenAPI30 into a fresh document: the document to
// hand openapi3filter (directly, or through a router or a middleware), which
// then takes its 3.0 path. Its paths, operations, operationIds, parameters,
// security, responses and schemas' validation keywords are the bundle's;
// only the 3.1 spellings differ, and the descriptions and examples are gone.
func LoadForValidation() (*openapi3.T, error) {
	return load("the validation document", OpenAPI30)
}

func load(what string, data []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("spec: load %s: %w", what, err)
	}
	return doc, nil
}

// PathRouter routes requests to doc's operations on method and path alone,
// whatever their host: the spec's server is api.gameball.co, the server
// under test is wherever it runs. It clears doc's servers to do so.
func PathRouter(doc *openapi3.T) (routers.Router, error) {
	doc.Servers = nil
	return gorillamux.NewRouter(doc)
}

// SchemaOptions are the schema validation options every validator of this
// spec uses: Gameball's date-times may lack a UTC offset.
func SchemaOptions() []openapi3.SchemaValidationOption {
	// One map for every validation: WithStringFormatValidator would make a
	// map on each call of a validator. Validators only read it, so no option
	// given after these may add to it (WithStringFormatValidator would).
	formats := map[string]openapi3.StringFormatValidator{
		"date-time": openapi3.NewCallbackValidator(gbtime.Validate),
	}
	return []openapi3.SchemaValidationOption{openapi3.WithStringFormatValidators(formats)}
}

// FilterOptions are the openapi3filter options for validating requests and
// responses against this spec. An undocumented response status is an error
// (IncludeResponseStatus), and date-times follow SchemaOptions.
//
// Every failure is reported (MultiError), not only the first the validator
// meets: kin-openapi's 3.1 path always found them all, and the mock server
// picks the most telling one (a missing property before a null before a
// wrong value), so the same request gets the same answer on either path.
func FilterOptions() openapi3filter.Options {
	return openapi3filter.Options{
		IncludeResponseStatus:   true,
		MultiError:              true,
		SchemaValidationOptions: SchemaOptions(),
	}
}

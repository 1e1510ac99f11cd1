package spec_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gbkit/gameball-go/gbtime"
)

// compiledValidator is the candidate the benchmarks measure against the
// validation document (see package spec's doc for the decision it led to).
//
// compiledValidator validates requests and responses against an OpenAPI 3.1
// document with openapi3filter, except that each body schema is a JSON
// Schema 2020-12 validator compiled once, by newCompiled, and kept:
// kin-openapi's own 3.1 path compiles one on every call. Security,
// parameters, statuses and response headers take openapi3filter's flow
// unchanged; bodies are read, refused when required and empty or of an
// undeclared media type, and decoded as openapi3filter does it, then checked
// by the compiled schema. A body's schema failure is the
// *jsonschema.ValidationError of santhosh-tekuri/jsonschema, the library
// kin-openapi's 3.1 path uses, inside the openapi3filter error.
//
// A compiledValidator is safe for concurrent use.
type compiledValidator struct {
	bodies map[*openapi3.Schema]*jsonschema.Schema
}

// docURL names the document inside the compiler; it is never fetched.
const docURL = "urn:gameball:bundle"

// newCompiled compiles every request and response body schema of doc (a
// loaded 3.1 document: Load) as one JSON Schema resource, so a $ref between
// schemas resolves as in the document. Date-times follow spec.SchemaOptions.
func newCompiled(doc *openapi3.T) (*compiledValidator, error) {
	raw, err := doc.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("compiled validator: %w", err)
	}
	resource, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("compiled validator: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	registerFormats(c, resource)
	if err := c.AddResource(docURL, resource); err != nil {
		return nil, fmt.Errorf("compiled validator: %w", err)
	}
	v := &compiledValidator{bodies: map[*openapi3.Schema]*jsonschema.Schema{}}
	compile := func(where string, mt *openapi3.MediaType) error {
		if mt == nil || mt.Schema == nil {
			return nil
		}
		if mt.Schema.Ref != "" {
			where = mt.Schema.Ref
		}
		s, err := c.Compile(docURL + where)
		if err != nil {
			return fmt.Errorf("compiled validator: compile %s: %w", where, err)
		}
		v.bodies[mt.Schema.Value] = s
		return nil
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			at := "#/paths/" + escape(path) + "/" + strings.ToLower(method)
			if rb := op.RequestBody; rb != nil {
				where := at + "/requestBody"
				if rb.Ref != "" {
					where = rb.Ref
				}
				for name, mt := range rb.Value.Content {
					if err := compile(where+"/content/"+escape(name)+"/schema", mt); err != nil {
						return nil, err
					}
				}
			}
			for code, r := range op.Responses.Map() {
				where := at + "/responses/" + escape(code)
				if r.Ref != "" {
					where = r.Ref
				}
				for name, mt := range r.Value.Content {
					if err := compile(where+"/content/"+escape(name)+"/schema", mt); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	return v, nil
}

// escape is a JSON pointer token.
func escape(token string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(token)
}

// registerFormats asserts every format the document names, as kin-openapi's
// 3.1 path does: date-time by gbtime.Validate (spec.SchemaOptions), the others by
// kin-openapi's registered string formats, and any format it does not know
// accepted.
func registerFormats(c *jsonschema.Compiler, node any) {
	formats := map[string]bool{}
	var collect func(any)
	collect = func(node any) {
		switch node := node.(type) {
		case map[string]any:
			if f, ok := node["format"].(string); ok && f != "" {
				formats[f] = true
			}
			for _, v := range node {
				collect(v)
			}
		case []any:
			for _, v := range node {
				collect(v)
			}
		}
	}
	collect(node)
	for name := range formats {
		check := func(s string) error { return nil }
		switch f, ok := openapi3.SchemaStringFormats[name]; {
		case name == "date-time":
			check = gbtime.Validate
		case ok:
			check = f.Validate
		}
		c.RegisterFormat(&jsonschema.Format{Name: name, Validate: func(v any) error {
			if s, ok := v.(string); ok {
				return check(s)
			}
			return nil
		}})
	}
	c.AssertFormat()
}

// ValidateRequest is openapi3filter.ValidateRequest with the body checked by
// its compiled schema. in.Options must be set (spec.FilterOptions, with an
// AuthenticationFunc).
func (v *compiledValidator) ValidateRequest(ctx context.Context, in *openapi3filter.RequestValidationInput) error {
	opts := *in.Options
	opts.ExcludeRequestBody = true
	flow := *in
	flow.Options = &opts
	err := openapi3filter.ValidateRequest(ctx, &flow)
	var me openapi3.MultiError
	if err != nil {
		if !opts.MultiError {
			return err
		}
		me = err.(openapi3.MultiError)
	}
	if rb := in.Route.Operation.RequestBody; rb != nil {
		if err := v.requestBody(in, rb.Value); err != nil {
			if !opts.MultiError {
				return err
			}
			me = append(me, err)
		}
	}
	if len(me) > 0 {
		return me
	}
	return nil
}

// requestBody follows openapi3filter.ValidateRequestBody step by step (it
// has no defaults to set: the spec declares none).
func (v *compiledValidator) requestBody(in *openapi3filter.RequestValidationInput, rb *openapi3.RequestBody) error {
	req := in.Request
	var data []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		data, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return &openapi3filter.RequestError{Input: in, RequestBody: rb, Reason: "reading failed", Err: err}
		}
		req.Body = io.NopCloser(bytes.NewReader(data))
		req.ContentLength = int64(len(data))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	}
	if len(data) == 0 {
		if rb.Required {
			return &openapi3filter.RequestError{Input: in, RequestBody: rb, Err: openapi3filter.ErrInvalidRequired}
		}
		return nil
	}
	if len(rb.Content) == 0 {
		return nil
	}
	ct := req.Header.Get("Content-Type")
	mt := rb.Content.Get(ct)
	if mt == nil {
		return &openapi3filter.RequestError{Input: in, RequestBody: rb, Reason: fmt.Sprintf("header Content-Type has unexpected value %q", ct)}
	}
	value, err := v.decode(data, req.Header, mt)
	if err != nil {
		return &openapi3filter.RequestError{Input: in, RequestBody: rb, Reason: "failed to decode request body", Err: err}
	}
	if err := v.check(mt, value); err != nil {
		return &openapi3filter.RequestError{Input: in, RequestBody: rb, Reason: "doesn't match schema", Err: err}
	}
	return nil
}

// ValidateResponse is openapi3filter.ValidateResponse with the body checked
// by its compiled schema.
func (v *compiledValidator) ValidateResponse(ctx context.Context, in *openapi3filter.ResponseValidationInput) error {
	opts := *in.Options
	opts.ExcludeResponseBody = true
	flow := *in
	flow.Options = &opts
	if err := openapi3filter.ValidateResponse(ctx, &flow); err != nil {
		return err
	}
	if in.RequestValidationInput.Request.Method == http.MethodHead {
		return nil
	}
	ref := in.RequestValidationInput.Route.Operation.Responses.Status(in.Status)
	if ref == nil {
		ref = in.RequestValidationInput.Route.Operation.Responses.Default()
	}
	if ref == nil || ref.Value == nil || len(ref.Value.Content) == 0 {
		return nil // openapi3filter said whether that is allowed
	}
	ct := in.Header.Get("Content-Type")
	mt := ref.Value.Content.Get(ct)
	if mt == nil {
		return &openapi3filter.ResponseError{Input: in, Reason: fmt.Sprintf("response header Content-Type has unexpected value: %q", ct)}
	}
	if mt.Schema == nil {
		return nil
	}
	body := in.Body
	in.Body = nil
	defer body.Close()
	data, err := io.ReadAll(body)
	if err != nil {
		return &openapi3filter.ResponseError{Input: in, Reason: "failed to read response body", Err: err}
	}
	in.SetBodyBytes(data)
	value, err := v.decode(data, in.Header, mt)
	if err != nil {
		return &openapi3filter.ResponseError{Input: in, Reason: "failed to decode response body", Err: err}
	}
	if err := v.check(mt, value); err != nil {
		return &openapi3filter.ResponseError{Input: in, Reason: "response body doesn't match schema", Err: err}
	}
	return nil
}

// decode reads a body as openapi3filter does, with its registered decoder
// for the media type (JSON: its JSONBodyDecoder).
func (v *compiledValidator) decode(data []byte, header http.Header, mt *openapi3.MediaType) (any, error) {
	media, _, _ := strings.Cut(header.Get("Content-Type"), ";")
	media = strings.ToLower(strings.TrimSpace(media))
	decoder := openapi3filter.RegisteredBodyDecoder(media)
	if decoder == nil && strings.HasSuffix(media, "+json") {
		decoder = openapi3filter.RegisteredBodyDecoder("application/json")
	}
	if decoder == nil {
		return nil, &openapi3filter.ParseError{Kind: openapi3filter.KindUnsupportedFormat, Reason: fmt.Sprintf("unsupported content type %q", media)}
	}
	return decoder(bytes.NewReader(data), header, mt.Schema, func(name string) *openapi3.Encoding { return mt.Encoding[name] })
}

// check validates value, as decoded, with mt's compiled schema.
func (v *compiledValidator) check(mt *openapi3.MediaType, value any) error {
	if mt.Schema == nil {
		return nil
	}
	s, ok := v.bodies[mt.Schema.Value]
	if !ok {
		return fmt.Errorf("compiled validator: a body schema of another document")
	}
	return s.Validate(value)
}

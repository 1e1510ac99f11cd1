// Package contracttest binds the client and any server to Gameball's
// documents. Transport checks every request and response against the bundled
// spec; Run is one client sequence that exercises every operation against a
// server given by URL and keys: the in-process mock in this package's tests,
// or a live Gameball (or staging proxy) when GAMEBALL_BASE_URL is set.
package contracttest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"

	"github.com/gbkit/gameball-go/spec"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// Transport is an http.RoundTripper that validates every exchange against
// the bundled spec with openapi3filter: the request before it is sent (unless
// the context says it is deliberately invalid), the response after. A
// response with an undocumented status, a missing required field or a field
// of the wrong type fails the round trip with a *Violation.
type Transport struct {
	// RejectEmptyRequired also fails an exchange whose JSON has a required
	// string property set to "" (see emptyRequired). Run sets it: the typed
	// client and the mock never send one on purpose.
	RejectEmptyRequired bool

	base   http.RoundTripper
	router routers.Router
	opts   openapi3filter.Options

	mu   sync.Mutex
	seen map[string]map[int]int // operationId → status → count
}

// Violation is an exchange that does not match the spec.
type Violation struct {
	Operation string // operationId, or "" when no operation matched
	Method    string
	Path      string
	Status    int // 0 for a request violation
	Err       error
}

func (v *Violation) Error() string {
	what := "request"
	if v.Status != 0 {
		what = fmt.Sprintf("response %d", v.Status)
	}
	return fmt.Sprintf("contract: %s %s (%s): %s breaks the spec: %v", v.Method, v.Path, v.Operation, what, v.Err)
}

func (v *Violation) Unwrap() error { return v.Err }

type invalidKey struct{}

// DeliberatelyInvalid marks a request that breaks the spec on purpose (a
// missing field, a wrong key) so that Transport sends it unchecked. Its
// response is still checked.
func DeliberatelyInvalid(ctx context.Context) context.Context {
	return context.WithValue(ctx, invalidKey{}, true)
}

// NewTransport wraps base (http.DefaultTransport when nil).
func NewTransport(base http.RoundTripper) (*Transport, error) {
	if base == nil {
		base = http.DefaultTransport
	}
	// The validation document, as every validator of the spec: the bundle's
	// equivalent OpenAPI 3.0.3 rendering (see package spec).
	doc, err := spec.LoadForValidation()
	if err != nil {
		return nil, err
	}
	router, err := spec.PathRouter(doc)
	if err != nil {
		return nil, err
	}
	opts := spec.FilterOptions()
	// The client's side of authentication: the documented key headers are sent.
	opts.AuthenticationFunc = func(_ context.Context, in *openapi3filter.AuthenticationInput) error {
		scheme := in.SecurityScheme
		if scheme.Type == "apiKey" && scheme.In == "header" && in.RequestValidationInput.Request.Header.Get(scheme.Name) != "" {
			return nil
		}
		return fmt.Errorf("%s header %q is not sent", in.SecuritySchemeName, scheme.Name)
	}
	return &Transport{base: base, router: router, opts: opts, seen: map[string]map[int]int{}}, nil
}

// RoundTrip validates the request, sends it, and validates the response.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	reqBody, err := drain(&req.Body)
	if err != nil {
		return nil, err
	}
	route, pathParams, routeErr := t.router.FindRoute(routable(req)) // v4.1 is v4.0's operations
	invalid, _ := req.Context().Value(invalidKey{}).(bool)
	v := &Violation{Method: req.Method, Path: req.URL.Path}
	if route != nil {
		v.Operation = route.Operation.OperationID
	}
	if routeErr != nil && !invalid {
		v.Err = routeErr
		return nil, v
	}

	var in *openapi3filter.RequestValidationInput
	if route != nil {
		check := req.Clone(req.Context())
		check.Body = io.NopCloser(bytes.NewReader(reqBody))
		in = &openapi3filter.RequestValidationInput{Request: check, PathParams: pathParams, Route: route, Options: &t.opts}
		if !invalid {
			if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
				v.Err = err
				return nil, v
			}
			if body := route.Operation.RequestBody; t.RejectEmptyRequired && body != nil && body.Value != nil {
				if err := checkEmptyRequired(body.Value.Content, reqBody); err != nil {
					v.Err = err
					return nil, v
				}
			}
		}
	}

	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	respBody, err := drain(&resp.Body)
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if in == nil {
		return resp, nil // a deliberately unknown route: nothing documents its answer
	}
	v.Status = resp.StatusCode
	err = openapi3filter.ValidateResponse(req.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(respBody)),
		Options:                &t.opts,
	})
	if err == nil && t.RejectEmptyRequired {
		if ref := route.Operation.Responses.Status(resp.StatusCode); ref != nil && ref.Value != nil {
			err = checkEmptyRequired(ref.Value.Content, respBody)
		}
	}
	if err != nil {
		v.Err = fmt.Errorf("%w\nbody: %s", err, respBody)
		return nil, v
	}
	t.record(v.Operation, resp.StatusCode)
	return resp, nil
}

func (t *Transport) record(operation string, status int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.seen[operation] == nil {
		t.seen[operation] = map[int]int{}
	}
	t.seen[operation][status]++
}

// Seen lists, per operationId, the response statuses that passed validation.
func (t *Transport) Seen() map[string][]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[string][]int, len(t.seen))
	for op, statuses := range t.seen {
		for status := range statuses {
			out[op] = append(out[op], status)
		}
		slices.Sort(out[op])
	}
	return out
}

// drain reads a body completely and closes it; a nil body reads as empty.
func drain(body *io.ReadCloser) ([]byte, error) {
	if *body == nil || *body == http.NoBody {
		return nil, nil
	}
	defer (*body).Close()
	data, err := io.ReadAll(*body)
	if err != nil {
		return nil, errors.Join(errors.New("contract: read body"), err)
	}
	return data, nil
}

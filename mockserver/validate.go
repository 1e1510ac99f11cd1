package mockserver

import (
	"context"
	"errors"
	"net/http"
	"path"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	middleware "github.com/oapi-codegen/nethttp-middleware"

	"github.com/gbkit/gameball-go/internal/errcode"
	"github.com/gbkit/gameball-go/spec"
)

// Errors the authentication function reports, one per Gameball code.
var (
	errAPIKey    = newError(errcode.Unauthorized, "apikey header is missing or wrong")
	errSecretKey = newError(errcode.SecretKeyRequired, "secretkey header is missing or wrong")
)

// validator checks every request against the bundled spec before a handler
// runs, with oapi-codegen's nethttp-middleware over kin-openapi, and answers a
// failure with Gameball's error object. The middleware leaves the value it
// validated on the request body (openapi3filter's KeepValidatedValue), and
// the generated handlers bind that value (runtime.BindJSONBody) rather than
// decode the body again: nothing may replace the body after it.
//
// doc is the validation document (spec.LoadForValidation), whose 3.0 form
// kin-openapi validates without compiling a JSON Schema validator per call.
func (s *Server) validator(doc *openapi3.T) func(http.Handler) http.Handler {
	opts := spec.FilterOptions()
	opts.AuthenticationFunc = s.authenticate
	validate := middleware.OapiRequestValidatorWithOptions(doc, &middleware.Options{
		Options: opts,
		// The spec's servers name api.gameball.co; the mock answers on any host.
		DoNotValidateServers:  true,
		SilenceServersWarning: true,
		ErrorHandlerWithOpts: func(_ context.Context, err error, w http.ResponseWriter, r *http.Request, _ middleware.ErrorHandlerOpts) {
			writeError(w, r, validationError(r, err))
		},
	})
	return func(next http.Handler) http.Handler {
		validated := validate(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// A path with . or .. segments or doubled slashes names no
			// operation: the router would match it (a path parameter of
			// ".."), and net/http's mux then answer an undocumented redirect.
			if !isCleanPath(r.URL.Path) {
				writeError(w, r, newError(errcode.NotFound, "no operation at %s %s", r.Method, r.URL.Path))
				return
			}
			validated.ServeHTTP(w, r)
		})
	}
}

// isCleanPath reports whether p is its own path.Clean (a trailing slash
// aside), as net/http's mux wants it.
func isCleanPath(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	return clean == p
}

// authenticate is called by the validator for each security scheme an
// operation requires (apiKey before secretKey). The account it finds is kept
// on the exchange for the handler.
func (s *Server) authenticate(ctx context.Context, in *openapi3filter.AuthenticationInput) error {
	r := in.RequestValidationInput.Request
	x := exchangeFrom(r.Context())
	switch in.SecuritySchemeName {
	case "apiKey":
		account, ok := s.engine.Authenticate(r.Header.Get("apikey"))
		if !ok {
			return errAPIKey
		}
		// High security mode, and API v4.1: every call needs the secret key too.
		if (s.highSecurity || (x != nil && x.v41)) && !account.SecretKeyMatches(r.Header.Get("secretkey")) {
			return errSecretKey
		}
		if x != nil {
			x.account = account
		}
		return nil
	case "secretKey":
		account, ok := s.engine.Authenticate(r.Header.Get("apikey"))
		if !ok {
			return errAPIKey
		}
		if !account.SecretKeyMatches(r.Header.Get("secretkey")) {
			return errSecretKey
		}
		return nil
	}
	// bearerAuth and anything else the pages declare but no operation uses.
	return errAPIKey
}

// validationError translates a validator failure into Gameball's terms.
func validationError(r *http.Request, err error) *apiError {
	if secErr, ok := errors.AsType[*openapi3filter.SecurityRequirementsError](err); ok {
		// Report the secret key only when the apikey itself was good.
		for _, e := range secErr.Errors {
			if errors.Is(e, errAPIKey) {
				return errAPIKey
			}
		}
		return errSecretKey
	}
	if errors.Is(err, routers.ErrMethodNotAllowed) {
		return &apiError{status: http.StatusMethodNotAllowed, code: errcode.NotFound, message: r.Method + " is not allowed on " + r.URL.Path}
	}
	if errors.Is(err, routers.ErrPathNotFound) {
		return newError(errcode.NotFound, "no operation at %s %s", r.Method, r.URL.Path)
	}

	reqErr, ok := errors.AsType[*openapi3filter.RequestError](err)
	if !ok {
		return newError(errcode.InternalError, "validation failed: %v", err)
	}
	switch {
	case errors.Is(err, openapi3filter.ErrInvalidRequired):
		return newError(errcode.MissingArgument, "request body is required")
	// kin-openapi reports an undeclared media type only in the reason text.
	case strings.HasPrefix(reqErr.Reason, "header Content-Type has unexpected value"):
		return newError(errcode.NotSupported, "request body must be application/json, got %q", r.Header.Get("Content-Type"))
	}
	if parseErr, ok := errors.AsType[*openapi3filter.ParseError](err); ok {
		return newError(errcode.InvalidPayload, "request body is not valid JSON: %v", parseErr.Cause)
	}
	if leaf := firstSchemaError(err); leaf != nil {
		return schemaError(leaf)
	}
	return newError(errcode.InvalidValue, "%s", reqErr.Error())
}

// schemaError maps a failed schema keyword to Gameball's payload codes: a
// missing property is 3000, a null one 3001, any other misfit 3003.
func schemaError(e *openapi3.SchemaError) *apiError {
	where := strings.Join(e.JSONPointer(), ".")
	if refusal := publishedRefusal(where, e); refusal != nil {
		return refusal
	}
	switch {
	case e.SchemaField == "required":
		return newError(errcode.MissingArgument, "%s", requiredMessage(where, e))
	case e.Value == nil:
		return newError(errcode.NullArgument, "%s must not be null", orBody(where))
	default:
		return newError(errcode.InvalidValue, "%s: %s", orBody(where), reasonOf(e))
	}
}

func requiredMessage(where string, e *openapi3.SchemaError) string {
	// kin-openapi's reason names the property: `property "customerId" is missing`.
	if where == "" {
		return e.Reason
	}
	return where + ": " + e.Reason
}

func reasonOf(e *openapi3.SchemaError) string {
	// The 3.1 validator prefixes its reason with the location; drop it.
	if _, after, ok := strings.Cut(e.Reason, "\": "); ok && strings.HasPrefix(e.Reason, "error at") {
		return after
	}
	return e.Reason
}

func orBody(where string) string {
	if where == "" {
		return "request body"
	}
	return where
}

// firstSchemaError finds the most telling schema failure in err: a missing
// property first, then a null, then any other; kin-openapi nests failures of
// the 3.1 validator in MultiErrors.
func firstSchemaError(err error) *openapi3.SchemaError {
	var leaves []*openapi3.SchemaError
	collectSchemaErrors(err, &leaves)
	var best *openapi3.SchemaError
	rank := func(e *openapi3.SchemaError) int {
		switch {
		case e.SchemaField == "required":
			return 0
		case e.Value == nil:
			return 1
		}
		return 2
	}
	for _, leaf := range leaves {
		if best == nil || rank(leaf) < rank(best) {
			best = leaf
		}
	}
	return best
}

func collectSchemaErrors(err error, into *[]*openapi3.SchemaError) {
	if me, ok := errors.AsType[openapi3.MultiError](err); ok {
		for _, e := range me {
			collectSchemaErrors(e, into)
		}
		return
	}
	se, ok := errors.AsType[*openapi3.SchemaError](err)
	if !ok {
		return
	}
	if origin := se.Origin; origin != nil {
		before := len(*into)
		collectSchemaErrors(origin, into)
		if len(*into) > before {
			return
		}
	}
	*into = append(*into, se)
}

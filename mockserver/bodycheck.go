package mockserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gbkit/gameball-go/internal/errcode"
	"github.com/gbkit/gameball-go/mockserver/api"
)

// checkBody runs after the validator, on both APIs, for what it lets pass:
// kin-openapi decodes only the first JSON value of a body and replaces
// invalid UTF-8 with U+FFFD, and the generated handlers decode
// schema-integers into Go ints, which refuse 10.0 and 1e1. A JSON body must
// be one value of valid UTF-8 (400/3016), and its integral numbers are
// rewritten as integers, as JSON Schema counts them.
func checkBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody || !isJSON(r.Header.Get("Content-Type")) {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			// The validator read it whole before; a failure now is the limit.
			writeError(w, r, validationError(r, err))
			return
		}
		if len(body) > 0 {
			if !utf8.Valid(body) {
				writeError(w, r, newError(errcode.InvalidPayload, "request body is not valid JSON: it is not UTF-8"))
				return
			}
			if !json.Valid(body) {
				writeError(w, r, newError(errcode.InvalidPayload, "request body is not valid JSON: there is more after its first value"))
				return
			}
			body = integralNumbers(body)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

func isJSON(contentType string) bool {
	media, _, err := mime.ParseMediaType(contentType)
	return err == nil && (media == "application/json" || strings.HasSuffix(media, "+json"))
}

// integralNumbers rewrites the numbers of a valid JSON text that have a
// fraction or an exponent but an integral value within int64 (10.0, 1e1,
// -0.0) as integers (10, 10, 0); everything else stays byte for byte.
func integralNumbers(body []byte) []byte {
	if !mayHaveFraction(body) {
		return body
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var out []byte
	copied := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break // io.EOF: the text is valid
		}
		n, ok := tok.(json.Number)
		if !ok {
			continue
		}
		integer, ok := integral(string(n))
		if !ok {
			continue
		}
		end := int(dec.InputOffset())
		start := end - len(n)
		out = append(append(out, body[copied:start]...), integer...)
		copied = end
	}
	if out == nil {
		return body
	}
	return append(out, body[copied:]...)
}

// mayHaveFraction is a quick test: a digit followed by '.', 'e' or 'E'
// somewhere (in a string too), without which no number has a fraction or
// an exponent.
func mayHaveFraction(body []byte) bool {
	for i := 1; i < len(body); i++ {
		if c := body[i]; (c == '.' || c == 'e' || c == 'E') && '0' <= body[i-1] && body[i-1] <= '9' {
			return true
		}
	}
	return false
}

// integral is the integer a JSON number literal with a fraction or an
// exponent stands for, when it is one within int64; computed exactly.
func integral(lit string) (string, bool) {
	if !strings.ContainsAny(lit, ".eE") {
		return "", false
	}
	// An exponent beyond any int64 would make big.Rat build a huge number.
	if i := strings.IndexAny(lit, "eE"); i >= 0 {
		exp, err := strconv.Atoi(lit[i+1:])
		if err != nil || exp > 40 || exp < -40 {
			return "", false
		}
	}
	var r big.Rat
	if _, ok := r.SetString(lit); !ok || !r.IsInt() || !r.Num().IsInt64() {
		return "", false
	}
	return r.Num().String(), true
}

// decodeError is the answer when a generated handler cannot decode a body
// the validator passed: a value that does not fit its field (an integer
// beyond int64, say) is 422/3003, anything else 400/3016, in the API's
// terms rather than Go's.
func decodeError(err error) *apiError {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		where := typeErr.Field
		if where == "" {
			where = "request body"
		}
		return newError(errcode.InvalidValue, "%s: %s is out of range or of the wrong kind", where, typeErr.Value)
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return newError(errcode.InvalidPayload, "request body is not valid JSON at byte %d", syntaxErr.Offset)
	}
	return newError(errcode.InvalidPayload, "request body could not be decoded")
}

// readableID reports whether a customerId can be read back at its GET path
// (/customers/{customerId}/balance, the control API's customer): escaped,
// a / in it comes back as one, and a path with an empty, . or .. segment
// names no operation (net/http and the validator clean paths first).
func readableID(id string) bool {
	for seg := range strings.SplitSeq(id, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

func unreadableIDError(id string) *apiError {
	return newError(errcode.InvalidValue, "customerId %q cannot be used: it could not be read back at its path (no empty, . or .. between slashes)", truncate(id, 100))
}

// refuseUnreadableIDs refuses, before any change, a write naming a
// customerId that readableID refuses: it could be stored, never read.
func refuseUnreadableIDs(next api.StrictHandlerFunc, _ string) api.StrictHandlerFunc {
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, request any) (any, error) {
		for _, id := range customerIDs(request) {
			if !readableID(id) {
				return nil, unreadableIDError(id)
			}
		}
		return next(ctx, w, r, request)
	}
}

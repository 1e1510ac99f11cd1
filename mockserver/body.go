package mockserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gbkit/gameball-go/internal/errcode"
	"github.com/gbkit/gameball-go/internal/gameballserver"
)

// readBody reads a request body whole, once, before anything else reads it:
// the journal keeps it as sent, the validator reads it as prepared here, and
// the handlers bind the value the validator decoded. kin-openapi decodes
// only the first JSON value of a body and replaces invalid UTF-8 with
// U+FFFD, so a JSON body that is not one value of valid UTF-8 is noted on
// the exchange, for refuseMalformedBody to answer once validation has
// passed (400/3016). The handlers bind schema-integers into Go ints, which
// refuse 10.0 and 1e1, so a JSON body's integral numbers are rewritten as
// integers, as JSON Schema counts them. A failure to read (the limit, a
// body cut short or stalled) is returned, for ServeHTTP to answer at once
// (bodyReadError), whatever else is wrong with the request.
func readBody(r *http.Request, x *exchange) error {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	sent, err := io.ReadAll(r.Body)
	x.body = sent
	if err != nil {
		return err
	}
	prepared := sent
	if len(sent) > 0 && isJSON(r.Header.Get("Content-Type")) {
		switch {
		case !utf8.Valid(sent):
			x.malformed = newError(errcode.InvalidPayload, "request body is not valid JSON: it is not UTF-8")
		case !json.Valid(sent):
			x.malformed = newError(errcode.InvalidPayload, "request body is not valid JSON: there is more after its first value")
		default:
			prepared = integralNumbers(sent)
			r.ContentLength = int64(len(prepared))
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(prepared))
	return nil
}

// bodyReadError is the answer to a body that could not be read whole:
// 413 past the limit, else 400 (cut short, or stalled past the read
// timeout).
func bodyReadError(err error) *apiError {
	if tooLarge, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return &apiError{status: http.StatusRequestEntityTooLarge, code: errcode.LimitExceeded, message: fmt.Sprintf("request body is larger than %d bytes", tooLarge.Limit)}
	}
	return newError(errcode.InvalidPayload, "request body could not be read whole: %v", err)
}

// refuseMalformedBody runs after the validator, on both APIs: it answers a
// JSON body the validator let pass that readBody found is not one value of
// valid UTF-8.
func refuseMalformedBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if x := exchangeFrom(r.Context()); x != nil && x.malformed != nil {
			writeError(w, r, x.malformed)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func isJSON(contentType string) bool {
	media, _, err := mime.ParseMediaType(contentType)
	return err == nil && (media == "application/json" || strings.HasSuffix(media, "+json"))
}

// integralNumbers rewrites the numbers of a valid JSON text that have a
// fraction or an exponent but an integral value within int64 (10.0, 1e1,
// -0.0) as integers (10, 10, 0); everything else stays byte for byte. One
// pass over the bytes, skipping strings: json.Decoder.Token would find the
// numbers too, at several times the cost on every body with a decimal.
func integralNumbers(body []byte) []byte {
	var out []byte
	copied := 0
	inString, escaped := false, false
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '-' || '0' <= c && c <= '9':
			end := i + 1
			for end < len(body) && strings.IndexByte("+-0123456789.eE", body[end]) >= 0 {
				end++
			}
			if integer, ok := integral(body[i:end]); ok {
				out = append(append(out, body[copied:i]...), integer...)
				copied = end
			}
			i = end - 1
		}
	}
	if out == nil {
		return body
	}
	return append(out, body[copied:]...)
}

// integral is the integer a JSON number literal with a fraction or an
// exponent stands for, when it is one within int64; computed exactly.
func integral(lit []byte) (string, bool) {
	exp := bytes.IndexAny(lit, "eE")
	if exp < 0 {
		whole, frac, ok := bytes.Cut(lit, []byte("."))
		if !ok || len(bytes.TrimRight(frac, "0")) > 0 {
			return "", false // an integer already, or a true fraction
		}
		n, err := strconv.ParseInt(string(whole), 10, 64)
		if err != nil {
			return "", false
		}
		return strconv.FormatInt(n, 10), true
	}
	// An exponent beyond any int64 would make big.Rat build a huge number.
	if e, err := strconv.Atoi(string(lit[exp+1:])); err != nil || e > 40 || e < -40 {
		return "", false
	}
	var r big.Rat
	if _, ok := r.SetString(string(lit)); !ok || !r.IsInt() || !r.Num().IsInt64() {
		return "", false
	}
	return r.Num().String(), true
}

// decodeError is the answer when a generated handler cannot decode a body
// the validator passed: a value that does not fit its field (an integer
// beyond int64, say) is 422/3003, anything else 400/3016, in the API's
// terms rather than Go's.
func decodeError(err error) *apiError {
	if typeErr, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		where := typeErr.Field
		if where == "" {
			where = "request body"
		}
		return newError(errcode.InvalidValue, "%s: %s is out of range or of the wrong kind", where, typeErr.Value)
	}
	if syntaxErr, ok := errors.AsType[*json.SyntaxError](err); ok {
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
func refuseUnreadableIDs(next gameballserver.StrictHandlerFunc, _ string) gameballserver.StrictHandlerFunc {
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, request any) (any, error) {
		for _, id := range customerIDs(request) {
			if !readableID(id) {
				return nil, unreadableIDError(id)
			}
		}
		return next(ctx, w, r, request)
	}
}

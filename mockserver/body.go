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
	"github.com/gbkit/gameball-go/internal/gameballserver"
)

// readBody reads a request body whole, once, before anything else reads it:
// the journal keeps it as sent, and the validator and the handlers read it
// as prepared here. kin-openapi decodes only the first JSON value of a body
// and replaces invalid UTF-8 with U+FFFD, so a JSON body that is not one
// value of valid UTF-8 is noted on the exchange, for refuseMalformedBody to
// answer once validation has passed (400/3016). The handlers bind
// schema-integers into Go ints, which refuse 10.0 and 1e1, so a JSON body's
// integral numbers are rewritten as integers, as JSON Schema counts them. A
// failure to read (the limit, a body cut short or stalled) is kept too, and
// replayed to the validator after the bytes read, so that it answers it
// where it reads the body.
func readBody(r *http.Request, x *exchange) {
	if r.Body == nil || r.Body == http.NoBody {
		return
	}
	sent, err := io.ReadAll(r.Body)
	x.body, x.bodyErr = sent, err
	prepared := sent
	if err == nil && len(sent) > 0 && isJSON(r.Header.Get("Content-Type")) {
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
	r.Body = &replayBody{Reader: bytes.NewReader(prepared), err: err}
}

// refuseMalformedBody runs after the validator, on both APIs: it answers
// what readBody noted of a body the validator let pass, a failure to read
// it first (which the validator meets only if the operation has a body or
// security), then a JSON body that is not one value of valid UTF-8.
func refuseMalformedBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if x := exchangeFrom(r.Context()); x != nil {
			switch {
			case x.bodyErr != nil:
				writeError(w, r, bodyReadError(x.bodyErr))
				return
			case x.malformed != nil:
				writeError(w, r, x.malformed)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// replayBody hands the validator a body already read: its bytes, then the
// error that ended the reading, if any.
type replayBody struct {
	*bytes.Reader
	err error
}

func (b *replayBody) Read(p []byte) (int, error) {
	n, err := b.Reader.Read(p)
	if err == io.EOF && b.err != nil {
		return n, b.err
	}
	return n, err
}

func (b *replayBody) Close() error { return nil }

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

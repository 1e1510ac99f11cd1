package client

import (
	"mime"
	"strconv"
	"strings"
)

// Why numbers are rewritten before decoding: the spec types points, counts
// and indexes as integer, and JSON Schema's integer is any number whose
// value is whole, so 50.0 and 5e1 are valid integers in an answer. The
// generated models decode with encoding/json into int fields, which refuse
// both, failing the whole call over an answer that is correct. Rather than
// hand-edit generated code or give every model a custom decoder, the one
// send pipeline writes each integral number as an integer (50.0 → 50)
// before any decoder reads it, for the convenience methods and Raw alike.
// Fields typed number decode the rewritten form to the same float64, so
// nothing else changes; a number that is not whole (50.5) is left alone and
// still fails an int field.

// maxIntegerDigits is the length of the longest int64 (9223372036854775807):
// a longer rewrite cannot fit, and is not attempted.
const maxIntegerDigits = 19

// isJSON reports whether an answer's Content-Type is JSON, or missing: only
// those are rewritten, since in any other text a 50.0 is not a number.
func isJSON(contentType string) bool {
	if contentType == "" {
		return true
	}
	media, _, err := mime.ParseMediaType(contentType)
	return err == nil && (media == "application/json" || strings.HasSuffix(media, "+json"))
}

// integralNumbers returns body with every number whose value is whole and
// fits int64 written as a plain integer: 50.0, 5e1, 5.0E+1 and 500e-1 all
// become 50. Strings are copied untouched. It returns body itself, without
// copying, when there is nothing to rewrite. A body that is not valid JSON
// is scanned all the same and stays invalid: the decoder reports it.
func integralNumbers(body []byte) []byte {
	var out []byte // nil until the first rewrite
	copied := 0    // body[:copied] is already in out
	inString := false
	for i := 0; i < len(body); i++ {
		b := body[i]
		if inString {
			switch b {
			case '\\':
				i++ // the escaped byte cannot end the string
			case '"':
				inString = false
			}
			continue
		}
		switch {
		case b == '"':
			inString = true
		case b == '-' || '0' <= b && b <= '9':
			end, plain := i+1, true
			for end < len(body) && isNumberByte(body[end]) {
				plain = plain && '0' <= body[end] && body[end] <= '9'
				end++
			}
			// Most numbers are plain integers: nothing to rewrite, nothing to copy.
			if plain {
				i = end - 1
				continue
			}
			if n, ok := wholeNumber(string(body[i:end])); ok {
				out = append(out, body[copied:i]...)
				out = append(out, n...)
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

func isNumberByte(b byte) bool {
	return '0' <= b && b <= '9' || b == '.' || b == 'e' || b == 'E' || b == '+' || b == '-'
}

// wholeNumber is tok written as an integer, when tok is a JSON number with
// a fraction or an exponent whose exact value is whole and fits int64. It
// works on the digits, not through float64, so 9007199254740993.0 stays
// exact and 50.000000000000001 is not taken for 50.
func wholeNumber(tok string) (string, bool) {
	s, neg := strings.CutPrefix(tok, "-")
	intPart, s := leadingDigits(s)
	if intPart == "" || len(intPart) > 1 && intPart[0] == '0' {
		return "", false // not a JSON number
	}
	var frac string
	fraction, exponent := false, int64(0)
	if rest, ok := strings.CutPrefix(s, "."); ok {
		fraction = true
		frac, s = leadingDigits(rest)
		if frac == "" {
			return "", false
		}
	}
	hasExponent := s != "" && (s[0] == 'e' || s[0] == 'E')
	if hasExponent {
		e := s[1:]
		if e != "" && (e[0] == '+' || e[0] == '-') {
			e = e[1:]
		}
		if digits, rest := leadingDigits(e); digits == "" || rest != "" {
			return "", false
		}
		var err error
		// 32 bits, so the shift below cannot overflow; a larger exponent
		// is nothing an answer of at most 16 MiB turns into an int64.
		if exponent, err = strconv.ParseInt(strings.TrimPrefix(s[1:], "+"), 10, 32); err != nil {
			return "", false
		}
	} else if s != "" {
		return "", false
	}
	if !fraction && !hasExponent {
		return "", false // already an integer
	}
	// The value is digits × 10^shift.
	digits := strings.TrimLeft(intPart+frac, "0")
	shift := exponent - int64(len(frac))
	switch {
	case digits == "":
		return "0", true // -0.0 included: an integer field reads 0
	case shift < 0:
		if -shift > int64(len(digits)) {
			return "", false // a fraction is left: digits are not all zero
		}
		whole := len(digits) - int(-shift)
		if strings.TrimRight(digits[whole:], "0") != "" {
			return "", false
		}
		digits = digits[:whole]
	case int64(len(digits))+shift > maxIntegerDigits:
		return "", false
	default:
		digits += strings.Repeat("0", int(shift))
	}
	if neg {
		digits = "-" + digits
	}
	if _, err := strconv.ParseInt(digits, 10, 64); err != nil {
		return "", false
	}
	return digits, true
}

// leadingDigits splits s after its leading ASCII digits.
func leadingDigits(s string) (digits, rest string) {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return s[:i], s[i:]
}

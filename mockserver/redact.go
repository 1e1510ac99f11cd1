package mockserver

import (
	"cmp"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"slices"
	"strings"

	"github.com/gbkit/gameball-go/loyalty"
)

// redacted replaces a secret wherever the mock would otherwise show it.
const redacted = "[REDACTED]"

// minSubstringSecret is the shortest secret redacted inside longer text; a
// shorter one is redacted only as a whole value, lest every "a" go.
const minSubstringSecret = 4

// redactor keeps the accounts' secret keys and the admin key out of the
// journal, logs and error messages: by name (headers and JSON fields that
// carry credentials), by value (a value, or a word of a text, that is an
// account's secret key or the admin key, compared by digest), and inside
// text (the secrets given in Options.Secrets, wherever they appear).
type redactor struct {
	accounts []*loyalty.Account // an engine's accounts are fixed for its life
	secrets  []string           // longest first, so a secret containing another goes whole
	adminKey *[sha256.Size]byte
}

func newRedactor(engine *loyalty.Engine, secrets []string, adminKey *[sha256.Size]byte) *redactor {
	r := &redactor{accounts: engine.Accounts(), adminKey: adminKey}
	for _, s := range secrets {
		if len(s) >= minSubstringSecret && !slices.Contains(r.secrets, s) {
			r.secrets = append(r.secrets, s)
		}
	}
	slices.SortFunc(r.secrets, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	return r
}

// text redacts the secrets in s.
func (r *redactor) text(s string) string {
	if r == nil || s == "" {
		return s
	}
	if r.isSecret(s) {
		return redacted
	}
	for _, secret := range r.secrets {
		if strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	return r.words(s)
}

// words redacts the words of s that are secrets: runs of characters between
// spaces, quotes, slashes and the like, as a secret sits in a path, a
// message or a sentence.
func (r *redactor) words(s string) string {
	var out strings.Builder
	last, start := 0, -1
	flush := func(end int) {
		if start >= 0 && end-start >= minSubstringSecret && r.isSecret(s[start:end]) {
			if out.Len() == 0 {
				out.Grow(len(s))
			}
			out.WriteString(s[last:start])
			out.WriteString(redacted)
			last = end
		}
		start = -1
	}
	for i, c := range s {
		if strings.ContainsRune(wordSeparators, c) {
			flush(i)
		} else if start < 0 {
			start = i
		}
	}
	flush(len(s))
	if last == 0 {
		return s
	}
	out.WriteString(s[last:])
	return out.String()
}

// wordSeparators end a word for words.
const wordSeparators = " \t\n\r\"'`/?&=:;,()[]{}<>"

// isSecret reports whether v is an account's secret key or the admin key.
func (r *redactor) isSecret(v string) bool {
	for _, a := range r.accounts {
		if a.SecretKeyMatches(v) {
			return true
		}
	}
	if r.adminKey != nil {
		digest := sha256.Sum256([]byte(v))
		return subtle.ConstantTimeCompare(digest[:], r.adminKey[:]) == 1
	}
	return false
}

// headers flattens h for the journal, with credentials redacted: the
// apikey too (a wrong one may be a real key of another system), since the
// entry names the account a request authenticated as.
func (r *redactor) headers(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for name, values := range h {
		v := strings.Join(values, ", ")
		if sensitiveName(name) {
			v = redacted
		}
		out[name] = r.text(v)
	}
	return out
}

// value redacts a decoded JSON value: fields named like credentials whatever
// they hold, and secrets in every string.
func (r *redactor) value(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, field := range v {
			if sensitiveName(k) {
				if _, nested := field.(map[string]any); !nested {
					v[k] = redacted
					continue
				}
			}
			v[k] = r.value(field)
		}
		return v
	case []any:
		for i := range v {
			v[i] = r.value(v[i])
		}
		return v
	case string:
		return r.text(v)
	}
	return v
}

// sensitiveName reports whether a header or JSON field name is one that
// carries credentials: apikey, secretkey, X-Mock-Admin-Key, Authorization,
// cookies, and anything named like a secret, password or token.
func sensitiveName(name string) bool {
	n := strings.ToLower(name)
	n = strings.NewReplacer("-", "", "_", "").Replace(n)
	switch n {
	case "apikey", "authorization", "proxyauthorization", "cookie", "setcookie", "adminkey", "xmockadminkey":
		return true
	}
	return strings.Contains(n, "secret") || strings.Contains(n, "password") || strings.Contains(n, "token")
}

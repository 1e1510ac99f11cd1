package mockserver_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/gbkit/gameball-go/internal/optable"
	"github.com/gbkit/gameball-go/internal/syncbuf"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
)

// TestKeysNeverShown sends every operation with the right keys, wrong keys
// and keys in the wrong header, with valid and broken bodies, and checks
// that no key (right or wrong) appears in an answer, in the debug log, or
// in the journal the control API shows.
func TestKeysNeverShown(t *testing.T) {
	var logs syncbuf.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m := startPerfMock(t, mockserver.Options{Logger: logger})
	const (
		wrongAPIKey    = "gbk_wrong_apikey_4f1c"
		wrongSecretKey = "gbk_wrong_secret_9e2a"
	)
	keys := []string{m.apiKey, m.secretKey, wrongAPIKey, wrongSecretKey}
	keyPairs := [][2]string{{m.apiKey, m.secretKey}, {wrongAPIKey, m.secretKey}, {m.apiKey, wrongSecretKey}, {m.secretKey, m.apiKey}, {"", wrongSecretKey}}

	var answers []string
	for _, op := range optable.All {
		id, path := op.ID, op.Fill("1")
		for _, pair := range keyPairs {
			for _, body := range []string{string(fuzzSeeds(t, op)[0].body), `{"customerId":`, `{}`} {
				req, err := http.NewRequest(op.Method, m.url+path, strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("apikey", pair[0])
				req.Header.Set("secretkey", pair[1])
				res, err := m.hc.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(res.Body)
				res.Body.Close()
				answers = append(answers, fmt.Sprintf("%s %d %s %v", id, res.StatusCode, got, res.Header))
			}
		}
	}
	res, err := m.hc.Get(m.url + "/_mock/journal")
	if err != nil {
		t.Fatal(err)
	}
	journal, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || len(journal) < 100 {
		t.Fatalf("journal: %d %s", res.StatusCode, journal)
	}
	for _, key := range keys {
		for _, a := range answers {
			if strings.Contains(a, key) {
				t.Errorf("an answer shows the key %q: %s", key, a)
			}
		}
		if strings.Contains(logs.String(), key) {
			t.Errorf("the debug log shows the key %q", key)
		}
		if strings.Contains(string(journal), key) {
			t.Errorf("the journal shows the key %q", key)
		}
	}
	if !strings.Contains(logs.String(), "rewardCashback") {
		t.Errorf("the debug log has no request lines:\n%s", logs.String())
	}
}

// TestAuthenticateComparesWholeKeys: keys are compared whole (as SHA-256
// digests, in constant time, over every account: loyalty.Engine.Authenticate
// and Account.SecretKeyMatches), so a prefix, an extension, a case change or
// another account's key never passes.
func TestAuthenticateComparesWholeKeys(t *testing.T) {
	cfg := loyalty.DefaultConfig()
	cfg.Accounts = []loyalty.AccountConfig{
		{Name: "a", APIKey: "key_alpha", SecretKey: "secret_alpha"},
		{Name: "b", APIKey: "key_beta", SecretKey: "secret_beta"},
		{Name: "c", APIKey: "key_alphabet", SecretKey: "secret_c"},
	}
	e, err := loyalty.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for key, want := range map[string]string{
		"key_alpha": "a", "key_beta": "b", "key_alphabet": "c",
		"key_alph": "", "key_alpha ": "", "KEY_ALPHA": "", "": "", "key_alphabets": "", "secret_alpha": "", "key_alpha\x00": "",
	} {
		got := ""
		if a, ok := e.Authenticate(key); ok {
			got = a.Name()
		}
		if got != want {
			t.Errorf("Authenticate(%q) = %q, want %q", key, got, want)
		}
	}
	a, _ := e.Account("a")
	for secret, want := range map[string]bool{"secret_alpha": true, "secret_alph": false, "secret_alpha_": false, "secret_beta": false, "": false, "SECRET_ALPHA": false} {
		if got := a.SecretKeyMatches(secret); got != want {
			t.Errorf("SecretKeyMatches(%q) = %v, want %v", secret, got, want)
		}
	}
}

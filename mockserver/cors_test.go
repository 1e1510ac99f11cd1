package mockserver_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gbkit/gameball-go/mockserver"
)

// TestCORS checks which origins may call the mock from a browser, that
// preflights are answered without any key, and what they allow.
func TestCORS(t *testing.T) {
	type want struct {
		status int  // of the preflight
		allow  bool // Access-Control-Allow-Origin echoes the origin
	}
	tests := []struct {
		name   string
		opts   mockserver.Options
		origin string
		path   string
		want   want
	}{
		{"a local dev server", mockserver.Options{}, "http://localhost:5173", "/api/v4.0/integrations/transactions/cashback", want{204, true}},
		{"127.0.0.1", mockserver.Options{}, "http://127.0.0.1:3000", "/api/v4.0/integrations/customers/c1/balance", want{204, true}},
		{"[::1] over https", mockserver.Options{}, "https://[::1]:8443", "/api/v4.0/integrations/transactions/cashback", want{204, true}},
		{"localhost without a port", mockserver.Options{}, "http://localhost", "/api/v4.0/integrations/transactions/cashback", want{204, true}},
		{"the control API, with an admin key set", mockserver.Options{AdminKey: "k-123456"}, "http://localhost:5173", "/_mock/faults", want{204, true}},
		{"a remote site", mockserver.Options{}, "https://evil.example", "/api/v4.0/integrations/transactions/cashback", want{403, false}},
		{"a look-alike host", mockserver.Options{}, "http://localhost.evil.example:80", "/api/v4.0/integrations/transactions/cashback", want{403, false}},
		{"a port that is not one", mockserver.Options{}, "http://localhost:80x", "/api/v4.0/integrations/transactions/cashback", want{403, false}},
		{"a configured origin", mockserver.Options{CORSOrigins: []string{"https://app.test"}}, "https://app.test", "/_mock/clock", want{204, true}},
		{"local, when origins are configured", mockserver.Options{CORSOrigins: []string{"https://app.test"}}, "http://localhost:5173", "/_mock/clock", want{403, false}},
		{"any origin", mockserver.Options{CORSOrigins: []string{"*"}}, "https://anything.example", "/_mock/clock", want{204, true}},
		{"CORS off", mockserver.Options{NoCORS: true}, "http://localhost:5173", "/api/v4.0/integrations/transactions/cashback", want{405, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := startQA(t, tt.opts, nil)
			req, _ := http.NewRequest(http.MethodOptions, m.url+tt.path, nil)
			req.Header.Set("Origin", tt.origin)
			req.Header.Set("Access-Control-Request-Method", "POST")
			req.Header.Set("Access-Control-Request-Headers", "apikey, secretkey, content-type, prefer, x-mock-admin-key")
			req.Header.Set("Access-Control-Request-Private-Network", "true")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			h := res.Header
			if res.StatusCode != tt.want.status || (h.Get("Access-Control-Allow-Origin") == tt.origin) != tt.want.allow {
				t.Fatalf("preflight answered %d with Allow-Origin %q, want %d, allowed %v", res.StatusCode, h.Get("Access-Control-Allow-Origin"), tt.want.status, tt.want.allow)
			}
			if !tt.want.allow {
				return
			}
			allowed := strings.ToLower(h.Get("Access-Control-Allow-Headers"))
			for _, header := range []string{"apikey", "secretkey", "content-type", "prefer", "x-mock-admin-key"} {
				if !strings.Contains(allowed, header) {
					t.Errorf("Access-Control-Allow-Headers %q lacks %s", allowed, header)
				}
			}
			if !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") || h.Get("Access-Control-Allow-Private-Network") != "true" || !strings.Contains(strings.Join(h.Values("Vary"), ","), "Origin") {
				t.Errorf("preflight headers %v", h)
			}

			// The actual request: answered as usual, readable by the page.
			get, _ := http.NewRequest(http.MethodGet, m.url+"/_mock/health", nil)
			get.Header.Set("Origin", tt.origin)
			res, err = http.DefaultClient.Do(get)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Origin") != tt.origin || !strings.Contains(res.Header.Get("Access-Control-Expose-Headers"), "X-Request-Id") {
				t.Errorf("actual request: %d %v", res.StatusCode, res.Header)
			}
		})
	}
}

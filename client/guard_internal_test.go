package client

import (
	"net/url"
	"testing"
)

// TestSameOrigin: the keys go only to the base URL's scheme, host and port;
// an https base URL's keys never travel in clear text to the same host.
func TestSameOrigin(t *testing.T) {
	cases := []struct {
		u, base string
		same    bool
	}{
		{"https://api.gameball.co/x", "https://api.gameball.co", true},
		{"https://API.Gameball.CO:443/x", "https://api.gameball.co", true},
		{"http://127.0.0.1:8741/a", "http://127.0.0.1:8741/proxy", true},
		{"http://api.gameball.co/x", "https://api.gameball.co", false},
		{"https://api.gameball.co:8443/x", "https://api.gameball.co", false},
		{"https://evil.example/x", "https://api.gameball.co", false},
		{"https://api.gameball.co.evil.example/x", "https://api.gameball.co", false},
		{"http://127.0.0.1:8742/a", "http://127.0.0.1:8741", false},
	}
	for _, tc := range cases {
		u, _ := url.Parse(tc.u)
		base, _ := url.Parse(tc.base)
		if got := sameOrigin(u, base); got != tc.same {
			t.Errorf("sameOrigin(%s, %s) = %v, want %v", tc.u, tc.base, got, tc.same)
		}
	}
}

package mockserver

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestOriginPolicy: the policy alone, without a server, for each of its
// refusals and what passes them.
func TestOriginPolicy(t *testing.T) {
	refusals := newRefusalLog(slog.New(slog.NewTextHandler(io.Discard, nil)), &redactor{})
	policy := func(loopback bool, origins ...string) *originPolicy {
		p := &originPolicy{loopbackHosts: loopback, allowedHosts: normalizeHosts([]string{"Mock.Test:8741"}), crossOrigin: http.NewCrossOriginProtection(), refusals: refusals}
		if origins != nil {
			p.cors = newCORSPolicy(origins, []string{"Content-Type"}, refusals)
		}
		return p
	}
	request := func(method, host string, header ...string) *http.Request {
		r := httptest.NewRequest(method, "http://"+host+"/api/v4.0/integrations/transactions/cashback", strings.NewReader("{}"))
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		return r
	}
	cases := []struct {
		name                       string
		p                          *originPolicy
		r                          *http.Request
		host, preflight, crossSite bool // refused, answered, refused
		status                     int  // what was written, 0 for nothing
	}{
		{"any Host when not loopback-only", policy(false), request("POST", "evil.example"), false, false, false, 0},
		{"a loopback Host", policy(true), request("POST", "127.0.0.1:8741"), false, false, false, 0},
		{"an allowed Host, another port", policy(true), request("POST", "mock.test:1"), false, false, false, 0},
		{"a rebinding Host", policy(true), request("POST", "evil.example"), true, false, false, http.StatusForbidden},
		{"a same-origin write", policy(false, DefaultCORSOrigins...), request("POST", "localhost", "Sec-Fetch-Site", "same-origin"), false, false, false, 0},
		{"a cross-site write", policy(false, DefaultCORSOrigins...), request("POST", "localhost", "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"), false, false, true, http.StatusForbidden},
		{"a cross-site write from an allowed origin", policy(false, DefaultCORSOrigins...), request("POST", "localhost", "Sec-Fetch-Site", "cross-site", "Origin", "http://localhost:5173"), false, false, false, 0},
		{"a cross-site write, CORS off", policy(false), request("POST", "localhost", "Sec-Fetch-Site", "cross-site", "Origin", "http://localhost:5173"), false, false, true, http.StatusForbidden},
		{"a cross-site write, every origin allowed", policy(false, "*"), request("POST", "localhost", "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"), false, false, false, 0},
		{"a preflight from an allowed origin", policy(false, DefaultCORSOrigins...), request("OPTIONS", "localhost", "Origin", "http://localhost:5173", "Access-Control-Request-Method", "POST"), false, true, false, http.StatusNoContent},
		{"a preflight, CORS off", policy(false), request("OPTIONS", "localhost", "Origin", "http://localhost:5173", "Access-Control-Request-Method", "POST"), false, false, false, 0},
	}
	for _, c := range cases {
		w := httptest.NewRecorder()
		host := c.p.refuseHost(w, c.r)
		preflight := !host && c.p.preflight(w, c.r)
		crossSite := !host && !preflight && c.p.refuseCrossSite(w, c.r)
		status := 0
		if host || preflight || crossSite {
			status = w.Code
		}
		if host != c.host || preflight != c.preflight || crossSite != c.crossSite || status != c.status {
			t.Errorf("%s: host refused %v, preflight %v, cross-site refused %v, status %d; want %v, %v, %v, %d",
				c.name, host, preflight, crossSite, status, c.host, c.preflight, c.crossSite, c.status)
		}
	}
}

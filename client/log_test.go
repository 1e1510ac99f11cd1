package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/gbkit/gameball-go/client"
)

// TestLogging runs full calls at debug level, a lost answer and a retry
// included: one debug line per attempt, a warning per retry, and neither
// key (nor the customer's id, which may be an email) anywhere in the output.
func TestLogging(t *testing.T) {
	_, url := serve(t, hangUp, refusal(503, 5003, "Retry-After", "1"), ok(`{}`), hangUp, ok(`{}`))
	var out bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, url, &waits{}, client.Logger(logger))
	if err := calls["rewardCashback"](context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if err := calls["getCustomerBalance"](context.Background(), c); err != nil {
		t.Fatal(err)
	}

	for _, secret := range []string{testAPIKey, testSecretKey, "cust_1"} {
		if strings.Contains(out.String(), secret) {
			t.Errorf("the log holds %q:\n%s", secret, out.String())
		}
	}
	var lines []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		lines = append(lines, m)
	}
	want := []struct{ level, msg, op, detail string }{
		{"DEBUG", "gameball: attempt", "rewardCashback", "error"},
		{"WARN", "gameball: retrying", "rewardCashback", "reason"},
		{"DEBUG", "gameball: attempt", "rewardCashback", "requestId"},
		{"WARN", "gameball: retrying", "rewardCashback", "retryAfter"},
		{"DEBUG", "gameball: attempt", "rewardCashback", "status"},
		{"DEBUG", "gameball: attempt", "getCustomerBalance", "error"},
		{"WARN", "gameball: retrying", "getCustomerBalance", "reason"},
		{"DEBUG", "gameball: attempt", "getCustomerBalance", "status"},
	}
	if len(lines) != len(want) {
		t.Fatalf("%d log lines, want %d:\n%s", len(lines), len(want), out.String())
	}
	for i, w := range want {
		l := lines[i]
		if l["level"] != w.level || l["msg"] != w.msg || l["op"] != w.op || l[w.detail] == nil {
			t.Errorf("line %d: %v; want %s %q for %s with %s", i+1, l, w.level, w.msg, w.op, w.detail)
		}
	}
	if p := lines[7]["path"]; p != "/api/v4.0/integrations/customers/{customerId}/balance" {
		t.Errorf("logged path %v, want the spec's template", p)
	}
}

// TestLoggingIsOffByDefault: a client without Logger writes nothing to the
// default logger.
func TestLoggingIsOffByDefault(t *testing.T) {
	var out bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(prev) })
	_, url := serve(t, refusal(503, 5003), ok(`{}`))
	if err := calls["getCustomerBalance"](context.Background(), newClient(t, url, &waits{})); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("logged without a Logger:\n%s", out.String())
	}
}

package client

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"
)

// The client logs what it did, never with what: no header is logged, so
// neither key can reach a log; no body and no concrete path, since a
// customerId may be an email address (the path logged is the spec's
// template). A refusal's requestId is logged: Gameball's support asks for it.

// logAttempt writes one debug line per attempt.
func (c *Client) logAttempt(ctx context.Context, info callInfo, req *http.Request, resp *http.Response, body []byte, err error, took time.Duration) {
	if !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("op", info.op.ID),
		slog.String("method", req.Method),
		slog.String("path", info.op.Path),
		slog.Int("attempt", info.attempts),
		slog.Duration("took", took),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", outcome(nil, err)))
	} else {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		if id := requestIDOf(resp.StatusCode, body); id != "" {
			attrs = append(attrs, slog.String("requestId", id))
		}
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "gameball: attempt", attrs...)
}

// logRetry warns that a call is about to be retried, and why.
func (c *Client) logRetry(ctx context.Context, info callInfo, wait time.Duration, fromRetryAfter bool, why string) {
	c.log.LogAttrs(ctx, slog.LevelWarn, "gameball: retrying",
		slog.String("op", info.op.ID),
		slog.Int("failedAttempt", info.attempts),
		slog.String("reason", why),
		slog.Duration("wait", wait),
		slog.Bool("retryAfter", fromRetryAfter),
	)
}

// logGiveUp warns that a retry would wait past the policy's or the
// context's bounds, so the last answer stands.
func (c *Client) logGiveUp(ctx context.Context, info callInfo, wait, waited time.Duration) {
	c.log.LogAttrs(ctx, slog.LevelWarn, "gameball: not retrying: the wait would pass the retry budget or the deadline",
		slog.String("op", info.op.ID),
		slog.Int("attempts", info.attempts),
		slog.Duration("wait", wait),
		slog.Duration("waited", waited),
		slog.Duration("maxTotalDelay", c.retry.MaxTotalDelay),
	)
}

// requestIDOf is the requestId of a refusal's error object, if any.
func requestIDOf(status int, body []byte) string {
	if status < 300 || len(body) == 0 || body[0] != '{' {
		return ""
	}
	var e struct {
		RequestID string `json:"requestId"`
	}
	_ = json.Unmarshal(body, &e)
	return e.RequestID
}

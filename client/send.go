package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxResponseBytes bounds an answer read into memory. The largest answer
// here, the status of a 1,000-item batch, is about 200 KB.
const maxResponseBytes = 16 << 20

// doer is the generated client's gbapi.HttpRequestDoer, so Raw's calls go through
// send like the convenience methods' do.
type doer struct{ c *Client }

// Do sends req through the client's pipeline.
func (d doer) Do(req *http.Request) (*http.Response, error) {
	resp, _, _, err := d.c.send(req)
	return resp, err
}

// callInfo says how the attempts of one call went.
type callInfo struct {
	op       operation
	attempts int
	// mayHaveLanded is set when an attempt before the last failed after
	// Gameball may have applied it (its answer was lost, or was a 5xx other
	// than 503): a duplicate refusal that follows is then most likely that
	// attempt's doing.
	mayHaveLanded bool
}

// send is the one pipeline of every request: key headers, then attempts
// until one succeeds, fails in a way a retry cannot help, or the retry
// policy is spent. The answer's body is read within the attempt (so the
// attempt's timeout covers it) and handed back in memory: as body, exactly
// as read, and as resp.Body, which is what decoders read: for a 2xx JSON
// answer, the same with integral numbers written as integers (see
// integralNumbers).
func (c *Client) send(req *http.Request) (resp *http.Response, body []byte, info callInfo, err error) {
	ctx := req.Context()
	defer func() { capturesOf(ctx).fill(info, resp, body) }()
	info = callInfo{op: c.operation(req)}
	ctx = withOperation(ctx, info.op.ID) // for the transports under the client: OperationFromContext
	c.setHeaders(req, info.op)
	if err := bufferBody(req); err != nil {
		return nil, nil, info, fmt.Errorf("gameball: %s: reading the request body: %w", info.op.ID, err)
	}
	var waited time.Duration
	for {
		if err := c.limits.wait(ctx, info.op); err != nil {
			return nil, nil, info, fmt.Errorf("gameball: %s: waiting for the client-side rate limit (RateLimit): %w", info.op.ID, err)
		}
		info.attempts++
		resp, body, err = c.attempt(ctx, req, info)
		if err != nil && ctx.Err() != nil {
			// The caller gave up; that is the error worth reporting.
			return nil, nil, info, fmt.Errorf("gameball: %s: %w", info.op.ID, ctx.Err())
		}
		landed, retryable := c.retryable(info.op, resp, err)
		if !retryable || info.attempts >= c.retry.MaxAttempts {
			return finish(info, resp, body, err)
		}
		var wait time.Duration
		fromHeader := false
		if resp != nil {
			wait, fromHeader = retryAfter(resp.Header, c.now())
		}
		if !fromHeader {
			wait = c.backoff(info.attempts)
		}
		if waited+wait > c.retry.MaxTotalDelay || pastDeadline(ctx, wait) {
			c.logGiveUp(ctx, info, wait, waited)
			return finish(info, resp, body, err)
		}
		c.logRetry(ctx, info, wait, fromHeader, outcome(resp, err))
		if sleepErr := c.sleep(ctx, wait); sleepErr != nil {
			return nil, nil, info, fmt.Errorf("gameball: %s: %w while waiting to retry after %s", info.op.ID, sleepErr, outcome(resp, err))
		}
		waited += wait
		info.mayHaveLanded = info.mayHaveLanded || landed == mayHaveLanded
	}
}

// retryable decides whether an attempt's failure is worth another attempt:
// a network error, 429 or 5xx, for an operation whose replay is safe; for
// any operation, a connection that failed before the request was sent.
func (c *Client) retryable(op operation, resp *http.Response, err error) (landing, bool) {
	if err != nil {
		l := classifyError(err)
		return l, l == notSent || l != hopeless && op.ReplaySafe
	}
	l, ok := classifyStatus(resp.StatusCode)
	return l, ok && op.ReplaySafe
}

// finish hands back the last attempt's answer, made decodable, or its error
// with the number of attempts it took.
func finish(info callInfo, resp *http.Response, body []byte, err error) (*http.Response, []byte, callInfo, error) {
	if err != nil {
		return nil, nil, info, fmt.Errorf("gameball: %s (%s): %w", info.op.ID, attempts(info.attempts), err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 && isJSON(resp.Header.Get("Content-Type")) {
		decodable := integralNumbers(body)
		resp.Body = io.NopCloser(bytes.NewReader(decodable))
		resp.ContentLength = int64(len(decodable))
	}
	return resp, body, info, nil
}

// attempt sends one copy of req, bounded by the client's timeout, and reads
// the answer.
func (c *Client) attempt(ctx context.Context, req *http.Request, info callInfo) (*http.Response, []byte, error) {
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	r := req.Clone(ctx)
	if req.GetBody != nil {
		reqBody, err := req.GetBody()
		if err != nil {
			return nil, nil, err
		}
		r.Body = reqBody
	}
	start := c.now()
	resp, err := c.httpClient.Do(r)
	var body []byte
	if err == nil {
		body, err = readBody(resp)
		if err != nil {
			resp = nil
		}
	}
	c.logAttempt(ctx, info, r, resp, body, err, c.now().Sub(start))
	return resp, body, err
}

// readBody reads and closes resp's body and puts it back in memory, so the
// attempt's timeout can end without cutting the caller's read short.
func readBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxResponseBytes {
		return nil, fmt.Errorf("answer larger than %d bytes", maxResponseBytes)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return body, nil
}

// bufferBody makes req's body replayable. The generated builders' bodies
// already are; a Raw ...WithBody call may pass any io.Reader.
func bufferBody(req *http.Request) error {
	if req.Body == nil || req.Body == http.NoBody || req.GetBody != nil {
		return nil
	}
	body, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return err
	}
	req.ContentLength = int64(len(body))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	req.Body, _ = req.GetBody()
	return nil
}

// operation is the table's row for req. A request the table does not know
// (a path outside the spec) gets both keys, better a key too many than a
// 401, and is replayed only if it is a read.
func (c *Client) operation(req *http.Request) operation {
	path := strings.TrimPrefix(req.URL.EscapedPath(), c.baseURL.EscapedPath())
	if op, ok := operationFor(req.Method, path); ok {
		return op
	}
	read := req.Method == http.MethodGet || req.Method == http.MethodHead
	return operation{
		ID: req.Method + " " + path, Method: req.Method, Path: path,
		Headers:    []string{"apikey", "secretkey"},
		ReplaySafe: read, Replay: "not in the spec: only a read is replayed",
	}
}

// setHeaders sets the key headers op's security requires (the secretkey
// everywhere in high security mode) and the User-Agent, unless a request
// editor chose one.
func (c *Client) setHeaders(req *http.Request, op operation) {
	if op.Needs("apikey") {
		req.Header.Set("apikey", c.apiKey)
	}
	if c.secretKey != "" && (c.highSecurity || op.Needs("secretkey")) {
		req.Header.Set("secretkey", c.secretKey)
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
}

// pastDeadline reports whether ctx ends before a wait of d does: waiting
// would only end in the context's error instead of the last answer.
func pastDeadline(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return ok && time.Until(deadline) < d
}

// attempts says "1 attempt", "3 attempts".
func attempts(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return fmt.Sprintf("%d attempts", n)
}

// outcome describes an attempt's result for logs and errors, without the
// request's URL, whose path may hold a customer's id.
func outcome(resp *http.Response, err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if err != nil {
		return err.Error()
	}
	return resp.Status
}

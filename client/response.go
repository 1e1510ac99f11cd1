package client

import (
	"context"
	"encoding/json"
	"net/http"
)

// ResponseInfo is what the client learned from the answer to a call besides
// its decoded body: what stripe-go keeps in a result's LastResponse. Ask for
// it with CaptureResponse; a successful call's request id is then at hand
// for Gameball's support without Raw.
type ResponseInfo struct {
	// Operation is the operationId of the call ("rewardCashback").
	Operation string
	// StatusCode is the HTTP status of the last attempt's answer.
	StatusCode int
	// RequestID identifies the request to Gameball: the X-Request-Id header,
	// or the body's requestId when the header is absent; "" when neither
	// says.
	RequestID string
	// Header is the answer's header.
	Header http.Header
	// Attempts is how many attempts the call made, retries included.
	Attempts int
}

// captureKey is the context key under which a call hands its editors the
// place to record a ResponseInfo.
type captureKey struct{}

// captures is where one call's CaptureResponse editors put their targets.
type captures struct{ targets []*ResponseInfo }

// CaptureResponse asks a Client method to fill info with the answer's status,
// request id and header once the call is answered, a refusal included (an
// *APIError carries the same for refusals). Pass it as the method's last
// argument, as gRPC's grpc.Header call option works:
//
//	var info client.ResponseInfo
//	res, err := c.RewardCashback(ctx, req, client.CaptureResponse(&info))
//	log.Printf("rewarded, requestId %s", info.RequestID)
//
// info is left as it was when no answer came (a network error). Raw's
// generated calls ignore it: their responses are the *http.Response itself.
func CaptureResponse(info *ResponseInfo) RequestEditorFn {
	return func(ctx context.Context, _ *http.Request) error {
		if c := capturesOf(ctx); c != nil && info != nil {
			c.targets = append(c.targets, info)
		}
		return nil
	}
}

// capturesOf is the call's captures; nil for a request that did not come
// from a Client method (Raw's).
func capturesOf(ctx context.Context) *captures {
	c, _ := ctx.Value(captureKey{}).(*captures)
	return c
}

// fill records resp in every target.
func (c *captures) fill(info callInfo, resp *http.Response, body []byte) {
	if c == nil || len(c.targets) == 0 || resp == nil {
		return
	}
	got := ResponseInfo{
		Operation:  info.op.ID,
		StatusCode: resp.StatusCode,
		RequestID:  resp.Header.Get("X-Request-Id"),
		Header:     resp.Header,
		Attempts:   info.attempts,
	}
	if got.RequestID == "" && len(body) > 0 && body[0] == '{' {
		var b struct {
			RequestID string `json:"requestId"`
		}
		if json.Unmarshal(body, &b) == nil {
			got.RequestID = b.RequestID
		}
	}
	for _, t := range c.targets {
		*t = got
	}
}

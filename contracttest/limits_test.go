package contracttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/client/gbapi"
	"github.com/gbkit/gameball-go/contracttest"
	"github.com/gbkit/gameball-go/mockserver"
)

// TestBodyTooLarge sends every operation that takes a body more than the
// mock accepts: 413 with Gameball's error object, documented.
func TestBodyTooLarge(t *testing.T) {
	tr, err := contracttest.NewTransport(nil)
	if err != nil {
		t.Fatal(err)
	}
	covering(tr)
	c, err := gbapi.NewClientWithResponses(mock.url,
		gbapi.WithHTTPClient(&http.Client{Transport: tr, Timeout: 30 * time.Second}),
		gbapi.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("apikey", mock.apiKey)
			req.Header.Set("secretkey", mock.secretKey)
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	// Valid JSON, so only its size is wrong.
	huge := []byte(`{"customerId":"` + string(bytes.Repeat([]byte("x"), mockserver.DefaultMaxBodyBytes)) + `"}`)
	ctx := contracttest.DeliberatelyInvalid(context.Background())
	for _, op := range contracttest.BodyOperations() {
		t.Run(op, func(t *testing.T) {
			res, err := contracttest.SendBody(ctx, c, op, "application/json", bytes.NewReader(huge))
			if err != nil {
				t.Fatal(err)
			}
			var e client.GameballError
			if err := json.Unmarshal(res.GetBody(), &e); err != nil || res.StatusCode() != http.StatusRequestEntityTooLarge || e.Code != 3011 {
				t.Errorf("got %d %s, want 413 with code 3011", res.StatusCode(), res.GetBody())
			}
		})
	}
}

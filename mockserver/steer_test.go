package mockserver_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gbkit/gameball-go/internal/optable"
	"github.com/gbkit/gameball-go/mockserver"
)

// TestPreferSteersEveryOperation: every operation of the operations table
// answers each status it documents when a valid request asks for it with
// Prefer, with Gameball's error object naming the operation, and refuses a
// status it does not document. A new operation is covered with no edit here:
// the request is validRequestBody's.
func TestPreferSteersEveryOperation(t *testing.T) {
	m := startPerfMock(t, mockserver.Options{})
	call := func(t *testing.T, op optable.Operation, prefer string) (int, map[string]any) {
		t.Helper()
		valid := validRequestBody(t, op)
		var body io.Reader
		if valid != "" {
			body = strings.NewReader(valid)
		}
		req, err := http.NewRequest(op.Method, m.url+op.Fill("cust_1"), body)
		if err != nil {
			t.Fatal(err)
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("apikey", m.apiKey)
		req.Header.Set("secretkey", m.secretKey)
		req.Header.Set("Prefer", prefer)
		res, err := m.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var answer map[string]any
		_ = json.NewDecoder(res.Body).Decode(&answer)
		return res.StatusCode, answer
	}
	for _, op := range optable.All {
		t.Run(op.ID, func(t *testing.T) {
			for _, status := range op.Statuses {
				if status == http.StatusOK {
					continue
				}
				got, answer := call(t, op, fmt.Sprintf("code=%d", status))
				msg, _ := answer["message"].(string)
				if got != status || answer["code"] == nil || !strings.Contains(msg, op.ID+" answered with") {
					t.Errorf("Prefer: code=%d answered %d %v", status, got, answer)
				}
			}
			if got, answer := call(t, op, "code=418"); got != http.StatusUnprocessableEntity {
				t.Errorf("Prefer: code=418 (undocumented) answered %d %v, want 422", got, answer)
			}
		})
	}
}

package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// doc is a small spec with one operation per replay case. The bodies mirror
// Gameball's: a single write with a transactionId, a batch wrapper whose
// items carry one, a batch whose items do not, and a calculation.
const doc = `
openapi: 3.0.3
info: {title: t, version: "1"}
components:
  securitySchemes:
    apiKey: {type: apiKey, in: header, name: APIKey}
    secretKey: {type: apiKey, in: header, name: secretkey}
security:
  - apiKey: []
paths:
  /read:
    get:
      operationId: read
      responses: {"200": {description: ok}}
  /single:
    post:
      operationId: single
      security: [{apiKey: [], secretKey: []}]
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [transactionId]
              properties: {transactionId: {type: string}, amount: {type: number}}
      responses: {"200": {description: ok}}
  /batch-with-ids:
    post:
      operationId: batchWithIds
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                body:
                  type: array
                  items:
                    type: object
                    required: [transactionId]
                    properties: {transactionId: {type: string}}
      responses: {"200": {description: ok}}
  /batch-without-ids:
    post:
      operationId: batchWithoutIds
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                body:
                  type: array
                  items:
                    type: object
                    required: [customerId]
                    properties: {customerId: {type: string}, transactionId: {type: string}}
      responses: {"200": {description: ok}}
  /mixed-wrapper:
    post:
      operationId: mixedWrapper
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                note: {type: string}
                body:
                  type: array
                  items:
                    type: object
                    required: [transactionId]
                    properties: {transactionId: {type: string}}
      responses: {"200": {description: ok}}
  /calculate:
    post:
      operationId: calculate
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {total: {type: number}}}
      responses: {"200": {description: ok}}
`

func load(t *testing.T) *openapi3.T {
	t.Helper()
	d, err := openapi3.NewLoader().LoadFromData([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestOperations(t *testing.T) {
	ops, err := operations(load(t), map[string]string{"calculate": "rule: computes only"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		headers string
		safe    bool
		why     string
	}{
		"read":            {"apikey", true, "GET reads"},
		"single":          {"apikey secretkey", true, "the body requires a transactionId"},
		"batchWithIds":    {"apikey", true, "every item requires a transactionId"},
		"batchWithoutIds": {"apikey", false, "without a required transactionId"},
		"mixedWrapper":    {"apikey", false, "without a required transactionId"}, // a scalar beside the list: unsure, so unsafe
		"calculate":       {"apikey", true, "rule: computes only"},
	}
	if len(ops) != len(want) {
		t.Fatalf("%d operations, want %d: %+v", len(ops), len(want), ops)
	}
	for _, op := range ops {
		w, ok := want[op.ID]
		if !ok {
			t.Errorf("unexpected operation %s", op.ID)
			continue
		}
		if got := strings.Join(op.Headers, " "); got != w.headers {
			t.Errorf("%s: headers %q, want %q", op.ID, got, w.headers)
		}
		if op.ReplaySafe != w.safe || !strings.Contains(op.Replay, w.why) {
			t.Errorf("%s: replay safe %v (%q), want %v (%q)", op.ID, op.ReplaySafe, op.Replay, w.safe, w.why)
		}
	}
}

// TestStatuses: a row carries its documented statuses, ascending, and a
// response the table cannot name as a status is an error, not a status left out.
func TestStatuses(t *testing.T) {
	d := load(t)
	d.Paths.Value("/read").Get.Responses.Set("404", d.Paths.Value("/read").Get.Responses.Value("200"))
	ops, err := operations(d, map[string]string{"calculate": "rule: computes only"})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(ops[slices.IndexFunc(ops, func(o operation) bool { return o.ID == "read" })].Statuses); got != "[200 404]" {
		t.Errorf("read: statuses %s, want [200 404]", got)
	}
	d.Paths.Value("/read").Get.Responses.Set("default", d.Paths.Value("/read").Get.Responses.Value("200"))
	if _, err := operations(d, map[string]string{"calculate": "rule: computes only"}); err == nil || !strings.Contains(err.Error(), `"default" is not a status`) {
		t.Errorf("a default response: error %v", err)
	}
}

// TestReplayRulesStayMinimal: a rule must name an operation the spec has and
// cannot prove safe itself, so rules do not outlive the documents they patch.
func TestReplayRulesStayMinimal(t *testing.T) {
	cases := []struct {
		name  string
		rules map[string]string
		want  string
	}{
		{"an unknown operation", map[string]string{"gone": "rule"}, "does not have"},
		{"an operation the spec proves safe", map[string]string{"single": "rule"}, "drop its replay rule"},
	}
	for _, c := range cases {
		if _, err := operations(load(t), c.rules); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
	}
}

// TestReplayRulesMatchTheBundle runs the real rules against the real spec.
func TestReplayRulesMatchTheBundle(t *testing.T) {
	d, err := openapi3.NewLoader().LoadFromFile("../../../spec/gameball.bundle.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ops, err := operations(d, replayRules)
	if err != nil {
		t.Fatal(err)
	}
	unsafe := []string{"adjustBalanceBatch", "holdPoints", "releaseHold"}
	for _, op := range ops {
		if want := !slices.Contains(unsafe, op.ID); op.ReplaySafe != want {
			t.Errorf("%s: replay safe %v, want %v (%s)", op.ID, op.ReplaySafe, want, op.Replay)
		}
	}
}

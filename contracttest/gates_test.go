package contracttest

import (
	"strconv"
	"strings"
	"testing"

	"github.com/gbkit/gameball-go/spec"
	"github.com/getkin/kin-openapi/openapi3"
)

// The gates, tested on deliberately broken fixtures: each must fail.

func TestCoverageGateNamesWhatIsMissing(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string][]int{}
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			for code := range op.Responses.Map() {
				status, err := strconv.Atoi(code)
				if err != nil {
					t.Fatalf("%s documents a non-numeric status %q", op.OperationID, code)
				}
				seen[op.OperationID] = append(seen[op.OperationID], status)
			}
		}
	}
	if missing := Uncovered(doc, seen); len(missing) != 0 {
		t.Fatalf("everything seen, yet the gate reports %v", missing)
	}

	// A new status on an existing operation, and a new operation.
	doc.Paths.Value("/api/v4.0/integrations/transactions/cashback").Post.Responses.Set("409", &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("conflict")})
	doc.Paths.Set("/api/v4.0/integrations/transactions/reverse", &openapi3.PathItem{Post: &openapi3.Operation{
		OperationID: "reverseTransaction",
		Responses:   openapi3.NewResponses(openapi3.WithStatus(200, &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("ok")})),
	}})
	missing := strings.Join(Uncovered(doc, seen), "\n")
	for _, want := range []string{"rewardCashback 409 (POST /api/v4.0/integrations/transactions/cashback)", "reverseTransaction 200 (POST /api/v4.0/integrations/transactions/reverse)"} {
		if !strings.Contains(missing, want) {
			t.Errorf("the gate does not name %q; it says:\n%s", want, missing)
		}
	}
}

func TestExampleGateRefusesBrokenExamples(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	schema := doc.Paths.Value("/api/v4.0/integrations/transactions/cashback").Post.Responses.Value("200").Value.Content.Get("application/json").Schema.Value
	cases := []struct {
		name  string
		value any
		want  string
	}{
		{"a value of the wrong type", map[string]any{"customerId": "c", "rewardAmount": "a lot"}, "does not validate"},
		{"a date-time that is not one", nil, "does not validate"},
		{"a member the generated type lacks", map[string]any{"customerId": "c", "loyaltyTier": "gold"}, "drops"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ex := Example{Where: c.name, Operation: "rewardCashback", Status: 200, Schema: schema, Value: c.value}
			if c.value == nil {
				// A date-time property: the request's transactionTime.
				ex = Example{Where: c.name, Operation: "rewardCashback", Schema: doc.Paths.Value("/api/v4.0/integrations/transactions/cashback").Post.RequestBody.Value.Content.Get("application/json").Schema.Value,
					Value: map[string]any{"customerId": "c", "transactionId": "t", "transactionTime": "11 Oct 2024", "amount": 1.0}}
			}
			if err := CheckExample(ex); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("CheckExample = %v, want an error saying %q", err, c.want)
			}
		})
	}
}

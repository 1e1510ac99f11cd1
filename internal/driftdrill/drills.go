// Package driftdrill proves that each kind of change Gameball can make to
// its documents is caught by a named mechanism of this repository: it copies
// the repository, applies the change to Gameball's published document (or
// to what the project takes from it), regenerates where a maintainer would,
// and checks that the mechanism fails with the expected message.
package driftdrill

import "strings"

// Edit replaces Old (which must occur exactly once) with New in a file of spec/.
type Edit struct {
	Doc      string // file in spec/
	Old, New string
}

// Drill is one kind of change and the mechanism that must catch it.
type Drill struct {
	Name       string
	Edits      []Edit
	Files      map[string]string // files to add, by path from the repository root: the maintainer's own edits
	Regenerate bool              // run `go generate ./...` after the edits, as a maintainer would
	Mechanism  string            // what catches it, in words
	Command    []string          // run in the copy; it must fail...
	Marker     string            // ...with this in its output
	Shows      []string          // ...and these too: what else the command must have done
}

// published is Gameball's published document in spec/; the drills edit it as
// Gameball might (JSON, in the document's own layout).
const published = "openapi.json"

// The reward cashback's request amount and its 200 response, as published.
const (
	cashbackAmount = `                  "amount": { 
                    "type": "number",
                    "description": "Monetary value of the transaction for which the customer will be rewarded, based on the Cashback program configuration.",
                    "example": 150.75
`
	cashbackAnswer = `"description": "Cashback issued successfully",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
`
	rewardEquivalentPoints = `,
                    "rewardEquivalentPoints": { 
                      "type": "number",
                      "description": "The number of points rewarded to the customer for the transaction. Example: If the customer earns 50 points for their purchase, the rewardEquivalentPoints will be 50.",
                      "example": 0
                    }`
)

// Drills are the changes of the contract-test issue, each with its mechanism,
// and the seed pages' older state arriving through make update-spec.
var Drills = []Drill{
	{
		Name:      "a vendored document edited without regenerating",
		Edits:     []Edit{{published, "based on the Cashback program configuration.", "based on the cashback program's configuration."}},
		Mechanism: "make check-generate (first step of make test)",
		Command:   []string{"make", "-s", "check-generate"},
		Marker:    "check-generate: generated files did not match",
	},
	{
		Name: "a new operation",
		Edits: []Edit{
			{published, "    \"/api/v4.0/integrations/transactions/cashback\": {\n", `    "/api/v4.0/integrations/transactions/cashback/reverse": {
      "post": {
        "operationId": "reverseCashback",
        "security": [ { "apiKey": [], "secretKey": [] } ],
        "responses": { "200": { "description": "Reversed" } }
      }
    },
    "/api/v4.0/integrations/transactions/cashback": {
`},
			// Taken, as a maintainer takes an operation that update-spec lists upstream.
			{"operations.txt", "POST /api/v4.0/integrations/transactions/cashback\n", "POST /api/v4.0/integrations/transactions/cashback\nPOST /api/v4.0/integrations/transactions/cashback/reverse\n"},
		},
		Regenerate: true,
		Mechanism:  "the strict server no longer compiles (and the coverage gate, once it does)",
		Command:    []string{"go", "build", "./mockserver/"},
		Marker:     "missing method ReverseCashback",
	},
	{
		// The operation of the drill above, once the maintainer has written
		// its handler (here one that fails, as a first draft might): with no
		// other edit the fuzz target sends it requests and finds the 500,
		// and Prefer steers it to the statuses it documents.
		Name: "a new operation's handler failing",
		Edits: []Edit{
			{published, "    \"/api/v4.0/integrations/transactions/cashback\": {\n", `    "/api/v4.0/integrations/transactions/cashback/reverse": {
      "post": {
        "operationId": "reverseCashback",
        "security": [ { "apiKey": [], "secretKey": [] } ],
        "responses": { "200": { "description": "Reversed" }, "503": { "description": "Unavailable" } }
      }
    },
    "/api/v4.0/integrations/transactions/cashback": {
`},
			{"operations.txt", "POST /api/v4.0/integrations/transactions/cashback\n", "POST /api/v4.0/integrations/transactions/cashback\nPOST /api/v4.0/integrations/transactions/cashback/reverse\n"},
		},
		Files: map[string]string{"mockserver/reverse_drill.go": `package mockserver

import (
	"context"
	"errors"

	"github.com/gbkit/gameball-go/internal/gameballserver"
)

func (h *handlers) ReverseCashback(context.Context, gameballserver.ReverseCashbackRequestObject) (gameballserver.ReverseCashbackResponseObject, error) {
	return nil, errors.New("not written yet")
}
`},
		Regenerate: true,
		Mechanism:  "the fuzz target, with no edit (and Prefer steers it)",
		Command:    []string{"go", "test", "-count=1", "-v", "-run", "^(FuzzOperation|TestPreferSteersEveryOperation)$", "./mockserver/"},
		Marker:     "reverseCashback answered 500",
		Shows:      []string{"--- PASS: TestPreferSteersEveryOperation/reverseCashback"},
	},
	{
		Name: "a new required request field",
		Edits: []Edit{
			{published, `"required": ["customerId", "amount", "transactionId", "transactionTime"],`, `"required": ["customerId", "amount", "transactionId", "transactionTime", "currency"],`},
			{published, cashbackAmount, `                  "currency": { "type": "string", "example": "USD" },
` + cashbackAmount},
		},
		Regenerate: true,
		Mechanism:  "contract validation of what the client sends (go test ./contracttest)",
		Command:    []string{"go", "test", "-count=1", "-run", "TestMock", "./contracttest/"},
		Marker:     "request breaks the spec: required properties sent empty",
	},
	{
		Name: "a new required response field",
		Edits: []Edit{{published, cashbackAnswer, strings.Replace(cashbackAnswer, `"properties": {
`, `"required": ["rewardTier"],
                  "properties": {
                    "rewardTier": { "type": "string", "example": "Gold" },
`, 1)}},
		Regenerate: true,
		Mechanism:  "contract validation of what the mock answers (go test ./contracttest)",
		Command:    []string{"go", "test", "-count=1", "-run", "TestMock", "./contracttest/"},
		Marker:     "response 200 breaks the spec: required properties sent empty",
	},
	{
		Name:       "a property's type changed",
		Edits:      []Edit{{published, cashbackAmount, strings.NewReplacer(`"type": "number"`, `"type": "string"`, `"example": 150.75`, `"example": "150.75"`).Replace(cashbackAmount)}},
		Regenerate: true,
		Mechanism:  "a compile error where the code uses the property",
		Command:    []string{"go", "build", "./..."},
		Marker:     "body.Amount",
	},
	{
		Name:       "a new enum value",
		Edits:      []Edit{{published, `"enum": ["pending", "processing", "completed", "failed"]`, `"enum": ["pending", "processing", "completed", "failed", "cancelled"]`}},
		Regenerate: true,
		Mechanism:  "the enum gate (go test ./contracttest)",
		Command:    []string{"go", "test", "-count=1", "-run", "TestBatchStatesMatchTheEngine", "./contracttest/"},
		Marker:     "differ from the engine's batch states",
	},
	{
		Name:       "a removed response property the client uses",
		Edits:      []Edit{{published, rewardEquivalentPoints, ""}},
		Regenerate: true,
		Mechanism:  "a compile error where the code reads the property",
		Command:    []string{"go", "vet", "./..."},
		Marker:     "RewardEquivalentPoints",
	},
	{
		// The published document replaced by the seed pages' older state
		// (spec/testdata/seed-state.json, see internal/cmd/seedstate): the
		// report names the manual transaction's changes before the tree,
		// regenerated, fails to build where the engine uses them.
		Name:      "the seed pages' older document brought in",
		Mechanism: "make update-spec's report (oasdiff on the taken operations)",
		Command:   []string{"make", "-s", "update-spec", "FROM=spec/testdata/seed-state.json"},
		Marker:    "addManualTransaction (POST /api/v4.0/integrations/transactions/manual): the request property `points` became required",
	},
}

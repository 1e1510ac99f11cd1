// Package driftdrill proves that each kind of change Gameball can make to
// its documents is caught by a named mechanism of this repository: it copies
// the repository, applies the change to a vendored document, regenerates
// where a maintainer would, and checks that the mechanism fails with the
// expected message.
package driftdrill

// Edit replaces Old (which must occur exactly once) with New in a vendored document.
type Edit struct {
	Doc      string // file in spec/
	Old, New string
}

// Drill is one kind of change and the mechanism that must catch it.
type Drill struct {
	Name       string
	Edits      []Edit
	Regenerate bool     // run `go generate ./...` after the edits, as a maintainer would
	Mechanism  string   // what catches it, in words
	Command    []string // run in the copy; it must fail...
	Marker     string   // ...with this in its output
}

const cashbackDoc = "reward-cashback.yaml"

// Drills are the changes of the contract-test issue, each with its mechanism.
var Drills = []Drill{
	{
		Name:      "a vendored document edited without regenerating",
		Edits:     []Edit{{cashbackDoc, "be rewarded, based on the Cashback program configuration.", "be rewarded, based on the cashback program's configuration."}},
		Mechanism: "make check-generate (first step of make test)",
		Command:   []string{"make", "-s", "check-generate"},
		Marker:    "check-generate: generated files did not match",
	},
	{
		Name: "a new operation",
		Edits: []Edit{{cashbackDoc, "paths:\n  /api/v4.0/integrations/transactions/cashback:\n", `paths:
  /api/v4.0/integrations/transactions/cashback/reverse:
    post:
      operationId: reverseCashback
      responses:
        '200':
          description: Reversed
      security:
        - apiKey: []
          secretKey: []
  /api/v4.0/integrations/transactions/cashback:
`}},
		Regenerate: true,
		Mechanism:  "the strict server no longer compiles (and the coverage gate, once it does)",
		Command:    []string{"go", "build", "./mockserver/"},
		Marker:     "missing method ReverseCashback",
	},
	{
		Name: "a new required request field",
		Edits: []Edit{{cashbackDoc, `              required:
                - customerId
                - transactionId
                - transactionTime
                - amount
              properties:
`, `              required:
                - customerId
                - transactionId
                - transactionTime
                - amount
                - currency
              properties:
                currency:
                  type: string
                  example: USD
`}, {cashbackDoc, "              amount: 150.75\n              email: john.doe@example.com\n", "              amount: 150.75\n              currency: USD\n              email: john.doe@example.com\n"}},
		Regenerate: true,
		Mechanism:  "contract validation of what the client sends (go test ./contracttest)",
		Command:    []string{"go", "test", "-count=1", "-run", "TestMock", "./contracttest/"},
		Marker:     "request breaks the spec: required properties sent empty",
	},
	{
		Name: "a new required response field",
		Edits: []Edit{{cashbackDoc, `          description: Cashback issued successfully
          content:
            application/json:
              schema:
                type: object
                properties:
`, `          description: Cashback issued successfully
          content:
            application/json:
              schema:
                type: object
                required:
                  - rewardTier
                properties:
                  rewardTier:
                    type: string
                    example: Gold
`}, {cashbackDoc, "                rewardAmount: 150.75\n                rewardEquivalentPoints: 0\n", "                rewardAmount: 150.75\n                rewardEquivalentPoints: 0\n                rewardTier: Gold\n"}},
		Regenerate: true,
		Mechanism:  "contract validation of what the mock answers (go test ./contracttest)",
		Command:    []string{"go", "test", "-count=1", "-run", "TestMock", "./contracttest/"},
		Marker:     "response 200 breaks the spec: required properties sent empty",
	},
	{
		Name: "a property's type changed",
		Edits: []Edit{
			{cashbackDoc, `                amount:
                  type: number
                  description: >-
                    Monetary value`, `                amount:
                  type: string
                  description: >-
                    Monetary value`},
			{cashbackDoc, "                  example: 150.75\n                email:", "                  example: '150.75'\n                email:"},
			{cashbackDoc, "              amount: 150.75\n              email:", "              amount: '150.75'\n              email:"},
		},
		Regenerate: true,
		Mechanism:  "a compile error where the code uses the property",
		Command:    []string{"go", "build", "./..."},
		Marker:     "body.Amount",
	},
	{
		Name:       "a new enum value",
		Edits:      []Edit{{"get-batch-status.yaml", "                      - failed\n", "                      - failed\n                      - cancelled\n"}},
		Regenerate: true,
		Mechanism:  "the enum gate (go test ./contracttest)",
		Command:    []string{"go", "test", "-count=1", "-run", "TestBatchStatesMatchTheEngine", "./contracttest/"},
		Marker:     "differ from the engine's batch states",
	},
	{
		Name: "a removed response property the client uses",
		Edits: []Edit{
			{cashbackDoc, `                  rewardEquivalentPoints:
                    type: number
                    description: >-
                      The number of points rewarded to the customer for the
                      transaction. Example: If the customer earns 50 points for
                      their purchase, the rewardEquivalentPoints will be 50.
                    example: 0
`, ""},
			{cashbackDoc, "                rewardAmount: 150.75\n                rewardEquivalentPoints: 0\n", "                rewardAmount: 150.75\n"},
		},
		Regenerate: true,
		Mechanism:  "a compile error where the code reads the property",
		Command:    []string{"go", "vet", "./..."},
		Marker:     "RewardEquivalentPoints",
	},
}

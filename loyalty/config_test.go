package loyalty

import (
	"strings"
	"testing"
	"time"
)

func TestDefaultConfig(t *testing.T) {
	cfg := DefaultConfig()
	p := cfg.Program
	if p.Currency != "USD" || p.PointsName != "Points" || p.PointValue != 0.05 || p.BaseRate != 1 ||
		p.ReturnWindow != 0 || p.ChannelMerging != MergeNone || !p.CashbackEnabled || p.HighSecurity ||
		p.FutureTolerance != time.Minute {
		t.Fatalf("program %+v", p)
	}
	if len(p.Tiers) != 2 || len(p.CustomRates) != 1 || len(p.Campaigns) != 1 {
		t.Fatalf("examples: %d tiers, %d custom rates, %d campaigns", len(p.Tiers), len(p.CustomRates), len(p.Campaigns))
	}
	want := AccountConfig{Name: "default", APIKey: "gb_test_apikey", SecretKey: "gb_test_secretkey"}
	if len(cfg.Accounts) != 1 || cfg.Accounts[0] != want {
		t.Fatalf("accounts %+v, want only %+v", cfg.Accounts, want)
	}
	if _, err := ParseConfig(defaultYAML); err != nil {
		t.Fatalf("default.yaml through ParseConfig: %v", err)
	}
	// Gameball's balance example: 1500 points are worth 75 USD.
	if v := p.value(1500); v != 75 {
		t.Fatalf("1500 points are worth %v, want 75", v)
	}
}

func TestParseConfigKeepsDefaultScalarsButNotExamples(t *testing.T) {
	cfg, err := ParseConfig([]byte(`
program:
  baseRate: 2
  futureTolerance: 30s
accounts:
  - {name: a, apiKey: k, secretKey: s}
batch:
  itemDelay: 250ms
`))
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Program
	if p.BaseRate != 2 || p.FutureTolerance != 30*time.Second || p.PointValue != 0.05 || p.Currency != "USD" || !p.CashbackEnabled {
		t.Fatalf("program %+v", p)
	}
	if len(p.Tiers)+len(p.CustomRates)+len(p.Campaigns) != 0 {
		t.Fatalf("default.yaml's examples slipped in: %+v", p)
	}
	if cfg.Batch.ItemDelay != 250*time.Millisecond {
		t.Fatalf("itemDelay %s", cfg.Batch.ItemDelay)
	}
}

func TestParseConfigRefusals(t *testing.T) {
	const account = "accounts: [{name: a, apiKey: k, secretKey: s}]\n"
	tests := []struct {
		name string
		yaml string
		want string // a part of the error naming the field
	}{
		{"empty document", "", "empty"},
		{"unknown top-level field", "foo: 1\n" + account, "field foo not found"},
		{"unknown program field", "program: {baseRat: 2}\n" + account, "field baseRat not found"},
		{"misspelt account field", "accounts: [{name: a, apikey: k, secretKey: s}]", "field apikey not found"},
		{"no account", "program: {baseRate: 1}\n", "accounts: at least one account is required"},
		{"negative base rate", "program: {baseRate: -1}\n" + account, "program.baseRate: must be 0 or more"},
		{"negative score rate", "program: {scoreRate: -0.5}\n" + account, "program.scoreRate"},
		{"zero point value", "program: {pointValue: 0}\n" + account, "program.pointValue: must be greater than 0"},
		{"return window too long", "program: {returnWindow: 7301}\n" + account, "program.returnWindow: must be 0 to 7300"},
		{"negative return window", "program: {returnWindow: -1}\n" + account, "program.returnWindow"},
		{"bad merging", "program: {channelMerging: phone}\n" + account, `program.channelMerging: must be none, email or mobile, got "phone"`},
		{"duration without unit", "program: {futureTolerance: 60}\n" + account, "line 1: cannot unmarshal !!int `60` into time.Duration (durations need a unit"},
		{"duplicate apiKey", "accounts: [{name: a, apiKey: k, secretKey: s}, {name: b, apiKey: k, secretKey: t}]", "accounts[1].apiKey"},
		{"duplicate account name", "accounts: [{name: a, apiKey: k, secretKey: s}, {name: a, apiKey: j, secretKey: t}]", "accounts[1].name"},
		{"missing secret key", "accounts: [{name: a, apiKey: k}]", "accounts[0].secretKey: is required"},
		{"duplicate tier", "program: {tiers: [{name: Gold}, {name: Gold, minEarnedPoints: 5}]}\n" + account, `program.tiers[1].name: "Gold"`},
		{"tier thresholds clash", "program: {tiers: [{name: A}, {name: B}]}\n" + account, "program.tiers[1].minEarnedPoints"},
		{"negative tier rate", "program: {tiers: [{name: A, rate: -2}]}\n" + account, "program.tiers[0].rate"},
		{"custom rate with both", "program: {customRates: [{category: X, merchant: M, rate: 2}]}\n" + account, "program.customRates[0]: set exactly one"},
		{"custom rate with neither", "program: {customRates: [{rate: 2}]}\n" + account, "program.customRates[0]: set exactly one"},
		{"custom rate for unknown tier", "program: {customRates: [{category: X, tier: Gold, rate: 2}]}\n" + account, `program.customRates[0].tier: "Gold"`},
		{"campaign multiplier below 1", campaignYAML("multiplier: 0.5") + account, "program.campaigns[0].multiplier: must be at least 1"},
		{"campaign ends before it starts", campaignYAML("start: 2025-02-01T00:00:00Z, end: 2025-01-01T00:00:00Z") + account, "program.campaigns[0].end"},
		{"campaign without end", campaignYAML("end: null") + account, "program.campaigns[0].end: is required"},
		{"campaign scope kind", campaignYAML("scope: {kind: brand, value: x}") + account, "program.campaigns[0].scope.kind"},
		{"campaign scope without value", campaignYAML("scope: {kind: tag}") + account, "program.campaigns[0].scope.value: is required"},
		{"payment scope with value", campaignYAML("scope: {kind: payment, value: x}") + account, "program.campaigns[0].scope.value: must be empty"},
		{"negative item delay", "batch: {itemDelay: -1s}\n" + account, "batch.itemDelay"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tt.yaml))
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

// campaignYAML is a valid campaign with one setting overridden (later keys
// of a flow mapping would be duplicates, so the override replaces the
// default line).
func campaignYAML(override string) string {
	fields := map[string]string{
		"multiplier": "multiplier: 2",
		"start":      "start: 2025-01-01T00:00:00Z",
		"end":        "end: 2025-02-01T00:00:00Z",
		"scope":      "scope: {kind: payment}",
	}
	key := strings.SplitN(override, ":", 2)[0]
	fields[key] = override
	if key == "start" { // the override carries end too
		delete(fields, "end")
	}
	return "program: {campaigns: [{id: 1, name: c, " + fields["multiplier"] + ", " + fields["start"] + ", " +
		joinNonEmpty(fields["end"], fields["scope"]) + "}]}\n"
}

func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}

func TestValidateReportsEveryProblem(t *testing.T) {
	cfg := testConfig()
	cfg.Program.PointValue = 0
	cfg.Program.BaseRate = -1
	cfg.Accounts = nil
	err := cfg.Validate()
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"program.pointValue", "program.baseRate", "accounts"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not mention %s", err, want)
		}
	}
	if _, err := New(cfg, nil); err == nil {
		t.Fatal("New accepted an invalid config")
	}
}

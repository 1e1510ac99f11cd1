package loyalty

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/gbkit/gameball-go/internal/errcode"
)

// defaultYAML is the configuration the mock server runs with when given none.
// It doubles as the documentation of every setting.
//
//go:embed default.yaml
var defaultYAML []byte

// Config is the mock server's loyalty program and accounts, as read from YAML.
type Config struct {
	Program  Program         `yaml:"program"`
	Accounts []AccountConfig `yaml:"accounts"`
	Batch    BatchConfig     `yaml:"batch"`
}

// AccountConfig is one Gameball account: its keys and a name to address it by.
// Every account shares the program but has its own customers and ledger.
type AccountConfig struct {
	Name      string `yaml:"name"`
	APIKey    string `yaml:"apiKey"`
	SecretKey string `yaml:"secretKey"`
}

// BatchConfig tunes the background batch jobs.
type BatchConfig struct {
	// ItemDelay is a pause between two items of a job, in real time (not the
	// engine's clock), so people can watch a job progress and stop it. Default 0.
	ItemDelay time.Duration `yaml:"itemDelay"`
}

// Program is the loyalty program: how points are earned, valued and kept.
//
// The points of an item are floor(eligible amount × rate × multiplier),
// rounded down per item before items are summed. The rate, lowest precedence
// first: BaseRate; the customer's tier rate (when nonzero); the highest
// matching CustomRate, plain or for the customer's tier. The multiplier is
// the highest among active Campaigns in scope, else 1.
type Program struct {
	Currency   string  `yaml:"currency"`
	PointsName string  `yaml:"pointsName"`
	PointValue float64 `yaml:"pointValue"` // money per point
	BaseRate   float64 `yaml:"baseRate"`   // points per currency unit
	ScoreRate  float64 `yaml:"scoreRate"`  // score per currency unit
	// ReturnWindow is the default number of days cashback points stay pending.
	ReturnWindow int `yaml:"returnWindow"`
	// PointsExpiry is the number of days after becoming available that earned
	// points expire; 0 means they never do.
	PointsExpiry int `yaml:"pointsExpiry"`
	// ChannelMerging is none, email or mobile: which contact detail merges
	// requests under different customerIds onto one profile.
	ChannelMerging  string `yaml:"channelMerging"`
	CashbackEnabled bool   `yaml:"cashbackEnabled"`
	// HighSecurity makes every call need the secret key too. The engine only
	// carries it; the HTTP layer enforces it.
	HighSecurity bool `yaml:"highSecurity"`
	// FutureTolerance is how far in the future a transactionTime may be before
	// it is refused with 9007; it forgives clocks that run a little ahead.
	FutureTolerance time.Duration `yaml:"futureTolerance"`
	// HoldTime is how long held points stay reserved before the hold expires:
	// 1 minute to 15 days, as in Gameball's dashboard; 0 is Gameball's default,
	// 10 minutes.
	HoldTime    time.Duration `yaml:"holdTime"`
	Tiers       []Tier        `yaml:"tiers"`
	CustomRates []CustomRate  `yaml:"customRates"`
	Campaigns   []Campaign    `yaml:"campaigns"`
}

// The values of Program.ChannelMerging. A request lands on a profile in this
// order:
//
//  1. Merging by email (or mobile): when the request's email (or mobile)
//     belongs to a profile, that profile, whatever the request's customerId.
//     The customerId becomes an alias of the profile, so later calls and
//     balances under it reach the same profile, unless it already names a
//     profile or alias of its own (then it keeps it, and only this request
//     lands on the merged profile).
//  2. A customerId that is an alias: the profile it aliases.
//  3. Otherwise the customerId's own profile, created by operations that
//     award or deduct (not by a calculation).
//
// Emails match case-insensitively and contacts ignore surrounding spaces. A
// profile keeps the first email and mobile it is given.
const (
	MergeNone   = "none"
	MergeEmail  = "email"
	MergeMobile = "mobile"
)

// Tier is a level of the program. A customer is in the highest tier whose
// MinEarnedPoints is at most their lifetime earned points, unless the customer
// was given a tier explicitly (seeded).
type Tier struct {
	Name            string  `yaml:"name"`
	Rate            float64 `yaml:"rate"` // points per currency unit; 0 inherits the base rate
	MinEarnedPoints int64   `yaml:"minEarnedPoints"`
}

// CustomRate is an earning rate for one category or one merchant (exactly one
// of the two is set). With Tier set it is a custom rate per tier: it applies
// only to customers in that tier.
type CustomRate struct {
	Category string  `yaml:"category"`
	Merchant string  `yaml:"merchant"`
	Tier     string  `yaml:"tier"`
	Rate     float64 `yaml:"rate"`
}

// Campaign is a multiplier campaign: points earned on matching items between
// Start (inclusive) and End (exclusive) are multiplied by Multiplier.
type Campaign struct {
	ID         int64         `yaml:"id"`
	Name       string        `yaml:"name"`
	Multiplier float64       `yaml:"multiplier"`
	Start      time.Time     `yaml:"start"` // zero: since always
	End        time.Time     `yaml:"end"`
	Scope      CampaignScope `yaml:"scope"`
}

// CampaignScope says which items a campaign multiplies.
type CampaignScope struct {
	Kind  string `yaml:"kind"`  // payment, category, merchant, serviceProvider or tag
	Value string `yaml:"value"` // the category, merchant uniqueId, provider or tag; empty for payment
}

// The values of CampaignScope.Kind.
const (
	ScopePayment         = "payment"
	ScopeCategory        = "category"
	ScopeMerchant        = "merchant"
	ScopeServiceProvider = "serviceProvider"
	ScopeTag             = "tag"
)

// Limits and defaults from Gameball's documentation.
const (
	MaxReturnWindow = 7300 // days
	MaxBatchItems   = errcode.MaxBatchItems
	DefaultHoldTime = 10 * time.Minute
	MinHoldTime     = time.Minute
	MaxHoldTime     = 15 * 24 * time.Hour
)

// DefaultConfig is the embedded default.yaml: one account ("default" with keys
// gb_test_apikey / gb_test_secretkey) and an example program.
func DefaultConfig() Config {
	var cfg Config
	if err := decodeConfig(defaultYAML, &cfg); err != nil {
		panic("loyalty: embedded default.yaml: " + err.Error())
	}
	if err := cfg.Validate(); err != nil {
		panic("loyalty: embedded default.yaml: " + err.Error())
	}
	return cfg
}

// ParseConfig reads a YAML configuration strictly: an unknown field is an
// error, and so is any value Validate refuses. The program's scalar settings
// left out keep default.yaml's values, so a file may change only what it
// needs; the lists (tiers, customRates, campaigns, accounts) are exactly what
// the file says, so none of default.yaml's examples slip in unasked.
func ParseConfig(data []byte) (Config, error) {
	cfg := Config{Program: DefaultConfig().Program}
	cfg.Program.Tiers, cfg.Program.CustomRates, cfg.Program.Campaigns = nil, nil, nil
	if err := decodeConfig(data, &cfg); err != nil {
		return Config{}, err
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

func decodeConfig(data []byte, into *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(into); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("config: the document is empty")
		}
		if strings.Contains(err.Error(), "time.Duration") {
			return fmt.Errorf("config: %w (durations need a unit: 30s, 1m, 2h)", err)
		}
		return fmt.Errorf("config: %w", err)
	}
	return nil
}

// Validate reports every value the engine cannot run with, one line each,
// each naming the field (e.g. "program.pointValue: must be greater than 0, got 0").
func (c Config) Validate() error {
	var v problems
	c.Program.validate(&v)
	if len(c.Accounts) == 0 {
		v.add("accounts", "at least one account is required")
	}
	names, keys := map[string]int{}, map[string]int{}
	for i, a := range c.Accounts {
		at := fmt.Sprintf("accounts[%d]", i)
		v.require(at+".name", a.Name)
		v.require(at+".apiKey", a.APIKey)
		v.require(at+".secretKey", a.SecretKey)
		if j, dup := names[a.Name]; dup && a.Name != "" {
			v.add(at+".name", "%q is also the name of accounts[%d]", a.Name, j)
		}
		if j, dup := keys[a.APIKey]; dup && a.APIKey != "" {
			v.add(at+".apiKey", "is also the apiKey of accounts[%d]; keys must identify one account", j)
		}
		names[a.Name], keys[a.APIKey] = i, i
	}
	if c.Batch.ItemDelay < 0 {
		v.add("batch.itemDelay", "must not be negative, got %s", c.Batch.ItemDelay)
	}
	return v.err()
}

func (p Program) validate(v *problems) {
	v.require("program.currency", p.Currency)
	v.require("program.pointsName", p.PointsName)
	if !(p.PointValue > 0) || math.IsInf(p.PointValue, 0) {
		v.add("program.pointValue", "must be greater than 0, got %v", p.PointValue)
	}
	v.rate("program.baseRate", p.BaseRate)
	v.rate("program.scoreRate", p.ScoreRate)
	if p.ReturnWindow < 0 || p.ReturnWindow > MaxReturnWindow {
		v.add("program.returnWindow", "must be 0 to %d days, got %d", MaxReturnWindow, p.ReturnWindow)
	}
	if p.PointsExpiry < 0 {
		v.add("program.pointsExpiry", "must be 0 (never) or a number of days, got %d", p.PointsExpiry)
	}
	switch p.ChannelMerging {
	case MergeNone, MergeEmail, MergeMobile:
	default:
		v.add("program.channelMerging", "must be none, email or mobile, got %q", p.ChannelMerging)
	}
	if p.FutureTolerance < 0 {
		v.add("program.futureTolerance", "must not be negative, got %s", p.FutureTolerance)
	}
	if p.HoldTime != 0 && (p.HoldTime < MinHoldTime || p.HoldTime > MaxHoldTime) {
		v.add("program.holdTime", "must be %s to %s (0 for the default %s), got %s", MinHoldTime, MaxHoldTime, DefaultHoldTime, p.HoldTime)
	}

	tiers, thresholds := map[string]int{}, map[int64]string{}
	for i, t := range p.Tiers {
		at := fmt.Sprintf("program.tiers[%d]", i)
		v.require(at+".name", t.Name)
		if j, dup := tiers[t.Name]; dup && t.Name != "" {
			v.add(at+".name", "%q is also the name of program.tiers[%d]", t.Name, j)
		}
		tiers[t.Name] = i
		v.rate(at+".rate", t.Rate)
		if t.MinEarnedPoints < 0 {
			v.add(at+".minEarnedPoints", "must not be negative, got %d", t.MinEarnedPoints)
		}
		if other, dup := thresholds[t.MinEarnedPoints]; dup {
			v.add(at+".minEarnedPoints", "%d is also the threshold of tier %q; each tier needs its own", t.MinEarnedPoints, other)
		}
		thresholds[t.MinEarnedPoints] = t.Name
	}

	for i, r := range p.CustomRates {
		at := fmt.Sprintf("program.customRates[%d]", i)
		if (r.Category == "") == (r.Merchant == "") {
			v.add(at, "set exactly one of category and merchant")
		}
		if _, ok := tiers[r.Tier]; r.Tier != "" && !ok {
			v.add(at+".tier", "%q is not one of program.tiers", r.Tier)
		}
		v.rate(at+".rate", r.Rate)
	}

	ids := map[int64]int{}
	for i, c := range p.Campaigns {
		at := fmt.Sprintf("program.campaigns[%d]", i)
		if c.ID <= 0 {
			v.add(at+".id", "must be a positive number, got %d", c.ID)
		} else if j, dup := ids[c.ID]; dup {
			v.add(at+".id", "%d is also the id of program.campaigns[%d]", c.ID, j)
		}
		ids[c.ID] = i
		v.require(at+".name", c.Name)
		if !(c.Multiplier >= 1) || math.IsInf(c.Multiplier, 0) {
			v.add(at+".multiplier", "must be at least 1, got %v", c.Multiplier)
		}
		if c.End.IsZero() {
			v.add(at+".end", "is required")
		} else if !c.End.After(c.Start) {
			v.add(at+".end", "%s is not after start %s", c.End.Format(time.RFC3339), c.Start.Format(time.RFC3339))
		}
		switch c.Scope.Kind {
		case ScopePayment:
			if c.Scope.Value != "" {
				v.add(at+".scope.value", "must be empty for kind payment, got %q", c.Scope.Value)
			}
		case ScopeCategory, ScopeMerchant, ScopeServiceProvider, ScopeTag:
			v.require(at+".scope.value", c.Scope.Value)
		default:
			v.add(at+".scope.kind", "must be payment, category, merchant, serviceProvider or tag, got %q", c.Scope.Kind)
		}
	}
}

// problems gathers every validation failure so one run reports them all.
type problems []error

func (v *problems) add(field, format string, args ...any) {
	*v = append(*v, fmt.Errorf("config: %s: %s", field, fmt.Sprintf(format, args...)))
}

func (v *problems) require(field, value string) {
	if value == "" {
		v.add(field, "is required")
	}
}

func (v *problems) rate(field string, rate float64) {
	if !(rate >= 0) || math.IsInf(rate, 0) {
		v.add(field, "must be 0 or more, got %v", rate)
	}
}

func (v problems) err() error { return errors.Join(v...) }

// holdTime is the hold time in effect.
func (p *Program) holdTime() time.Duration {
	if p.HoldTime == 0 {
		return DefaultHoldTime
	}
	return p.HoldTime
}

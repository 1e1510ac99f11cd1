package mockserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/gbkit/gameball-go/internal/errcode"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver/control"
)

// Seed adds fixture customers to the server's accounts, all or nothing (see
// loyalty.Engine.Seed): what the control API's seed and gameball-mock's
// -fixtures flag do.
func (s *Server) Seed(f control.Fixtures) ([]loyalty.SeededCustomer, error) {
	seeds := make([]loyalty.AccountSeed, 0, len(f.Accounts))
	for _, af := range f.Accounts {
		as := loyalty.AccountSeed{Account: af.Name, Replace: deref(af.Replace)}
		for _, cf := range af.Customers {
			if !readableID(cf.ID) {
				return nil, unreadableIDError(cf.ID)
			}
			cs := loyalty.CustomerSeed{
				ID: cf.ID, Email: deref(cf.Email), Mobile: deref(cf.Mobile), Tier: deref(cf.Tier), Points: deref(cf.Points),
			}
			for _, lf := range deref(cf.Ledger) {
				kind, err := loyalty.ParseEntryKind(string(lf.Kind))
				if err != nil {
					return nil, newError(errcode.InvalidValue, "customer %q: %v", cf.ID, err)
				}
				cs.Ledger = append(cs.Ledger, loyalty.SeedEntry{
					Kind: kind, TransactionID: deref(lf.TransactionID), Points: lf.Points,
					Time: deref(lf.Time), AvailableAt: deref(lf.AvailableAt), Reason: deref(lf.Reason), Username: deref(lf.Username),
				})
			}
			as.Customers = append(as.Customers, cs)
		}
		seeds = append(seeds, as)
	}
	return s.engine.Seed(seeds)
}

// ReadFixtures reads a fixtures file: the JSON body of the control API's
// seed (schema Fixtures in spec/controldoc/mock-control.yaml), read strictly.
func ReadFixtures(path string) (control.Fixtures, error) {
	var f control.Fixtures
	data, err := os.ReadFile(path)
	if err != nil {
		return f, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("fixtures %s: %w", path, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return f, fmt.Errorf("fixtures %s: there is more after the fixtures object", path)
	}
	if f.Accounts == nil {
		return f, fmt.Errorf("fixtures %s: accounts is required", path)
	}
	return f, nil
}

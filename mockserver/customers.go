package mockserver

import (
	"context"

	"github.com/gbkit/gameball-go/internal/gameballserver"
	"time"
)

// GetCustomerBalance reports a customer's points and their money values.
func (h *handlers) GetCustomerBalance(ctx context.Context, req gameballserver.GetCustomerBalanceRequestObject) (gameballserver.GetCustomerBalanceResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	b, err := acct.Balance(req.CustomerID)
	if err != nil {
		return nil, err
	}
	out := gameballserver.GetCustomerBalance200JSONResponse{
		TotalPointsBalance:       new(float64(b.TotalPoints)),
		TotalPointsValue:         ptr(b.TotalValue),
		AvailablePointsBalance:   new(float64(b.AvailablePoints)),
		AvailablePointsValue:     ptr(b.AvailableValue),
		PendingPoints:            new(float64(b.PendingPoints)),
		PendingPointsValue:       ptr(b.PendingValue),
		Currency:                 ptr(b.Currency),
		PointsName:               ptr(b.PointsName),
		NextExpiringPointsAmount: new(float64(b.NextExpiringPoints)),
		NextExpiringPointsValue:  ptr(b.NextExpiringValue),
		TotalEarnedPoints:        new(float64(b.TotalEarnedPoints)),
	}
	if b.NextExpiringDate != nil {
		// A plain string in the published document (no format); RFC 3339 as before.
		out.NextExpiringPointsDate = new(b.NextExpiringDate.UTC().Format(time.RFC3339))
	}
	return out, nil
}

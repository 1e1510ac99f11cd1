package mockserver

import (
	"context"

	"time"

	"github.com/gbkit/gameball-go/internal/gameballserver"
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
		TotalPointsBalance:       b.TotalPoints,
		TotalPointsValue:         b.TotalValue,
		AvailablePointsBalance:   b.AvailablePoints,
		AvailablePointsValue:     b.AvailableValue,
		PendingPoints:            b.PendingPoints,
		PendingPointsValue:       b.PendingValue,
		Currency:                 b.Currency,
		PointsName:               b.PointsName,
		NextExpiringPointsAmount: b.NextExpiringPoints,
		NextExpiringPointsValue:  b.NextExpiringValue,
		TotalEarnedPoints:        b.TotalEarnedPoints,
	}
	if b.NextExpiringDate != nil {
		// A plain string in the published document (no format); RFC 3339 as before.
		out.NextExpiringPointsDate = b.NextExpiringDate.UTC().Format(time.RFC3339)
	}
	return out, nil
}

package mockserver

import (
	"context"

	"github.com/gbkit/gameball-go/gbtime"
	"github.com/gbkit/gameball-go/mockserver/api"
)

// GetCustomerBalance reports a customer's points and their money values.
func (h *handlers) GetCustomerBalance(ctx context.Context, req api.GetCustomerBalanceRequestObject) (api.GetCustomerBalanceResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	b, err := acct.Balance(req.CustomerId)
	if err != nil {
		return nil, err
	}
	out := api.GetCustomerBalance200JSONResponse{
		TotalPointsBalance:       ptr(int(b.TotalPoints)),
		TotalPointsValue:         ptr(b.TotalValue),
		AvailablePointsBalance:   ptr(int(b.AvailablePoints)),
		AvailablePointsValue:     ptr(b.AvailableValue),
		PendingPoints:            ptr(int(b.PendingPoints)),
		PendingPointsValue:       ptr(b.PendingValue),
		Currency:                 ptr(b.Currency),
		PointsName:               ptr(b.PointsName),
		NextExpiringPointsAmount: ptr(int(b.NextExpiringPoints)),
		NextExpiringPointsValue:  ptr(b.NextExpiringValue),
		TotalEarnedPoints:        ptr(int(b.TotalEarnedPoints)),
	}
	if b.NextExpiringDate != nil {
		out.NextExpiringPointsDate = ptr(gbtime.New(*b.NextExpiringDate))
	}
	return out, nil
}

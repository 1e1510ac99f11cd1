package mockserver

import (
	"context"

	"github.com/gbkit/gameball-go/gbtime"
)

// GetCustomerBalance reports a customer's points and their money values.
func (a *api) GetCustomerBalance(ctx context.Context, req GetCustomerBalanceRequestObject) (GetCustomerBalanceResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	b, err := acct.Balance(req.CustomerId)
	if err != nil {
		return nil, err
	}
	out := GetCustomerBalance200JSONResponse{
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

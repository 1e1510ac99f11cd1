package mockserver

import (
	"context"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/gbtime"
	"github.com/gbkit/gameball-go/internal/gameballserver"
	"github.com/gbkit/gameball-go/loyalty"
)

// RewardCashback awards points for a transaction amount.
func (h *handlers) RewardCashback(ctx context.Context, req gameballserver.RewardCashbackRequestObject) (gameballserver.RewardCashbackResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	body, err := requireBody(req.Body)
	if err != nil {
		return nil, err
	}
	c := loyalty.Cashback{
		CustomerID:    body.CustomerID,
		Email:         deref(body.Email),
		Mobile:        deref(body.Mobile),
		TransactionID: body.TransactionID,
		Time:          body.TransactionTime.Time,
		Amount:        body.Amount,
		Merchant:      merchantFrom(body.Merchant),
	}
	if body.Configurations != nil {
		c.ReturnWindow = body.Configurations.ReturnWindow
	}
	res, err := acct.RewardCashback(c)
	if err != nil {
		return nil, err
	}
	return gameballserver.RewardCashback200JSONResponse{
		CustomerID:             &res.CustomerID,
		GameballTransactionID:  ptr(float64(res.GameballTransactionID)),
		RewardAmount:           &res.RewardAmount,
		RewardEquivalentPoints: ptr(float64(res.Points)),
	}, nil
}

// CalculatePaymentCashback estimates the points a payment would earn.
func (h *handlers) CalculatePaymentCashback(ctx context.Context, req gameballserver.CalculatePaymentCashbackRequestObject) (gameballserver.CalculatePaymentCashbackResponseObject, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	body, err := requireBody(req.Body)
	if err != nil {
		return nil, err
	}
	p := loyalty.Payment{
		CustomerID: deref(body.CustomerID),
		Email:      deref(body.Email),
		Mobile:     deref(body.Mobile),
		TotalPaid:  deref(body.TotalPaid),
		Merchant:   paymentMerchantFrom(body.Merchant),
	}
	for _, s := range deref(body.PaymentDetails) {
		p.Services = append(p.Services, loyalty.Service{
			ID:       deref(s.ServiceID),
			Name:     deref(s.ServiceName),
			Provider: deref(s.ServiceProvider),
			Amount:   deref(s.Amount),
			Tax:      deref(s.Tax),
			Discount: deref(s.Discount),
			Tags:     deref(s.Tags),
			Category: deref(s.Category),
		})
	}
	res, err := acct.CalculatePaymentCashback(p)
	if err != nil {
		return nil, err
	}
	details := make([]client.ServiceCashback, 0, len(res.Services))
	for _, s := range res.Services {
		d := client.ServiceCashback{
			Quantity:                   ptr(s.Quantity),
			TotalDecimalPoints:         ptr(s.DecimalPoints),
			TotalPoints:                ptr(float64(s.Points)),
			TotalScore:                 ptr(float64(s.Score)),
			RewardWalletFactor:         ptr(s.RewardWalletFactor),
			CampaignImpactWalletFactor: ptr(s.CampaignFactor),
			CampaignImpactPoints:       ptr(float64(s.CampaignImpactPoints)),
		}
		if s.ServiceID != "" {
			d.ServiceID = ptr(s.ServiceID)
		}
		if c := s.Campaign; c != nil {
			d.CampaignID = ptr(int(c.ID))
			d.CampaignName = ptr(c.Name)
			d.CampaignEndDate = ptr(gbtime.New(c.End))
		}
		details = append(details, d)
	}
	return gameballserver.CalculatePaymentCashback200JSONResponse{
		TotalPoints:    ptr(float64(res.TotalPoints)),
		TotalScore:     ptr(float64(res.TotalScore)),
		PaymentDetails: &details,
	}, nil
}

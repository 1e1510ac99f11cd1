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
		Email:         body.Email,
		Mobile:        body.Mobile,
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
		CustomerID:             res.CustomerID,
		GameballTransactionID:  res.GameballTransactionID,
		RewardAmount:           res.RewardAmount,
		RewardEquivalentPoints: res.Points,
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
		CustomerID: body.CustomerID,
		Email:      body.Email,
		Mobile:     body.Mobile,
		TotalPaid:  body.TotalPaid,
		Merchant:   paymentMerchantFrom(body.Merchant),
	}
	for _, s := range body.PaymentDetails {
		p.Services = append(p.Services, loyalty.Service{
			ID:       s.ServiceID,
			Name:     s.ServiceName,
			Provider: s.ServiceProvider,
			Amount:   s.Amount,
			Tax:      s.Tax,
			Discount: s.Discount,
			Tags:     s.Tags,
			Category: s.Category,
		})
	}
	res, err := acct.CalculatePaymentCashback(p)
	if err != nil {
		return nil, err
	}
	details := make([]client.ServiceCashback, 0, len(res.Services))
	for _, s := range res.Services {
		d := client.ServiceCashback{
			Quantity:                   s.Quantity,
			TotalDecimalPoints:         s.DecimalPoints,
			TotalPoints:                s.Points,
			TotalScore:                 float64(s.Score),
			RewardWalletFactor:         s.RewardWalletFactor,
			CampaignImpactWalletFactor: s.CampaignFactor,
			CampaignImpactPoints:       s.CampaignImpactPoints,
		}
		if s.ServiceID != "" {
			d.ServiceID = s.ServiceID
		}
		if c := s.Campaign; c != nil {
			d.CampaignID = int(c.ID)
			d.CampaignName = c.Name
			d.CampaignEndDate = gbtime.New(c.End)
		}
		details = append(details, d)
	}
	return gameballserver.CalculatePaymentCashback200JSONResponse{
		TotalPoints:    res.TotalPoints,
		TotalScore:     float64(res.TotalScore),
		PaymentDetails: details,
	}, nil
}

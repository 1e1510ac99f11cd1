// Package shop is a small service of a user of gameball-go: it rewards a
// paid order with cashback once, whatever the retries of its own callers.
package shop

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/gbtime"
)

// Rewarder is the one call of the Gameball client the shop needs. The
// shop declares it (the consumer owns its interfaces), *client.Client
// satisfies it, and a unit test may pass a fake.
type Rewarder interface {
	RewardCashback(ctx context.Context, req client.RewardCashbackRequest, editors ...client.RequestEditorFn) (*client.RewardCashbackResult, error)
}

// Order is a paid order.
type Order struct {
	ID       string
	Customer string
	Total    float64
	PaidAt   time.Time
}

// Shop rewards paid orders.
type Shop struct {
	gameball Rewarder
}

// New is a shop rewarding through gameball.
func New(gameball Rewarder) *Shop { return &Shop{gameball: gameball} }

// OrderPaid rewards o and says how many points it earned; an order
// rewarded before earns nothing more and is not an error.
func (s *Shop) OrderPaid(ctx context.Context, o Order) (points int, err error) {
	res, err := s.gameball.RewardCashback(ctx, client.RewardCashbackRequest{
		CustomerID:      o.Customer,
		TransactionID:   o.ID, // Gameball never applies one twice
		TransactionTime: gbtime.New(o.PaidAt),
		Amount:          o.Total,
	})
	switch {
	case errors.Is(err, client.ErrDuplicateTransaction), errors.Is(err, client.ErrAlreadyApplied):
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("rewarding order %s: %w", o.ID, err)
	case res.RewardEquivalentPoints == 0:
		return 0, nil
	}
	return int(res.RewardEquivalentPoints), nil
}

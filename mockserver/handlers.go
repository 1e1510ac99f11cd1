package mockserver

import (
	"context"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/internal/errcode"
	"github.com/gbkit/gameball-go/internal/gameballserver"
	"github.com/gbkit/gameball-go/loyalty"
)

// handlers implements the generated StrictServerInterface: each method translates
// a validated request into a call on the engine and its answer into the
// generated response type. Refusals are returned as errors and written by the
// strict handler's ResponseErrorHandlerFunc as Gameball's error object.
type handlers struct {
	engine *loyalty.Engine
}

var _ gameballserver.StrictServerInterface = (*handlers)(nil)

// account is the account the validator authenticated for this request.
func account(ctx context.Context) (*loyalty.Account, error) {
	if x := exchangeFrom(ctx); x != nil && x.account != nil {
		return x.account, nil
	}
	return nil, errAPIKey
}

// requireBody guards the strict server's optional body pointer; the spec makes
// every body required, and the validator enforces it.
func requireBody[T any](body *T) (T, error) {
	if body == nil {
		var zero T
		return zero, newError(errcode.MissingArgument, "request body is required")
	}
	return *body, nil
}

func merchantFrom(m *client.TransactionMerchant) *loyalty.Merchant {
	if m == nil {
		return nil
	}
	out := &loyalty.Merchant{UniqueID: m.UniqueID, Name: m.Name}
	if m.Branch != nil {
		out.BranchID, out.Branch = m.Branch.UniqueID, m.Branch.Name
	}
	return out
}

func paymentMerchantFrom(m *client.PaymentMerchant) *loyalty.Merchant {
	if m == nil {
		return nil
	}
	out := &loyalty.Merchant{UniqueID: m.UniqueID, Name: m.Name}
	if m.Branch != nil {
		out.BranchID, out.Branch = m.Branch.UniqueID, m.Branch.Name
	}
	return out
}

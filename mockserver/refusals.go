package mockserver

import (
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gbkit/gameball-go/internal/errcode"
	"github.com/gbkit/gameball-go/loyalty"
)

// publishedRefusal is the answer Gameball publishes for a request that fails
// one schema keyword at one place, where that answer is not the 3003 of any
// other misfit: the manual transaction's negative expiryAfter (minimum: 0) is
// 400 "Expiry cannot be negative", one of its published 400 examples.
func publishedRefusal(where string, e *openapi3.SchemaError) *apiError {
	if where == "expiryAfter" && e.SchemaField == "minimum" {
		return newError(errcode.InvalidPayload, "%s", loyalty.MsgNegativeExpiry)
	}
	return nil
}

package client

import "context"

// operationKey is the context key under which send records a request's
// operationId.
type operationKey struct{}

// OperationFromContext is the operationId ("rewardCashback",
// "getCustomerBalance", ...) of the Gameball call a request belongs to, read
// from the request's context: every attempt the client sends carries it, from
// the methods and from Raw alike. It is for whatever sits under the client in
// the http.Client it was given: a tracing transport naming spans after the
// operation (OpenTelemetry's otelhttp.WithSpanNameFormatter, see the README),
// a logger tagging lines, a limiter choosing a bucket. ok is false for a
// context the client did not send; a request to a path outside the spec
// (through Raw's ...WithBody calls) carries its method and path instead.
func OperationFromContext(ctx context.Context) (operationID string, ok bool) {
	operationID, ok = ctx.Value(operationKey{}).(string)
	return operationID, ok
}

func withOperation(ctx context.Context, operationID string) context.Context {
	return context.WithValue(ctx, operationKey{}, operationID)
}

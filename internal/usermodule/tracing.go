package shop

import (
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/trace"

	"github.com/gbkit/gameball-go/client"
)

// SpanName names a Gameball call's span after its operation
// ("gameball rewardCashback"), which the client puts in every request's
// context, rather than after a URL holding a customer's id.
func SpanName(_ string, r *http.Request) string {
	if op, ok := client.OperationFromContext(r.Context()); ok {
		return "gameball " + op
	}
	return "gameball " + r.Method
}

// TracedHTTPClient is the http.Client the shop gives the Gameball client:
// each attempt, retries included, is a span of tp.
func TracedHTTPClient(tp trace.TracerProvider) *http.Client {
	return &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport,
		otelhttp.WithTracerProvider(tp),
		otelhttp.WithSpanNameFormatter(SpanName),
	)}
}

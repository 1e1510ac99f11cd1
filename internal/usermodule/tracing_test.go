package shop_test

import (
	"context"
	"slices"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"example.com/shop"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/gameballtest"
)

// TestSpansNamedByOperation: OpenTelemetry's otelhttp transport under the
// client names each span after Gameball's operationId.
func TestSpansNamedByOperation(t *testing.T) {
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	srv := gameballtest.NewServer(t, gameballtest.WithClientOptions(client.HTTPClient(shop.TracedHTTPClient(tp))))
	ctx := context.Background()

	if _, err := shop.New(srv.Client).OrderPaid(ctx, shop.Order{ID: "ORDER-1", Customer: "cust_1", Total: 10, PaidAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Client.GetCustomerBalance(ctx, "cust_1"); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range spans.Ended() {
		names = append(names, s.Name())
	}
	if want := []string{"gameball rewardCashback", "gameball getCustomerBalance"}; !slices.Equal(names, want) {
		t.Errorf("spans %q, want %q", names, want)
	}
}

package spec_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/gbkit/gameball-go/internal/bundle"
	"github.com/gbkit/gameball-go/spec"
)

// TestBundleIsFresh fails when the published document, the operations list or the overlay was edited
// without `go generate ./...`: the embedded bundle would not be what the
// documents say.
func TestBundleIsFresh(t *testing.T) {
	fresh, err := bundle.FromDir(".")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, spec.Bundle) {
		t.Fatalf("spec/%s is stale: spec/openapi.json, operations.txt or overlay.yaml changed; run `go generate ./...` (make generate) and commit", bundle.BundleFile)
	}
}

func TestBundleOperations(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			ids = append(ids, op.OperationID)
		}
	}
	slices.Sort(ids)
	want := []string{
		"activateTransaction", "addManualTransaction", "adjustBalanceBatch", "calculatePaymentCashback",
		"getBatchStatus", "getCustomerBalance", "getHold", "holdPoints", "listTransactions", "redeemPoints",
		"refundTransaction", "releaseHold", "rewardCashback", "rewardCashbackBatch", "stopBatch",
	}
	if !slices.Equal(ids, want) {
		t.Errorf("operationIds %v, want %v", ids, want)
	}
}

package client

import (
	"encoding/json"
	"fmt"
)

// Gameball's published document gives a batch status's `results` and
// `errors` as arrays of anything (BatchStatus.Results and .Errors). The
// items Gameball answers, and the mock answers, have these shapes; BatchItems
// reads them. Index stays a pointer: 0 is the first item, and an entry without
// an index is an answer the client refuses.

// BatchItemResult is a batch item that was applied.
type BatchItemResult struct {
	// CustomerID is the item's customer.
	CustomerID string `json:"customerId,omitempty"`
	// GameballTransactionID identifies the transaction the item created.
	GameballTransactionID int64 `json:"gameballTransactionId,omitempty"`
	// Index is the item's zero-based position in the batch request.
	Index *int `json:"index,omitempty"`
	// Points the item added (negative where it deducted).
	Points int64 `json:"points,omitempty"`
	// TransactionID is the item's transactionId, where it has one.
	TransactionID string `json:"transactionId,omitempty"`
}

// BatchItemError is a batch item that failed.
type BatchItemError struct {
	// Code is Gameball's error code for the item.
	Code ErrorCode `json:"code,omitempty"`
	// CustomerID is the item's customer.
	CustomerID string `json:"customerId,omitempty"`
	// Index is the item's zero-based position in the batch request.
	Index *int `json:"index,omitempty"`
	// Message says why the item failed.
	Message string `json:"message,omitempty"`
	// TransactionID is the item's transactionId, where it has one.
	TransactionID string `json:"transactionId,omitempty"`
	// Type is the error's category.
	Type string `json:"type,omitempty"`
}

// BatchItems reads a status's results and errors as BatchItemResult and
// BatchItemError values. An entry of another shape is an error. (A function,
// not a method: BatchStatus is a generated model of package gbapi.)
func BatchItems(s *BatchStatus) ([]BatchItemResult, []BatchItemError, error) {
	results, err := decodeItems[BatchItemResult]("results", s.Results)
	if err != nil {
		return nil, nil, err
	}
	errs, err := decodeItems[BatchItemError]("errors", s.Errors)
	if err != nil {
		return nil, nil, err
	}
	return results, errs, nil
}

func decodeItems[T any](what string, items []any) ([]T, error) {
	if items == nil {
		return nil, nil
	}
	raw, err := json.Marshal(items)
	if err != nil {
		return nil, err
	}
	var out []T
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("gameball: batch status %s: %w", what, err)
	}
	return out, nil
}

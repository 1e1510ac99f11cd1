package client

import "github.com/gbkit/gameball-go/internal/optable"

// operation is one row of the generated operations table (package
// internal/optable), which is the project's one list of operations.
type operation = optable.Operation

// operations is the table.
var operations = optable.All

// operationFor finds the operation a request targets. path is the request's
// path with the base URL's own path removed.
func operationFor(method, path string) (operation, bool) { return optable.Find(method, path) }

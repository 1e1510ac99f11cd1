// Package gameball is the root of gameball-go: a typed Go client for
// Gameball's v4.0 cashback and points API (package client), a stateful mock
// server for it (package mockserver, binary mockserver/cmd/gameball-mock),
// and contract tests binding both to Gameball's documents (package
// contracttest).
//
// Everything generated comes from Gameball's published document in spec/ by one command:
//
//	go generate ./...
package gameball

// 1. Take the operations of spec/operations.txt from Gameball's published document (spec/openapi.json)
// into spec/gameball.bundle.yaml, with spec/overlay.yaml applied.
//go:generate go run ./internal/cmd/bundle spec

// 1b. The validation document: the bundle as the equivalent OpenAPI 3.0.3 document, which the validators
// use: kin-openapi validates 3.0 7 to 50 times faster than 3.1 (see package spec).
//go:generate go run ./internal/cmd/bundle -openapi30 spec

// 2. Models and the low-level client in client/gbapi; package client's names for the models; strict server
// and routes, sharing those models.
//go:generate go tool oapi-codegen -config client/gbapi/models.yaml spec/gameball.bundle.yaml
//go:generate go tool oapi-codegen -config client/gbapi/client.yaml spec/gameball.bundle.yaml
//go:generate go run ./internal/cmd/modelalias -o client/models.gen.go client/gbapi/models.gen.go
//go:generate go tool oapi-codegen -config internal/gameballserver/oapi-codegen.yaml spec/gameball.bundle.yaml

// 3. The mock server's control API, from its own document (spec/controldoc): models and client;
// strict server and routes, sharing those models.
//go:generate go tool oapi-codegen -config mockserver/control/oapi-codegen.yaml spec/controldoc/mock-control.yaml
//go:generate go tool oapi-codegen -config internal/controlserver/oapi-codegen.yaml spec/controldoc/mock-control.yaml

// 4. The one table of operations (method, path, key headers, statuses, replay safety) that the client,
// the mock server and the tests read.
//go:generate go run ./internal/cmd/optable -o internal/optable/optable.gen.go spec/gameball.bundle.yaml

// 5. Gameball's error codes as the client's exported ErrorCode constants, from the table the mock answers with.
//go:generate go run ./internal/cmd/errcodes -o client/errcodes.gen.go internal/errcode/errcode.go

// Package gameball is the root of gameball-go: a typed Go client for
// Gameball's v4.0 cashback and points API (package client), a stateful mock
// server for it (package mockserver, binary mockserver/cmd/gameball-mock),
// and contract tests binding both to Gameball's documents (package
// contracttest).
//
// Everything generated comes from the documents in spec/ by one command:
//
//	go generate ./...
package gameball

// 1. Merge the documents in spec/ into spec/gameball.bundle.yaml and apply spec/overlay.yaml.
//go:generate go run ./internal/cmd/bundle spec

// 2. Models and client; strict server and routes, sharing the client's models.
//go:generate go tool oapi-codegen -config client/oapi-codegen.yaml spec/gameball.bundle.yaml
//go:generate go tool oapi-codegen -config mockserver/api/oapi-codegen.yaml spec/gameball.bundle.yaml

// 3. The table of operations (method, path, keys) the client and the tests read.
//go:generate go run ./internal/cmd/optable -o client/operations.gen.go spec/gameball.bundle.yaml

// Package gbapi is the generated half of the client: the models of Gameball's
// API and oapi-codegen's low-level client (request builders, response parsers,
// ClientWithResponses), all from spec/gameball.bundle.yaml by `go generate
// ./...`. Most code never imports it: package client names every model
// (client.RewardCashbackRequest is gbapi.RewardCashbackRequest) and its Client
// sends through this low-level client, handing it out as Client.Raw for
// every documented response decoded by status.
//
// The models live here rather than in package client because client needs the
// low-level client to send, and the mock's generated server needs the models:
// one package below both keeps a single set of types without an import cycle,
// and keeps the generated names out of client's listing.
package gbapi

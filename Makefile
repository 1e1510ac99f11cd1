# gameball-go: every target works on a fresh machine with only Go (and make) installed.
GO ?= go

# Files that carry a "Code generated ... DO NOT EDIT." header: what `go generate ./...` owns.
GENERATED = grep -rlE '^(//|\#) Code generated .* DO NOT EDIT\.$$' --include='*.go' --include='*.yaml' . | sort

.PHONY: all generate check-generate build test mock lint update-spec drift-drill

all: build

## generate: rebuild the bundle, models, client, server and operation table from spec/
generate:
	$(GO) generate ./...

## check-generate: regenerate in place and fail if any generated file changed
check-generate:
	@before=$$(mktemp) && after=$$(mktemp) && \
	$(GENERATED) | xargs sha256sum > $$before && \
	$(GO) generate ./... && \
	$(GENERATED) | xargs sha256sum > $$after && \
	if ! diff -u $$before $$after; then \
		echo "check-generate: generated files did not match spec/ (they are regenerated now): review and commit them"; \
		rm -f $$before $$after; exit 1; \
	fi; rm -f $$before $$after

## build: compile everything, the mock server binary included
build:
	$(GO) build ./...

## test: check-generate, go vet, every test with the race detector, and the drift drill
test: check-generate
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...
	$(MAKE) -s drift-drill

## drift-drill: change copies of the repository as Gameball might change its documents, and
## check that each change is caught by its named mechanism
drift-drill:
	$(GO) run ./internal/cmd/driftdrill

## mock: run the mock server on 127.0.0.1:8741 with the embedded default configuration
mock:
	$(GO) run ./mockserver/cmd/gameball-mock

## lint: gofmt and go vet
lint:
	@unformatted=$$(gofmt -l . ); if [ -n "$$unformatted" ]; then echo "gofmt -l:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

## update-spec: replace spec/$(DOC).yaml with $(FROM) (a file, a URL, or a Gameball docs page),
## print the breaking and non-breaking changes, regenerate, and run the contract tests
update-spec:
	@if [ -z "$(DOC)" ] || [ -z "$(FROM)" ]; then echo "usage: make update-spec DOC=reward-cashback FROM=path/or/url"; exit 2; fi
	$(GO) run ./internal/cmd/updatespec -doc $(DOC) -from $(FROM)
	$(GO) generate ./...
	$(GO) test -count=1 ./spec/ ./contracttest/

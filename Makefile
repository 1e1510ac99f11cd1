# gameball-go: every target works on a fresh machine with only Go (and make) installed.
GO ?= go

# Files that carry a "Code generated ... DO NOT EDIT." header: what `go generate ./...` owns.
GENERATED = grep -rlE '^(//|\#) Code generated .* DO NOT EDIT\.$$' --include='*.go' --include='*.yaml' . | sort

.PHONY: all generate check-generate build test test-usermodule e2e e2e-deps mock lint update-spec drift-drill bench load fuzz

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

## test: check-generate, go vet, every test with the race detector (the dashboard's browser test
## included: Chromium is installed when absent, and its absence is a failure; the npm package's
## test, internal/dist, for which a missing Node or npm is a failure too), the user's-eye module's
## tests (internal/usermodule, a module of its own), and the drift drill
test: export GAMEBALL_DIST_REQUIRE_NODE = 1
test: check-generate e2e-deps
	$(GO) vet ./...
	GAMEBALL_E2E_REQUIRE_BROWSER=1 $(GO) test -race -count=1 ./...
	$(MAKE) -s test-usermodule
	$(MAKE) -s drift-drill

## test-usermodule: internal/usermodule imports the client and gameballtest through a replace of
## this repository, as a user's service would, and tests a small service of its own with them
test-usermodule:
	cd internal/usermodule && $(GO) vet ./... && $(GO) test -race -count=1 ./...

## e2e: only the dashboard's browser test, in headless Chromium (installed when absent)
e2e: e2e-deps
	GAMEBALL_E2E_REQUIRE_BROWSER=1 $(GO) test -race -count=1 -v ./mockserver/e2e/

## e2e-deps: install Chromium for the browser test when there is none (apt-get, as root or with
## sudo); GAMEBALL_E2E_CHROMIUM names another browser binary to use instead
e2e-deps:
	@if [ -n "$$GAMEBALL_E2E_CHROMIUM" ] || command -v chromium >/dev/null 2>&1 || \
		command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "e2e-deps: Chromium is missing and there is no apt-get: install Chromium, or set GAMEBALL_E2E_CHROMIUM"; exit 1; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=; elif command -v sudo >/dev/null 2>&1; then sudo=sudo; else \
		echo "e2e-deps: Chromium is missing and installing it needs root: apt-get install chromium"; exit 1; fi; \
	echo "e2e-deps: installing Chromium for the dashboard test (apt-get install chromium)"; \
	$$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

## drift-drill: change copies of the repository as Gameball might change its documents, and
## check that each change is caught by its named mechanism
drift-drill:
	$(GO) run ./internal/cmd/driftdrill

## mock: run the mock server on 127.0.0.1:8741 with the embedded default configuration
mock:
	$(GO) run ./mockserver/cmd/gameball-mock

## dist: static gameball-mock binaries (no cgo, -trimpath, VERSION stamped) for linux, darwin and
## windows on amd64 and arm64, with SHA256SUMS, in dist/; PLATFORMS='linux/amd64' builds fewer
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null)
PLATFORMS ?=
.PHONY: dist npm
dist:
	$(GO) run ./internal/cmd/dist build -go '$(GO)' -version '$(VERSION)' -out dist $(PLATFORMS)

## npm: the npm tarballs in dist/npm/, from the binaries make dist left in dist/ and its version:
## the launcher @gbkit/gameball-mock and a package per platform (needs npm)
npm:
	$(GO) run ./internal/cmd/dist npm -dist dist -out dist/npm

## bench: benchmarks of validation alone (spec) and of every operation end to end (mockserver),
## BENCHCOUNT runs each, printed by benchstat as medians; validation as a comparison of the three
## ways to validate against the validation document, in the same run (see package spec's doc and
## README "Performance and limits"). The raw results stay in bin/bench-*.txt.
BENCHCOUNT ?= 6
BENCHTIME ?= 1s
bench:
	@mkdir -p bin
	$(GO) test -run '^$$' -bench . -benchmem -count $(BENCHCOUNT) -benchtime $(BENCHTIME) ./spec > bin/bench-spec.txt || { cat bin/bench-spec.txt; exit 1; }
	$(GO) test -run '^$$' -bench . -benchmem -count $(BENCHCOUNT) -benchtime $(BENCHTIME) ./mockserver > bin/bench-mockserver.txt || { cat bin/bench-mockserver.txt; exit 1; }
	@echo "== validation alone: the validation document (3.0, what validators use) against 3.1 bodies compiled once and against kin-openapi's plain 3.1 path"
	@$(GO) tool benchstat -col '/validator@(validation-3.0 compiled-3.1 bundle-3.1)' bin/bench-spec.txt
	@echo "== end to end (mockserver)"
	@$(GO) tool benchstat bin/bench-mockserver.txt

## load: the mock server (bin/gameball-mock) under load on loopback, against a bare net/http
## server in the same run: req/s, p50, p99, errors, ratios, start time, and RSS and bytes per
## transaction while a fresh mock holds -hold recorded transactions
LOAD_FLAGS ?= -c 32 -d 10s -rounds 3 -hold 200000
load:
	$(GO) build -o bin/gameball-mock ./mockserver/cmd/gameball-mock
	$(GO) run ./internal/cmd/load -mock bin/gameball-mock $(LOAD_FLAGS)

## fuzz: every fuzz target of the mock server in turn, FUZZTIME each (make test runs only
## their committed seed corpora)
FUZZTIME ?= 10s
fuzz:
	@dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && bin=$$dir/mockserver.test && \
	$(GO) test -c -fuzz=. -o $$bin ./mockserver && \
	cache=$$($(GO) env GOCACHE)/fuzz/github.com/gbkit/gameball-go/mockserver && \
	for target in $$(cd mockserver && $$bin -test.list '^Fuzz'); do \
		echo "== $$target ($(FUZZTIME))"; \
		out=$$(cd mockserver && $$bin -test.run '^$$' -test.fuzz "^$$target\$$" -test.fuzztime $(FUZZTIME) -test.fuzzcachedir $$cache/$$target 2>&1); \
		status=$$?; echo "$$out" | tail -2; [ $$status -eq 0 ] || { echo "$$out"; exit 1; }; \
	done

## lint: gofmt and go vet
lint:
	@unformatted=$$(gofmt -l . ); if [ -n "$$unformatted" ]; then echo "gofmt -l:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

## update-spec: replace spec/openapi.json with $(FROM) (Gameball's published document: a file or a
## URL), print oasdiff's breaking and non-breaking changes to the operations taken and the
## operations upstream not taken yet, regenerate, and run the spec and contract tests
update-spec:
	@if [ -z "$(FROM)" ]; then echo "usage: make update-spec FROM=path/or/url/of/openapi.json"; exit 2; fi
	$(GO) run ./internal/cmd/updatespec -from $(FROM)
	$(GO) generate ./...
	$(GO) test -count=1 ./spec/ ./contracttest/

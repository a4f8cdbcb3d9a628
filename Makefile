# Vireo — build, run, test, benchmark.
GO      ?= go
BIN     := bin/vireo-server
PORT    ?= 6379
# Keep in step with harness.S3GatewayModule.
S3GW_MODULE := github.com/versity/versitygw/cmd/versitygw@v1.8.0

.PHONY: build run test test-unit test-e2e deps bench fuzz generate vet clean

build:
	$(GO) build -o $(BIN) ./cmd/vireo-server

# Starts the server on the embedded default config (port 6379, data in ./data).
run: build
	./$(BIN)

# Installs what the tests need (redis-server and redis-tools, the oracle and
# the reference clients) when missing.
deps:
	@if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1 || ! command -v redis-benchmark >/dev/null 2>&1; then \
		echo "installing redis-server and redis-tools"; \
		SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools >/dev/null; \
	fi
	@redis-server --version
	@# The S3-compatible server the backup tests run against (tests/harness/s3.go).
	@if [ ! -x bin/versitygw ]; then \
		echo "installing the Versity S3 Gateway into bin/ for the backup tests"; \
		GOBIN=$(CURDIR)/bin $(GO) install $(S3GW_MODULE); \
	fi

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

# Every test: unit tests with the race detector, then the end-to-end and
# differential tests against the built binary and the real redis-server.
test: deps vet test-unit test-e2e

test-unit:
	$(GO) test -race -count=1 $$($(GO) list ./... | grep -v /tests/)

test-e2e: build
	VIREO_BIN=$(CURDIR)/$(BIN) $(GO) test -count=1 -timeout 15m ./tests/...

# redis-benchmark against Vireo and redis-server side by side (see README).
bench: deps build
	VIREO_BIN=$(CURDIR)/$(BIN) bash tests/bench/bench.sh

# A short run of every fuzz target in the tree (FUZZTIME each).
FUZZTIME ?= 10s
fuzz:
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' .); do \
		dir=$$(dirname $$f); \
		for fn in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$f | sed 's/^func //'); do \
			echo "== $$dir $$fn"; \
			$(GO) test $$dir -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME); \
		done; \
	done

generate:
	$(GO) generate ./...

clean:
	rm -rf bin

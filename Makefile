# ledgergate — the README's two commands live here.
GO ?= go

.PHONY: test demo lint bench fuzz generate tidy

# The whole test suite (what .ci/run runs): services, the Fabric test
# network, every module's tests; see scripts/test-all.sh.
test:
	./scripts/test-all.sh

# The main job on the embedded default.
demo:
	$(GO) run ./cmd/ledgergate demo

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./schema/

# Short fuzzing session of every fuzz target (FUZZTIME=30s per target).
FUZZTIME ?= 30s
FUZZ_TARGETS = ./schema:FuzzValidate ./schema:FuzzCanonicalize ./schema:FuzzCanonicalMatchesReference \
	./schema:FuzzFastMatchesGeneral ./schema/internal/bytedfa:FuzzMatchesRegexp ./adapters/factom/protocol:FuzzEntry \
	./gateway/api:FuzzSplitArray ./gateway/ingest:FuzzIndexCodes ./gateway/store/sqlstore:FuzzBody
fuzz:
	for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; f=$${t##*:}; \
		$(GO) test $$pkg -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) || exit 1; done

generate:
	$(GO) generate ./...

# The testnet modules replace the root module with ../.., so a change to the
# root go.mod must be mirrored there: run this after adding a dependency.
tidy:
	$(GO) mod tidy
	cd testnet/factomd && $(GO) mod tidy
	cd testnet/fabric && $(GO) mod tidy

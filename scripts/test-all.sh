#!/usr/bin/env bash
# The whole test suite: `make test` runs this, and so does CI (.ci/run).
# It starts the local services and the Fabric test network the tests use,
# runs every module's tests, and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}

./scripts/ensure-services.sh

# The Fabric test network (built from the Go module proxy on first use,
# then cached). In CI a network that cannot start is a failure; elsewhere
# the Fabric tests skip with the reason.
fabric_started=0
if ./testnet/fabric/up.sh; then
  fabric_started=1
elif [ "${CI:-}" = true ]; then
  echo "test-all: the Fabric test network could not start" >&2
  exit 1
else
  echo "test-all: the Fabric test network could not start; Fabric tests will skip" >&2
  export LEDGERGATE_FABRIC_NO_START=1
fi
cleanup() { if [ "$fabric_started" = 1 ]; then ./testnet/fabric/down.sh >/dev/null || true; fi; }
trap cleanup EXIT

$GO vet ./...
$GO test -race -count=1 ./...
(cd testnet/factomd && $GO vet ./... && $GO test -race -count=1 ./...)
(cd testnet/fabric && $GO vet ./... && $GO test -race -count=1 ./...)

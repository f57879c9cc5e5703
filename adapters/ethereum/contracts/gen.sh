#!/usr/bin/env bash
# Regenerates the RecordRegistry ABI, bytecode and Go bindings (bind v2).
#
#   bash adapters/ethereum/contracts/gen.sh [OUT_DIR]
#
# OUT_DIR defaults to adapters/ethereum/registry (the committed files).
# solc is the npm package solc (solc-js) at the pinned SOLC_VERSION,
# installed once into $LEDGERGATE_CACHE (default ~/.cache/ledgergate);
# abigen runs at the go-ethereum version go.mod requires.
set -euo pipefail

SOLC_VERSION=0.8.28
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../registry}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cache="${LEDGERGATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ledgergate}"
solcdir="$cache/solc-$SOLC_VERSION"

command -v node >/dev/null || { echo "gen.sh: node is required" >&2; exit 3; }
if [ ! -f "$solcdir/node_modules/solc/package.json" ]; then
	command -v npm >/dev/null || { echo "gen.sh: npm is required" >&2; exit 3; }
	mkdir -p "$solcdir"
	npm install --prefix "$solcdir" --no-save --no-audit --no-fund --loglevel=error "solc@$SOLC_VERSION" >&2 ||
		{ echo "gen.sh: npm install solc@$SOLC_VERSION failed" >&2; exit 3; }
fi
got="$(node -p "require('$solcdir/node_modules/solc/package.json').version")"
[ "$got" = "$SOLC_VERSION" ] || { echo "gen.sh: $solcdir has solc $got, want $SOLC_VERSION" >&2; exit 1; }

node "$here/compile.js" "$solcdir/node_modules/solc" "$here" "$out"

cd "$here"
gethv="$(go list -m -f '{{.Version}}' github.com/ethereum/go-ethereum)"
go run "github.com/ethereum/go-ethereum/cmd/abigen@$gethv" --v2 \
	--abi "$out/RecordRegistry.abi" --bin "$out/RecordRegistry.bin" \
	--pkg registry --type RecordRegistry --out "$out/registry.go"

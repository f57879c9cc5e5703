#!/usr/bin/env bash
# Compiles OriginRegistry.sol (the partner contract fixture) with the
# pinned solc-js that adapters/ethereum/contracts/gen.sh installs, into
# OriginRegistry.abi and OriginRegistry.bin next to it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${LEDGERGATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ledgergate}"
solc="$cache/solc-0.8.28/node_modules/solc"
[ -d "$solc" ] || { echo "run adapters/ethereum/contracts/gen.sh once to install solc 0.8.28" >&2; exit 3; }
node - "$solc" "$here" <<'JS'
const fs = require('fs'), path = require('path');
const [solcDir, dir] = process.argv.slice(2);
const solc = require(solcDir);
const name = 'OriginRegistry';
const input = { language: 'Solidity',
  sources: { [name + '.sol']: { content: fs.readFileSync(path.join(dir, name + '.sol'), 'utf8') } },
  settings: { optimizer: { enabled: true, runs: 200 }, viaIR: true, evmVersion: 'cancun', metadata: { bytecodeHash: 'none' },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } } };
const out = JSON.parse(solc.compile(JSON.stringify(input)));
for (const e of out.errors || []) process.stderr.write(e.formattedMessage + '\n');
if ((out.errors || []).some((e) => e.severity === 'error')) process.exit(1);
const c = out.contracts[name + '.sol'][name];
fs.writeFileSync(path.join(dir, name + '.abi'), JSON.stringify(c.abi, null, 2) + '\n');
fs.writeFileSync(path.join(dir, name + '.bin'), c.evm.bytecode.object + '\n');
JS

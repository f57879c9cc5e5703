// Compiles RecordRegistry.sol with the pinned solc-js (standard JSON,
// fixed settings) and writes RecordRegistry.abi and RecordRegistry.bin.
// Usage: node compile.js <solc module dir> <source dir> <out dir>
'use strict';
const fs = require('fs');
const path = require('path');

const [solcDir, srcDir, outDir] = process.argv.slice(2);
const solc = require(path.resolve(solcDir));
const name = 'RecordRegistry';
const input = {
  language: 'Solidity',
  sources: { [name + '.sol']: { content: fs.readFileSync(path.join(srcDir, name + '.sol'), 'utf8') } },
  settings: {
    optimizer: { enabled: true, runs: 200 },
    viaIR: true,
    evmVersion: 'cancun',
    metadata: { bytecodeHash: 'none' },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
const out = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (out.errors || []).filter((e) => e.severity === 'error');
for (const e of out.errors || []) process.stderr.write(e.formattedMessage + '\n');
if (errors.length > 0) process.exit(1);
const c = out.contracts[name + '.sol'][name];
fs.writeFileSync(path.join(outDir, name + '.abi'), JSON.stringify(c.abi, null, 2) + '\n');
fs.writeFileSync(path.join(outDir, name + '.bin'), c.evm.bytecode.object + '\n');
process.stderr.write('compiled ' + name + ' with solc ' + solc.version() + '\n');

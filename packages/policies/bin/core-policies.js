#!/usr/bin/env node
// Entry point of the `core-policies` command. Inside the workspace the TypeScript sources run
// through tsx, so the CLI never lags behind them; the published package ships only the
// compiled dist, which runs directly.
const path = require('node:path');
const fs = require('node:fs');

const source = path.join(__dirname, '..', 'src', 'cli', 'main.ts');
let cli;
if (fs.existsSync(source)) {
  require('tsx/cjs');
  cli = require(source);
} else {
  cli = require(path.join(__dirname, '..', 'dist', 'cli', 'main.js'));
}
cli.runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

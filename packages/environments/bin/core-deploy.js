#!/usr/bin/env node
// Entry point of the `core-deploy` command. Inside the workspace the TypeScript sources run
// through tsx, so the CLI never lags behind them; the published package ships only the
// compiled dist, which runs directly.
const path = require('node:path');
const fs = require('node:fs');
const nodeModule = require('node:module');

const source = path.join(__dirname, '..', 'src', 'deploy', 'cli.ts');
let cli;
if (fs.existsSync(source)) {
  // The sources import the other workspace packages, which resolve to their TypeScript sources
  // only under the `@core-infra/source` export condition (as `cdk synth` runs the apps); this
  // adds the condition in-process rather than re-launching Node with --conditions.
  if (typeof nodeModule.registerHooks !== 'function') {
    process.stderr.write(`core-deploy: running from the workspace sources needs Node.js 22.15 or later (this is ${process.version}): upgrade Node.js\n`);
    process.exit(2);
  }
  nodeModule.registerHooks({
    resolve: (specifier, context, nextResolve) => nextResolve(specifier, { ...context, conditions: [...context.conditions, '@core-infra/source'] }),
  });
  require('tsx/cjs');
  cli = require(source);
} else {
  cli = require(path.join(__dirname, '..', 'dist', 'deploy', 'cli.js'));
}
cli.runDeployCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

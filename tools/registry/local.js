#!/usr/bin/env node
// @ts-check
/**
 * A local npm registry holding the packages of this checkout, for trying a branch from another
 * project before a release: `npm run registry:local [-- --port 4873] [--storage DIR]`.
 *
 * Starts Verdaccio on 127.0.0.1 (no uplinks, anonymous publish of `@core-infra/*` only, storage
 * in a temporary folder unless --storage names one), builds and publishes the four packages with
 * the release tooling, prints the line a consumer project needs, and serves until Ctrl-C or
 * SIGTERM, when it stops Verdaccio and removes the temporary storage. See
 * docs/guides/consuming.md.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { parseArgs } = require('node:util');
const { publishPackages } = require('../release/publish');

const WORKSPACE_ROOT = path.resolve(__dirname, '..', '..');
const DEFAULT_PORT = 4873;
const START_TIMEOUT_MS = 60_000;

/**
 * Verdaccio's configuration: loopback only, the given storage, no uplinks, `@core-infra/*`
 * publishable without an account.
 *
 * @param {string} storage
 * @param {number} port
 * @returns {string}
 */
function verdaccioConfig(storage, port) {
  return [
    `storage: ${JSON.stringify(path.join(storage, 'packages'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(path.join(storage, 'htpasswd'))}`,
    'uplinks: {}',
    'packages:',
    "  '@core-infra/*':",
    '    access: $all',
    '    publish: $anonymous',
    "  '**':",
    '    access: $all',
    'web:',
    '  enable: false',
    `listen: 127.0.0.1:${port}`,
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n');
}

/**
 * Resolves once `url` answers 200, rejects when the server exits or the deadline passes.
 *
 * @param {string} url
 * @param {import('node:child_process').ChildProcess} server
 * @param {() => string} log
 */
async function waitForPing(url, server, log) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`Verdaccio exited with ${server.exitCode}:\n${log()}`);
    const status = await new Promise((resolve) => {
      const request = http.get(`${url}-/ping`, { agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      request.once('error', () => resolve(0));
      request.setTimeout(2_000, () => request.destroy());
    });
    if (status === 200) return;
    await sleep(250);
  }
  throw new Error(`Verdaccio did not answer on ${url} within ${START_TIMEOUT_MS / 1000} s:\n${log()}`);
}

/**
 * Starts the registry, publishes the packages and serves until a signal.
 *
 * @param {readonly string[]} argv arguments after the script name
 * @returns {Promise<void>}
 */
async function main(argv) {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string', default: String(DEFAULT_PORT) },
      storage: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('usage: npm run registry:local [-- --port <port>] [--storage <dir>]\n\nServes the packages of this checkout from a local Verdaccio; see docs/guides/consuming.md.');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`--port "${values.port}" is not a TCP port: give a whole number from 1 to 65535, e.g. --port ${DEFAULT_PORT}`);
  }
  const temporary = values.storage === undefined;
  const storage = values.storage === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), 'core-registry-')) : path.resolve(values.storage);
  fs.mkdirSync(storage, { recursive: true });
  const url = `http://127.0.0.1:${port}/`;

  const config = path.join(storage, 'config.yaml');
  fs.writeFileSync(config, verdaccioConfig(storage, port));
  const bin = path.join(path.dirname(require.resolve('verdaccio/package.json', { paths: [WORKSPACE_ROOT] })), 'bin', 'verdaccio');
  const server = spawn(process.execPath, [bin, '--config', config], { cwd: storage, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout?.on('data', (chunk) => (log += chunk));
  server.stderr?.on('data', (chunk) => (log += chunk));

  const stop = () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
    if (temporary) fs.rmSync(storage, { recursive: true, force: true });
  };
  process.once('SIGINT', () => (stop(), process.exit(0)));
  process.once('SIGTERM', () => (stop(), process.exit(0)));

  try {
    await waitForPing(url, server, () => log);
    // npm insists on a token before it publishes, even to a registry that needs none: a config
    // file with only this registry's token keeps the user's real credentials out of it.
    const userconfig = path.join(storage, 'publisher.npmrc');
    fs.writeFileSync(userconfig, `//127.0.0.1:${port}/:_authToken=local-registry\n`);
    process.env.npm_config_userconfig = userconfig;
    const published = publishPackages({ root: WORKSPACE_ROOT, registry: url, log: (line) => console.error(line) });
    console.log(`Local registry ready at ${url} with ${published.map((pkg) => `${pkg.name}@${pkg.version}`).join(', ')}`);
    console.log(`In the consumer project: npm config set @core-infra:registry ${url} --location project`);
    console.log('Stop with Ctrl-C.');
  } catch (error) {
    stop();
    throw error;
  }
  server.once('exit', (code) => {
    console.error(`Verdaccio stopped (exit ${code}):\n${log}`);
    if (temporary) fs.rmSync(storage, { recursive: true, force: true });
    process.exit(1);
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`registry:local: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

module.exports = { verdaccioConfig };

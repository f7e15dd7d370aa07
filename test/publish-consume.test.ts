/**
 * The packages work for consumers, not only inside the workspace: build and publish the four
 * packages with the release tooling to a real npm registry (Verdaccio on loopback, empty storage,
 * no uplinks), install them into a fresh project outside the workspace, synthesize a stack with
 * a CORE construct and check it with the installed `core-policies` CLI.
 *
 * Only `@core-infra/*` comes from the local registry; everything else (aws-cdk-lib, the
 * packages' own dependencies) comes from npm's configured registry, as for any consumer.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const PACKAGES = ['@core-infra/constructs', '@core-infra/environments', '@core-infra/policies', '@core-infra/testing'];
const rootManifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };

interface RunResult {
  readonly code: number | null;
  readonly output: string;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env, timeout = 240_000): RunResult {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout });
  if (result.error) throw result.error;
  return { code: result.status, output: `${result.stdout}\n${result.stderr}` };
}

function expectSuccess(result: RunResult, what: string): string {
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${result.output}`);
  return result.output;
}

/** A GET without keep-alive, so no socket outlives the test. */
function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.once('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.once('error', reject);
    request.setTimeout(5_000, () => request.destroy(new Error(`GET ${url} timed out`)));
  });
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A throw-away Verdaccio: loopback only, temporary storage, no uplinks, anonymous publish. */
class LocalRegistry {
  readonly url: string;
  private process?: ChildProcess;
  private log = '';

  constructor(
    private readonly dir: string,
    private readonly port: number,
  ) {
    this.url = `http://127.0.0.1:${port}/`;
  }

  /** The `.npmrc` line npm insists on before it publishes, even to a registry without auth. */
  get authTokenLine(): string {
    return `//127.0.0.1:${this.port}/:_authToken=local-test-registry`;
  }

  async start(): Promise<void> {
    const config = path.join(this.dir, 'config.yaml');
    fs.writeFileSync(
      config,
      [
        `storage: ${JSON.stringify(path.join(this.dir, 'storage'))}`,
        'auth:',
        '  htpasswd:',
        `    file: ${JSON.stringify(path.join(this.dir, 'htpasswd'))}`,
        'uplinks: {}',
        'packages:',
        "  '@core-infra/*':",
        '    access: $all',
        '    publish: $anonymous',
        "  '**':",
        '    access: $all',
        'web:',
        '  enable: false',
        `listen: 127.0.0.1:${this.port}`,
        'log: { type: stdout, format: pretty, level: warn }',
        '',
      ].join('\n'),
    );
    const bin = path.join(path.dirname(require.resolve('verdaccio/package.json')), 'bin', 'verdaccio');
    const child = spawn(process.execPath, [bin, '--config', config], { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));

    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`Verdaccio exited with ${child.exitCode}:\n${this.log}`);
      try {
        if ((await httpGet(`${this.url}-/ping`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`Verdaccio did not answer on ${this.url} within 60 s:\n${this.log}`);
  }

  /** Stops the server by its process id and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 5_000)))]);
    clearTimeout(timer);
    if (!killed) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}

/** A CommonJS CDK app as a consumer writes it: plain `require`, run with plain `node`. */
const CONSUMER_APP = `'use strict';
// Usage: node app.js <outdir> [secure|insecure] [--with-policies]
const { App, Stack, aws_s3: s3 } = require('aws-cdk-lib');
const { SecureBucket } = require('@core-infra/constructs');
const { applyCorePolicies, coreAppContext } = require('@core-infra/policies');
const { TEST_ENV } = require('@core-infra/testing');

const [outdir, variant = 'secure', policies] = process.argv.slice(2);
const app = new App({ outdir, context: coreAppContext() });
if (policies === '--with-policies') applyCorePolicies(app);
const stack = new Stack(app, 'ConsumerStorage', { env: TEST_ENV });
if (variant === 'secure') {
  new SecureBucket(stack, 'Documents');
} else {
  // Nothing set: public access not blocked, no TLS-only bucket policy, no versioning, no access logs.
  new s3.CfnBucket(stack, 'RawBucket');
}
app.synth();
`;

describe('published packages in a fresh consumer project', () => {
  let work: string;
  let registry: LocalRegistry;
  let consumer: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'core-publish-'));
    const registryDir = path.join(work, 'registry');
    fs.mkdirSync(registryDir);
    registry = new LocalRegistry(registryDir, await freePort());
    await registry.start();

    // Publish with the release tooling: it builds every package from scratch (tsc -b) and
    // publishes them in dependency order to --registry. npm reads a config holding only the local
    // registry's token instead of the user's, so no real credentials are involved.
    const publisherConfig = path.join(work, 'publisher.npmrc');
    fs.writeFileSync(publisherConfig, `${registry.authTokenLine}\n`);
    expectSuccess(
      run(process.execPath, [path.join(root, 'tools/release/publish.js'), '--registry', registry.url], root, { ...process.env, npm_config_userconfig: publisherConfig }),
      'building and publishing the packages',
    );

    // The consumer lives outside the workspace and maps only the @core-infra scope to the local registry.
    consumer = path.join(work, 'consumer');
    fs.mkdirSync(consumer);
    fs.writeFileSync(path.join(consumer, 'package.json'), `${JSON.stringify({ name: 'core-consumer', version: '1.0.0', private: true }, null, 2)}\n`);
    fs.writeFileSync(path.join(consumer, '.npmrc'), `@core-infra:registry=${registry.url}\n${registry.authTokenLine}\n`);
    fs.writeFileSync(path.join(consumer, 'app.js'), CONSUMER_APP);
    expectSuccess(
      run(
        'npm',
        [
          'install',
          '--no-audit',
          '--no-fund',
          '@core-infra/constructs',
          '@core-infra/policies',
          '@core-infra/testing',
          `aws-cdk-lib@${rootManifest.devDependencies['aws-cdk-lib']}`,
          `constructs@${rootManifest.devDependencies.constructs}`,
        ],
        consumer,
      ),
      'npm install in the consumer project',
    );
  }, 600_000);

  afterAll(async () => {
    await registry?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }, 60_000);

  test('the registry holds all four packages, and the consumer installed exactly what it serves, not the workspace copies', async () => {
    const lock = JSON.parse(fs.readFileSync(path.join(consumer, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; integrity?: string; link?: boolean }> };
    for (const name of PACKAGES) {
      const { status, body } = await httpGet(`${registry.url}${name.replace('/', '%2f')}`);
      expect(status).toBe(200);
      if (name === '@core-infra/environments') continue; // published, but not a dependency of this consumer
      const entry = lock.packages[`node_modules/${name}`];
      const served = (JSON.parse(body) as { versions: Record<string, { dist: { integrity: string } }> }).versions[entry?.version ?? ''];
      expect(entry?.link).toBeUndefined();
      expect(entry?.integrity).toBe(served?.dist.integrity);
      expect(fs.realpathSync(path.join(consumer, 'node_modules', name)).startsWith(root)).toBe(false);
    }
    // Published contents: compiled code and what it needs at run time, no TypeScript sources.
    const installed = (name: string, file: string) => fs.existsSync(path.join(consumer, 'node_modules', name, file));
    expect(installed('@core-infra/constructs', 'dist/index.js')).toBe(true);
    expect(installed('@core-infra/constructs', 'dist/index.d.ts')).toBe(true);
    expect(installed('@core-infra/constructs', 'assets/alert-notifier/index.js')).toBe(true);
    expect(installed('@core-infra/constructs', 'src/index.ts')).toBe(false);
    expect(installed('@core-infra/policies', 'bin/core-policies.js')).toBe(true);
    expect(installed('@core-infra/policies', 'rules')).toBe(true);
    expect(installed('@core-infra/policies', 'src')).toBe(false);
  });

  test('a CommonJS app synthesizes a SecureBucket through the policy plugin, and core-policies check passes it', () => {
    const outdir = path.join(work, 'secure.out');
    expectSuccess(run(process.execPath, ['app.js', outdir, 'secure', '--with-policies'], consumer), 'synthesizing the consumer app');
    const template = JSON.parse(fs.readFileSync(path.join(outdir, 'ConsumerStorage.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    expect(Object.values(template.Resources).map((resource) => resource.Type)).toEqual(expect.arrayContaining(['AWS::S3::Bucket', 'AWS::KMS::Key']));

    const check = run('npx', ['--no-install', 'core-policies', 'check', outdir, '--require-plugin'], consumer);
    expect(check.output).toMatch(/^PASSED · 0 findings in 0 of 1 templates/m);
    expect(check.code).toBe(0);
  });

  test('a raw s3.CfnBucket fails core-policies check (exit 1), and the policy plugin fails its synthesis', () => {
    const outdir = path.join(work, 'insecure.out');
    expectSuccess(run(process.execPath, ['app.js', outdir, 'insecure'], consumer), 'synthesizing the insecure app without the plugin');

    const check = run('npx', ['--no-install', 'core-policies', 'check', outdir], consumer);
    expect(check.code).toBe(1);
    expect(check.output).toMatch(/^FAILED · [1-9]\d* findings/m);
    expect(check.output).toMatch(/CORE\.S3\.\d+/);
    expect(check.output).toContain('RawBucket');

    const guarded = run(process.execPath, ['app.js', path.join(work, 'guarded.out'), 'insecure', '--with-policies'], consumer);
    expect(guarded.code).not.toBe(0);
    expect(guarded.output).toMatch(/CORE\.S3\.\d+/);
  });
});

/**
 * The packages work for consumers, exactly as docs/guides/consuming.md says: the test reads the
 * guide's `<!-- step: … -->` blocks and runs them in order. `npm run registry:local` builds the
 * four packages from this checkout and serves them from a real npm registry (Verdaccio on
 * loopback, empty storage, no uplinks); a fresh project outside the workspace installs them,
 * synthesizes an app with one compliant and one non-compliant bucket, fixes it and checks it
 * with the installed `core-policies` CLI.
 *
 * Only `@core-infra/*` comes from the local registry; everything else (aws-cdk-lib, the
 * packages' own dependencies) comes from npm's configured registry, as for any consumer. The one
 * liberty taken with the guide: the registry listens on a free port instead of 4873, and the
 * steps' URLs follow it.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const GUIDE = path.join(root, 'docs/guides/consuming.md');
const GUIDE_REGISTRY = 'http://127.0.0.1:4873/';
const PACKAGES = ['@core-infra/constructs', '@core-infra/environments', '@core-infra/policies', '@core-infra/testing'];
const rootManifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };

/** One marked block of the guide: a registry start, commands to run, or a file to write. */
interface GuideStep {
  readonly kind: 'registry' | 'run' | 'file';
  /** `run, fails`: the commands are expected to exit non-zero. */
  readonly fails: boolean;
  /** The file a `file` step writes, relative to the consumer project. */
  readonly file?: string;
  readonly body: string;
}

/** The guide's steps in order: each `<!-- step: … -->` comment and the fenced block after it. */
function guideSteps(markdown: string): GuideStep[] {
  const steps: GuideStep[] = [];
  for (const match of markdown.matchAll(/<!-- step: ([^>]*?) -->\n```\w*\n([\s\S]*?)\n```/g)) {
    const [kind, ...rest] = match[1].split(/[ ,]+/);
    if (kind !== 'registry' && kind !== 'run' && kind !== 'file') throw new Error(`unknown guide step "${match[1]}"`);
    steps.push({ kind, fails: rest.includes('fails'), file: kind === 'file' ? rest[0] : undefined, body: match[2] });
  }
  return steps;
}

interface RunResult {
  readonly code: number | null;
  readonly output: string;
}

function run(command: string, args: readonly string[], cwd: string, timeout = 300_000): RunResult {
  const result = spawnSync(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { code: result.status, output: `${result.stdout}\n${result.stderr}` };
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

/** Starts the guide's registry command in its own process group; resolves once it says it is ready. */
function startRegistry(command: string, port: number): { process: ChildProcess; ready: Promise<void>; output: () => string } {
  const [program, ...args] = command.split(' ');
  const child = spawn(program, [...args, '--', '--port', String(port)], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} was not ready within 5 minutes:\n${output}`)), 300_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Local registry ready at')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before it was ready:\n${output}`));
    });
  });
  return { process: child, ready, output: () => output };
}

/** Stops a process group started by {@link startRegistry} and waits for its leader to exit. */
async function stopGroup(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 10_000)))]);
  clearTimeout(timer);
  if (!stopped) process.kill(-child.pid, 'SIGKILL');
}

/** The construct paths of the findings in a CDK validation report printed by `cdk synth`. */
function findingPaths(output: string): string[] {
  return [...output.matchAll(/^ERROR .*\(core-policies\)\n\s+(\S+)/gm)].map((match) => match[1]);
}

describe('docs/guides/consuming.md, followed step by step', () => {
  const guide = fs.readFileSync(GUIDE, 'utf8');
  const steps = guideSteps(guide);
  const results: { step: GuideStep; result?: RunResult }[] = [];
  let work: string;
  let registryUrl: string;
  let registry: ReturnType<typeof startRegistry> | undefined;
  let consumer: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'core-consume-'));
    consumer = path.join(work, 'consumer');
    fs.mkdirSync(consumer);
    const port = await freePort();
    registryUrl = `http://127.0.0.1:${port}/`;
    for (const step of steps) {
      if (step.kind === 'registry') {
        registry = startRegistry(step.body.trim(), port);
        await registry.ready;
        results.push({ step });
      } else if (step.kind === 'file') {
        fs.writeFileSync(path.join(consumer, step.file!), `${step.body}\n`);
        results.push({ step });
      } else {
        const result = run('bash', ['-euo', 'pipefail', '-c', step.body.replaceAll(GUIDE_REGISTRY, registryUrl)], consumer);
        results.push({ step, result });
        if ((result.code === 0) === step.fails) {
          throw new Error(`guide step\n${step.body}\nexited ${result.code}, expected ${step.fails ? 'a failure' : 'success'}:\n${result.output}`);
        }
      }
    }
  }, 900_000);

  afterAll(async () => {
    await stopGroup(registry?.process);
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }, 60_000);

  const runSteps = () => results.filter(({ step }) => step.kind === 'run');

  test('the guide starts the local registry, then installs, synthesizes a failing app, fixes it and checks it', () => {
    expect(steps.map((step) => (step.kind === 'file' ? `file ${step.file}` : `${step.kind}${step.fails ? ' fails' : ''}`))).toEqual([
      'registry',
      'run',
      'file app.js',
      'file cdk.json',
      'run fails',
      'file app.js',
      'run',
    ]);
    expect(steps[0].body).toBe('npm run registry:local');
    expect(results).toHaveLength(steps.length);
  });

  test("the guide installs the CDK versions the repository tests with, so it moves with every upgrade", () => {
    for (const name of ['aws-cdk-lib', 'constructs', 'aws-cdk']) {
      expect(guide).toContain(`${name}@${rootManifest.devDependencies[name]}`);
    }
  });

  test('the registry serves all four packages, and the consumer installed exactly what it serves, not the workspace copies', async () => {
    const lock = JSON.parse(fs.readFileSync(path.join(consumer, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; integrity?: string; link?: boolean }> };
    for (const name of PACKAGES) {
      const { status, body } = await httpGet(`${registryUrl}${name.replace('/', '%2f')}`);
      expect(status).toBe(200);
      if (name === '@core-infra/environments' || name === '@core-infra/testing') continue; // published, not installed by the guide
      const entry = lock.packages[`node_modules/${name}`];
      const served = (JSON.parse(body) as { versions: Record<string, { dist: { integrity: string } }> }).versions[entry?.version ?? ''];
      expect(entry?.link).toBeUndefined();
      expect(entry?.integrity).toBe(served?.dist.integrity);
      expect(fs.realpathSync(path.join(consumer, 'node_modules', name)).startsWith(root)).toBe(false);
    }
  });

  test('the installed packages hold compiled code, a README and what they need at run time, no TypeScript sources', () => {
    const installed = (name: string, file: string) => fs.existsSync(path.join(consumer, 'node_modules', name, file));
    for (const name of ['@core-infra/constructs', '@core-infra/policies']) {
      expect([name, installed(name, 'README.md'), installed(name, 'dist/index.js'), installed(name, 'dist/index.d.ts'), installed(name, 'src')]).toEqual([name, true, true, true, false]);
    }
    expect(installed('@core-infra/constructs', 'assets/alert-notifier/index.js')).toBe(true);
    expect(installed('@core-infra/policies', 'bin/core-policies.js')).toBe(true);
    expect(installed('@core-infra/policies', 'rules')).toBe(true);
    expect(installed('@core-infra/policies', 'feature-flags.json')).toBe(true);
    // The Control Tower decisions are data beside the compiled catalogue, read when the package loads.
    expect(installed('@core-infra/policies', 'dist/catalogue/control-tower-decisions.json')).toBe(true);
  });

  test('the non-compliant app fails synthesis, and every finding names the plain bucket, none the SecureBucket', () => {
    const failed = runSteps().find(({ step }) => step.fails)!.result!;
    const paths = findingPaths(failed.output);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((p) => !p.startsWith('Storage/Scratch/'))).toEqual([]);
    expect(failed.output).toMatch(/core-policies::CORE\.S3\.\d+/);
    expect(failed.output).toContain('app.js:11:');
  });

  test('the fixed app synthesizes and core-policies check passes it, with no feature-flag notice from the CDK CLI', () => {
    const fixed = runSteps().at(-1)!.result!;
    expect(fixed.output).toMatch(/^PASSED · 0 findings in 0 of 1 templates/m);
    for (const { result } of runSteps()) expect(result!.output).not.toMatch(/feature flags are not configured/);
  });

  test('@core-infra/testing installs without Jest (an optional peer) and loads outside Jest', () => {
    const install = run('npm', ['install', '--no-audit', '--no-fund', '--save-dev', '@core-infra/testing'], consumer);
    expect(install.code).toBe(0);
    expect(fs.existsSync(path.join(consumer, 'node_modules', '@core-infra/testing', 'README.md'))).toBe(true);
    expect(fs.existsSync(path.join(consumer, 'node_modules', 'jest'))).toBe(false);
    const loaded = run(process.execPath, ['-e', "console.log(require('@core-infra/testing').TEST_ENV.region)"], consumer);
    expect(loaded).toEqual({ code: 0, output: expect.stringMatching(/^eu-west-2\n/) });
  });
});

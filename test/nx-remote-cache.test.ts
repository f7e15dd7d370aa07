/**
 * CI's shared Nx cache end to end (docs/guides/remote-cache.md): s3rver stands in for the cache
 * bucket, tools/nx-cache serves it to Nx as a pull-request run would (writing `pull-requests/`,
 * reusing `main/`), and two fresh clones of this repository, each with its own private local
 * cache, run `nx run meta:validate`. The second clone must replay both tasks (meta:synth and
 * meta:validate) from the remote cache and end up with the first clone's outputs.
 *
 * meta:validate is the target because it is the job CI shares, and cheap enough: a synth and a
 * policy check of the smallest app, about 20 s on two cores. The clones link this checkout's
 * node_modules instead of installing.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startNxCacheServer } from '../tools/nx-cache/server';
import { readNxCacheSettings } from '../tools/nx-cache/settings';
import { isolatedEnv, linkNodeModules } from './support/workspace-copy';

const root = path.resolve(__dirname, '..');
const BUCKET = 'core-meta-nx-cache-100000000001';
const TOKEN = randomBytes(32).toString('hex');
/** s3rver checks signatures against these fixed credentials. */
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const REGION = 'eu-west-2';

/** A server started as a child process, ready once its output matched a pattern. */
interface BackgroundServer {
  /** The match of the readiness pattern, e.g. the URL it printed. */
  readonly ready: RegExpExecArray;
  /** Everything it printed so far. */
  output(): string;
  /** Stops it by its process id and waits for it to exit. */
  stop(): Promise<void>;
}

async function startInBackground(args: string[], env: NodeJS.ProcessEnv, readyWhen: RegExp): Promise<BackgroundServer> {
  const child: ChildProcess = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} was not ready within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = readyWhen.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code} before it was ready:\n${output}`));
    });
  });
  return {
    ready,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A fresh clone of this repository at `commit`, with this checkout's node_modules linked in. */
function cloneAt(commit: string, dir: string): string {
  execFileSync('git', ['clone', '--quiet', '--no-checkout', root, dir]);
  execFileSync('git', ['-C', dir, 'checkout', '--quiet', '--detach', commit]);
  linkNodeModules(dir);
  return dir;
}

/** Content digests of every file under `dir`, by path relative to it. */
function digestsUnder(dir: string): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    digests[path.relative(dir, file)] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return digests;
}

describe('the shared Nx cache (tools/nx-cache on s3rver)', () => {
  let work: string;
  let s3rver: BackgroundServer;
  let cacheServer: BackgroundServer;
  let cacheUrl: string;
  let s3Endpoint: string;
  let s3: S3Client;

  /** What a cache server writing `pull-requests` entries into the s3rver bucket needs. */
  const pullRequestServerSettings = () => ({
    NX_CACHE_BUCKET: BUCKET,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    NX_CACHE_S3_ENDPOINT: s3Endpoint,
    NX_CACHE_PREFIX: 'pull-requests',
  });
  const keysUnder = async (prefix: string): Promise<string[]> => {
    const listing = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${prefix}/` }));
    return (listing.Contents ?? []).map((object) => object.Key!).sort();
  };
  const request = (method: 'GET' | 'PUT', hash: string, token: string | undefined, body?: string) =>
    fetch(`${cacheUrl}/v1/cache/${hash}`, { method, body, headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'core-nx-cache-'));
    const s3Dir = path.join(work, 's3');
    fs.mkdirSync(s3Dir);
    s3rver = await startInBackground(
      [require.resolve('s3rver/bin/s3rver.js'), '--directory', s3Dir, '--address', '127.0.0.1', '--port', '0', '--silent', '--configure-bucket', BUCKET],
      isolatedEnv({}),
      /S3rver listening on [\d.]+:(\d+)/,
    );
    s3Endpoint = `http://127.0.0.1:${s3rver.ready[1]}`;
    s3 = new S3Client({ region: REGION, endpoint: s3Endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });

    cacheServer = await startInBackground(
      ['--import', 'tsx', path.join(root, 'tools/nx-cache/start.ts')],
      isolatedEnv({
        ...pullRequestServerSettings(),
        NX_CACHE_READ_ONLY_PREFIXES: 'main',
        NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: TOKEN,
      }),
      /^(http:\/\/127\.0\.0\.1:\d+)$/m,
    );
    cacheUrl = cacheServer.ready[1];
  }, 60_000);

  afterAll(async () => {
    await cacheServer?.stop();
    await s3rver?.stop();
    s3?.destroy();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  describe('GIVEN two fresh clones, each with a private local cache', () => {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const clones = new Map<string, string>();

    /** `nx run meta:validate` in a new clone, with the remote cache and a local cache of its own. */
    const validateInFreshClone = (name: 'first' | 'second') => {
      const clone = cloneAt(commit, path.join(work, name));
      clones.set(name, clone);
      const result = spawnSync(process.execPath, [require.resolve('nx/bin/nx'), 'run', 'meta:validate'], {
        cwd: clone,
        encoding: 'utf8',
        env: isolatedEnv({
          NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cacheUrl,
          NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: TOKEN,
          // Nx 24 otherwise shares one local cache per workspace under ~/.nx between clones.
          NX_CACHE_DIRECTORY: path.join(work, `${name}-local-cache`),
        }),
        timeout: 240_000,
      });
      return { code: result.status, output: `${result.stdout}\n${result.stderr}` };
    };
    const outputsOf = (name: 'first' | 'second', outputs: string) => digestsUnder(path.join(clones.get(name)!, outputs));

    test('THEN the first runs meta:synth and meta:validate and stores both under pull-requests/, nothing under main/', async () => {
      const { code, output } = validateInFreshClone('first');
      expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('Successfully ran target validate') });
      expect(output).not.toContain('[remote cache]');
      expect(output).not.toContain('[local cache]');
      expect(await keysUnder('pull-requests')).toHaveLength(2);
      expect(await keysUnder('main')).toEqual([]);
    }, 240_000);

    test('THEN the second replays both tasks from the remote cache and has the same outputs', () => {
      const { code, output } = validateInFreshClone('second');
      expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('Successfully ran target validate') });
      expect(output).toMatch(/nx run meta:synth +\[remote cache\]/);
      expect(output).toMatch(/nx run meta:validate +\[remote cache\]/);
      for (const outputs of ['apps/meta/cdk.out', 'apps/meta/reports']) {
        const replayed = outputsOf('second', outputs);
        expect(Object.keys(replayed).length).toBeGreaterThan(0);
        expect(replayed).toEqual(outputsOf('first', outputs));
      }
      // Misses (404) and stores (200) only: no refusal, and no storage trouble passed off as a miss.
      const log = cacheServer.output();
      const answers = [...log.matchAll(/^nx-cache: (?:GET|PUT) \S+: (\d{3})/gm)].map((line) => line[1]);
      expect(answers.filter((status) => status !== '200' && status !== '404')).toEqual([]);
      expect(answers).toContain('404');
      expect(log).not.toMatch(/counted as a miss|could not check/);
    }, 240_000);
  });

  describe('GIVEN a request without the right bearer token', () => {
    test.each([
      ['a wrong token', 'not-the-token'],
      ['no token', undefined],
    ])('THEN %s is refused with 401 and nothing is written or read', async (_label, token) => {
      const before = await keysUnder('pull-requests');
      const [write, read] = [await request('PUT', '1234567890', token, 'poisoned'), await request('GET', before[0].split('/')[1], token)];
      expect([write.status, read.status]).toEqual([401, 401]);
      expect(await read.text()).toMatch(/missing or wrong bearer token/);
      expect(await keysUnder('pull-requests')).toEqual(before);
    });
  });

  describe('GIVEN an entry that exists', () => {
    test('THEN a second upload for its hash gets 409 and the entry is unchanged', async () => {
      expect((await request('PUT', '4242', TOKEN, 'first result')).status).toBe(200);
      const replace = await request('PUT', '4242', TOKEN, 'second result');
      expect(replace.status).toBe(409);
      expect(await (await request('GET', '4242', TOKEN)).text()).toBe('first result');
    });
  });

  describe('GIVEN an entry that only a main run wrote', () => {
    test('THEN the pull-request server serves it but never writes under main/', async () => {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'main/777', Body: 'from main' }));
      expect(await (await request('GET', '777', TOKEN)).text()).toBe('from main');
      expect((await request('PUT', '777', TOKEN, 'from a pull request')).status).toBe(409);
      expect((await request('PUT', '778', TOKEN, 'from a pull request')).status).toBe(200);
      expect(await keysUnder('main')).toEqual(['main/777']);
      const stored = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'pull-requests/778' }));
      expect(await stored.Body?.transformToString()).toBe('from a pull request');
    });
  });

  describe('GIVEN a bucket the server cannot use (here: one that does not exist)', () => {
    test('THEN a read is a miss and a write is refused with 403: Nx 24 ends the run on any other answer', async () => {
      const settings = readNxCacheSettings({ NX_CACHE_BUCKET: 'no-such-bucket', AWS_REGION: REGION, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: TOKEN, NX_CACHE_PREFIX: 'main' });
      const server = await startNxCacheServer(settings, s3);
      try {
        const entry = (method: 'GET' | 'PUT') =>
          fetch(`${server.url}/v1/cache/5150`, { method, body: method === 'PUT' ? 'a result' : undefined, headers: { Authorization: `Bearer ${TOKEN}` } });
        expect((await entry('GET')).status).toBe(404);
        const write = await entry('PUT');
        expect(write.status).toBe(403);
        expect(await write.text()).toMatch(/^not stored: NoSuchBucket/);
      } finally {
        await server.close();
      }
    });
  });

  describe('GIVEN a GitHub Actions job that starts the server with start-in-github-actions.sh', () => {
    /** Runs the script as a step would, with fresh $RUNNER_TEMP and $GITHUB_ENV, and returns what it handed on. */
    const startInJob = (settings: Record<string, string>) => {
      const runnerTemp = fs.mkdtempSync(path.join(work, 'runner-'));
      const githubEnv = path.join(runnerTemp, 'github-env');
      fs.writeFileSync(githubEnv, '');
      const result = spawnSync(path.join(root, 'tools/nx-cache/start-in-github-actions.sh'), {
        cwd: root,
        encoding: 'utf8',
        env: isolatedEnv({ RUNNER_TEMP: runnerTemp, GITHUB_ENV: githubEnv, ...settings }),
        timeout: 30_000,
      });
      const handedOn = Object.fromEntries(
        fs
          .readFileSync(githubEnv, 'utf8')
          .split('\n')
          .filter((line) => line.includes('='))
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      const pidFile = path.join(runnerTemp, 'nx-cache.pid');
      return { code: result.status, stdout: result.stdout, handedOn, serverPid: fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : undefined };
    };
    const stopServer = (pid: number | undefined) => {
      try {
        if (pid) process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    };

    test('THEN the later steps get the URL of a running server and a masked token it accepts', async () => {
      const job = startInJob(pullRequestServerSettings());
      try {
        expect(job.code).toBe(0);
        const { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token } = job.handedOn;
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(job.stdout).toContain(`::add-mask::${token}`);
        const miss = await fetch(`${url}/v1/cache/31337`, { headers: { Authorization: `Bearer ${token}` } });
        expect(miss.status).toBe(404);
      } finally {
        stopServer(job.serverPid);
      }
    });

    test('THEN a server that cannot start leaves the job without the remote cache, with a warning naming the setting', () => {
      const job = startInJob({ AWS_REGION: REGION, NX_CACHE_PREFIX: 'pull-requests' });
      stopServer(job.serverPid);
      expect(job.code).toBe(0);
      expect(job.stdout).toMatch(/^::warning title=Nx remote cache::.*NX_CACHE_BUCKET is not set/m);
      expect(job.handedOn).toEqual({});
    });
  });

  describe('GIVEN a setting is missing', () => {
    const complete = { NX_CACHE_BUCKET: BUCKET, AWS_REGION: REGION, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: TOKEN, NX_CACHE_PREFIX: 'main' };

    test.each(Object.keys(complete))('THEN without %s the settings name it and the fix', (variable) => {
      expect(() => readNxCacheSettings({ ...complete, [variable]: undefined })).toThrow(new RegExp(`^${variable} is not set: set it to `));
    });

    test('THEN the start script prints that one line and exits 1', () => {
      const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'tools/nx-cache/start.ts')], {
        cwd: root,
        encoding: 'utf8',
        env: isolatedEnv({ ...complete, NX_CACHE_BUCKET: '' }),
      });
      expect({ code: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
        code: 1,
        stdout: '',
        stderr: 'nx-cache: NX_CACHE_BUCKET is not set: set it to the cache bucket, core-meta-nx-cache-<meta account id>\n',
      });
    });
  });
});

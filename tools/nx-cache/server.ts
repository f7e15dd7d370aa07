/**
 * A remote cache server for Nx that keeps its entries in S3. It implements Nx's open remote
 * cache API (Nx 20.8 and later, built into `nx`; the client reads
 * `NX_SELF_HOSTED_REMOTE_CACHE_SERVER` and `NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN`):
 *
 * - `GET /v1/cache/{hash}`: 200 with the entry (a tar archive, passed through untouched), 404 on a miss
 * - `PUT /v1/cache/{hash}`: 200 once stored, 409 when an entry for the hash exists (it is never
 *   replaced), 403 when it is not stored
 * - 401 without the right bearer token
 *
 * Nx 24 ends the whole run on any other answer (a 500, a 403 to a GET, a 202 to a PUT), so
 * storage trouble is never passed on: a read that fails is a miss, a write that fails is a 403,
 * and the reason goes to the server's log. A cache can cost a task its replay, never a run.
 *
 * It listens on 127.0.0.1 only, inside the CI job that runs Nx. See docs/guides/remote-cache.md
 * for the trust levels behind {@link NxCacheSettings.writePrefix}.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type GetObjectCommandOutput, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { ACCESS_TOKEN_VARIABLE, type NxCacheSettings } from './settings';

/** Largest entry the server stores: it holds an upload in memory while S3 checksums it. */
export const MAX_ENTRY_BYTES = 1024 ** 3;

/** Nx task hashes are decimal today; anything that could leave the key prefix is refused. */
const TASK_HASH = /^[A-Za-z0-9_-]{1,128}$/;
const ENTRY_PATH = /^\/v1\/cache\/([^/]+)$/;

/** A running cache server. */
export interface RunningNxCacheServer {
  /** Base URL to give Nx as `NX_SELF_HOSTED_REMOTE_CACHE_SERVER`, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Stops accepting requests and resolves once the open ones are answered. */
  close(): Promise<void>;
}

/** An answer to Nx: a status and, for errors, the one-line message Nx shows its user. */
interface Reply {
  readonly status: number;
  readonly message: string;
}

/**
 * Starts the server on 127.0.0.1.
 *
 * @param settings what to serve and how (see `readNxCacheSettings`)
 * @param s3 S3 client to use; by default {@link s3ClientFor} the settings, with AWS's default credential chain
 */
export async function startNxCacheServer(settings: NxCacheSettings, s3: S3Client = s3ClientFor(settings)): Promise<RunningNxCacheServer> {
  const cache = new S3EntryStore(s3, settings);
  const server = createServer((request, response) => {
    handle(request, response, settings, cache).catch((error: unknown) => {
      log(`${request.method} ${request.url}: ${errorText(error)}`);
      if (response.headersSent) response.destroy();
      else send(response, request.method === 'PUT' ? notStored(errorText(error)) : { status: 404, message: `no entry: ${errorText(error)}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Nx keeps connections alive between requests; idle ones would hold the close open.
        server.closeIdleConnections();
      }),
  };
}

/** The S3 client the server uses unless given one: path-style addressing for a custom endpoint such as s3rver. */
export function s3ClientFor(settings: NxCacheSettings): S3Client {
  return new S3Client({ region: settings.region, ...(settings.s3Endpoint ? { endpoint: settings.s3Endpoint, forcePathStyle: true } : {}) });
}

async function handle(request: IncomingMessage, response: ServerResponse, settings: NxCacheSettings, cache: S3EntryStore): Promise<void> {
  const hash = ENTRY_PATH.exec(new URL(request.url ?? '/', 'http://127.0.0.1').pathname)?.[1];
  let reply: Reply | undefined;
  if (hash === undefined) {
    reply = { status: 404, message: 'not found: this server answers only /v1/cache/{hash}' };
  } else if (!hasToken(request, settings.accessToken)) {
    reply = { status: 401, message: `missing or wrong bearer token: give Nx the token the cache server was started with in ${ACCESS_TOKEN_VARIABLE}` };
  } else if (!TASK_HASH.test(hash)) {
    reply = { status: 400, message: `"${hash}" is not an Nx task hash` };
  } else if (request.method === 'GET') {
    reply = await cache.retrieve(hash, response);
  } else if (request.method === 'PUT') {
    reply = await store(hash, request, cache);
  } else {
    response.setHeader('Allow', 'GET, PUT');
    reply = { status: 405, message: `${request.method} is not supported: use GET or PUT` };
  }
  // A refused upload is not read; draining it lets Nx see the answer instead of a reset connection.
  request.resume();
  if (reply) {
    log(`${request.method} ${hash ?? request.url}: ${reply.status} ${reply.message}`);
    send(response, reply);
  }
}

async function store(hash: string, request: IncomingMessage, cache: S3EntryStore): Promise<Reply> {
  const declared = Number(request.headers['content-length']);
  if (request.headers['content-length'] === undefined || !Number.isInteger(declared) || declared < 0) {
    return { status: 400, message: 'Content-Length is missing or invalid: the entry size must be known before it is stored' };
  }
  if (declared > MAX_ENTRY_BYTES) {
    return notStored(`the entry has ${declared} bytes, more than the ${MAX_ENTRY_BYTES} this cache stores`);
  }
  const existing = await cache.find(hash);
  if (existing) return { status: 409, message: `an entry for ${hash} exists under ${existing}/ and is never replaced` };

  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  if (body.length !== declared) return notStored(`the upload has ${body.length} bytes but Content-Length said ${declared}`);
  return cache.add(hash, body);
}

function hasToken(request: IncomingMessage, accessToken: string): boolean {
  const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
  // Digests have equal lengths, so the comparison takes the same time whatever was sent.
  return timingSafeEqual(sha256(given), sha256(accessToken));
}

/** Entries in S3 under `<prefix>/<hash>`: written to the run's own prefix, read from it and then the read-only ones. */
class S3EntryStore {
  private readonly readPrefixes: readonly string[];

  constructor(
    private readonly s3: S3Client,
    private readonly settings: NxCacheSettings,
  ) {
    this.readPrefixes = [settings.writePrefix, ...settings.readOnlyPrefixes];
  }

  /** Streams the entry for `hash` into the response; a prefix that cannot be read counts as a miss. */
  async retrieve(hash: string, response: ServerResponse): Promise<Reply | undefined> {
    for (const prefix of this.readPrefixes) {
      let entry: GetObjectCommandOutput;
      try {
        entry = await this.s3.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: `${prefix}/${hash}` }));
      } catch (error) {
        if (!isS3Error(error, 'NoSuchKey', 'NotFound')) log(`GET ${hash}: counted as a miss in ${prefix}/: ${this.explain(error, 'read', prefix)}`);
        continue;
      }
      response.writeHead(200, { 'Content-Type': 'application/octet-stream', ...(entry.ContentLength === undefined ? {} : { 'Content-Length': entry.ContentLength }) });
      await pipeline(entry.Body as Readable, response);
      log(`GET ${hash}: 200 from ${prefix}/`);
      return undefined;
    }
    return { status: 404, message: `no entry for ${hash}` };
  }

  /**
   * The readable prefix that already holds an entry for `hash`, if one does. A prefix that
   * cannot be checked counts as free: the write itself refuses to replace an entry.
   */
  async find(hash: string): Promise<string | undefined> {
    for (const prefix of this.readPrefixes) {
      try {
        await this.s3.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: `${prefix}/${hash}` }));
        return prefix;
      } catch (error) {
        if (!isS3Error(error, 'NoSuchKey', 'NotFound')) log(`PUT ${hash}: could not check ${prefix}/: ${this.explain(error, 'read', prefix)}`);
      }
    }
    return undefined;
  }

  /** Writes a new entry; S3 itself refuses it when the key is taken (`If-None-Match: *`). */
  async add(hash: string, body: Buffer): Promise<Reply> {
    const prefix = this.settings.writePrefix;
    try {
      await this.s3.send(
        new PutObjectCommand({ Bucket: this.settings.bucket, Key: `${prefix}/${hash}`, Body: body, ContentType: 'application/octet-stream', IfNoneMatch: '*' }),
      );
    } catch (error) {
      // Another runner stored the same hash between our check and our write.
      if (isS3Error(error, 'PreconditionFailed', 'ConditionalRequestConflict')) return { status: 409, message: `an entry for ${hash} exists under ${prefix}/ and is never replaced` };
      return notStored(this.explain(error, 'write', prefix));
    }
    return { status: 200, message: `stored under ${prefix}/ (${body.length} bytes)` };
  }

  /** What went wrong with S3, and for a refusal, what to check. */
  private explain(error: unknown, access: 'read' | 'write', prefix: string): string {
    if (!isS3Error(error, 'AccessDenied', 'Forbidden')) return errorText(error);
    return `the bucket ${this.settings.bucket} refused to let this job's AWS role ${access} ${prefix}/: check NX_CACHE_PREFIX and NX_CACHE_READ_ONLY_PREFIXES against the role (docs/guides/remote-cache.md)`;
  }
}

/** The answer to an upload that was not stored: 403, the only refusal Nx 24 takes without failing the run. */
function notStored(reason: string): Reply {
  return { status: 403, message: `not stored: ${reason}` };
}

function isS3Error(error: unknown, ...names: string[]): boolean {
  return error instanceof S3ServiceException && names.includes(error.name);
}

function send(response: ServerResponse, reply: Reply): void {
  // Nx shows the message of a 401 or 403 only when the type is exactly text/plain.
  response.writeHead(reply.status, { 'Content-Type': 'text/plain' });
  response.end(`${reply.message}\n`);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function log(line: string): void {
  console.error(`nx-cache: ${line}`);
}

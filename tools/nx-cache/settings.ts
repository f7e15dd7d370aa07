/**
 * Settings of the Nx cache server, read from environment variables so CI can hand them over
 * with `env:` and nothing secret reaches a command line. See docs/guides/remote-cache.md.
 */

/** The variable Nx itself reads its bearer token from; the server and Nx share it. */
export const ACCESS_TOKEN_VARIABLE = 'NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN';

/** Fewest characters an access token may have: it is the only thing between the port and the cache. */
export const MIN_ACCESS_TOKEN_LENGTH = 16;

const KEY_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** What the server needs to serve Nx's remote cache from an S3 bucket. */
export interface NxCacheSettings {
  /** Bucket holding the entries (`NX_CACHE_BUCKET`). */
  readonly bucket: string;
  /** Region of the bucket (`AWS_REGION`, else `AWS_DEFAULT_REGION`). */
  readonly region: string;
  /** Bearer token Nx must present (`NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN`). */
  readonly accessToken: string;
  /** Trust level of this run: new entries go under `<writePrefix>/`, and are read from there first (`NX_CACHE_PREFIX`). */
  readonly writePrefix: string;
  /** Prefixes of more trusted runs whose entries are reused but never written (`NX_CACHE_READ_ONLY_PREFIXES`, comma-separated). */
  readonly readOnlyPrefixes: readonly string[];
  /** S3 endpoint other than AWS's, e.g. a local s3rver; addressed path-style (`NX_CACHE_S3_ENDPOINT`). */
  readonly s3Endpoint?: string;
  /** Port on 127.0.0.1 to listen on; 0 picks a free one (`NX_CACHE_PORT`). */
  readonly port: number;
}

/** A setting that is missing or malformed; its message names the variable and the fix, on one line. */
export class NxCacheSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NxCacheSettingsError';
  }
}

/**
 * Reads and checks the server's settings.
 *
 * @param env the environment, usually `process.env`
 * @throws NxCacheSettingsError naming the first variable that is missing or malformed and how to set it
 */
export function readNxCacheSettings(env: NodeJS.ProcessEnv): NxCacheSettings {
  const bucket = required(env, 'NX_CACHE_BUCKET', 'set it to the cache bucket, core-meta-nx-cache-<meta account id>');
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new NxCacheSettingsError("AWS_REGION is not set: set it to the cache bucket's region, e.g. eu-west-2 (aws-actions/configure-aws-credentials sets it)");
  }
  const accessToken = required(env, ACCESS_TOKEN_VARIABLE, 'set it to a random secret that Nx is given too, e.g. $(openssl rand -hex 32)');
  if (accessToken.length < MIN_ACCESS_TOKEN_LENGTH) {
    throw new NxCacheSettingsError(`${ACCESS_TOKEN_VARIABLE} has ${accessToken.length} characters: use a random secret of at least ${MIN_ACCESS_TOKEN_LENGTH}, e.g. $(openssl rand -hex 32)`);
  }
  const writePrefix = keyPrefix('NX_CACHE_PREFIX', required(env, 'NX_CACHE_PREFIX', 'set it to the trust level of this run: main (runs on refs/heads/main) or pull-requests'));
  const readOnlyPrefixes = (env.NX_CACHE_READ_ONLY_PREFIXES ?? '')
    .split(',')
    .map((prefix) => prefix.trim())
    .filter((prefix) => prefix !== '')
    .map((prefix) => keyPrefix('NX_CACHE_READ_ONLY_PREFIXES', prefix));
  if (readOnlyPrefixes.includes(writePrefix)) {
    throw new NxCacheSettingsError(`NX_CACHE_READ_ONLY_PREFIXES lists "${writePrefix}", which NX_CACHE_PREFIX writes: remove it from NX_CACHE_READ_ONLY_PREFIXES`);
  }
  return { bucket, region, accessToken, writePrefix, readOnlyPrefixes, s3Endpoint: s3Endpoint(env.NX_CACHE_S3_ENDPOINT), port: port(env.NX_CACHE_PORT) };
}

function required(env: NodeJS.ProcessEnv, name: string, fix: string): string {
  const value = env[name]?.trim();
  if (!value) throw new NxCacheSettingsError(`${name} is not set: ${fix}`);
  return value;
}

function keyPrefix(variable: string, prefix: string): string {
  if (!KEY_PREFIX.test(prefix)) {
    throw new NxCacheSettingsError(`${variable} has "${prefix}": a key prefix is a trust level such as main or pull-requests (lowercase letters, digits and hyphens, no slashes)`);
  }
  return prefix;
}

function s3Endpoint(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!/^https?:\/\/[^/\s]+\/?$/.test(value)) {
    throw new NxCacheSettingsError(`NX_CACHE_S3_ENDPOINT has "${value}": set it to a base URL such as http://127.0.0.1:4568, or unset it to use AWS`);
  }
  return value;
}

function port(value: string | undefined): number {
  if (!value) return 0;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) {
    throw new NxCacheSettingsError(`NX_CACHE_PORT has "${value}": set it to a port from 1 to 65535, or 0 (the default) for a free one`);
  }
  return parsed;
}

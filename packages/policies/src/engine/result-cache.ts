import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { GuardFileResult } from './run-guard';

/** Environment variable that turns the result cache off (`off`) or on in CI (`on`). */
export const RESULT_CACHE_ENV = 'CORE_POLICIES_CACHE';
/** Environment variable that moves the result cache to another folder. */
export const RESULT_CACHE_DIR_ENV = 'CORE_POLICIES_CACHE_DIR';

/** The cache keeps at most this many bytes of entries; the least recently used go first. */
export const RESULT_CACHE_MAX_BYTES = 64 * 1024 * 1024;

// Bumped when the shape of an entry or the meaning of a key changes.
const ENTRY_FORMAT = 'core-policies/guard-result/v1';

/**
 * cfn-guard results per template, content-addressed: an entry is keyed by the template's bytes
 * and everything that decides what cfn-guard reports on them (the rule set's digest, the cfn-guard
 * version). Only cfn-guard's output is cached; the risk rules, coverage proof and
 * acknowledgements run on every evaluation, so changing an acknowledgement or engine code never
 * needs an invalidation.
 *
 * Fails closed: an entry that cannot be read, does not parse, carries another key or does not have
 * the shape of a cfn-guard result is ignored and the template evaluated again.
 */
export class GuardResultCache {
  private written = false;

  /** @param directory folder of the entries (created on the first write) */
  constructor(public readonly directory: string) {}

  /**
   * The key of a template under a rule set.
   *
   * @param templateBytes the template file exactly as cfn-guard reads it
   * @param ruleSetDigest digest of what runs on it, from the function of the same name
   */
  public static key(templateBytes: Buffer | string, ruleSetDigest: string): string {
    return createHash('sha256').update(ENTRY_FORMAT).update('\0').update(ruleSetDigest).update('\0').update(templateBytes).digest('hex');
  }

  /** The cached result for a key, renamed to `templatePath`, or undefined (never a doubtful one). */
  public get(key: string, templatePath: string): GuardFileResult | undefined {
    const file = this.entryPath(key);
    let entry: unknown;
    try {
      entry = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return undefined;
    }
    const { key: storedKey, result } = (entry ?? {}) as { key?: unknown; result?: Partial<GuardFileResult> };
    if (storedKey !== key || !isGuardResult(result)) return undefined;
    touch(file);
    return { ...result, name: templatePath };
  }

  /** Stores a result: written to a temporary file and renamed, so a concurrent reader sees all of it or nothing. */
  public set(key: string, result: GuardFileResult): void {
    const file = this.entryPath(key);
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      writeFileSync(temporary, JSON.stringify({ key, result: { ...result, name: '' } }));
      renameSync(temporary, file);
      this.written = true;
    } catch {
      // A cache that cannot be written only costs time on the next run.
    }
  }

  /** Removes the least recently used entries above {@link RESULT_CACHE_MAX_BYTES} (only after a write). */
  public trim(maxBytes = RESULT_CACHE_MAX_BYTES): void {
    if (!this.written || !existsSync(this.directory)) return;
    const entries = readdirSync(this.directory, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .flatMap((e) => {
        const file = path.join(e.parentPath, e.name);
        try {
          const stat = statSync(file);
          return [{ file, bytes: stat.size, used: stat.mtimeMs }];
        } catch {
          return [];
        }
      })
      .sort((a, b) => b.used - a.used);
    let total = 0;
    for (const entry of entries) {
      total += entry.bytes;
      if (total > maxBytes) rmSync(entry.file, { force: true });
    }
  }

  private entryPath(key: string): string {
    return path.join(this.directory, key.slice(0, 2), `${key}.json`);
  }
}

/**
 * Digest of everything besides a template that decides cfn-guard's result on it.
 *
 * @param parts the rule files' texts and declared resource types, the evaluation settings and the cfn-guard version
 */
export function ruleSetDigest(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/**
 * The result cache to use, or undefined when it is off: off when `CORE_POLICIES_CACHE=off`, and in
 * CI (`CI` set) unless `CORE_POLICIES_CACHE=on`, so that a verdict in CI never comes from entries
 * an earlier job could have written. It lives in `CORE_POLICIES_CACHE_DIR`, else in
 * `node_modules/.cache/core-policies` of the nearest folder above `cwd` that has `node_modules`.
 *
 * @param requested an explicit choice (the CLI's `--no-cache`, an option); wins over the environment
 * @param cwd where to start looking for `node_modules`
 */
export function defaultResultCache(requested?: boolean, cwd = process.cwd()): GuardResultCache | undefined {
  const setting = process.env[RESULT_CACHE_ENV]?.trim().toLowerCase();
  const enabled = requested ?? (setting === 'off' ? false : setting === 'on' ? true : !isCi());
  if (!enabled) return undefined;
  const configured = process.env[RESULT_CACHE_DIR_ENV]?.trim();
  if (configured) return new GuardResultCache(path.resolve(configured));
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules'))) return new GuardResultCache(path.join(dir, 'node_modules', '.cache', 'core-policies'));
    if (path.dirname(dir) === dir) return undefined;
  }
}

function isCi(): boolean {
  const ci = process.env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

function isGuardResult(result: Partial<GuardFileResult> | undefined): result is GuardFileResult {
  return (
    typeof result === 'object' &&
    result !== null &&
    typeof result.status === 'string' &&
    Array.isArray(result.not_compliant) &&
    Array.isArray(result.compliant) &&
    Array.isArray(result.not_applicable) &&
    [...result.compliant, ...result.not_applicable].every((n) => typeof n === 'string')
  );
}

function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // Only the eviction order depends on it.
  }
}

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Where in the repository a resource was declared: the line a reviewer opens to fix a finding. */
export interface SourceLocation {
  /** File relative to the source root, with `/` separators, e.g. `apps/production/src/main.ts`. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, when the stack frame gives one. */
  readonly column?: number;
}

const LOGICAL_ID = 'aws:cdk:logicalId';
const CREATION_STACK = 'aws:cdk:creationStack';
// `name (file:line:column)` or a bare `file:line:column`, as aws-cdk-lib renders its frames.
const FRAME = /(?:\(|^)([^()]+?):(\d+)(?::(\d+))?\)?$/;

/**
 * The folder source locations are relative to: the nearest folder at or above `from` that holds
 * `.git` (the repository root, which code scanning resolves SARIF paths against), else `from`.
 *
 * @param from where to start looking
 */
export function findSourceRoot(from: string = process.cwd()): string {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(from);
    dir = parent;
  }
}

/**
 * Reads where each resource of a stack was created, from the creation stack traces aws-cdk-lib
 * writes into the stack's metadata file at synthesis. The location is the first frame in a file
 * of the repository outside `node_modules`: for a resource made by an L3 construct, the line in
 * that construct that creates it.
 *
 * Stack traces hold the absolute paths of the machine that synthesized; an assembly made in
 * another checkout (a cache replay) is matched by the longest path suffix that exists under
 * `sourceRoot`. A resource with no such frame, or an unreadable metadata file, has no entry:
 * its findings keep the template as their only location.
 *
 * @param metadataPath the stack's `*.metadata.json` in the cloud assembly
 * @param logicalIds the resources to locate
 * @param sourceRoot the repository root
 * @returns source location per logical id
 */
export function resourceSourceLocations(metadataPath: string, logicalIds: ReadonlySet<string>, sourceRoot: string): Map<string, SourceLocation> {
  const locations = new Map<string, SourceLocation>();
  if (logicalIds.size === 0) return locations;
  let metadata: unknown;
  try {
    metadata = JSON.parse(readFileSync(metadataPath, 'utf8'));
  } catch {
    return locations;
  }
  if (typeof metadata !== 'object' || metadata === null) return locations;
  const resolve = repositoryFileResolver(sourceRoot);
  for (const entries of Object.values(metadata as Record<string, unknown>)) {
    if (!Array.isArray(entries)) continue;
    const logicalId = entries.find((entry) => entry?.type === LOGICAL_ID)?.data;
    if (typeof logicalId !== 'string' || !logicalIds.has(logicalId) || locations.has(logicalId)) continue;
    const frames = entries.find((entry) => entry?.type === CREATION_STACK)?.data;
    const location = Array.isArray(frames) ? firstRepositoryFrame(frames, resolve) : undefined;
    if (location) locations.set(logicalId, location);
  }
  return locations;
}

function firstRepositoryFrame(frames: readonly unknown[], resolve: (file: string) => string | undefined): SourceLocation | undefined {
  for (const frame of frames) {
    if (typeof frame !== 'string') continue;
    const match = FRAME.exec(frame.trim());
    if (!match || match[1].includes('node_modules') || !path.isAbsolute(match[1])) continue;
    const file = resolve(match[1]);
    if (file !== undefined) return { file, line: Number(match[2]), ...(match[3] ? { column: Number(match[3]) } : {}) };
  }
  return undefined;
}

// Absolute path of the synthesizing machine → path under the source root, memoized per file.
function repositoryFileResolver(sourceRoot: string): (file: string) => string | undefined {
  const known = new Map<string, string | undefined>();
  return (file) => {
    if (!known.has(file)) known.set(file, toRepositoryPath(file, sourceRoot));
    return known.get(file);
  };
}

function toRepositoryPath(file: string, sourceRoot: string): string | undefined {
  const direct = path.relative(sourceRoot, file);
  if (!direct.startsWith('..') && !path.isAbsolute(direct) && existsSync(file)) return direct.split(path.sep).join('/');
  const segments = file.split(/[\\/]+/).filter((segment) => segment.length > 0);
  for (let start = 1; start < segments.length; start++) {
    const candidate = segments.slice(start);
    if (existsSync(path.join(sourceRoot, ...candidate))) return candidate.join('/');
  }
  return undefined;
}

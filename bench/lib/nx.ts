import { existsSync, readFileSync } from 'node:fs';

/** One Nx task of a run, as Nx's task profile (`NX_PROFILE`) records it. */
export interface TaskRecord {
  /** `project:target`. */
  readonly id: string;
  /** `success`, `failure`, `local-cache`, `local-cache-kept-existing`, `remote-cache`, `skipped`... */
  readonly status: string;
  readonly durationMs: number;
}

/** Whether a task status means the result came from the cache. */
export function isCacheHit(status: string): boolean {
  return status.includes('cache');
}

/** Reads the tasks of a run from the Chrome-trace profile Nx writes when `NX_PROFILE` is set. */
export function readNxProfile(file: string): TaskRecord[] | undefined {
  if (!existsSync(file)) return undefined;
  const events = JSON.parse(readFileSync(file, 'utf8')) as Array<{ name: string; ph: string; dur?: number; args?: { status?: string } }>;
  return events
    .filter((e) => e.ph === 'X')
    .map((e) => ({ id: e.name, status: e.args?.status ?? 'unknown', durationMs: (e.dur ?? 0) / 1000 }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Fallback when no profile was written: the `> nx run project:target [local cache]` headers of
 * Nx's static output (durations unknown).
 */
export function tasksFromLog(log: string): TaskRecord[] {
  // eslint-disable-next-line no-control-regex -- strips ANSI colour codes
  const plain = log.replace(/\u001b\[[0-9;]*m/g, '');
  const tasks = new Map<string, TaskRecord>();
  for (const match of plain.matchAll(/^> nx run ([\w.@/-]+:[\w.-]+)(?:\s+\[([^\]]+)\])?/gm)) {
    const status = match[2] ? match[2].replace(/\s+/g, '-') : 'success';
    tasks.set(match[1], { id: match[1], status, durationMs: Number.NaN });
  }
  return [...tasks.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** `Cache: 8/8 hit (100%)` from Nx's run summary, when present. */
export function cacheSummary(log: string): { hits: number; total: number } | undefined {
  const match = /Cache:\s+(\d+)\/(\d+) hit/.exec(log);
  if (match) return { hits: Number(match[1]), total: Number(match[2]) };
  const older = /for (\d+) out of (\d+) tasks/.exec(log);
  return older ? { hits: Number(older[1]), total: Number(older[2]) } : undefined;
}

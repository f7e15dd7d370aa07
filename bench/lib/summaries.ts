// Summaries of repeated runs, as results.json records them.
import { type CommandResult, type ProcessPeak } from './measure';
import { type NxRun } from './runner';
import { stats, type Stats } from './stats';

/** One Nx task over the runs: its duration and every status it ended with. */
export interface TaskSummary {
  readonly id: string;
  readonly durationMs: Stats | null;
  readonly statuses: string[];
}

/** Peak RSS over the runs, and the single largest process. */
export interface PeakSummary {
  readonly bytes: Stats;
  readonly largest?: ProcessPeak;
}

/** Summarizes each task of the Nx runs. */
export function summarizeTasks(runs: readonly NxRun[]): TaskSummary[] {
  const ids = [...new Set(runs.flatMap((r) => r.tasks.map((t) => t.id)))].sort();
  return ids.map((id) => {
    const records = runs.flatMap((r) => r.tasks.filter((t) => t.id === id));
    const durations = records.map((t) => t.durationMs).filter((d) => Number.isFinite(d));
    return { id, durationMs: durations.length > 0 ? stats(durations) : null, statuses: [...new Set(records.map((t) => t.status))] };
  });
}

/** Summarizes the peak RSS of the processes. */
export function summarizePeaks(results: readonly CommandResult[]): PeakSummary {
  const largest = results
    .map((r) => r.largestProcess)
    .filter((p): p is ProcessPeak => p !== undefined)
    .reduce<ProcessPeak | undefined>((a, b) => (!a || b.peakRssBytes > a.peakRssBytes ? b : a), undefined);
  return { bytes: stats(results.map((r) => r.peakRssBytes)), largest };
}

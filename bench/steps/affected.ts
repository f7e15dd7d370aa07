import { execFileSync } from 'node:child_process';
import { isCacheHit } from '../lib/nx';
import { childEnv, log, type NxRun, WORKSPACE_ROOT } from '../lib/runner';
import { fmtSeconds, stats } from '../lib/stats';
import { summarizePeaks, summarizeTasks } from '../lib/summaries';
import { type AffectedResults } from '../results';
import { type StepContext } from './step';

/** The change the affected step pretends to make (nothing is written: Nx is told with --files). */
const AFFECTED_FILE = 'apps/dev/src/main.ts';

function plannedAffectedTasks(): string[] {
  const out = execFileSync(process.execPath, [require.resolve('nx/bin/nx'), 'affected', '-t', 'synth', 'validate', `--files=${AFFECTED_FILE}`, '--graph=stdout'], {
    cwd: WORKSPACE_ROOT,
    env: childEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const graph = JSON.parse(out.slice(out.indexOf('{'))) as { tasks?: { tasks?: Record<string, unknown> } };
  return Object.keys(graph.tasks?.tasks ?? {}).sort();
}

/** Step 3: Nx affected runs of synth and validate for a change to dev's entry file. */
export async function affectedStep({ options, runner, results }: StepContext): Promise<AffectedResults> {
  // Nx is told which file changed (--files), so nothing in the workspace is edited; the cache is
  // skipped so the affected tasks really run, as they would after a real change.
  const planned = plannedAffectedTasks();
  log(`affected by a change to ${AFFECTED_FILE}: ${planned.join(', ') || '(nothing)'}`);
  const runs: NxRun[] = [];
  for (let i = 1; i <= options.runs; i++) {
    const r = await runner.nx(`affected-${i}`, ['affected', '-t', 'synth', 'validate', `--files=${AFFECTED_FILE}`, '--skip-nx-cache']);
    log(`affected run ${i}/${options.runs}: ${fmtSeconds(r.result.wallMs)}, ran ${r.tasks.map((t) => t.id).join(', ')}`);
    runs.push(r);
  }
  const wallMs = stats(runs.map((r) => r.result.wallMs));
  return {
    file: AFFECTED_FILE,
    wallMs,
    plannedTasks: planned,
    tasksRan: [...new Set(runs.flatMap((r) => r.tasks.filter((t) => !isCacheHit(t.status)).map((t) => t.id)))].sort(),
    shareOfCold: results.cold ? wallMs.median / results.cold.wallMs.median : undefined,
    peakRss: summarizePeaks(runs.map((r) => r.result)),
    tasks: summarizeTasks(runs),
  };
}

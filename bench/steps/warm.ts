import { log, type NxRun } from '../lib/runner';
import { fmtSeconds, stats } from '../lib/stats';
import { summarizeTasks } from '../lib/summaries';
import { type WarmResults } from '../results';
import { SYNTH_VALIDATE_APPS } from './cold';
import { type StepContext } from './step';

/** Step 2: the cold step's command with the Nx cache on, after an untimed priming run. */
export async function warmStep({ options, runner }: StepContext): Promise<WarmResults> {
  // Untimed priming run: fills the cache if the cold runs left anything uncached.
  const prime = await runner.nx('warm-prime', SYNTH_VALIDATE_APPS);
  log(`warm priming run: ${fmtSeconds(prime.result.wallMs)}, ${prime.cacheHits}/${prime.tasks.length} cache hits`);
  const runs: NxRun[] = [];
  for (let i = 1; i <= options.runs; i++) {
    const r = await runner.nx(`warm-${i}`, SYNTH_VALIDATE_APPS);
    log(`warm run ${i}/${options.runs}: ${fmtSeconds(r.result.wallMs)}, ${r.cacheHits}/${r.tasks.length} cache hits`);
    runs.push(r);
  }
  const hits = runs.map((r) => `${r.cacheHits}/${r.tasks.length}`);
  return {
    wallMs: stats(runs.map((r) => r.result.wallMs)),
    cacheHits: [...new Set(hits)].join(', '),
    allHits: runs.every((r) => r.tasks.length > 0 && r.cacheHits === r.tasks.length),
    primeCacheHits: `${prime.cacheHits}/${prime.tasks.length}`,
    tasks: summarizeTasks(runs),
  };
}

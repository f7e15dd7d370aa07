import { log, type NxRun } from '../lib/runner';
import { fmtBytes, fmtSeconds, stats } from '../lib/stats';
import { summarizePeaks, summarizeTasks } from '../lib/summaries';
import { type ColdResults } from '../results';
import { type StepContext } from './step';

/** Nx arguments of every app's synth and validate, as `npm run validate` runs them. */
export const SYNTH_VALIDATE_APPS = ['run-many', '-t', 'synth', 'validate', '--projects=tag:type:app'];

/** Step 1: every app's synth and validate with the Nx cache skipped. */
export async function coldStep({ options, runner }: StepContext): Promise<ColdResults> {
  const runs: NxRun[] = [];
  for (let i = 1; i <= options.runs; i++) {
    const r = await runner.nx(`cold-${i}`, [...SYNTH_VALIDATE_APPS, '--skip-nx-cache']);
    log(`cold run ${i}/${options.runs}: ${fmtSeconds(r.result.wallMs)}, largest process ${fmtBytes(r.result.peakRssBytes)}, ${r.tasks.length} tasks ran`);
    runs.push(r);
  }
  return { wallMs: stats(runs.map((r) => r.result.wallMs)), peakRss: summarizePeaks(runs.map((r) => r.result)), tasks: summarizeTasks(runs) };
}

import * as path from 'node:path';
import { type CommandResult } from '../lib/measure';
import { log } from '../lib/runner';
import { fmtSeconds, stats } from '../lib/stats';
import { summarizePeaks } from '../lib/summaries';
import { type OverheadResults } from '../results';
import { VARIANTS, type OverheadResult, type SingleResult, type Variant } from '../synth-overhead';
import { type StepContext } from './step';

const OVERHEAD_HELPER = path.join(__dirname, '..', 'synth-overhead.ts');
/** Cold: the policy result cache is off, so every synth evaluates every template. */
const RESULT_CACHE_OFF = { CORE_POLICIES_CACHE: 'off' };

function byVariant<T>(make: (v: Variant) => T): Record<Variant, T> {
  return Object.fromEntries(VARIANTS.map((v) => [v, make(v)])) as Record<Variant, T>;
}

/** Step 4: production synthesized full, without the plugin and alone, in one process and per process. */
export async function overheadStep({ options, runner }: StepContext): Promise<OverheadResults> {
  // In one process: warm-up round, then options.runs rounds of all three variants.
  const { output: inProcess } = await runner.helper<OverheadResult>('overhead-in-process', OVERHEAD_HELPER, ['--runs', String(options.runs)], { env: RESULT_CACHE_OFF, exposeGc: true });
  const ms = byVariant((v) => stats(inProcess.runs[v]));
  log(`overhead in one process: ${VARIANTS.map((v) => `${v} ${fmtSeconds(ms[v].median)}`).join(', ')}`);

  // One fresh process per synth, like `cdk synth` runs the app; variants rotate round by round.
  const wall = byVariant<number[]>(() => []);
  const synth = byVariant<number[]>(() => []);
  const procs = byVariant<CommandResult[]>(() => []);
  for (let round = 0; round < options.runs; round++) {
    for (let i = 0; i < VARIANTS.length; i++) {
      const variant = VARIANTS[(i + round) % VARIANTS.length];
      const single = await runner.helper<SingleResult>(`overhead-${variant}-${round + 1}`, OVERHEAD_HELPER, ['--variant', variant], { env: RESULT_CACHE_OFF });
      wall[variant].push(single.process.wallMs);
      synth[variant].push(single.output.constructMs + single.output.synthMs);
      procs[variant].push(single.process);
    }
    log(`overhead per process, round ${round + 1}/${options.runs}: ${VARIANTS.map((v) => `${v} ${fmtSeconds(wall[v][round])}`).join(', ')}`);
  }
  const wallMs = byVariant((v) => stats(wall[v]));
  return {
    inProcess: {
      moduleLoadMs: inProcess.moduleLoadMs,
      ms,
      constructMs: byVariant((v) => stats(inProcess.constructMs[v])),
      ratioAll: ms.full.median / ms['synth-only'].median,
      ratioPlugin: ms.full.median / ms['no-plugin'].median,
    },
    perProcess: {
      wallMs,
      synthMs: byVariant((v) => stats(synth[v])),
      peakRss: byVariant((v) => summarizePeaks(procs[v])),
      ratioAll: wallMs.full.median / wallMs['synth-only'].median,
      ratioPlugin: wallMs.full.median / wallMs['no-plugin'].median,
    },
  };
}

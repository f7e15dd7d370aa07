import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { assemblyMetrics, type AssemblyMetrics } from '../lib/assembly';
import { type CommandResult } from '../lib/measure';
import { bin, log, WORKSPACE_ROOT, type CommandRunner } from '../lib/runner';
import { fmtBytes, fmtSeconds, stats } from '../lib/stats';
import { summarizePeaks } from '../lib/summaries';
import { type GrowthPoint, type GrowthResults, type MarginalCost } from '../results';
import { type StepContext } from './step';

/** First review-app number used by the growth step (1..49999 are valid). */
const GROWTH_FIRST_REVIEW_APP = 2001;
/** Marginal cost of the last interval above this multiple of the first is flagged as super-linear. */
export const SUPER_LINEAR_FACTOR = 1.25;

/** The dev app's synth and validate commands, as its Nx targets declare them (validate is a shell command line). */
function devCommands(): { synth: string[]; validate: string } {
  const nxJson = JSON.parse(readFileSync(path.join(WORKSPACE_ROOT, 'nx.json'), 'utf8')) as { targetDefaults: Record<string, { command?: string }> };
  const devPackage = JSON.parse(readFileSync(path.join(WORKSPACE_ROOT, 'apps', 'dev', 'package.json'), 'utf8')) as { nx: { targets: Record<string, { options?: { command?: string } }> } };
  const synth = (nxJson.targetDefaults.synth?.command ?? 'cdk synth --quiet').split(/\s+/);
  const validate = devPackage.nx.targets.validate?.options?.command ?? nxJson.targetDefaults.validate?.command ?? '';
  if (synth[0] !== 'cdk' || !validate.startsWith('core-policies ')) throw new Error(`unexpected dev synth/validate commands: ${synth.join(' ')} / ${validate}`);
  return { synth, validate };
}

/**
 * Runs the dev app's own synth and validate commands with `count` review apps into a scratch
 * folder, so that apps/dev/cdk.out (and the Nx cache) keep the default two review apps.
 */
async function synthAndValidate(runner: CommandRunner, label: string, count: number, env: Record<string, string>) {
  const commands = devCommands();
  const devDir = path.join(WORKSPACE_ROOT, 'apps', 'dev');
  const reviewApps = Array.from({ length: count }, (_, i) => GROWTH_FIRST_REVIEW_APP + i).join(',');
  const work = mkdtempSync(path.join(runner.scratch, `growth-${count}-`));
  const out = path.join(work, 'cdk.out');
  const synth = await runner.run(`${label}-synth`, bin('cdk'), [...commands.synth.slice(1), '-c', `reviewApps=${reviewApps}`, '--output', out], { cwd: devDir, env });
  const validateLine = commands.validate.replace(/(^|\s)cdk\.out(?=\s|$)/, `$1${out}`).replace(/(^|\s)reports(?=\s|$)/, `$1${path.join(work, 'reports')}`);
  const validate = await runner.run(`${label}-validate`, '/bin/sh', ['-c', validateLine], { cwd: devDir, env });
  const assembly = assemblyMetrics(out);
  rmSync(work, { recursive: true, force: true });
  return { synth, validate, assembly };
}

/**
 * The marginal cost of each interval between points; the warm figure starts from the smaller
 * point's run with nothing new in the cache.
 */
function marginalCosts(points: readonly GrowthPoint[], steadyWarm: ReadonlyMap<number, number>): MarginalCost[] {
  const marginal: MarginalCost[] = [];
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1], points[i]];
    const n = b.reviewApps - a.reviewApps;
    marginal.push({
      from: a.reviewApps,
      to: b.reviewApps,
      totalMsPerApp: (b.totalMs.median - a.totalMs.median) / n,
      synthMsPerApp: (b.synthMs.median - a.synthMs.median) / n,
      validateMsPerApp: (b.validateMs.median - a.validateMs.median) / n,
      warmTotalMsPerApp: (b.warmTotalMs.median - steadyWarm.get(a.reviewApps)!) / n,
      resourcesPerApp: (b.assembly.totalResources - a.assembly.totalResources) / n,
      templateBytesOfLargestStackPerApp: (b.assembly.largestTemplate.bytes - a.assembly.largestTemplate.bytes) / n,
    });
  }
  return marginal;
}

/** Step 5: the dev app's synth and validate with more and more review apps, cold and with a warm result cache. */
export async function growthStep({ options, runner }: StepContext): Promise<GrowthResults> {
  const cacheDir = path.join(runner.scratch, 'growth-policy-cache');
  const cold = { CORE_POLICIES_CACHE: 'off' };
  const warm = { CORE_POLICIES_CACHE: 'on', CORE_POLICIES_CACHE_DIR: cacheDir };
  const points: GrowthPoint[] = [];
  const steadyWarm = new Map<number, number>();
  for (const [index, count] of options.growth.entries()) {
    const synthRuns: CommandResult[] = [];
    const validateRuns: CommandResult[] = [];
    const warmRuns: number[] = [];
    let assembly: AssemblyMetrics | undefined;
    for (let i = 1; i <= options.growthRuns; i++) {
      const c = await synthAndValidate(runner, `growth-${count}-cold-${i}`, count, cold);
      assembly ??= c.assembly;
      synthRuns.push(c.synth);
      validateRuns.push(c.validate);
      log(`growth ${count} review app(s), run ${i}/${options.growthRuns}: synth ${fmtSeconds(c.synth.wallMs)} + validate ${fmtSeconds(c.validate.wallMs)}, ${c.assembly.totalResources} resources in ${c.assembly.stacks} stacks, synth process ${fmtBytes(c.synth.peakRssBytes)}`);
    }
    // Warm: the cache holds the previous point's templates, so only what the added review apps
    // (and the shared stacks they change) bring is evaluated; the first point is primed by itself.
    if (index === 0) await synthAndValidate(runner, `growth-${count}-prime`, count, warm);
    for (let i = 1; i <= options.growthRuns; i++) {
      const w = await synthAndValidate(runner, `growth-${count}-warm-${i}`, count, warm);
      warmRuns.push(w.synth.wallMs + w.validate.wallMs);
      const steady = await synthAndValidate(runner, `growth-${count}-steady-${i}`, count, warm);
      steadyWarm.set(count, steady.synth.wallMs + steady.validate.wallMs);
      log(`growth ${count} review app(s), warm result cache: ${fmtSeconds(warmRuns[i - 1])} (nothing new: ${fmtSeconds(steadyWarm.get(count)!)})`);
    }
    points.push({
      reviewApps: count,
      synthMs: stats(synthRuns.map((r) => r.wallMs)),
      validateMs: stats(validateRuns.map((r) => r.wallMs)),
      totalMs: stats(synthRuns.map((r, i) => r.wallMs + validateRuns[i].wallMs)),
      warmTotalMs: stats(warmRuns),
      synthPeakRss: summarizePeaks(synthRuns),
      validatePeakRss: summarizePeaks(validateRuns),
      assembly: assembly!,
    });
  }
  const marginal = marginalCosts(points, steadyWarm);
  // Super-linear: the last interval costs clearly more per review app than the first one.
  let growthFactor: number | null = null;
  if (marginal.length >= 2 && marginal[0].totalMsPerApp > 0) growthFactor = marginal[marginal.length - 1].totalMsPerApp / marginal[0].totalMsPerApp;
  return {
    reviewAppNumbers: `${GROWTH_FIRST_REVIEW_APP} upwards`,
    points,
    marginal,
    growthFactor,
    superLinear: growthFactor === null ? null : growthFactor > SUPER_LINEAR_FACTOR,
  };
}

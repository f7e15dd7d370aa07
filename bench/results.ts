// The shape of bench/results.json (see "results.json" in bench/README.md). Every timing is in
// milliseconds and every size in bytes.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { type AssemblyMetrics } from './lib/assembly';
import { WORKSPACE_ROOT } from './lib/runner';
import { type Stats } from './lib/stats';
import { type PeakSummary, type TaskSummary } from './lib/summaries';
import { STEPS, type Options } from './options';
import { type Peer } from './peers';
import { type Variant } from './synth-overhead';

/** Step 1: Nx runs of every app's synth and validate with the cache skipped. */
export interface ColdResults {
  readonly wallMs: Stats;
  readonly peakRss: PeakSummary;
  readonly tasks: TaskSummary[];
}

/** Step 2: the same runs with the cache on, after an untimed priming run. */
export interface WarmResults {
  readonly wallMs: Stats;
  readonly cacheHits: string;
  readonly allHits: boolean;
  readonly primeCacheHits: string;
  readonly tasks: TaskSummary[];
}

/** Step 3: Nx affected runs for a change to one file of dev. */
export interface AffectedResults {
  readonly file: string;
  readonly wallMs: Stats;
  readonly plannedTasks: string[];
  readonly tasksRan: string[];
  readonly shareOfCold?: number;
  readonly peakRss: PeakSummary;
  readonly tasks: TaskSummary[];
}

/** Step 4: production synthesized with and without validation, in one process and per process. */
export interface OverheadResults {
  readonly inProcess: { moduleLoadMs: number; ms: Record<Variant, Stats>; constructMs: Record<Variant, Stats>; ratioAll: number; ratioPlugin: number };
  readonly perProcess: { wallMs: Record<Variant, Stats>; synthMs: Record<Variant, Stats>; peakRss: Record<Variant, PeakSummary>; ratioAll: number; ratioPlugin: number };
}

/** Step 4b: production in one process with one validator each. */
export interface PeersResults {
  readonly ms: Record<Peer, Stats>;
  readonly rules: Record<Peer, number>;
  readonly passed: Record<Peer, boolean>;
  readonly ratioToSynth: Record<Peer, number>;
}

/** One point of step 5: the dev app with N review apps. */
export interface GrowthPoint {
  readonly reviewApps: number;
  readonly synthMs: Stats;
  readonly validateMs: Stats;
  readonly totalMs: Stats;
  /** Synth + validate with the result cache holding the previous point's templates (the first point: its own). */
  readonly warmTotalMs: Stats;
  readonly synthPeakRss: PeakSummary;
  readonly validatePeakRss: PeakSummary;
  readonly assembly: AssemblyMetrics;
}

/** What one more review app costs between two growth points. */
export interface MarginalCost {
  readonly from: number;
  readonly to: number;
  /** Extra milliseconds per added review app (median totals). */
  readonly totalMsPerApp: number;
  readonly synthMsPerApp: number;
  readonly validateMsPerApp: number;
  /** Extra milliseconds per added review app when the cache holds the smaller point's templates. */
  readonly warmTotalMsPerApp: number;
  readonly resourcesPerApp: number;
  readonly templateBytesOfLargestStackPerApp: number;
}

/** Step 5: how the dev app's synth and validate grow with review apps. */
export interface GrowthResults {
  readonly reviewAppNumbers: string;
  readonly points: GrowthPoint[];
  readonly marginal: MarginalCost[];
  readonly superLinear: boolean | null;
  readonly growthFactor: number | null;
}

/** Step 6: `npm test` without and with caches. */
export interface TestsResults {
  readonly cold: { wallMs: Stats; exitCodes: number[]; cacheHits: number[] };
  readonly warm: { wallMs: Stats; exitCodes: number[]; cacheHits: number[]; tasks: number };
}

/** One row of the targets table. */
export interface TargetRow {
  readonly target: string;
  readonly limit: string;
  readonly measured: string;
  /** null when the figures cannot judge it (growth with two points). */
  readonly pass: boolean | null;
}

/** Everything results.json holds: one section per step that ran. */
export interface Results {
  meta: Record<string, unknown>;
  cold?: ColdResults;
  warm?: WarmResults;
  affected?: AffectedResults;
  overhead?: OverheadResults;
  peers?: PeersResults;
  growth?: GrowthResults;
  tests?: TestsResults;
  targets?: TargetRow[];
  /** Set when a step failed (the steps before it are kept). */
  error?: string;
}

function gitInfo(): { commit?: string; trackedChanges?: number } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: WORKSPACE_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    // --no-optional-locks: read-only, never refreshes the index.
    const status = execFileSync('git', ['--no-optional-locks', 'status', '--porcelain', '--untracked-files=no'], { cwd: WORKSPACE_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { commit, trackedChanges: status.split('\n').filter((l) => l.trim().length > 0).length };
  } catch {
    return {};
  }
}

/**
 * The `meta` section at the start of a run: mode, machine, versions and commit (the elapsed
 * time and the load at the end are added when the run ends).
 *
 * @param started when the run started (epoch ms)
 * @param loadAverage the load average at the start
 * @param ignoredEnv variables of the configuration that were set and are ignored
 */
export function startMeta(options: Options, started: number, loadAverage: readonly number[], ignoredEnv: readonly string[]): Record<string, unknown> {
  return {
    startedAt: new Date(started).toISOString(),
    mode: options.quick ? 'quick' : 'full',
    runs: options.runs,
    growthRuns: options.growthRuns,
    testRuns: options.testRuns,
    growthPoints: options.growth,
    steps: STEPS.filter((s) => options.steps.has(s)),
    node: process.version,
    nx: (JSON.parse(readFileSync(require.resolve('nx/package.json'), 'utf8')) as { version: string }).version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryBytes: os.totalmem(),
    loadAverageAtStart: loadAverage,
    ...gitInfo(),
    ignoredEnv,
  };
}

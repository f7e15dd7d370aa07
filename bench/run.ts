// `npm run bench`: what synth, validation, affected runs and tests cost, and how the cost grows
// with review apps. Prints a table with the targets of the benchmark issue and writes
// bench/results.json. See bench/README.md for what each step measures and how.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assemblyMetrics, type AssemblyMetrics } from './lib/assembly';
import { runMeasured, tail, type CommandResult, type ProcessPeak } from './lib/measure';
import { cacheSummary, isCacheHit, readNxProfile, tasksFromLog, type TaskRecord } from './lib/nx';
import { fmtBytes, fmtKiB, fmtSeconds, fmtStats, stats, type Stats } from './lib/stats';
import { PEERS, type Peer, type PeersResult } from './peers';
import { VARIANTS, type OverheadResult, type SingleResult, type Variant } from './synth-overhead';

const ROOT = path.resolve(__dirname, '..');
const STEPS = ['cold', 'warm', 'affected', 'overhead', 'peers', 'growth', 'tests'] as const;
type Step = (typeof STEPS)[number];

/** The change the affected step pretends to make (nothing is written: Nx is told with --files). */
const AFFECTED_FILE = 'apps/dev/src/main.ts';
/** First review-app number used by the growth step (1..49999 are valid). */
const GROWTH_FIRST_REVIEW_APP = 2001;
/** Marginal cost 10→50 above this multiple of 1→10 is flagged as super-linear. */
const SUPER_LINEAR_FACTOR = 1.25;

const TARGETS = {
  warmMs: 3000,
  affectedShare: 0.35,
  /** Production per process: full ÷ synth-only. */
  overheadRatioPerProcess: 1.8,
  /** Production in one process, result cache off: full − synth-only. */
  pluginColdMs: 500,
  /** Production in one process: CORE with a warm cache ÷ cdk-nag's AwsSolutions, both with synth. */
  warmVsCdkNag: 1.3,
  /** Dev app: extra synth + validate per added review app with a warm result cache. */
  reviewAppWarmMs: 415,
  peakRssBytes: 1.5 * 1024 ** 3,
  growthFactor: SUPER_LINEAR_FACTOR,
};

interface Options {
  readonly quick: boolean;
  readonly runs: number;
  readonly growth: readonly number[];
  readonly growthRuns: number;
  readonly testRuns: number;
  readonly steps: ReadonlySet<Step>;
  readonly out: string;
  readonly keepLogs: boolean;
}

const USAGE = `usage: npm run bench -- [options]

  --quick             1 run each, growth with 1 and 10 review apps, no tests
  --runs N            runs of the cold, warm, affected, overhead and peers steps (default 3; quick 1)
  --growth 1,10,50    review-app counts of the growth step (default 1,10,50; quick 1,10)
  --growth-runs N     runs per growth point (default 1: one 50-app point takes minutes)
  --with-tests        include the npm test step (default in full mode)
  --no-tests          leave it out (default with --quick)
  --test-runs N       cold npm test runs (default 1; the warm runs follow --runs)
  --only a,b          run only these steps: ${STEPS.join(', ')}
  --out FILE          results file (default bench/results.json)
  --keep-logs         keep the command logs (their folder is printed)
`;

function parseOptions(argv: readonly string[]): Options {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}\n${USAGE}`);
    const [key, inline] = a.slice(2).split('=', 2);
    const takesValue = ['runs', 'growth', 'growth-runs', 'test-runs', 'only', 'out'].includes(key);
    if (takesValue) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`--${key} needs a value\n${USAGE}`);
      flags.set(key, value);
    } else if (['quick', 'with-tests', 'no-tests', 'keep-logs', 'help'].includes(key)) {
      flags.set(key, true);
    } else {
      throw new Error(`unknown option --${key}\n${USAGE}`);
    }
  }
  if (flags.has('help')) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const int = (key: string, fallback: number): number => {
    const v = flags.get(key);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${key} must be a positive integer (got ${String(v)})`);
    return n;
  };
  const quick = flags.has('quick');
  const growth = String(flags.get('growth') ?? (quick ? '1,10' : '1,10,50'))
    .split(',')
    .map((n) => Number(n.trim()));
  if (growth.some((n) => !Number.isInteger(n) || n < 1 || n > 100)) throw new Error('--growth takes review-app counts from 1 to 100 (the shared listener holds at most 100)');
  const withTests = flags.has('with-tests') ? true : flags.has('no-tests') ? false : !quick;
  let steps = new Set<Step>(STEPS);
  if (flags.has('only')) {
    const only = String(flags.get('only')).split(',').map((s) => s.trim());
    const unknown = only.filter((s) => !(STEPS as readonly string[]).includes(s));
    if (unknown.length > 0) throw new Error(`--only: unknown step ${unknown.join(', ')} (steps: ${STEPS.join(', ')})`);
    steps = new Set(only as Step[]);
  }
  if (!withTests) steps.delete('tests');
  return {
    quick,
    runs: int('runs', quick ? 1 : 3),
    growth: [...new Set(growth)].sort((a, b) => a - b),
    growthRuns: int('growth-runs', 1),
    testRuns: int('test-runs', 1),
    steps,
    out: path.resolve(String(flags.get('out') ?? path.join(ROOT, 'bench', 'results.json'))),
    keepLogs: flags.has('keep-logs'),
  };
}

// ---------------------------------------------------------------------------------------------
// Running things

let scratch = '';
let logCounter = 0;

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    FORCE_COLOR: '0',
    PATH: [path.dirname(process.execPath), path.join(ROOT, 'node_modules', '.bin'), process.env.PATH ?? ''].join(path.delimiter),
    ...extra,
  };
  // The benchmark measures the default configuration: dev with its two sample review apps.
  for (const name of ['CORE_REVIEW_APPS', 'CORE_CONFIG_FILE', 'NX_SKIP_NX_CACHE', 'NX_DISABLE_NX_CACHE', 'NX_PROFILE']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

function newLogFile(label: string): string {
  return path.join(scratch, `${String(++logCounter).padStart(3, '0')}-${label.replace(/[^\w.-]+/g, '_')}.log`);
}

async function run(label: string, command: string, args: readonly string[], options: { cwd?: string; env?: Record<string, string>; allowFailure?: boolean } = {}): Promise<CommandResult> {
  const result = await runMeasured(command, args, { cwd: options.cwd ?? ROOT, env: childEnv(options.env), logFile: newLogFile(label) });
  if (result.exitCode !== 0 && !options.allowFailure) {
    throw new Error(`${label} failed with exit code ${result.exitCode}:\n${tail(result.logFile)}`);
  }
  return result;
}

/** Absolute path of a workspace binary (node_modules/.bin). */
function bin(name: string): string {
  const file = path.join(ROOT, 'node_modules', '.bin', name);
  if (!existsSync(file)) throw new Error(`${name} is not installed: run npm ci first`);
  return file;
}

interface NxRun {
  readonly result: CommandResult;
  readonly tasks: TaskRecord[];
  readonly cacheHits: number;
}

async function nx(label: string, args: readonly string[], options: { env?: Record<string, string>; allowFailure?: boolean } = {}): Promise<NxRun> {
  const profile = path.join(scratch, `${label}-${++logCounter}.profile.json`);
  // Nx joins NX_PROFILE to its working folder, so it must be relative.
  const result = await run(label, process.execPath, [require.resolve('nx/bin/nx'), ...args, '--outputStyle=static'], {
    env: { ...options.env, NX_PROFILE: path.relative(ROOT, profile) },
    allowFailure: options.allowFailure,
  });
  const logText = readFileSync(result.logFile, 'utf8');
  const tasks = readNxProfile(profile) ?? tasksFromLog(logText);
  const summary = cacheSummary(logText);
  const cacheHits = tasks.length > 0 ? tasks.filter((t) => isCacheHit(t.status)).length : (summary?.hits ?? 0);
  return { result, tasks, cacheHits };
}

/** Command prefix of npm: the npm running this script when there is one, else `npm` on the PATH. */
function npmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath && /npm-cli\.[cm]?js$/.test(execPath)) return [process.execPath, [execPath]];
  return ['npm', []];
}

// ---------------------------------------------------------------------------------------------
// Results

interface TaskSummary {
  readonly id: string;
  readonly durationMs: Stats | null;
  readonly statuses: string[];
}

function summarizeTasks(runs: readonly NxRun[]): TaskSummary[] {
  const ids = [...new Set(runs.flatMap((r) => r.tasks.map((t) => t.id)))].sort();
  return ids.map((id) => {
    const records = runs.flatMap((r) => r.tasks.filter((t) => t.id === id));
    const durations = records.map((t) => t.durationMs).filter((d) => Number.isFinite(d));
    return { id, durationMs: durations.length > 0 ? stats(durations) : null, statuses: [...new Set(records.map((t) => t.status))] };
  });
}

interface PeakSummary {
  readonly bytes: Stats;
  readonly largest?: ProcessPeak;
}

function summarizePeaks(results: readonly CommandResult[]): PeakSummary {
  const largest = results.map((r) => r.largestProcess).filter((p): p is ProcessPeak => p !== undefined).reduce<ProcessPeak | undefined>((a, b) => (!a || b.peakRssBytes > a.peakRssBytes ? b : a), undefined);
  return { bytes: stats(results.map((r) => r.peakRssBytes)), largest };
}

interface Results {
  meta: Record<string, unknown>;
  cold?: { wallMs: Stats; peakRss: PeakSummary; tasks: TaskSummary[] };
  warm?: { wallMs: Stats; cacheHits: string; allHits: boolean; primeCacheHits: string; tasks: TaskSummary[] };
  affected?: { file: string; wallMs: Stats; plannedTasks: string[]; tasksRan: string[]; shareOfCold?: number; peakRss: PeakSummary; tasks: TaskSummary[] };
  overhead?: {
    inProcess: { moduleLoadMs: number; ms: Record<Variant, Stats>; constructMs: Record<Variant, Stats>; ratioAll: number; ratioPlugin: number };
    perProcess: { wallMs: Record<Variant, Stats>; synthMs: Record<Variant, Stats>; peakRss: Record<Variant, PeakSummary>; ratioAll: number; ratioPlugin: number };
  };
  peers?: { ms: Record<Peer, Stats>; rules: Record<Peer, number>; passed: Record<Peer, boolean>; ratioToSynth: Record<Peer, number> };
  growth?: {
    reviewAppNumbers: string;
    points: GrowthPoint[];
    marginal: MarginalCost[];
    superLinear: boolean | null;
    growthFactor: number | null;
  };
  tests?: { cold: { wallMs: Stats; exitCodes: number[]; cacheHits: number[] }; warm: { wallMs: Stats; exitCodes: number[]; cacheHits: number[]; tasks: number } };
  targets?: TargetRow[];
  error?: string;
}

interface GrowthPoint {
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

interface MarginalCost {
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

interface TargetRow {
  readonly target: string;
  readonly limit: string;
  readonly measured: string;
  readonly pass: boolean | null;
}

// ---------------------------------------------------------------------------------------------
// Steps

const NX_APPS_ARGS = ['run-many', '-t', 'synth', 'validate', '--projects=tag:type:app'];

async function stepCold(options: Options, results: Results): Promise<void> {
  const runs: NxRun[] = [];
  for (let i = 1; i <= options.runs; i++) {
    const r = await nx(`cold-${i}`, [...NX_APPS_ARGS, '--skip-nx-cache']);
    log(`cold run ${i}/${options.runs}: ${fmtSeconds(r.result.wallMs)}, largest process ${fmtBytes(r.result.peakRssBytes)}, ${r.tasks.length} tasks ran`);
    runs.push(r);
  }
  results.cold = { wallMs: stats(runs.map((r) => r.result.wallMs)), peakRss: summarizePeaks(runs.map((r) => r.result)), tasks: summarizeTasks(runs) };
}

async function stepWarm(options: Options, results: Results): Promise<void> {
  // Untimed priming run: fills the cache if the cold runs left anything uncached.
  const prime = await nx('warm-prime', NX_APPS_ARGS);
  log(`warm priming run: ${fmtSeconds(prime.result.wallMs)}, ${prime.cacheHits}/${prime.tasks.length} cache hits`);
  const runs: NxRun[] = [];
  for (let i = 1; i <= options.runs; i++) {
    const r = await nx(`warm-${i}`, NX_APPS_ARGS);
    log(`warm run ${i}/${options.runs}: ${fmtSeconds(r.result.wallMs)}, ${r.cacheHits}/${r.tasks.length} cache hits`);
    runs.push(r);
  }
  const hits = runs.map((r) => `${r.cacheHits}/${r.tasks.length}`);
  results.warm = {
    wallMs: stats(runs.map((r) => r.result.wallMs)),
    cacheHits: [...new Set(hits)].join(', '),
    allHits: runs.every((r) => r.tasks.length > 0 && r.cacheHits === r.tasks.length),
    primeCacheHits: `${prime.cacheHits}/${prime.tasks.length}`,
    tasks: summarizeTasks(runs),
  };
}

function plannedAffectedTasks(): string[] {
  const out = execFileSync(process.execPath, [require.resolve('nx/bin/nx'), 'affected', '-t', 'synth', 'validate', `--files=${AFFECTED_FILE}`, '--graph=stdout'], {
    cwd: ROOT,
    env: childEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const graph = JSON.parse(out.slice(out.indexOf('{'))) as { tasks?: { tasks?: Record<string, unknown> } };
  return Object.keys(graph.tasks?.tasks ?? {}).sort();
}

async function stepAffected(options: Options, results: Results): Promise<void> {
  // Nx is told which file changed (--files), so nothing in the workspace is edited; the cache is
  // skipped so the affected tasks really run, as they would after a real change.
  const planned = plannedAffectedTasks();
  log(`affected by a change to ${AFFECTED_FILE}: ${planned.join(', ') || '(nothing)'}`);
  const runs: NxRun[] = [];
  for (let i = 1; i <= options.runs; i++) {
    const r = await nx(`affected-${i}`, ['affected', '-t', 'synth', 'validate', `--files=${AFFECTED_FILE}`, '--skip-nx-cache']);
    log(`affected run ${i}/${options.runs}: ${fmtSeconds(r.result.wallMs)}, ran ${r.tasks.map((t) => t.id).join(', ')}`);
    runs.push(r);
  }
  const wallMs = stats(runs.map((r) => r.result.wallMs));
  results.affected = {
    file: AFFECTED_FILE,
    wallMs,
    plannedTasks: planned,
    tasksRan: [...new Set(runs.flatMap((r) => r.tasks.filter((t) => !isCacheHit(t.status)).map((t) => t.id)))].sort(),
    shareOfCold: results.cold ? wallMs.median / results.cold.wallMs.median : undefined,
    peakRss: summarizePeaks(runs.map((r) => r.result)),
    tasks: summarizeTasks(runs),
  };
}

const OVERHEAD_HELPER = path.join(__dirname, 'synth-overhead.ts');
const TSX_ARGS = ['--conditions=@core-infra/source', '--import', 'tsx'];

function byVariant<T>(make: (v: Variant) => T): Record<Variant, T> {
  return Object.fromEntries(VARIANTS.map((v) => [v, make(v)])) as Record<Variant, T>;
}

async function stepOverhead(options: Options, results: Results): Promise<void> {
  // In one process: warm-up round, then options.runs rounds of all three variants.
  const inProcessFile = path.join(scratch, 'overhead-in-process.json');
  // Cold: the policy result cache is off, so every synth evaluates every template.
  const cold = { CORE_POLICIES_CACHE: 'off' };
  await run('overhead-in-process', process.execPath, [...TSX_ARGS, '--expose-gc', OVERHEAD_HELPER, '--runs', String(options.runs), '--out', inProcessFile], { env: cold });
  const inProcess = JSON.parse(readFileSync(inProcessFile, 'utf8')) as OverheadResult;
  const ms = byVariant((v) => stats(inProcess.runs[v]));
  log(`overhead in one process: ${VARIANTS.map((v) => `${v} ${fmtSeconds(ms[v].median)}`).join(', ')}`);

  // One fresh process per synth, like `cdk synth` runs the app; variants rotate round by round.
  const wall = byVariant<number[]>(() => []);
  const synth = byVariant<number[]>(() => []);
  const procs = byVariant<CommandResult[]>(() => []);
  for (let round = 0; round < options.runs; round++) {
    for (let i = 0; i < VARIANTS.length; i++) {
      const variant = VARIANTS[(i + round) % VARIANTS.length];
      const file = path.join(scratch, `overhead-${variant}-${round}.json`);
      const r = await run(`overhead-${variant}-${round + 1}`, process.execPath, [...TSX_ARGS, OVERHEAD_HELPER, '--variant', variant, '--out', file], { env: cold });
      const single = JSON.parse(readFileSync(file, 'utf8')) as SingleResult;
      wall[variant].push(r.wallMs);
      synth[variant].push(single.constructMs + single.synthMs);
      procs[variant].push(r);
    }
    log(`overhead per process, round ${round + 1}/${options.runs}: ${VARIANTS.map((v) => `${v} ${fmtSeconds(wall[v][round])}`).join(', ')}`);
  }
  const wallMs = byVariant((v) => stats(wall[v]));
  results.overhead = {
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

const PEERS_HELPER = path.join(__dirname, 'peers.ts');

async function stepPeers(options: Options, results: Results): Promise<void> {
  const file = path.join(scratch, 'peers.json');
  await run('peers', process.execPath, [...TSX_ARGS, '--expose-gc', PEERS_HELPER, '--runs', String(options.runs), '--out', file]);
  const peers = JSON.parse(readFileSync(file, 'utf8')) as PeersResult;
  const ms = Object.fromEntries(PEERS.map((p) => [p, stats(peers.runs[p])])) as Record<Peer, Stats>;
  const ratioToSynth = Object.fromEntries(PEERS.map((p) => [p, ms[p].median / ms['synth-only'].median])) as Record<Peer, number>;
  log(`peers in one process: ${PEERS.map((p) => `${p} ${fmtSeconds(ms[p].median)}`).join(', ')}`);
  results.peers = { ms, rules: peers.rules, passed: peers.passed, ratioToSynth };
}

/** The dev app's synth and validate commands, as its Nx targets declare them (validate is a shell command line). */
function devCommands(): { synth: string[]; validate: string } {
  const nxJson = JSON.parse(readFileSync(path.join(ROOT, 'nx.json'), 'utf8')) as { targetDefaults: Record<string, { command?: string }> };
  const devPackage = JSON.parse(readFileSync(path.join(ROOT, 'apps', 'dev', 'package.json'), 'utf8')) as { nx: { targets: Record<string, { options?: { command?: string } }> } };
  const synth = (nxJson.targetDefaults.synth?.command ?? 'cdk synth --quiet').split(/\s+/);
  const validate = devPackage.nx.targets.validate?.options?.command ?? nxJson.targetDefaults.validate?.command ?? '';
  if (synth[0] !== 'cdk' || !validate.startsWith('core-policies ')) throw new Error(`unexpected dev synth/validate commands: ${synth.join(' ')} / ${validate}`);
  return { synth, validate };
}

async function stepGrowth(options: Options, results: Results): Promise<void> {
  // The dev app's own commands, run directly into a scratch folder so that apps/dev/cdk.out
  // (and the Nx cache) keep the default two review apps.
  const commands = devCommands();
  const devDir = path.join(ROOT, 'apps', 'dev');
  const cacheDir = path.join(scratch, 'growth-policy-cache');
  const cold = { CORE_POLICIES_CACHE: 'off' };
  const warm = { CORE_POLICIES_CACHE: 'on', CORE_POLICIES_CACHE_DIR: cacheDir };
  const synthAndValidate = async (label: string, count: number, env: Record<string, string>) => {
    const reviewApps = Array.from({ length: count }, (_, i) => GROWTH_FIRST_REVIEW_APP + i).join(',');
    const work = mkdtempSync(path.join(scratch, `growth-${count}-`));
    const out = path.join(work, 'cdk.out');
    const synth = await run(`${label}-synth`, bin('cdk'), [...commands.synth.slice(1), '-c', `reviewApps=${reviewApps}`, '--output', out], { cwd: devDir, env });
    const validateLine = commands.validate.replace(/(^|\s)cdk\.out(?=\s|$)/, `$1${out}`).replace(/(^|\s)reports(?=\s|$)/, `$1${path.join(work, 'reports')}`);
    const validate = await run(`${label}-validate`, '/bin/sh', ['-c', validateLine], { cwd: devDir, env });
    const assembly = assemblyMetrics(out);
    rmSync(work, { recursive: true, force: true });
    return { synth, validate, assembly };
  };
  const points: GrowthPoint[] = [];
  const steadyWarm = new Map<number, number>();
  for (const [index, count] of options.growth.entries()) {
    const synthRuns: CommandResult[] = [];
    const validateRuns: CommandResult[] = [];
    const warmRuns: number[] = [];
    let assembly: AssemblyMetrics | undefined;
    for (let i = 1; i <= options.growthRuns; i++) {
      const c = await synthAndValidate(`growth-${count}-cold-${i}`, count, cold);
      assembly ??= c.assembly;
      synthRuns.push(c.synth);
      validateRuns.push(c.validate);
      log(`growth ${count} review app(s), run ${i}/${options.growthRuns}: synth ${fmtSeconds(c.synth.wallMs)} + validate ${fmtSeconds(c.validate.wallMs)}, ${c.assembly.totalResources} resources in ${c.assembly.stacks} stacks, synth process ${fmtBytes(c.synth.peakRssBytes)}`);
    }
    // Warm: the cache holds the previous point's templates, so only what the added review apps
    // (and the shared stacks they change) bring is evaluated; the first point is primed by itself.
    if (index === 0) await synthAndValidate(`growth-${count}-prime`, count, warm);
    for (let i = 1; i <= options.growthRuns; i++) {
      const w = await synthAndValidate(`growth-${count}-warm-${i}`, count, warm);
      warmRuns.push(w.synth.wallMs + w.validate.wallMs);
      const steady = await synthAndValidate(`growth-${count}-steady-${i}`, count, warm);
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
  // Super-linear: the last interval costs clearly more per review app than the first one.
  let growthFactor: number | null = null;
  if (marginal.length >= 2 && marginal[0].totalMsPerApp > 0) growthFactor = marginal[marginal.length - 1].totalMsPerApp / marginal[0].totalMsPerApp;
  results.growth = {
    reviewAppNumbers: `${GROWTH_FIRST_REVIEW_APP} upwards`,
    points,
    marginal,
    growthFactor,
    superLinear: growthFactor === null ? null : growthFactor > SUPER_LINEAR_FACTOR,
  };
}

async function stepTests(options: Options, results: Results): Promise<void> {
  const [npm, npmArgs] = npmCommand();
  const jestCache = path.join(ROOT, 'node_modules', '.cache', 'jest');
  const hitsOf = (r: CommandResult): number => cacheSummary(readFileSync(r.logFile, 'utf8'))?.hits ?? -1;
  const cold: CommandResult[] = [];
  for (let i = 1; i <= options.testRuns; i++) {
    rmSync(jestCache, { recursive: true, force: true });
    const r = await run(`tests-cold-${i}`, npm, [...npmArgs, 'test'], { env: { NX_SKIP_NX_CACHE: 'true' }, allowFailure: true });
    log(`npm test cold ${i}/${options.testRuns}: ${fmtSeconds(r.wallMs)} (exit ${r.exitCode})`);
    cold.push(r);
  }
  const warm: CommandResult[] = [];
  for (let i = 1; i <= options.runs; i++) {
    const r = await run(`tests-warm-${i}`, npm, [...npmArgs, 'test'], { allowFailure: true });
    log(`npm test warm ${i}/${options.runs}: ${fmtSeconds(r.wallMs)} (exit ${r.exitCode}, ${hitsOf(r)} cache hits)`);
    warm.push(r);
  }
  const totalTasks = cacheSummary(readFileSync(warm[warm.length - 1].logFile, 'utf8'))?.total ?? -1;
  results.tests = {
    cold: { wallMs: stats(cold.map((r) => r.wallMs)), exitCodes: cold.map((r) => r.exitCode), cacheHits: cold.map(hitsOf) },
    warm: { wallMs: stats(warm.map((r) => r.wallMs)), exitCodes: warm.map((r) => r.exitCode), cacheHits: warm.map(hitsOf), tasks: totalTasks },
  };
}

// ---------------------------------------------------------------------------------------------
// Report

function targetRows(results: Results): TargetRow[] {
  const rows: TargetRow[] = [];
  if (results.warm) {
    rows.push({ target: 'warm run (all cached)', limit: `≤ ${fmtSeconds(TARGETS.warmMs)}`, measured: `${fmtSeconds(results.warm.wallMs.median)}, hits ${results.warm.cacheHits}`, pass: results.warm.wallMs.median <= TARGETS.warmMs && results.warm.allHits });
  }
  if (results.affected?.shareOfCold !== undefined) {
    rows.push({ target: 'affected run (dev-only change)', limit: `≤ ${TARGETS.affectedShare * 100} % of cold`, measured: `${(results.affected.shareOfCold * 100).toFixed(0)} %`, pass: results.affected.shareOfCold <= TARGETS.affectedShare });
  }
  if (results.overhead) {
    const { perProcess, inProcess } = results.overhead;
    const coldPluginMs = inProcess.ms.full.median - inProcess.ms['synth-only'].median;
    rows.push({ target: 'production, one process, cold cache: full − synth-only', limit: `≤ ${fmtSeconds(TARGETS.pluginColdMs)}`, measured: fmtSeconds(coldPluginMs), pass: coldPluginMs <= TARGETS.pluginColdMs });
    rows.push({ target: 'production, per process: full ÷ synth-only', limit: `≤ ${TARGETS.overheadRatioPerProcess}×`, measured: `${perProcess.ratioAll.toFixed(2)}× (plugin alone ${perProcess.ratioPlugin.toFixed(2)}×)`, pass: perProcess.ratioAll <= TARGETS.overheadRatioPerProcess });
  }
  if (results.peers) {
    const ratio = results.peers.ms['core-warm'].median / results.peers.ms['cdk-nag'].median;
    rows.push({ target: 'production, one process: CORE warm ÷ cdk-nag', limit: `≤ ${TARGETS.warmVsCdkNag}×`, measured: `${ratio.toFixed(2)}× (${fmtSeconds(results.peers.ms['core-warm'].median)} vs ${fmtSeconds(results.peers.ms['cdk-nag'].median)})`, pass: ratio <= TARGETS.warmVsCdkNag });
  }
  const peaks: { bytes: number; where: string }[] = [];
  if (results.cold) peaks.push({ bytes: results.cold.peakRss.bytes.max, where: 'cold run' });
  if (results.affected) peaks.push({ bytes: results.affected.peakRss.bytes.max, where: 'affected run' });
  for (const p of results.growth?.points ?? []) peaks.push({ bytes: p.synthPeakRss.bytes.max, where: `dev synth with ${p.reviewApps} review app(s)` });
  if (results.overhead) for (const v of VARIANTS) peaks.push({ bytes: results.overhead.perProcess.peakRss[v].bytes.max, where: `production synth (${v})` });
  if (peaks.length > 0) {
    const top = peaks.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    rows.push({ target: 'peak memory per synth process', limit: `≤ ${fmtBytes(TARGETS.peakRssBytes)}`, measured: `${fmtBytes(top.bytes)} (${top.where})`, pass: top.bytes <= TARGETS.peakRssBytes });
  }
  if (results.growth) {
    const g = results.growth;
    const m = g.marginal;
    const measured = m.length === 0 ? 'n/a (one point)' : m.map((x) => `${x.from}→${x.to}: ${fmtSeconds(x.totalMsPerApp)}/app`).join(', ') + (g.growthFactor !== null ? ` (×${g.growthFactor.toFixed(2)})` : ' (needs 3 points to judge)');
    rows.push({ target: 'marginal cost per review app', limit: `last ≤ ${SUPER_LINEAR_FACTOR}× first`, measured, pass: g.superLinear === null ? null : !g.superLinear });
    if (m.length > 0) {
      const first = m[0].warmTotalMsPerApp;
      rows.push({ target: 'one more review app, warm result cache', limit: `≤ ${fmtSeconds(TARGETS.reviewAppWarmMs)}`, measured: m.map((x) => `${x.from}→${x.to}: ${fmtSeconds(x.warmTotalMsPerApp)}/app`).join(', '), pass: first <= TARGETS.reviewAppWarmMs });
    }
  }
  return rows;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function report(results: Results): string {
  const out: string[] = [];
  const s = (x: Stats) => fmtStats(x, fmtSeconds);
  const rows: string[][] = [];
  if (results.cold) {
    const c = results.cold;
    rows.push(['1 cold run (no cache)', 'wall', s(c.wallMs)]);
    rows.push(['', 'largest process', `${fmtStats(c.peakRss.bytes, fmtBytes)}${c.peakRss.largest ? ` — ${c.peakRss.largest.command}` : ''}`]);
    for (const t of c.tasks) if (t.durationMs) rows.push(['', `  ${t.id}`, s(t.durationMs)]);
  }
  if (results.warm) {
    const w = results.warm;
    rows.push(['2 warm run (cache on)', 'wall', s(w.wallMs)]);
    rows.push(['', 'cache hits', `${w.cacheHits}${w.allHits ? ' (all)' : ' (NOT all)'}; priming run ${w.primeCacheHits}`]);
  }
  if (results.affected) {
    const a = results.affected;
    rows.push(['3 affected run', 'wall', `${s(a.wallMs)}${a.shareOfCold !== undefined ? ` = ${(a.shareOfCold * 100).toFixed(0)} % of cold` : ''}`]);
    rows.push(['', 'tasks that ran', a.tasksRan.join(', ') || '(none)']);
  }
  if (results.overhead) {
    const { inProcess, perProcess } = results.overhead;
    for (const v of VARIANTS) {
      rows.push([v === 'full' ? '4 production synth' : '', `${v}, per process`, `${s(perProcess.wallMs[v])} (app ${fmtSeconds(perProcess.synthMs[v].median)}, ${fmtBytes(perProcess.peakRss[v].bytes.max)})`]);
    }
    for (const v of VARIANTS) rows.push(['', `${v}, in one process`, s(inProcess.ms[v])]);
    rows.push(['', 'ratio full ÷ synth-only', `${perProcess.ratioAll.toFixed(2)}× per process, ${inProcess.ratioAll.toFixed(2)}× in one process`]);
    rows.push(['', 'ratio full ÷ no-plugin', `${perProcess.ratioPlugin.toFixed(2)}× per process, ${inProcess.ratioPlugin.toFixed(2)}× in one process`]);
  }
  if (results.peers) {
    const p = results.peers;
    for (const peer of PEERS) {
      rows.push([peer === 'synth-only' ? '4b peers, production, one process' : '', peer, `${s(p.ms[peer])} = ${p.ratioToSynth[peer].toFixed(2)}× synth-only · ${p.rules[peer]} rules${p.passed[peer] ? '' : ' · reported violations'}`]);
    }
  }
  if (results.tests) {
    const t = results.tests;
    rows.push(['6 npm test', 'cold (no Nx/jest cache)', `${s(t.cold.wallMs)}${t.cold.exitCodes.some((c) => c !== 0) ? ` FAILED (exit ${t.cold.exitCodes.join(',')})` : ''}`]);
    rows.push(['', 'warm', `${s(t.warm.wallMs)}, cache hits ${t.warm.cacheHits.join(',')}/${t.warm.tasks}${t.warm.exitCodes.some((c) => c !== 0) ? ` FAILED (exit ${t.warm.exitCodes.join(',')})` : ''}`]);
  }
  if (rows.length > 0) out.push(table(['step', 'metric', 'median (min–max)'], rows));

  if (results.growth) {
    const g = results.growth;
    out.push('');
    out.push(`5 growth: dev app, synth + validate with N review apps (${g.points[0] ? g.points[0].synthMs.values.length : 0} run(s) per point)`);
    out.push(
      table(
        ['N', 'synth', 'validate', 'total', 'total, warm cache', 'synth RSS', 'stacks', 'resources', 'shared', 'largest stack (resources)', 'largest template'],
        g.points.map((p) => [
          String(p.reviewApps),
          s(p.synthMs),
          s(p.validateMs),
          s(p.totalMs),
          s(p.warmTotalMs),
          fmtBytes(p.synthPeakRss.bytes.max),
          String(p.assembly.stacks),
          String(p.assembly.totalResources),
          String(p.assembly.sharedResources),
          `${path.basename(p.assembly.largestStack.template, '.template.json')} (${p.assembly.largestStack.resources}, ${fmtKiB(p.assembly.largestStack.bytes)})`,
          `${fmtKiB(p.assembly.largestTemplate.bytes)}`,
        ]),
      ),
    );
    if (g.marginal.length > 0) {
      out.push('');
      out.push(
        table(
          ['marginal per review app', 'total', 'synth', 'validate', 'total, warm cache', 'resources', 'largest template'],
          g.marginal.map((m) => [`${m.from}→${m.to}`, fmtSeconds(m.totalMsPerApp), fmtSeconds(m.synthMsPerApp), fmtSeconds(m.validateMsPerApp), fmtSeconds(m.warmTotalMsPerApp), m.resourcesPerApp.toFixed(1), `${m.templateBytesOfLargestStackPerApp >= 0 ? '+' : ''}${m.templateBytesOfLargestStackPerApp.toFixed(0)} B`]),
        ),
      );
      if (g.superLinear) out.push(`SUPER-LINEAR: the last interval costs ${g.growthFactor!.toFixed(2)}× the first per review app (limit ${SUPER_LINEAR_FACTOR}×)`);
    }
  }

  const targets = results.targets ?? [];
  if (targets.length > 0) {
    out.push('');
    out.push('targets');
    out.push(table(['target', 'limit', 'measured', ''], targets.map((t) => [t.target, t.limit, t.measured, t.pass === null ? '-' : t.pass ? 'PASS' : 'MISS'])));
  }
  return out.join('\n');
}

function gitInfo(): { commit?: string; trackedChanges?: number } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    // --no-optional-locks: read-only, never refreshes the index.
    const status = execFileSync('git', ['--no-optional-locks', 'status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { commit, trackedChanges: status.split('\n').filter((l) => l.trim().length > 0).length };
  } catch {
    return {};
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  scratch = mkdtempSync(path.join(os.tmpdir(), 'core-bench-'));
  const onSignal = (signal: NodeJS.Signals) => {
    if (!options.keepLogs) rmSync(scratch, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const started = Date.now();
  const loadBefore = os.loadavg();
  const cores = os.cpus().length;
  const ignoredEnv = ['CORE_REVIEW_APPS', 'CORE_CONFIG_FILE'].filter((n) => process.env[n] !== undefined);
  const results: Results = {
    meta: {
      startedAt: new Date(started).toISOString(),
      mode: options.quick ? 'quick' : 'full',
      runs: options.runs,
      growthRuns: options.growthRuns,
      testRuns: options.testRuns,
      growthPoints: options.growth,
      steps: STEPS.filter((s) => options.steps.has(s)),
      node: process.version,
      nx: (JSON.parse(readFileSync(require.resolve('nx/package.json'), 'utf8')) as { version: string }).version,
      cpus: cores,
      cpuModel: os.cpus()[0]?.model,
      memoryBytes: os.totalmem(),
      loadAverageAtStart: loadBefore,
      ...gitInfo(),
      ignoredEnv,
    },
  };
  log(`mode ${options.quick ? 'quick' : 'full'}: steps ${STEPS.filter((s) => options.steps.has(s)).join(', ')}; ${options.runs} run(s) each, growth ${options.growth.join('/')} × ${options.growthRuns}`);
  if (ignoredEnv.length > 0) log(`ignoring ${ignoredEnv.join(', ')}: the benchmark measures the default configuration`);
  if (loadBefore[0] > cores * 0.5) log(`the machine is busy (load ${loadBefore[0].toFixed(1)} on ${cores} cores): timings will be noisy`);

  const stepFns: Record<Step, (o: Options, r: Results) => Promise<void>> = {
    cold: stepCold,
    warm: stepWarm,
    affected: stepAffected,
    overhead: stepOverhead,
    peers: stepPeers,
    growth: stepGrowth,
    tests: stepTests,
  };
  let failure: unknown;
  try {
    for (const step of STEPS) {
      if (!options.steps.has(step)) continue;
      const t0 = Date.now();
      log(`── ${step}`);
      await stepFns[step](options, results);
      log(`${step} took ${fmtSeconds(Date.now() - t0)}`);
    }
  } catch (error) {
    failure = error;
    results.error = (error as Error).message;
  } finally {
    const elapsed = Date.now() - started;
    results.meta.elapsedMs = elapsed;
    results.meta.loadAverageAtEnd = os.loadavg();
    results.targets = targetRows(results);
    mkdirSync(path.dirname(options.out), { recursive: true });
    writeFileSync(options.out, JSON.stringify(results, null, 2) + '\n');
    if (options.keepLogs) log(`logs kept in ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
    const text = report(results);
    if (text) process.stdout.write(`\n${text}\n\n`);
    process.stdout.write(`bench: ${options.quick ? 'quick' : 'full'} mode, ${fmtSeconds(elapsed)} in all; load average ${loadBefore[0].toFixed(1)} → ${os.loadavg()[0].toFixed(1)} on ${cores} cores; results in ${path.relative(process.cwd(), options.out) || options.out}\n`);
  }
  if (failure) {
    process.stderr.write(`bench failed: ${(failure as Error).message}\n`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 1;
});

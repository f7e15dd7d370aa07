// `npm run bench`: what synth, validation, affected runs and tests cost, and how the cost grows
// with review apps. Prints a table with the targets of the benchmark issue and writes
// bench/results.json. See bench/README.md for what each step measures and how.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CommanderError } from 'commander';
import { CommandRunner, log } from './lib/runner';
import { fmtSeconds } from './lib/stats';
import { parseOptions, STEPS, type Options, type Step } from './options';
import { report } from './report/report';
import { targetRows } from './report/targets';
import { startMeta, type Results } from './results';
import { STEP_RUNS, type StepContext } from './steps';

async function runStep<S extends Step>(step: S, context: StepContext, results: Results): Promise<void> {
  results[step] = await STEP_RUNS[step](context);
}

async function bench(options: Options): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'core-bench-'));
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
  const results: Results = { meta: startMeta(options, started, loadBefore, ignoredEnv) };
  const steps = STEPS.filter((s) => options.steps.has(s));
  log(`mode ${options.quick ? 'quick' : 'full'}: steps ${steps.join(', ')}; ${options.runs} run(s) each, growth ${options.growth.join('/')} × ${options.growthRuns}`);
  if (ignoredEnv.length > 0) log(`ignoring ${ignoredEnv.join(', ')}: the benchmark measures the default configuration`);
  if (loadBefore[0] > cores * 0.5) log(`the machine is busy (load ${loadBefore[0].toFixed(1)} on ${cores} cores): timings will be noisy`);

  const context: StepContext = { options, runner: new CommandRunner(scratch), results };
  let failure: unknown;
  try {
    for (const step of steps) {
      const t0 = Date.now();
      log(`── ${step}`);
      await runStep(step, context, results);
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

async function main(): Promise<void> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2), { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Commander has printed the help or its one-line reason.
    process.exitCode = error.exitCode;
    return;
  }
  await bench(options);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 1;
});

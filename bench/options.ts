// The command line of `npm run bench`: what to measure and how often (see bench/README.md).
import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';

/** The steps of the benchmark, in the order they run. */
export const STEPS = ['cold', 'warm', 'affected', 'overhead', 'peers', 'growth', 'tests'] as const;
/** One step of the benchmark. */
export type Step = (typeof STEPS)[number];

/** The shared ALB listener of dev holds at most this many review apps. */
const MAX_REVIEW_APPS = 100;

/** What one benchmark run measures, with the defaults of its mode resolved. */
export interface Options {
  /** Quick mode: 1 run each, growth with 1 and 10 review apps, no tests. */
  readonly quick: boolean;
  /** Runs of the cold, warm, affected, overhead and peers steps, and warm test runs. */
  readonly runs: number;
  /** Review-app counts of the growth step, ascending, without repeats. */
  readonly growth: readonly number[];
  /** Runs per growth point. */
  readonly growthRuns: number;
  /** Cold `npm test` runs. */
  readonly testRuns: number;
  /** The steps to run (`tests` only when tests are on). */
  readonly steps: ReadonlySet<Step>;
  /** Absolute path of the results file. */
  readonly out: string;
  /** Keep the command logs instead of deleting their folder. */
  readonly keepLogs: boolean;
}

/** Where the command line's help and errors go (tests capture them). */
export interface OptionsOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The flags as commander reads them, before the defaults of the mode are applied. */
interface Flags {
  readonly quick?: true;
  readonly runs?: number;
  readonly growth?: number[];
  readonly growthRuns?: number;
  readonly withTests?: true;
  /** false only when --no-tests is given. */
  readonly tests: boolean;
  readonly testRuns?: number;
  readonly only?: Step[];
  readonly out?: string;
  readonly keepLogs?: true;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('It must be a positive integer.');
  return n;
}

function reviewAppCounts(value: string): number[] {
  const counts = value.split(',').map((part) => part.trim());
  const bad = counts.filter((count) => !/^\d+$/.test(count) || Number(count) < 1 || Number(count) > MAX_REVIEW_APPS);
  if (bad.length > 0) {
    throw new InvalidArgumentError(`Review-app counts go from 1 to ${MAX_REVIEW_APPS} (the shared listener holds at most ${MAX_REVIEW_APPS}); not ${bad.map((count) => `'${count}'`).join(', ')}.`);
  }
  return counts.map(Number);
}

function stepList(value: string): Step[] {
  const steps = value.split(',').map((part) => part.trim());
  const unknown = steps.filter((step) => !(STEPS as readonly string[]).includes(step));
  if (unknown.length > 0) throw new InvalidArgumentError(`Unknown step ${unknown.map((step) => `'${step}'`).join(', ')}; the steps are ${STEPS.join(', ')}.`);
  return steps as Step[];
}

/**
 * The `npm run bench` command line. Commander prints the help, and every error as one line
 * naming the flag and the value; with `exitOverride` it then throws a `CommanderError`.
 *
 * @param output where help and errors go
 */
function benchCommand(output: OptionsOutput): Command {
  return new Command('npm run bench --')
    .usage('[options]')
    .option('--quick', '1 run each, growth with 1 and 10 review apps, no tests')
    .option('--runs <N>', 'runs of the cold, warm, affected, overhead and peers steps (default 3; quick 1)', positiveInteger)
    .option('--growth <1,10,50>', 'review-app counts of the growth step (default 1,10,50; quick 1,10)', reviewAppCounts)
    .option('--growth-runs <N>', 'runs per growth point (default 1: one 50-app point takes minutes)', positiveInteger)
    .option('--with-tests', 'include the npm test step (default in full mode)')
    .option('--no-tests', 'leave it out (default with --quick)')
    .option('--test-runs <N>', 'cold npm test runs (default 1; the warm runs follow --runs)', positiveInteger)
    .option('--only <a,b>', `run only these steps: ${STEPS.join(', ')}`, stepList)
    .option('--out <FILE>', 'results file (default bench/results.json)')
    .option('--keep-logs', 'keep the command logs (their folder is printed)')
    .allowExcessArguments(true)
    // One line per option, whatever the terminal's width.
    .configureHelp({ helpWidth: 200 })
    .exitOverride()
    .configureOutput({
      writeOut: output.stdout,
      writeErr: output.stderr,
      // One line: commander puts "(Did you mean --quick?)" on a line of its own.
      outputError: (message, write) => write(`bench: ${message.replace(/^error: /, '').trimEnd().replace(/\n/g, ' ')}\n`),
    });
}

/**
 * Reads the command line and resolves the defaults of the mode.
 *
 * @param argv the arguments after `npm run bench --`
 * @param output where help and errors go
 * @throws CommanderError after printing the help (exit code 0) or a one-line error (exit code 1)
 */
export function parseOptions(argv: readonly string[], output: OptionsOutput): Options {
  const command = benchCommand(output).parse([...argv], { from: 'user' });
  if (command.args.length > 0) command.error(`unexpected argument '${command.args[0]}': every option starts with --`);
  const flags = command.opts<Flags>();
  const quick = flags.quick === true;
  // --with-tests wins over --no-tests; with neither, tests run in full mode only.
  const withTests = flags.withTests === true || (flags.tests && !quick);
  const steps = new Set<Step>(flags.only ?? STEPS);
  if (!withTests) steps.delete('tests');
  return {
    quick,
    runs: flags.runs ?? (quick ? 1 : 3),
    growth: [...new Set(flags.growth ?? (quick ? [1, 10] : [1, 10, 50]))].sort((a, b) => a - b),
    growthRuns: flags.growthRuns ?? 1,
    testRuns: flags.testRuns ?? 1,
    steps,
    out: path.resolve(flags.out ?? path.join(__dirname, 'results.json')),
    keepLogs: flags.keepLogs === true,
  };
}

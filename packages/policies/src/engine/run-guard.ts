import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { PolicyEngineError, resolveGuardBinary } from './guard-binary';

/** What one cfn-guard run evaluates. */
export interface GuardRunOptions {
  /** Absolute paths of the `.guard` rule files to evaluate. */
  readonly ruleFiles: readonly string[];
  /** Absolute paths of JSON CloudFormation templates. */
  readonly templateFiles: readonly string[];
  /**
   * Path of the cfn-guard binary.
   *
   * @default - the binary bundled with `@cdklabs/cdk-validator-cfnguard`
   */
  readonly binary?: string;
  /**
   * How many cfn-guard processes evaluate the templates at once.
   *
   * @default - `CORE_POLICIES_GUARD_PROCESSES`, else the machine's cores (at most 4)
   */
  readonly processes?: number;
}

/** cfn-guard's structured result for one data file, as emitted by `--structured`. */
export interface GuardFileResult {
  /** Path of the evaluated template, as given to cfn-guard. */
  readonly name: string;
  /** `PASS`, `FAIL` or `SKIP`. */
  readonly status: string;
  /** One entry per rule that failed on this file. */
  readonly not_compliant: readonly unknown[];
  /** Names of the rules that passed on this file. */
  readonly compliant?: readonly string[];
  /** Names of the rules that did not apply to this file. */
  readonly not_applicable?: readonly string[];
}

// Output of a large assembly with many findings runs to tens of megabytes; the default
// 1 MB buffer made the stock plugin crash with ENOBUFS.
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

/** One cfn-guard process: rule files and the templates it evaluates with them. */
export interface GuardJob {
  /** Absolute paths of the `.guard` rule files. */
  readonly ruleFiles: readonly string[];
  /** Absolute paths of JSON templates. */
  readonly templateFiles: readonly string[];
}

/**
 * Runs cfn-guard once over every rule file and template, and fails closed: any outcome other
 * than "evaluated every template with every rule" raises {@link PolicyEngineError}.
 *
 * cfn-guard exits 0 when everything passes and 19 when a rule fails. It reports a rule file that
 * does not parse only on stderr (and still exits 19 when other rules ran), and it skips a data
 * file it cannot parse with exit 0, so both stderr and the set of reported files are checked.
 *
 * @returns one result per template, in the order of `templateFiles`
 */
export function runGuard(options: GuardRunOptions): GuardFileResult[] {
  if (options.ruleFiles.length === 0) {
    throw new PolicyEngineError('no guard rule files to evaluate: the rule set is empty, which would pass every template');
  }
  const templateFiles = options.templateFiles.map((t) => path.resolve(t));
  // cfn-guard evaluates templates one after another on one core; the benchmark showed it is
  // most of the policy cost, so the templates are split over the machine's cores.
  const chunks = splitIntoChunks(templateFiles, guardProcessCount(options.processes, templateFiles.length));
  const byName = runGuardJobs(
    chunks.map((chunk) => ({ ruleFiles: options.ruleFiles, templateFiles: chunk })),
    { binary: options.binary, processes: chunks.length },
  );
  return templateFiles.map((template) => {
    const fileResult = byName.get(template);
    if (!fileResult) {
      throw new PolicyEngineError(`cfn-guard did not report on ${template}: the template was not evaluated`);
    }
    return fileResult;
  });
}

/**
 * Runs cfn-guard jobs, at most `processes` at a time, and fails closed like {@link runGuard}.
 * The caller checks that every template it expects has a result.
 *
 * @returns the results by template path as cfn-guard reports it (absolute)
 */
export function runGuardJobs(jobs: readonly GuardJob[], options: { readonly binary?: string; readonly processes?: number } = {}): Map<string, GuardFileResult> {
  const byName = new Map<string, GuardFileResult>();
  const work = jobs.filter((job) => job.templateFiles.length > 0);
  if (work.length === 0) return byName;
  if (work.some((job) => job.ruleFiles.length === 0)) {
    throw new PolicyEngineError('no guard rule files to evaluate: the rule set is empty, which would pass every template');
  }
  const binary = resolveGuardBinary(options.binary);
  const argLists = work.map((job) => [
    'validate', '--output-format', 'json', '--show-summary', 'none', '--structured',
    ...job.ruleFiles.flatMap((rule) => ['--rules', rule]),
    ...job.templateFiles.flatMap((t) => ['--data', path.resolve(t)]),
  ]);
  for (const outcome of runProcesses(binary, argLists, guardProcessCount(options.processes, argLists.length))) {
    for (const entry of parseOutcome(binary, outcome)) byName.set(entry.name, entry);
  }
  return byName;
}

/** How one cfn-guard process ended. */
interface ProcessOutcome {
  readonly status: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: string;
}

function parseOutcome(binary: string, outcome: ProcessOutcome): GuardFileResult[] {
  if (outcome.error) {
    throw new PolicyEngineError(`cfn-guard could not run (${binary}): ${outcome.error}`);
  }
  const stderr = outcome.stderr.trim();
  if (outcome.status !== 0 && outcome.status !== 19) {
    throw new PolicyEngineError(`cfn-guard failed with exit code ${outcome.status ?? `signal ${outcome.signal}`}: ${firstLines(stderr || outcome.stdout)}`);
  }
  if (stderr.length > 0) {
    throw new PolicyEngineError(`cfn-guard reported errors, so some rules were not evaluated: ${firstLines(stderr)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(outcome.stdout);
  } catch (error) {
    throw new PolicyEngineError(`cfn-guard printed output that is not JSON (${(error as Error).message}): ${firstLines(outcome.stdout)}`);
  }
  if (!Array.isArray(parsed)) {
    throw new PolicyEngineError('cfn-guard output is not a list of file results');
  }
  for (const entry of parsed as GuardFileResult[]) {
    if (typeof entry?.name !== 'string' || !Array.isArray(entry.not_compliant)) {
      throw new PolicyEngineError('cfn-guard output has a file result without a name or a not_compliant list');
    }
    if (outcome.status === 0 && entry.not_compliant.length > 0) {
      throw new PolicyEngineError(`cfn-guard exited 0 but reported violations for ${entry.name}`);
    }
  }
  return parsed as GuardFileResult[];
}

/** Environment variable that sets how many cfn-guard processes run at once. */
export const GUARD_PROCESSES_ENV = 'CORE_POLICIES_GUARD_PROCESSES';

function guardProcessCount(requested: number | undefined, work: number): number {
  const fromEnv = Number(process.env[GUARD_PROCESSES_ENV]);
  const wanted = requested ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.min(os.availableParallelism(), 4));
  return Math.max(1, Math.min(wanted, work));
}

function splitIntoChunks<T>(items: readonly T[], count: number): T[][] {
  const chunks: T[][] = Array.from({ length: count }, () => []);
  items.forEach((item, index) => chunks[index % count].push(item));
  return chunks;
}

// CDK calls validation plugins synchronously, so concurrent processes are started by a small
// Node.js child that waits for all of them and prints their outcomes as one JSON document.
const PARALLEL_RUNNER = `
const { spawn } = require('node:child_process');
const [binary, argLists, limit] = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const run = (args) => new Promise((resolve) => {
  const child = spawn(binary, args);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  child.on('error', (error) => resolve({ status: null, signal: null, stdout, stderr, error: error.message }));
  child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
});
const outcomes = [];
let next = 0;
const worker = async () => { while (next < argLists.length) { const i = next++; outcomes[i] = await run(argLists[i]); } };
Promise.all(Array.from({ length: limit }, worker)).then(() => process.stdout.write(JSON.stringify(outcomes)));
`;

function runProcesses(binary: string, argLists: readonly string[][], limit: number): ProcessOutcome[] {
  if (argLists.length === 1 || limit === 1) {
    return argLists.map((args) => runOne(binary, args));
  }
  // The job list goes in on stdin: as one argument it exceeds the kernel's 128 KiB limit (E2BIG)
  // for large assemblies with many rule files.
  const result = spawnSync(process.execPath, ['-e', PARALLEL_RUNNER], { input: JSON.stringify([binary, argLists, limit]), encoding: 'utf8', maxBuffer: MAX_OUTPUT_BYTES });
  if (result.status !== 0 || result.error) {
    throw new PolicyEngineError(`the cfn-guard runner failed (${result.error?.message ?? `exit ${result.status}`}): ${firstLines(result.stderr ?? '')}`);
  }
  try {
    return JSON.parse(result.stdout) as ProcessOutcome[];
  } catch (error) {
    throw new PolicyEngineError(`the cfn-guard runner printed output that is not JSON: ${(error as Error).message}`);
  }
}

function runOne(binary: string, args: readonly string[]): ProcessOutcome {
  const result = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: MAX_OUTPUT_BYTES });
  return { status: result.status, signal: result.signal, stdout: result.stdout ?? '', stderr: result.stderr ?? '', error: result.error?.message };
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 5).join(' | ').slice(0, 1000);
}

import { spawnSync } from 'node:child_process';
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
}

/** cfn-guard's structured result for one data file, as emitted by `--structured`. */
export interface GuardFileResult {
  /** Path of the evaluated template, as given to cfn-guard. */
  readonly name: string;
  /** `PASS`, `FAIL` or `SKIP`. */
  readonly status: string;
  /** One entry per rule that failed on this file. */
  readonly not_compliant: readonly unknown[];
}

// Output of a large assembly with many findings runs to tens of megabytes; the default
// 1 MB buffer made the stock plugin crash with ENOBUFS.
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

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
  if (options.templateFiles.length === 0) {
    return [];
  }
  const binary = resolveGuardBinary(options.binary);
  const args = ['validate', '--output-format', 'json', '--show-summary', 'none', '--structured'];
  for (const rule of options.ruleFiles) args.push('--rules', rule);
  const templateFiles = options.templateFiles.map((t) => path.resolve(t));
  for (const template of templateFiles) args.push('--data', template);

  const result = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: MAX_OUTPUT_BYTES });
  if (result.error) {
    throw new PolicyEngineError(`cfn-guard could not run (${binary}): ${result.error.message}`);
  }
  const stderr = result.stderr.trim();
  if (result.status !== 0 && result.status !== 19) {
    throw new PolicyEngineError(`cfn-guard failed with exit code ${result.status ?? `signal ${result.signal}`}: ${firstLines(stderr || result.stdout)}`);
  }
  if (stderr.length > 0) {
    throw new PolicyEngineError(`cfn-guard reported errors, so some rules were not evaluated: ${firstLines(stderr)}`);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch (error) {
    throw new PolicyEngineError(`cfn-guard printed output that is not JSON (${(error as Error).message}): ${firstLines(result.stdout)}`);
  }
  if (!Array.isArray(parsed)) {
    throw new PolicyEngineError('cfn-guard output is not a list of file results');
  }
  const byName = new Map<string, GuardFileResult>();
  for (const entry of parsed as GuardFileResult[]) {
    if (typeof entry?.name !== 'string' || !Array.isArray(entry.not_compliant)) {
      throw new PolicyEngineError('cfn-guard output has a file result without a name or a not_compliant list');
    }
    byName.set(entry.name, entry);
  }
  return templateFiles.map((template) => {
    const fileResult = byName.get(template);
    if (!fileResult) {
      throw new PolicyEngineError(`cfn-guard did not report on ${template}: the template was not evaluated`);
    }
    if (result.status === 0 && fileResult.not_compliant.length > 0) {
      throw new PolicyEngineError(`cfn-guard exited 0 but reported violations for ${template}`);
    }
    return fileResult;
  });
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 5).join(' | ').slice(0, 1000);
}

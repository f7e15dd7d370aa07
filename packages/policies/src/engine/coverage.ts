import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ENGINE_CHECK_IDS, engineFinding } from './engine-checks';
import type { Finding } from './finding';
import type { GuardFileResult } from './run-guard';

/** A rule file the engine runs, with what it must prove it evaluated. */
export interface RuleFileToRun {
  /** Absolute path of the `.guard` file. */
  readonly path: string;
  /** Id the catalogue (or the Control Tower decisions) gives the file's rule. */
  readonly id?: string;
  /** Rule name the catalogue says the file declares. */
  readonly requiredName?: string;
  /**
   * Resource types the rule reports on: a template with none of them is not evaluated with the
   * file (its rules are not applicable there).
   *
   * @default - none: the file runs on every template
   */
  readonly resourceTypes?: readonly string[];
}

const declaredCache = new Map<string, readonly string[]>();

/**
 * Names of the rules a guard file declares that cfn-guard reports on: every `rule NAME` that takes
 * no parameters (parameterised rules are helpers that only run when called), each name once.
 *
 * @param ruleFile absolute path of a `.guard` file
 */
export function declaredRuleNames(ruleFile: string): readonly string[] {
  let names = declaredCache.get(ruleFile);
  if (!names) {
    const text = readFileSync(ruleFile, 'utf8');
    names = [...new Set([...text.matchAll(/^[ \t]*rule[ \t]+([A-Za-z_]\w*)\b(?![ \t]*\()/gm)].map((m) => m[1]))];
    declaredCache.set(ruleFile, names);
  }
  return names;
}

/** Every rule name cfn-guard reported for one template, whatever the outcome. */
export function reportedRuleNames(result: GuardFileResult): Set<string> {
  const names = new Set<string>([...(result.compliant ?? []), ...(result.not_applicable ?? [])]);
  for (const entry of result.not_compliant) {
    const name = (entry as { Rule?: { name?: unknown } } | null)?.Rule?.name;
    if (typeof name === 'string') names.add(name);
  }
  return names;
}

/** What {@link coverageFindings} proved about one template. */
export interface CoverageResult {
  /** One `CORE.ENGINE.2` finding per rule file that was not fully evaluated. */
  readonly findings: Finding[];
  /** Paths of the rule files that were not fully evaluated (their rules do not count as run). */
  readonly incomplete: Set<string>;
}

/**
 * Proves that every rule of every rule file was evaluated on a template: one finding per rule
 * file that declares no rule, lost the rule the catalogue names, or has a rule cfn-guard did not
 * report. Fails closed on output without the `compliant`/`not_applicable` lists.
 *
 * A rule file pruned from the template (none of its resource types occurs in it) is not expected
 * in cfn-guard's report, but must still declare its rules.
 *
 * @param result cfn-guard's result for the template
 * @param ruleFiles the rule files of the rule set
 * @param templatePath the template as findings show it
 * @param pruned paths of the rule files left out for this template
 * @returns the findings and the rule files that were not fully evaluated
 */
export function coverageFindings(result: GuardFileResult, ruleFiles: readonly RuleFileToRun[], templatePath: string, pruned: ReadonlySet<string> = new Set()): CoverageResult {
  const reported = reportedRuleNames(result);
  const findings: Finding[] = [];
  const incomplete = new Set<string>();
  for (const file of ruleFiles) {
    const problem = fileProblem(file, pruned.has(file.path) ? undefined : reported);
    if (!problem) continue;
    incomplete.add(file.path);
    findings.push(engineFinding(ENGINE_CHECK_IDS.ruleCoverage, templatePath, `${path.basename(file.path)}${file.id ? ` (${file.id})` : ''} ${problem}`));
  }
  return { findings, incomplete };
}

function fileProblem(file: RuleFileToRun, reported: ReadonlySet<string> | undefined): string | undefined {
  const declared = declaredRuleNames(file.path);
  if (declared.length === 0) return 'declares no rule, so it checks nothing';
  if (file.requiredName && !declared.includes(file.requiredName)) {
    return `no longer declares its rule ${file.requiredName} (it declares ${declared.join(', ')})`;
  }
  if (!reported) return undefined;
  const missing = declared.filter((name) => !reported.has(name));
  if (missing.length > 0) return `has rules cfn-guard did not report on this template: ${missing.join(', ')}`;
  return undefined;
}

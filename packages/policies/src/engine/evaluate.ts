import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { coreRulesDirectory, RULE_CATALOGUE } from '../catalogue';
import { evaluateRiskRules, riskRulesForProfile } from '../risks';
import type { PolicyProfile } from '../catalogue/types';
import { applyAcknowledgements, type AcknowledgeableRules } from './acknowledgements';
import { enabledControlTowerRules } from './control-tower';
import { coreRuleMetadata } from './core-rules';
import { coverageFindings, declaredRuleNames, type RuleFileToRun } from './coverage';
import { ENGINE_CHECK_IDS, ENGINE_CHECKS, engineFinding, MAX_RESOURCES_PER_STACK, MAX_TEMPLATE_BYTES } from './engine-checks';
import type { AcknowledgedFinding, Finding } from './finding';
import { guardBinaryInfo } from './guard-binary';
import { evaluateWithGuard } from './guard-plan';
import { parseGuardFileResult, type RuleDescriptor, type RuleLookup } from './guard-output';
import { defaultResultCache, GuardResultCache } from './result-cache';

/** A CloudFormation template on disk, already parsed. */
export interface TemplateFile {
  /** Absolute path of the JSON template that cfn-guard reads. */
  readonly path: string;
  /** The parsed template. */
  readonly template: unknown;
  /** Size of the template as deployed, in bytes. */
  readonly sizeBytes: number;
  /**
   * Path to show in findings, when it differs from `path` (e.g. a YAML source converted to JSON).
   *
   * @default - `path`
   */
  readonly displayPath?: string;
  /**
   * The account the stack deploys into, when the synthesizer wrote it literally (a stack with an
   * explicit `env`): resource policies may name it like `AWS::AccountId`.
   *
   * @default - unknown: only `Ref: AWS::AccountId` counts as the template's own account
   */
  readonly account?: string;
  /**
   * The stack's construct metadata file in the cloud assembly, from which reports take each
   * resource's source location.
   *
   * @default - none: findings are located in the template only
   */
  readonly metadataPath?: string;
}

/** Options of {@link evaluateTemplates}. */
export interface EvaluateOptions {
  /** The policy profile whose rules run. */
  readonly profile: PolicyProfile;
  /**
   * Whether CORE's own guard rules run (turn off to run only `extraRuleFiles`).
   *
   * @default true
   */
  readonly coreRules?: boolean;
  /**
   * Whether the Control Tower rules recorded as enabled in the decisions table run too.
   *
   * @default true
   */
  readonly controlTowerRules?: boolean;
  /**
   * Extra `.guard` rule files to run (their findings are reported with the rule name as id
   * unless their messages carry an id).
   *
   * @default - none
   */
  readonly extraRuleFiles?: readonly string[];
  /**
   * Path of the cfn-guard binary.
   *
   * @default - the bundled binary
   */
  readonly guardBinary?: string;
  /**
   * Pass when there is no template at all instead of raising `CORE.ENGINE.4`.
   *
   * @default false
   */
  readonly allowEmpty?: boolean;
  /**
   * Accounts a resource policy or role trust may name besides the template's own: the accounts
   * the environment config declares (CORE.RESPOL.2).
   *
   * @default - none: only the template's own account and AWS service accounts
   */
  readonly trustedAccounts?: readonly string[];
  /**
   * What to name in the `CORE.ENGINE.4` finding when there is nothing to check.
   *
   * @default '(no templates)'
   */
  readonly inputLabel?: string;
  /**
   * Whether cfn-guard's results are kept in and taken from the result cache: `true`/`false`, or
   * a cache to use. Acknowledgements, risk rules and the coverage proof run either way.
   *
   * @default - on, unless `CORE_POLICIES_CACHE=off` or in CI (see {@link defaultResultCache})
   */
  readonly cache?: boolean | GuardResultCache;
  /**
   * Whether a template is evaluated only with the rule files whose resource types it contains.
   *
   * @default true
   */
  readonly pruneRules?: boolean;
  /**
   * Whether a template's rule files are merged into as few cfn-guard inputs as keep rule names unique.
   *
   * @default true
   */
  readonly mergeRuleFiles?: boolean;
}

/** What an evaluation found, after the templates' own acknowledgements were applied. */
export interface Evaluation {
  /** Open findings: any of them fails the check. */
  readonly findings: readonly Finding[];
  /** Findings acknowledged in their template with a reason. */
  readonly acknowledged: readonly AcknowledgedFinding[];
  /** Ids of the rules proven evaluated on every template (engine checks included), in run order. */
  readonly rulesRun: readonly string[];
  /** How many templates' cfn-guard results came from the result cache. */
  readonly templatesFromCache: number;
}

/**
 * Reads a JSON template from disk for {@link evaluateTemplates}.
 *
 * @param path absolute path of a JSON template
 */
export function loadTemplateFile(path: string): TemplateFile {
  const text = readFileSync(path, 'utf8');
  return { path, template: JSON.parse(text), sizeBytes: Buffer.byteLength(text) };
}

/**
 * Evaluates templates against the profile's guard rules (cfn-guard, in parallel processes; each
 * template with the rule files its resource types call for, merged; unchanged templates from the
 * result cache) and the engine's own checks, proves every rule ran on every template, then
 * applies the acknowledgements written in the templates. Fails closed: an engine problem throws
 * `PolicyEngineError` instead of returning no findings, and an empty input is a finding.
 *
 * @returns the open and acknowledged findings, sorted by template, rule and logical id, and the rules that ran
 */
export function evaluateTemplates(templates: readonly TemplateFile[], options: EvaluateOptions): Evaluation {
  const ruleFiles = ruleFilesToRun(options);
  if (templates.length === 0) {
    const findings = options.allowEmpty
      ? []
      : [engineFinding(ENGINE_CHECK_IDS.somethingChecked, options.inputLabel ?? '(no templates)', 'there is no template to check: the input holds no stacks')];
    return { findings, acknowledged: [], rulesRun: [], templatesFromCache: 0 };
  }
  const guard = guardBinaryInfo(options.guardBinary);
  const cache = options.cache instanceof GuardResultCache ? options.cache : defaultResultCache(options.cache);
  const { results, pruned, fromCache } = evaluateWithGuard({
    ruleFiles,
    templates: templates.map((t) => ({ path: path.resolve(t.path), template: t.template })),
    binary: guard.path,
    guardVersion: guard.version,
    prune: options.pruneRules ?? true,
    merge: options.mergeRuleFiles ?? true,
    cache,
  });
  const lookup = ruleLookup();
  const riskRules = (options.coreRules ?? true) ? riskRulesForProfile(options.profile) : [];
  const trusted = options.trustedAccounts ?? [];
  const raw: Finding[] = [];
  const incomplete = new Set<string>();
  templates.forEach((file, index) => {
    const display = file.displayPath ?? file.path;
    for (const finding of parseGuardFileResult(results[index], file.template, lookup)) raw.push({ ...finding, templatePath: display });
    const coverage = coverageFindings(results[index], ruleFiles, display, pruned[index]);
    const riskContext = { profile: options.profile, trustedAccounts: new Set(file.account ? [...trusted, file.account] : trusted) };
    raw.push(...evaluateRiskRules(file.template, display, riskRules, riskContext));
    raw.push(...coverage.findings, ...limitFindings(file, display));
    coverage.incomplete.forEach((f) => incomplete.add(f));
  });
  const rulesRun = [...ruleFiles.filter((f) => !incomplete.has(f.path)).flatMap((f) => (f.id ? [f.id] : declaredRuleNames(f.path))), ...riskRules.map((r) => r.id), ...ENGINE_CHECKS.map((c) => c.id)];
  const { open, acknowledged } = applyAcknowledgements(raw, templates, acknowledgeableRules(rulesRun, raw, lookup));
  return { findings: sortFindings(open), acknowledged: sortFindings(acknowledged), rulesRun, templatesFromCache: fromCache };
}

function ruleFilesToRun(options: EvaluateOptions): RuleFileToRun[] {
  const files: RuleFileToRun[] = [];
  if (options.coreRules ?? true) {
    const directory = coreRulesDirectory();
    for (const rule of RULE_CATALOGUE.filter((r) => r.profile === 'baseline' || options.profile === 'production')) {
      files.push({ path: path.join(directory, rule.file), id: rule.id, requiredName: rule.ruleName, resourceTypes: rule.resourceTypes });
    }
  }
  if (options.controlTowerRules ?? true) files.push(...enabledControlTowerRules().map((rule) => ({ path: rule.path, id: rule.id, resourceTypes: rule.resourceTypes })));
  files.push(...(options.extraRuleFiles ?? []).map((file) => ({ path: path.resolve(file) })));
  return files;
}

function acknowledgeableRules(rulesRun: readonly string[], findings: readonly Finding[], lookup: RuleLookup): AcknowledgeableRules {
  const index = new Map<string, RuleDescriptor>();
  const ran = new Set(rulesRun);
  for (const rule of coreRuleMetadata().filter((r) => ran.has(r.id))) {
    const descriptor = lookup(rule.id);
    if (descriptor) index.set(rule.id, descriptor).set(rule.ruleName, descriptor);
  }
  for (const id of rulesRun) {
    const descriptor = lookup(id);
    if (descriptor) index.set(id, descriptor);
  }
  // Rules of extra rule files are known only by what they reported.
  for (const finding of findings) {
    const descriptor = index.get(finding.ruleId) ?? { id: finding.ruleId, severity: finding.severity, source: finding.source };
    index.set(finding.ruleId, descriptor).set(finding.ruleName, descriptor);
  }
  for (const id of rulesRun) if (!index.has(id)) index.set(id, { id, severity: 'high', source: 'core' });
  return { resolve: (key) => index.get(key), names: [...index.keys()] };
}

function sortFindings<T extends Finding>(findings: T[]): T[] {
  return findings.sort(
    (a, b) => a.templatePath.localeCompare(b.templatePath) || a.ruleId.localeCompare(b.ruleId) || (a.logicalId ?? '').localeCompare(b.logicalId ?? ''),
  );
}

function limitFindings(file: TemplateFile, displayPath: string): Finding[] {
  const findings: Finding[] = [];
  if (file.sizeBytes > MAX_TEMPLATE_BYTES) {
    findings.push(engineFinding(ENGINE_CHECK_IDS.templateSize, displayPath, `template is ${file.sizeBytes} bytes, above CloudFormation's limit of ${MAX_TEMPLATE_BYTES} bytes`));
  }
  const resources = (file.template as { Resources?: Record<string, unknown> })?.Resources ?? {};
  const count = Object.keys(resources).length;
  if (count > MAX_RESOURCES_PER_STACK) {
    findings.push(engineFinding(ENGINE_CHECK_IDS.resourceCount, displayPath, `stack has ${count} resources, above CloudFormation's limit of ${MAX_RESOURCES_PER_STACK}`));
  }
  return findings;
}

let cachedLookup: RuleLookup | undefined;

/** Finds rule metadata (CORE catalogue, engine checks, enabled Control Tower rules) by id or rule name. */
export function ruleLookup(): RuleLookup {
  if (!cachedLookup) {
    const index = new Map<string, RuleDescriptor>();
    for (const rule of coreRuleMetadata()) {
      const descriptor: RuleDescriptor = { id: rule.id, severity: rule.severity, source: ENGINE_CHECKS.includes(rule) ? 'engine' : 'core' };
      index.set(rule.id, descriptor);
      index.set(rule.ruleName, descriptor);
    }
    for (const rule of enabledControlTowerRules()) {
      index.set(rule.id, { id: rule.id, severity: rule.severity, source: 'control-tower' });
    }
    cachedLookup = (key) => index.get(key);
  }
  return cachedLookup;
}

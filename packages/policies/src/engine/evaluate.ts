import { readFileSync } from 'node:fs';
import { ruleFilesForProfile, RULE_CATALOGUE } from '../catalogue';
import { enabledControlTowerRules } from './control-tower';
import type { PolicyProfile } from '../catalogue/types';
import { ENGINE_CHECKS, MAX_RESOURCES_PER_STACK, MAX_TEMPLATE_BYTES } from './engine-checks';
import type { Finding } from './finding';
import { parseGuardFileResult, type RuleDescriptor, type RuleLookup } from './guard-output';
import { runGuard } from './run-guard';

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
 * Evaluates templates against the profile's guard rules (one cfn-guard run for all of them)
 * and the engine's own limit checks. Fails closed: an engine problem throws
 * `PolicyEngineError` instead of returning no findings.
 *
 * @returns every finding, sorted by template, rule and logical id
 */
export function evaluateTemplates(templates: readonly TemplateFile[], options: EvaluateOptions): Finding[] {
  const ruleFiles = (options.coreRules ?? true) ? [...ruleFilesForProfile(options.profile)] : [];
  if (options.controlTowerRules ?? true) ruleFiles.push(...enabledControlTowerRules().map((rule) => rule.path));
  ruleFiles.push(...(options.extraRuleFiles ?? []));

  const results = runGuard({ ruleFiles, templateFiles: templates.map((t) => t.path), binary: options.guardBinary });
  const lookup = ruleLookup();
  const findings: Finding[] = [];
  templates.forEach((file, index) => {
    const display = file.displayPath ?? file.path;
    for (const finding of parseGuardFileResult(results[index], file.template, lookup)) {
      findings.push({ ...finding, templatePath: display });
    }
    findings.push(...limitFindings(file, display));
  });
  return findings.sort(
    (a, b) => a.templatePath.localeCompare(b.templatePath) || a.ruleId.localeCompare(b.ruleId) || (a.logicalId ?? '').localeCompare(b.logicalId ?? ''),
  );
}

function limitFindings(file: TemplateFile, displayPath: string): Finding[] {
  const findings: Finding[] = [];
  const [sizeCheck, countCheck] = ENGINE_CHECKS;
  if (file.sizeBytes > MAX_TEMPLATE_BYTES) {
    findings.push(engineFinding(sizeCheck, displayPath, `template is ${file.sizeBytes} bytes, above CloudFormation's limit of ${MAX_TEMPLATE_BYTES} bytes`));
  }
  const resources = (file.template as { Resources?: Record<string, unknown> })?.Resources ?? {};
  const count = Object.keys(resources).length;
  if (count > MAX_RESOURCES_PER_STACK) {
    findings.push(engineFinding(countCheck, displayPath, `stack has ${count} resources, above CloudFormation's limit of ${MAX_RESOURCES_PER_STACK}`));
  }
  return findings;
}

function engineFinding(check: (typeof ENGINE_CHECKS)[number], templatePath: string, message: string): Finding {
  return {
    ruleId: check.id,
    ruleName: check.ruleName,
    severity: check.severity,
    message,
    fix: check.remediation,
    templatePath,
    locations: [],
    source: 'engine',
  };
}

let cachedLookup: RuleLookup | undefined;

/** Finds rule metadata (CORE catalogue, engine checks, enabled Control Tower rules) by id or rule name. */
export function ruleLookup(): RuleLookup {
  if (!cachedLookup) {
    const index = new Map<string, RuleDescriptor>();
    for (const rule of [...RULE_CATALOGUE, ...ENGINE_CHECKS]) {
      const descriptor: RuleDescriptor = { id: rule.id, severity: rule.severity, source: rule.file.startsWith('engine:') ? 'engine' : 'core' };
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

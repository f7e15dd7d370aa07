import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { PolicyProfile } from '../catalogue/types';
import { evaluateTemplates, type TemplateFile } from '../engine/evaluate';
import type { Finding } from '../engine/finding';
import { loadTemplateInputs } from '../engine/template-loader';
import { listAssemblyStacks } from '../engine/assembly';
import { CORE_POLICIES_PLUGIN_NAME, CorePoliciesPlugin, PLUGIN_RUN_FILE, type PluginRunRecord } from '../plugin/core-policies-plugin';
import { describeTemplates, rulesForProfile, type AcknowledgedFinding, type PolicyReport } from './policy-report';

/** Options of {@link checkTemplates}. */
export interface CheckOptions {
  /** A cloud assembly folder and/or JSON or YAML template files. */
  readonly inputs: readonly string[];
  /**
   * Which rules run.
   *
   * @default 'baseline'
   */
  readonly profile?: PolicyProfile;
  /**
   * Fail unless each input assembly was synthesized with the core-policies plugin in this
   * profile (CORE's own apps use this, so removing the plugin from an app cannot go unnoticed).
   *
   * @default false
   */
  readonly requirePlugin?: boolean;
  /**
   * Path of the cfn-guard binary.
   *
   * @default - the bundled binary
   */
  readonly guardBinary?: string;
  /**
   * Pass when the inputs hold no template at all (by default an empty assembly fails: an app
   * that synthesized nothing by mistake must not validate green).
   *
   * @default false
   */
  readonly allowEmpty?: boolean;
}

interface CdkValidationReport {
  readonly pluginReports?: readonly {
    readonly pluginName: string;
    readonly conclusion?: string;
    readonly metadata?: Record<string, string>;
    readonly suppressedViolations?: readonly SuppressedViolation[];
  }[];
}

interface SuppressedViolation {
  readonly ruleName: string;
  readonly reason?: string;
  readonly acknowledgedAt?: string;
  readonly violatingConstructs?: readonly { readonly cloudFormationResource?: { readonly logicalId?: string; readonly templatePath?: string } }[];
}

/**
 * Evaluates templates and returns the report. Acknowledgements recorded at synthesis in an
 * assembly's `validation-report.json` are honoured: a matching finding moves to
 * `acknowledged` with its reason, and nothing else does.
 *
 * @throws TemplateInputError for unreadable input; PolicyEngineError when the engine cannot run
 */
export function checkTemplates(options: CheckOptions): PolicyReport {
  const profile = options.profile ?? 'baseline';
  const templates = loadTemplateInputs(options.inputs);
  const findings = evaluateTemplates(templates, { profile, guardBinary: options.guardBinary });
  const errors: string[] = [];
  const acknowledgements: { ack: SuppressedViolation; templateDir: string }[] = [];
  for (const input of options.inputs) {
    const dir = path.resolve(input);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
    const reportFile = path.join(dir, 'validation-report.json');
    const report: CdkValidationReport | undefined = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : undefined;
    const plugin = report?.pluginReports?.find((r) => r.pluginName === CORE_POLICIES_PLUGIN_NAME);
    if (options.requirePlugin) errors.push(...pluginRunProblems(input, dir, profile));
    for (const ack of plugin?.suppressedViolations ?? []) acknowledgements.push({ ack, templateDir: dir });
  }
  const { open, acknowledged } = applyAcknowledgements(findings, templates, acknowledgements);
  return {
    tool: { name: CORE_POLICIES_PLUGIN_NAME, version: new CorePoliciesPlugin().version },
    profile,
    templates: describeTemplates(templates),
    rules: rulesForProfile(profile),
    findings: open,
    acknowledged,
    errors,
  };
}

function applyAcknowledgements(
  findings: readonly Finding[],
  templates: readonly TemplateFile[],
  acknowledgements: readonly { ack: SuppressedViolation; templateDir: string }[],
): { open: Finding[]; acknowledged: AcknowledgedFinding[] } {
  const open: Finding[] = [];
  const acknowledged: AcknowledgedFinding[] = [];
  const displayed = new Set(templates.map((t) => path.resolve(t.displayPath ?? t.path)));
  for (const finding of findings) {
    const match = acknowledgements.find(({ ack, templateDir }) =>
      ack.ruleName === finding.ruleId &&
      (ack.violatingConstructs ?? []).some(({ cloudFormationResource: resource }) => {
        const templatePath = resource?.templatePath ? path.resolve(templateDir, resource.templatePath) : undefined;
        return resource?.logicalId === finding.logicalId && templatePath !== undefined && displayed.has(templatePath) && templatePath === path.resolve(finding.templatePath);
      }),
    );
    if (match) acknowledged.push({ ...finding, reason: match.ack.reason ?? '', acknowledgedAt: match.ack.acknowledgedAt });
    else open.push(finding);
  }
  return { open, acknowledged };
}

function pluginRunProblems(input: string, dir: string, profile: PolicyProfile): string[] {
  const runFile = path.join(dir, PLUGIN_RUN_FILE);
  if (!existsSync(runFile)) {
    return [`${input} was synthesized without the ${CORE_POLICIES_PLUGIN_NAME} plugin (no ${PLUGIN_RUN_FILE}): register it with applyCorePolicies(app, { profile: '${profile}' })`];
  }
  const run = JSON.parse(readFileSync(runFile, 'utf8')) as PluginRunRecord;
  if (run.profile !== profile) return [`${input} was validated at synthesis with profile ${run.profile}, not ${profile}: use the same profile in the app and in check`];
  const validated = new Set(run.templates);
  return listAssemblyStacks(dir)
    .filter((stack) => !validated.has(stack.relativeTemplatePath))
    .map((stack) => `${stack.displayName} (${stack.relativeTemplatePath}) was not validated by the ${CORE_POLICIES_PLUGIN_NAME} plugin at synthesis`);
}

/** Whether a report passes: no open findings and no engine errors. */
export function reportPassed(report: PolicyReport): boolean {
  return report.findings.length === 0 && report.errors.length === 0;
}

import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { PolicyProfile } from '../catalogue/types';
import { listAssemblyStacks, readJsonFile } from '../engine/assembly';
import { ENGINE_CHECK_IDS, engineFinding } from '../engine/engine-checks';
import { evaluateTemplates } from '../engine/evaluate';
import type { Finding } from '../engine/finding';
import { guardBinaryInfo } from '../engine/guard-binary';
import { loadTemplateInputs } from '../engine/template-loader';
import { CORE_POLICIES_PLUGIN_NAME, CorePoliciesPlugin, PLUGIN_RUN_FILE, type PluginRunRecord } from '../plugin/core-policies-plugin';
import { describeTemplates, rulesForProfile, type PolicyReport, type ReportTemplate } from './policy-report';
import { findSourceRoot, resourceSourceLocations } from './source-locations';
import type { TemplateFile } from '../engine/evaluate';

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
  /**
   * Accounts resource policies and role trusts may name besides each template's own
   * (CORE.RESPOL.2): the accounts the environment config declares.
   *
   * @default - none
   */
  readonly trustedAccounts?: readonly string[];
  /**
   * `false` evaluates every template with cfn-guard instead of taking unchanged ones from the
   * result cache.
   *
   * @default - the cache is on unless `CORE_POLICIES_CACHE=off` or in CI
   */
  readonly cache?: boolean;
  /**
   * Folder that source locations in the report are relative to.
   *
   * @default - the repository root above the working folder (the nearest folder with `.git`)
   */
  readonly sourceRoot?: string;
}

/**
 * Evaluates templates and returns the report. Acknowledgements are read from the templates
 * alone (each resource's `Metadata.guard.SuppressedRules`), exactly as the CDK plugin reads
 * them: no file beside the templates (CDK's `validation-report.json`, the plugin's run record)
 * can hide a finding, because anyone can write one.
 *
 * @throws TemplateInputError for unreadable input; PolicyEngineError when the engine cannot run
 */
export function checkTemplates(options: CheckOptions): PolicyReport {
  const profile = options.profile ?? 'baseline';
  const guard = guardBinaryInfo(options.guardBinary);
  const templates = loadTemplateInputs(options.inputs);
  const evaluation = evaluateTemplates(templates, {
    profile,
    guardBinary: guard.path,
    allowEmpty: options.allowEmpty,
    trustedAccounts: options.trustedAccounts,
    inputLabel: options.inputs.join(' '),
    cache: options.cache,
  });
  const stackProblems = options.requirePlugin ? options.inputs.filter(isFolder).flatMap((input) => pluginRunProblems(input, profile)) : [];
  const rulesRun = new Set(evaluation.rulesRun);
  const findings = [...evaluation.findings, ...stackProblems];
  return {
    tool: { name: CORE_POLICIES_PLUGIN_NAME, version: new CorePoliciesPlugin().version, guard: { version: guard.version, source: guard.source } },
    profile,
    templatesFromCache: evaluation.templatesFromCache,
    templates: withSourceLocations(describeTemplates(templates), templates, [...findings, ...evaluation.acknowledged], options.sourceRoot ?? findSourceRoot()),
    rules: rulesForProfile(profile).filter((rule) => rulesRun.has(rule.id)),
    findings,
    acknowledged: evaluation.acknowledged,
    errors: [],
  };
}

// Only resources with a finding are located: their stacks' metadata files are read, no others.
function withSourceLocations(described: ReportTemplate[], files: readonly TemplateFile[], findings: readonly Finding[], sourceRoot: string): ReportTemplate[] {
  return described.map((template, index) => {
    const metadataPath = files[index].metadataPath;
    const logicalIds = new Set(findings.filter((f) => f.templatePath === template.path && f.logicalId !== undefined).map((f) => f.logicalId as string));
    if (metadataPath === undefined || logicalIds.size === 0) return template;
    const sources = resourceSourceLocations(metadataPath, logicalIds, sourceRoot);
    return sources.size === 0 ? template : { ...template, sources: Object.fromEntries(sources) };
  });
}

function isFolder(input: string): boolean {
  const dir = path.resolve(input);
  return existsSync(dir) && statSync(dir).isDirectory();
}

// Both directions: a stack the plugin never saw was not validated at synthesis, and a stack the
// plugin saw that the manifest no longer lists was taken out of the assembly afterwards.
function pluginRunProblems(input: string, profile: PolicyProfile): Finding[] {
  const dir = path.resolve(input);
  const runFile = path.join(dir, PLUGIN_RUN_FILE);
  const problem = (message: string, fix?: string) => engineFinding(ENGINE_CHECK_IDS.stackCoverage, input, message, fix ? { fix } : {});
  if (!existsSync(runFile)) {
    return [
      problem(`${input} was synthesized without the ${CORE_POLICIES_PLUGIN_NAME} plugin (no ${PLUGIN_RUN_FILE})`, `register it with applyCorePolicies(app, { profile: '${profile}' }) and synthesize again`),
    ];
  }
  const run = readJsonFile(runFile, `${CORE_POLICIES_PLUGIN_NAME} plugin run record`) as Partial<PluginRunRecord> | null;
  if (!run || !Array.isArray(run.templates)) return [problem(`${runFile} is not a ${CORE_POLICIES_PLUGIN_NAME} run record (it has no templates list)`)];
  if (run.profile !== profile) {
    return [problem(`${input} was validated at synthesis with profile ${String(run.profile)}, not ${profile}`, 'use the same profile in the app and in check')];
  }
  const manifestStacks = listAssemblyStacks(dir);
  const inManifest = new Set(manifestStacks.map((stack) => stack.relativeTemplatePath));
  const validated = new Set(run.templates);
  return [
    ...manifestStacks
      .filter((stack) => !validated.has(stack.relativeTemplatePath))
      .map((stack) => problem(`${stack.displayName} (${stack.relativeTemplatePath}) was not validated by the ${CORE_POLICIES_PLUGIN_NAME} plugin at synthesis`)),
    ...[...validated]
      .filter((template) => !inManifest.has(template))
      .map((template) => problem(`${template} was validated at synthesis but manifest.json no longer lists its stack: the assembly was edited after synthesis`)),
  ];
}

/** Whether a report passes: no open findings and no engine errors. */
export function reportPassed(report: PolicyReport): boolean {
  return report.findings.length === 0 && report.errors.length === 0;
}

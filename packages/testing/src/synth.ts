import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { CORE_POLICIES_PLUGIN_NAME, CorePoliciesPlugin, listAssemblyStacks, PLUGIN_RUN_FILE, type PluginRunRecord, type PolicyProfile } from '@core-infra/policies';
import type { IConstruct } from 'constructs';

/** Options of {@link synthesizeWithPolicies}. */
export interface SynthesizeOptions {
  /**
   * Policy profile to validate with.
   *
   * @default 'baseline'
   */
  readonly profile?: PolicyProfile;
  /**
   * Accounts the construct under test grants on purpose (the workload accounts a registry
   * serves, the CI account a role trusts): CORE.RESPOL.2 accepts them besides the stack's own.
   *
   * @default - none
   */
  readonly trustedAccounts?: readonly string[];
}

/** A policy finding as CDK's validation report records it. */
export interface ReportedFinding {
  /** Rule id, e.g. `CORE.S3.1`. */
  readonly ruleId: string;
  /** What is wrong. */
  readonly description: string;
  /** How to fix it. */
  readonly fix?: string;
  /** Severity CDK recorded (`error` or `fatal`). */
  readonly severity?: string;
  /** Logical id of the resource. */
  readonly logicalId?: string;
  /** Construct path of the resource. */
  readonly constructPath?: string;
  /** Template path relative to the assembly. */
  readonly templatePath?: string;
}

/** An acknowledged finding and why it was accepted. */
export interface ReportedAcknowledgement extends ReportedFinding {
  /** The reason written with the acknowledgement. */
  readonly reason: string;
}

/** What synthesizing through the policy plugin produced. */
export interface PolicySynthesis {
  /** The cloud assembly (when synthesis got that far). */
  readonly assembly?: CloudAssembly;
  /** Templates by stack artifact id (stacks of nested stages included). */
  readonly templates: Readonly<Record<string, unknown>>;
  /** Open findings of every plugin (CORE's and CDK's built-in CloudFormation validation). */
  readonly findings: readonly ReportedFinding[];
  /** Acknowledged findings. */
  readonly acknowledged: readonly ReportedAcknowledgement[];
  /** Plugins that failed to run at all, with their error. */
  readonly pluginFailures: readonly string[];
}

interface ValidationReportJson {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly metadata?: Record<string, string>;
    readonly violations: readonly ViolationJson[];
    readonly suppressedViolations?: readonly (ViolationJson & { reason?: string })[];
  }[];
}

interface ViolationJson {
  readonly ruleName: string;
  readonly description: string;
  readonly suggestedFix?: string;
  readonly severity?: string;
  readonly violatingResources?: readonly { resourceLogicalId?: string; constructPath?: string; templatePath?: string }[];
  readonly violatingConstructs?: readonly { constructPath?: string; cloudFormationResource?: { logicalId?: string; templatePath?: string } }[];
}

const synthesized = new WeakMap<App, PolicySynthesis>();

/**
 * Synthesizes the app that holds `scope` with the CORE policy plugin (added once per app in the
 * requested profile) and returns the templates plus every finding, instead of throwing on the
 * first failure. Repeated calls for the same app reuse the first synthesis.
 *
 * @param scope a Stack, Stage or App; the whole app is synthesized
 * @param options the policy profile and the accounts the construct grants on purpose
 */
export function synthesizeWithPolicies(scope: IConstruct, options: SynthesizeOptions = {}): PolicySynthesis {
  const app = rootApp(scope);
  const cached = synthesized.get(app);
  if (cached) return cached;
  const profile = options.profile ?? 'baseline';
  if (!hasCorePolicies(app)) Validations.of(app).addPlugins(new CorePoliciesPlugin({ profile, trustedAccounts: options.trustedAccounts }));

  let assembly: CloudAssembly | undefined;
  let synthError: unknown;
  try {
    // force: an earlier Template.fromStack synthesized without validation and CDK caches that.
    assembly = app.synth({ force: true });
  } catch (error) {
    synthError = error;
  }
  const reportFile = path.join(app.outdir, 'validation-report.json');
  if (!existsSync(reportFile)) {
    if (synthError) throw synthError;
    throw new Error(`synthesis wrote no ${reportFile}: the validation plugins did not run`);
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as ValidationReportJson;
  const findings: ReportedFinding[] = [];
  const acknowledged: ReportedAcknowledgement[] = [];
  const pluginFailures: string[] = [];
  for (const plugin of report.pluginReports) {
    if (plugin.metadata?.error) pluginFailures.push(`${plugin.pluginName}: ${plugin.metadata.error}`);
    for (const violation of plugin.violations) findings.push(...flatten(violation));
    for (const violation of plugin.suppressedViolations ?? []) {
      for (const finding of flatten(violation)) acknowledged.push({ ...finding, reason: violation.reason ?? '' });
    }
  }
  // CDK leaves the core-policies plugin's own acknowledgements (read from the templates) out of
  // its report; the plugin lists them in its run record.
  const runFile = path.join(app.outdir, PLUGIN_RUN_FILE);
  if (existsSync(runFile)) {
    const run = JSON.parse(readFileSync(runFile, 'utf8')) as PluginRunRecord;
    for (const ack of run.acknowledged ?? []) {
      acknowledged.push({ ruleId: ack.ruleId, description: '', logicalId: ack.logicalId, constructPath: ack.constructPath, templatePath: ack.templatePath, reason: ack.reason });
    }
  }
  // Read templates from disk: a failed validation throws before CDK returns the assembly.
  const templates: Record<string, unknown> = {};
  for (const stack of listAssemblyStacks(app.outdir)) templates[stack.artifactId] = JSON.parse(readFileSync(stack.templatePath, 'utf8'));
  const result: PolicySynthesis = { assembly, templates, findings, acknowledged, pluginFailures };
  synthesized.set(app, result);
  return result;
}

/**
 * Asserts that the app holding `scope` passes the CORE policies: no open finding, no plugin
 * failure and, unless allowed, no acknowledgement either (construct defaults must pass on their
 * own). The error lists every finding with its resource and fix.
 *
 * @param scope a Stack, Stage or App
 * @param options profile and whether acknowledged findings are tolerated
 */
export function expectToPassPolicies(scope: IConstruct, options: SynthesizeOptions & { readonly allowAcknowledgements?: boolean } = {}): void {
  const problems = policyProblems(scope, options);
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

/**
 * Lists why `scope` does not pass the CORE policies, one line per problem (empty when it passes).
 *
 * @param scope a Stack, Stage or App
 * @param options profile and whether acknowledged findings are tolerated
 */
export function policyProblems(scope: IConstruct, options: SynthesizeOptions & { readonly allowAcknowledgements?: boolean } = {}): string[] {
  const result = synthesizeWithPolicies(scope, options);
  const problems = [
    ...result.pluginFailures.map((failure) => `plugin failed: ${failure}`),
    ...result.findings.map((f) => `${f.ruleId} ${f.description} — ${f.constructPath ?? f.logicalId ?? '(template)'}${f.fix ? ` (fix: ${f.fix})` : ''}`),
  ];
  if (!options.allowAcknowledgements) {
    problems.push(...result.acknowledged.map((a) => `acknowledged ${a.ruleId} at ${a.constructPath ?? a.logicalId ?? '(template)'} (${a.reason}): defaults must pass without acknowledgements`));
  }
  return problems;
}

/** The App at the root of a construct tree. */
export function rootApp(scope: IConstruct): App {
  const root = scope.node.root;
  if (!App.isApp(root)) {
    throw new Error(`${scope.node.path || 'scope'} is not inside an App: create stacks with createTestStack() or inside a new App()`);
  }
  return root;
}

function hasCorePolicies(app: App): boolean {
  // Environment apps register the plugin themselves; adding a second one would report every
  // finding twice. CDK keeps a stage's plugins in this field (read-only use).
  const plugins = (app as unknown as { _validationPlugins?: { name: string }[] })._validationPlugins ?? [];
  return plugins.some((p) => p.name === CORE_POLICIES_PLUGIN_NAME);
}

function flatten(violation: ViolationJson): ReportedFinding[] {
  const resources = [
    ...(violation.violatingResources ?? []).map((r) => ({ logicalId: r.resourceLogicalId, constructPath: r.constructPath, templatePath: r.templatePath })),
    ...(violation.violatingConstructs ?? []).map((c) => ({ logicalId: c.cloudFormationResource?.logicalId, constructPath: c.constructPath, templatePath: c.cloudFormationResource?.templatePath })),
  ];
  const base = { ruleId: violation.ruleName, description: violation.description, fix: violation.suggestedFix, severity: violation.severity };
  return resources.length > 0 ? resources.map((r) => ({ ...base, ...r })) : [base];
}

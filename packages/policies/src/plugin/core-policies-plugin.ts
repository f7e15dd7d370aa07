import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  App,
  CfnResource,
  Stack,
  Stage,
  Token,
  Validations,
  type IPolicyValidationContext,
  type IPolicyValidationPlugin,
  type PolicyValidationPluginReport,
  type PolicyViolation,
} from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { RULE_CATALOGUE } from '../catalogue';
import { RISK_RULES } from '../risks';
import type { PolicyProfile } from '../catalogue/types';
import { ENGINE_CHECK_IDS, engineCheck } from '../engine/engine-checks';
import { evaluateTemplates, loadTemplateFile, type Evaluation } from '../engine/evaluate';
import type { Finding } from '../engine/finding';

/** Name of the plugin in CDK's validation report; acknowledgement ids start with `core-policies::`. */
export const CORE_POLICIES_PLUGIN_NAME = 'core-policies';

/**
 * File the plugin writes into the cloud assembly on every run. CDK leaves a plugin that found
 * nothing out of `validation-report.json`, so this record is how `core-policies check
 * --require-plugin` proves an assembly was validated, in which profile, template by template.
 */
export const PLUGIN_RUN_FILE = 'core-policies-run.json';

/** Content of {@link PLUGIN_RUN_FILE}. */
export interface PluginRunRecord {
  /** Version of `@core-infra/policies` that ran. */
  readonly pluginVersion: string;
  /** Profile it ran in. */
  readonly profile: PolicyProfile;
  /** Templates evaluated, relative to the assembly folder. */
  readonly templates: readonly string[];
  /** Number of violations reported (open findings; acknowledged ones are listed separately). */
  readonly violations: number;
  /** Findings acknowledged in their templates, with the reason. */
  readonly acknowledged?: readonly RecordedAcknowledgement[];
}

/** An acknowledged finding as the run record lists it. */
export interface RecordedAcknowledgement {
  /** Rule id. */
  readonly ruleId: string;
  /** Template, relative to the assembly folder. */
  readonly templatePath: string;
  /** Logical id of the resource. */
  readonly logicalId?: string;
  /** Construct path of the resource. */
  readonly constructPath?: string;
  /** Why the finding is acceptable. */
  readonly reason: string;
}

/** Options of {@link corePolicies}. */
export interface CorePoliciesOptions {
  /**
   * Which rules run: `production` adds the production-only rules to the baseline.
   *
   * @default 'baseline'
   */
  readonly profile?: PolicyProfile;
  /**
   * Whether CORE's own guard rules run (turn off to run only `extraRuleFiles`).
   *
   * @default true
   */
  readonly coreRules?: boolean;
  /**
   * Whether the Control Tower rules enabled in the decisions table run too.
   *
   * @default true
   */
  readonly controlTowerRules?: boolean;
  /**
   * Extra `.guard` rule files to run beside CORE's rules.
   *
   * @default - none
   */
  readonly extraRuleFiles?: readonly string[];
  /**
   * Path of the cfn-guard binary.
   *
   * @default - the binary bundled with `@cdklabs/cdk-validator-cfnguard`
   */
  readonly guardBinary?: string;
  /**
   * Accounts resource policies and role trusts may name besides the template's own: the
   * accounts the environment config declares (CORE.RESPOL.2).
   *
   * @default - none: only the template's own account and AWS service accounts
   */
  readonly trustedAccounts?: readonly string[];
  /**
   * `false` evaluates every template with cfn-guard instead of taking unchanged ones from the
   * result cache in `node_modules/.cache/core-policies`.
   *
   * @default - on, unless `CORE_POLICIES_CACHE=off` or in CI
   */
  readonly cache?: boolean;
}

/**
 * CDK validation plugin that runs CORE's guard rules over every synthesized template.
 *
 * Unlike the stock cfn-guard plugin it fails closed: a rule that does not parse, a missing
 * binary or a crash makes the report fail instead of passing silently, and every violation is
 * reported with severity `error` so that acknowledging one finding cannot mark the others as
 * passed. Findings about the check itself (oversized templates, acknowledgements without a
 * reason) are `fatal`, which CDK never lets anyone acknowledge.
 *
 * Acknowledgements come only from the templates (see {@link acknowledgeFinding}); CDK's own
 * `Validations.of(scope).acknowledge` of a core-policies rule is refused with `CORE.ACK.3`,
 * because `core-policies check` re-validating the assembly could not see it.
 */
export class CorePoliciesPlugin implements IPolicyValidationPlugin {
  /** Plugin name shown in reports. */
  public readonly name = CORE_POLICIES_PLUGIN_NAME;
  /** Version of `@core-infra/policies`. */
  public readonly version: string;
  /** Ids of the CORE rules the profile runs. */
  public readonly ruleIds: string[];
  /** The policy profile in force. */
  public readonly profile: PolicyProfile;
  private readonly options: CorePoliciesOptions;

  constructor(options: CorePoliciesOptions = {}) {
    this.options = options;
    this.profile = options.profile ?? 'baseline';
    this.version = packageVersion();
    this.ruleIds = [...RULE_CATALOGUE, ...RISK_RULES].filter((rule) => this.profile === 'production' || rule.profile === 'baseline').map((rule) => rule.id);
  }

  /** Evaluates the templates CDK hands over; called by CDK during synthesis. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    let evaluation: Evaluation;
    try {
      // The CDK CLI hands over paths relative to its working folder; cfn-guard reports absolute ones.
      const accounts = stackAccounts(context.appConstruct);
      const load = (file: string) => ({ ...loadTemplateFile(path.resolve(file)), account: accounts.get(path.resolve(file)) });
      evaluation = evaluateTemplates(context.templatePaths.map(load), {
        profile: this.profile,
        coreRules: this.options.coreRules,
        controlTowerRules: this.options.controlTowerRules,
        extraRuleFiles: this.options.extraRuleFiles,
        guardBinary: this.options.guardBinary,
        trustedAccounts: this.options.trustedAccounts,
        cache: this.options.cache,
        // CDK calls no plugin for an app without stacks; `core-policies check` reports that case.
        inputLabel: App.isApp(context.appConstruct) ? context.appConstruct.outdir : context.appConstruct.node.path,
      });
    } catch (error) {
      // A thrown error becomes a "plugin failure" report without violations, which `cdk synth`
      // (aws-cdk-lib 2.276, app run by the CLI) prints nothing for and exits 0: fail open. A
      // fatal violation is always printed, always fails synthesis and cannot be acknowledged.
      const violation = engineFailure(context, (error as Error).message);
      this.recordRun(context, 1, []);
      return { success: false, violations: [violation], metadata: { profile: this.profile, error: (error as Error).message } };
    }
    const violations = [...toViolations(evaluation.findings), ...nativeAcknowledgementViolations(context.appConstruct)];
    this.recordRun(context, violations.length, evaluation.acknowledged);
    return {
      success: violations.length === 0,
      violations,
      metadata: {
        profile: this.profile,
        rulesEvaluated: String(evaluation.rulesRun.length),
        acknowledged: String(evaluation.acknowledged.length),
        templatesFromCache: String(evaluation.templatesFromCache),
      },
    };
  }

  private recordRun(context: IPolicyValidationContext, violations: number, acknowledged: Evaluation['acknowledged']): void {
    const root = context.appConstruct;
    if (!App.isApp(root)) return;
    const relative = (file: string) => path.relative(root.outdir, path.resolve(file));
    const paths = acknowledged.length > 0 ? constructPaths(root) : new Map<string, string>();
    const constructPath = (template: string, logicalId?: string) => paths.get(`${relative(template)}#${logicalId}`);
    const record: PluginRunRecord = {
      pluginVersion: this.version,
      profile: this.profile,
      templates: context.templatePaths.map(relative).sort(),
      violations,
      acknowledged: acknowledged.map((a) => ({ ruleId: a.ruleId, templatePath: relative(a.templatePath), logicalId: a.logicalId, constructPath: constructPath(a.templatePath, a.logicalId), reason: a.reason })),
    };
    writeFileSync(path.join(root.outdir, PLUGIN_RUN_FILE), JSON.stringify(record, null, 2) + '\n');
  }
}

/**
 * Creates the CORE policy plugin, ready for `Validations.of(app).addPlugins(...)`.
 *
 * @example
 * const app = new App();
 * Validations.of(app).addPlugins(corePolicies({ profile: 'production' }));
 */
export function corePolicies(options: CorePoliciesOptions = {}): CorePoliciesPlugin {
  return new CorePoliciesPlugin(options);
}

/** Context key that makes an app fail its own synthesis on validation errors. */
export const FAIL_SYNTH_ON_VALIDATION_ERRORS = '@aws-cdk/core:failSynthOnValidationErrors';

/**
 * Registers the CORE policy plugin on an app or stage.
 *
 * On an App it also makes the app fail its own synthesis on validation errors. The CDK CLI
 * (2.1148) turns that off and judges the validation report itself, but misses failures of stacks
 * inside Stages: `cdk synth` then exits 0 with violations in the report. Call this before adding
 * stacks or stages, because context can only be set on an app without children.
 *
 * @param scope the App (or Stage) whose stacks are validated at synthesis
 * @param options plugin options
 */
export function applyCorePolicies(scope: IConstruct, options: CorePoliciesOptions = {}): CorePoliciesPlugin {
  if (App.isApp(scope)) {
    if (scope.node.children.length > 0) {
      throw new Error(`applyCorePolicies must be called before stacks or stages are added to the app (it found ${scope.node.children.map((c) => c.node.id).join(', ')})`);
    }
    scope.node.setContext(FAIL_SYNTH_ON_VALIDATION_ERRORS, true);
  }
  const plugin = corePolicies(options);
  Validations.of(scope).addPlugins(plugin);
  return plugin;
}

// A stack with an explicit env writes its account into ARNs literally; that account is its own.
function stackAccounts(root: IConstruct): Map<string, string> {
  const accounts = new Map<string, string>();
  for (const construct of root.node.findAll()) {
    if (!Stack.isStack(construct) || Token.isUnresolved(construct.account)) continue;
    const stage = Stage.of(construct);
    if (stage) accounts.set(path.resolve(stage.outdir, construct.templateFile), construct.account);
  }
  return accounts;
}

// Templates carry construct paths only when path metadata is on; the tree always knows them.
function constructPaths(root: App): Map<string, string> {
  const paths = new Map<string, string>();
  for (const construct of root.node.findAll()) {
    if (!CfnResource.isCfnResource(construct)) continue;
    const stack = Stack.of(construct);
    const stage = Stage.of(stack);
    if (!stage) continue;
    const template = path.relative(root.outdir, path.join(stage.outdir, stack.templateFile));
    paths.set(`${template}#${stack.resolve(construct.logicalId)}`, construct.node.path);
  }
  return paths;
}

function engineFailure(context: IPolicyValidationContext, message: string): PolicyViolation {
  const check = engineCheck(ENGINE_CHECK_IDS.engineRan);
  return {
    ruleName: check.id,
    description: `the policy engine failed, so nothing was checked: ${message}`,
    fix: check.remediation,
    severity: 'fatal',
    ruleMetadata: { id: check.id, guardRule: check.ruleName, severity: check.severity, source: 'engine' },
    violatingResources: context.stackTemplates.map((stack) => ({ constructPath: stack.stackConstructPath, locations: [] })),
  };
}

function toViolations(findings: readonly Finding[]): PolicyViolation[] {
  const groups = new Map<string, { finding: Finding; resources: Finding[] }>();
  for (const finding of findings) {
    const key = `${finding.ruleId}\u0000${finding.message}`;
    const group = groups.get(key) ?? { finding, resources: [] };
    group.resources.push(finding);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ finding, resources }) => ({
    ruleName: finding.ruleId,
    description: finding.message,
    fix: finding.fix,
    severity: finding.source === 'engine' ? 'fatal' : 'error',
    ruleMetadata: { id: finding.ruleId, guardRule: finding.ruleName, severity: finding.severity, source: finding.source },
    violatingResources: resources.map((resource) => ({
      resourceLogicalId: resource.logicalId,
      templatePath: resource.templatePath,
      locations: [...resource.locations],
    })),
  }));
}

// CDK applies its own acknowledgements to plugin reports, but they live only in the construct
// tree: `core-policies check` re-validating the assembly could never see them, so the two verdicts
// would differ. Every one naming this plugin is refused, with where to put it instead.
function nativeAcknowledgementViolations(root: IConstruct): PolicyViolation[] {
  const check = engineCheck(ENGINE_CHECK_IDS.ackScope);
  const violations: PolicyViolation[] = [];
  for (const construct of [root, ...root.node.findAll()]) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || typeof entry.data !== 'object' || entry.data === null) continue;
      for (const id of Object.keys(entry.data as Record<string, unknown>).filter((key) => key.startsWith(`${CORE_POLICIES_PLUGIN_NAME}::`))) {
        const rule = id.slice(CORE_POLICIES_PLUGIN_NAME.length + 2);
        violations.push({
          ruleName: check.id,
          description: `Validations.of(${construct.node.path || '(app)'}).acknowledge('${id}') is refused: core-policies acknowledgements live in the violating resource's template metadata`,
          fix: `acknowledgeFinding(<the violating resource>, { id: '${rule}', reason: '…' }) from @core-infra/policies, on the resource or a construct below stack level`,
          severity: 'fatal',
          ruleMetadata: { id: check.id, guardRule: check.ruleName, severity: check.severity, source: 'engine' },
          violatingResources: [{ constructPath: construct.node.path || '(app)', locations: [] }],
        });
      }
    }
  }
  return violations;
}

let cachedVersion: string | undefined;

function packageVersion(): string {
  cachedVersion ??= (JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  return cachedVersion;
}

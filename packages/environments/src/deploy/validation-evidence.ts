import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PLUGIN_RUN_FILE, REPORT_FILE_NAMES, reportPassed, type PluginRunRecord, type PolicyProfile, type PolicyReport } from '@core-infra/policies';
import type { DeployableStack } from './assembly-stacks';
import { DeployInputError } from './errors';

/** What shows that an assembly passed policy validation. */
export interface ValidationEvidence {
  /** Profile the assembly was validated in. */
  readonly profile: PolicyProfile;
  /** The run record the policy plugin wrote into the assembly at synthesis. */
  readonly runRecordFile: string;
  /** The `core-policies check` JSON report that passed, when there is one. */
  readonly policyReportFile?: string;
  /** One line for the plan, e.g. `passed (profile baseline, 0 open findings, 2 acknowledged; reports/policy-report.json)`. */
  readonly summary: string;
}

/** Options of {@link checkValidationEvidence}. */
export interface ValidationEvidenceOptions {
  /** Policy profile the environment requires. */
  readonly profile: PolicyProfile;
  /**
   * The JSON policy report of `core-policies check` for this assembly. Naming it makes it
   * required.
   *
   * @default - `reports/policy-report.json` beside the assembly folder (the app's `validate` output), used when present
   */
  readonly policyReportFile?: string;
}

/**
 * The default place of an assembly's policy report: the app's `validate` target writes
 * `reports/policy-report.json` beside `cdk.out`.
 *
 * @param assemblyDir the `cdk.out` folder
 */
export function defaultPolicyReportFile(assemblyDir: string): string {
  return path.join(path.dirname(path.resolve(assemblyDir)), 'reports', REPORT_FILE_NAMES.json);
}

/**
 * Checks that an assembly may be deployed as far as policy is concerned. The rule is kept
 * deliberately simple:
 *
 * 1. The policy plugin's run record (`core-policies-run.json`) must be in the assembly, in the
 *    environment's profile, and list the template of every stack to deploy: the assembly was
 *    synthesized with the plugin and nothing was added afterwards.
 * 2. If the app's policy report (`reports/policy-report.json`, written by `core-policies check`
 *    in the `validate` target) exists, it must be in the same profile, cover every stack to
 *    deploy, and have passed: no open findings and no errors. Acknowledged findings pass.
 * 3. Without a report, the run record must show no violations at all, since only the report
 *    can tell an acknowledged violation from an open one.
 *
 * Freshness of the report is the pipeline's job: the `deploy` and `plan` targets depend on
 * `validate`, which Nx re-runs whenever the assembly's inputs change.
 *
 * @param assemblyDir the `cdk.out` folder
 * @param stacks the stacks to deploy
 * @param options the required profile and the report to read
 * @throws DeployInputError naming what is missing or failed and how to fix it
 */
export function checkValidationEvidence(assemblyDir: string, stacks: readonly DeployableStack[], options: ValidationEvidenceOptions): ValidationEvidence {
  const runRecordFile = path.join(path.resolve(assemblyDir), PLUGIN_RUN_FILE);
  if (!existsSync(runRecordFile)) {
    throw new DeployInputError(
      `--assembly: ${assemblyDir} has no ${PLUGIN_RUN_FILE}, so nothing shows it passed policy validation: synthesize it with the app (applyCorePolicies registers the plugin) and run validate before deploying`,
    );
  }
  const run = readJson<PluginRunRecord>(runRecordFile, 'the policy run record');
  if (!Array.isArray(run.templates) || typeof run.violations !== 'number') {
    throw new DeployInputError(`--assembly: ${runRecordFile} is not a policy run record (no templates or violations): synthesize the assembly again`);
  }
  if (run.profile !== options.profile) {
    throw new DeployInputError(`--assembly: ${assemblyDir} was validated in profile ${run.profile}, but this environment requires ${options.profile}: set the environment's policyProfile in its config and synthesize again`);
  }
  const unvalidated = stacks.find((stack) => !run.templates.includes(stack.relativeTemplatePath));
  if (unvalidated) {
    throw new DeployInputError(`--assembly: ${unvalidated.id} (${unvalidated.relativeTemplatePath}) is not in ${PLUGIN_RUN_FILE}, so the policy plugin never validated it: synthesize the assembly again instead of editing it`);
  }

  const reportFile = options.policyReportFile ?? defaultPolicyReportFile(assemblyDir);
  if (!existsSync(reportFile)) {
    if (options.policyReportFile !== undefined) {
      throw new DeployInputError(`--policy-report: ${options.policyReportFile} does not exist: run the app's validate target (npx nx run <env>:validate) or drop the option`);
    }
    if (run.violations > 0) {
      throw new DeployInputError(
        `--assembly: the policy plugin recorded ${run.violations} violation(s) at synthesis and there is no policy report at ${reportFile} to show they were acknowledged: run the app's validate target (npx nx run <env>:validate) first`,
      );
    }
    return { profile: run.profile, runRecordFile, summary: `passed at synthesis (profile ${run.profile}, 0 violations; ${PLUGIN_RUN_FILE})` };
  }

  const report = readJson<PolicyReport>(reportFile, 'the policy report');
  if (!Array.isArray(report.findings) || !Array.isArray(report.errors) || !Array.isArray(report.templates)) {
    throw new DeployInputError(`--policy-report: ${reportFile} is not a core-policies JSON report (no findings, errors or templates): run the app's validate target again`);
  }
  if (report.profile !== run.profile) {
    throw new DeployInputError(`--policy-report: ${reportFile} is for profile ${report.profile}, the assembly for ${run.profile}: run the app's validate target again`);
  }
  const reported = report.templates.map((template) => template.path.split(path.sep).join('/'));
  const unreported = stacks.find((stack) => !reported.some((p) => p === stack.relativeTemplatePath || p.endsWith(`/${stack.relativeTemplatePath}`)));
  if (unreported) {
    throw new DeployInputError(`--policy-report: ${reportFile} does not cover ${unreported.id} (${unreported.relativeTemplatePath}), so it belongs to another assembly: run the app's validate target again`);
  }
  if (!reportPassed(report)) {
    throw new DeployInputError(
      `--policy-report: ${reportFile} failed policy validation with ${report.findings.length} open finding(s) and ${report.errors.length} error(s): fix or acknowledge them, synthesize and validate again`,
    );
  }
  const acknowledged = Array.isArray(report.acknowledged) ? report.acknowledged.length : 0;
  return {
    profile: run.profile,
    runRecordFile,
    policyReportFile: reportFile,
    summary: `passed (profile ${run.profile}, 0 open findings, ${acknowledged} acknowledged; ${reportFile})`,
  };
}

function readJson<T>(file: string, what: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new DeployInputError(`${file} cannot be read as ${what}: ${(error as Error).message.split('\n')[0]}: synthesize and validate again`);
  }
}

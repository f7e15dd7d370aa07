import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { BASELINE_TEMPLATE_SUFFIX } from '@core-infra/policies';
import type { EnvironmentName } from '../config/load';
import { orderStacks, readAssemblyStacks, type DeployableStack } from '../deploy/assembly-stacks';
import { assertAssemblyDir, type DeployDependencies } from '../deploy/deploy';
import { resolveDeployTarget, selectTargetStacks } from '../deploy/deploy-target';
import { defaultPolicyReportFile } from '../deploy/validation-evidence';
import { runDeployedDiff } from './deployed-diff';
import { gateVerdictOf, runDestructiveChangeGate } from './gate-verdict';
import { DeployInputError } from '../deploy/errors';
import { isJsonObject, readJsonFile, requireFolder } from './json-files';
import { policyVerdictOf, readPolicyReport } from './policy-verdict';
import { removedStackId, summarizeStackChanges, sumCounts, type CloudFormationTemplate } from './stack-changes';
import { CHANGE_SUMMARY_SCHEMA, type EnvironmentChangeSummary, type StackChanges } from './types';

/** What to summarize. */
export interface SummarizeEnvironmentOptions {
  /** The environment. */
  readonly environment: EnvironmentName;
  /** Its synthesized `cdk.out` folder. */
  readonly assemblyDir: string;
  /**
   * The committed baseline templates.
   *
   * @default - `baseline` beside the assembly (the app's own `baseline` folder)
   */
  readonly baselineDir?: string;
  /**
   * The acknowledgement file of the destructive-change gate.
   *
   * @default - `<baselineDir>/acknowledgements.yaml` when present
   */
  readonly acknowledgementsFile?: string;
  /**
   * The head's JSON policy report; naming it makes it required.
   *
   * @default - `reports/policy-report.json` beside the assembly, when present
   */
  readonly policyReportFile?: string;
  /**
   * The base branch's JSON policy report, to tell new findings from old ones.
   *
   * @default - none: every open finding is listed
   */
  readonly basePolicyReportFile?: string;
  /**
   * Compare with the deployed stacks (`cdk diff`, needs AWS credentials) instead of the baseline.
   *
   * @default false
   */
  readonly deployed?: boolean;
  /**
   * Config override file, as for synthesis.
   *
   * @default - the file named by `CORE_CONFIG_FILE`, else the committed config alone
   */
  readonly configFile?: string;
}

/**
 * Summarizes what merging a change would do to one environment. It reads the environment's
 * stacks from the assembly exactly as a deployment would (its own stage; dev's review apps are
 * left out, as they are deployed per pull request), compares each with its committed baseline
 * template (or, with `deployed`, runs `cdk diff` on exactly those stacks), and adds the
 * destructive-change gate's verdict and the policy verdict.
 *
 * @param options what to summarize
 * @param deps the CDK runner and working folder, for `deployed`
 * @throws DeployInputError naming the option, the value and the fix when an input is unusable
 * @throws DeployFailedError when `cdk diff` fails
 */
export async function summarizeEnvironmentChanges(options: SummarizeEnvironmentOptions, deps: DeployDependencies = {}): Promise<EnvironmentChangeSummary> {
  const assembly = assertAssemblyDir(options.assemblyDir);
  const target = resolveDeployTarget(options.environment, { configFile: options.configFile });
  const everyStack = readAssemblyStacks(assembly);
  const stacks = orderStacks(selectTargetStacks(everyStack, target, options.assemblyDir));
  const leftOut = everyStack.filter((stack) => stack.stage !== target.stage).map((stack) => ({ id: stack.id, reason: 'review app: ephemeral, deployed and torn down with its pull request' }));
  const baselineDir = options.baselineDir ?? path.join(path.dirname(options.assemblyDir), 'baseline');
  requireFolder(baselineDir, '--baseline', `pass the app's committed baseline folder (apps/${options.environment}/baseline), or create it with core-policies baseline --assembly ${options.assemblyDir} --baseline ${baselineDir}`);

  const stackChanges = options.deployed ? [] : compareWithBaseline(assembly, stacks, baselineDir, target.stage);
  const deployedDiff = options.deployed ? await runDeployedDiff(assembly, stacks.map((stack) => stack.id), deps) : undefined;
  const gate = gateVerdictOf(runDestructiveChangeGate({ assemblyDir: assembly, baselineDir, acknowledgementsFile: options.acknowledgementsFile }));
  const reportFile = options.policyReportFile ?? defaultPolicyReportFile(options.assemblyDir);
  const head = options.policyReportFile !== undefined || existsSync(reportFile) ? readPolicyReport(reportFile, '--policy-report') : undefined;
  const base = options.basePolicyReportFile === undefined ? undefined : readPolicyReport(options.basePolicyReportFile, '--base-policy-report');

  return {
    schema: CHANGE_SUMMARY_SCHEMA,
    environment: options.environment,
    comparedWith: options.deployed ? 'deployed' : 'baseline',
    baselineDir,
    affected: options.deployed === true || stackChanges.some((stack) => stack.status !== 'unchanged'),
    totals: sumCounts(stackChanges.map((stack) => stack.counts)),
    stacks: stackChanges,
    leftOut,
    deployedDiff,
    gate,
    policy: policyVerdictOf(head, base),
  };
}

/**
 * Compares each stack with its baseline template (found by artifact id, or by stack name as the
 * gate also accepts), and turns every baseline template no stack claims into a removed stack.
 */
function compareWithBaseline(assembly: string, stacks: readonly DeployableStack[], baselineDir: string, stage: string): StackChanges[] {
  const baselines = new Map(
    readdirSync(baselineDir)
      .filter((name) => name.endsWith(BASELINE_TEMPLATE_SUFFIX))
      .sort()
      .map((name) => [name.slice(0, -BASELINE_TEMPLATE_SUFFIX.length), path.join(baselineDir, name)]),
  );
  const claimed = new Set<string>();
  const compared = stacks.map((stack) => {
    const key = [stack.artifactId, stack.stackName].find((candidate) => baselines.has(candidate));
    if (key !== undefined) claimed.add(key);
    const baseline = key === undefined ? undefined : readTemplate(baselines.get(key) as string, '--baseline');
    const current = readTemplate(path.join(assembly, stack.relativeTemplatePath), '--assembly');
    return summarizeStackChanges({ id: stack.id, artifactId: stack.artifactId, stackName: stack.stackName }, baseline, current);
  });
  const removed = [...baselines]
    .filter(([key]) => !claimed.has(key))
    .map(([key, file]) => {
      const baseline = readTemplate(file, '--baseline');
      return summarizeStackChanges({ id: removedStackId(baseline, stage, key), artifactId: key }, baseline, undefined);
    });
  return [...compared, ...removed];
}

function readTemplate(file: string, flag: string): CloudFormationTemplate {
  const fix = flag === '--baseline' ? 'restore it from version control or refresh the baseline' : 'synthesize the app again';
  const template = readJsonFile(file, flag, fix);
  if (!isJsonObject(template)) throw new DeployInputError(`${flag}: ${file} is not a CloudFormation template (not a JSON object): ${fix}`);
  return template;
}

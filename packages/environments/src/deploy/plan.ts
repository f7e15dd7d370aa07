import type { EnvironmentName } from '../config/load';
import type { RequireApproval } from './cdk-cli';
import type { ValidationEvidence } from './validation-evidence';

/** One stack of a plan, in the order it is deployed (or destroyed). */
export interface PlannedStack {
  /** 1-based position in the plan. */
  readonly order: number;
  /** Id the CDK CLI selects it by, e.g. `core-staging/network`. */
  readonly id: string;
  /** CloudFormation stack name. */
  readonly stackName: string;
  /** Target account; undefined for an environment-agnostic stack. */
  readonly account?: string;
  /** Target region; undefined for an environment-agnostic stack. */
  readonly region?: string;
  /** Role the CDK CLI assumes to deploy it. */
  readonly deployRoleArn?: string;
  /** Whether termination protection is on. */
  readonly terminationProtection: boolean;
}

/** The deploy lock a run takes. */
export interface PlannedLock {
  /** Lock table of the deployment state store. */
  readonly tableName: string;
  /** Item key, e.g. `locks/staging`. */
  readonly lockId: string;
  /** Account of the table (the meta account). */
  readonly account: string;
  /** Region of the table. */
  readonly region: string;
  /** How long the lock lasts unless released, in seconds. */
  readonly ttlSeconds: number;
  /** Who takes it. */
  readonly holder: string;
  /** CI run that takes it, when known. */
  readonly runId?: string;
}

/** Where a deployed assembly is archived. */
export interface PlannedArchive {
  /** State bucket. */
  readonly bucket: string;
  /** Account that owns the bucket (the meta account). */
  readonly account: string;
  /** Region of the bucket. */
  readonly region: string;
  /** Key prefix; the timestamp is a placeholder until the deployment finishes. */
  readonly prefix: string;
  /** The commit, when known. */
  readonly gitSha?: string;
}

/**
 * Exactly what a `core-deploy` run does: which stacks, in which order, into which accounts with
 * which roles, under which lock and approval level, and where the assembly is archived. The
 * dry run prints it and stops; a real run prints it and carries it out.
 */
export interface DeployPlan {
  /** `deploy`, or `destroy` for a review-app teardown. */
  readonly action: 'deploy' | 'destroy';
  /** The environment. */
  readonly environment: EnvironmentName;
  /** Name of the lock and archive: the environment, or `review-<N>`. */
  readonly deploymentName: string;
  /** The review app, for a review-app deployment or teardown. */
  readonly reviewApp?: number;
  /** Whether this is only a plan. */
  readonly dryRun: boolean;
  /** Absolute path of the assembly. */
  readonly assembly: string;
  /** Approval level of `cdk deploy`; undefined for a teardown. */
  readonly requireApproval?: RequireApproval;
  /** How the assembly's policy validation was established; undefined for a teardown. */
  readonly validation?: ValidationEvidence;
  /** Stacks in the order the CDK CLI handles them. */
  readonly stacks: readonly PlannedStack[];
  /** The deploy lock. */
  readonly lock: PlannedLock;
  /** The archive; undefined for a teardown. */
  readonly archive?: PlannedArchive;
  /**
   * Role the CDK CLI runs as (the environment's infrastructure deployment role, assumed with the
   * credentials in use); undefined: the credentials in use (break-glass, `--no-assume-role`).
   */
  readonly cdkRoleArn?: string;
  /** Arguments of the `cdk` command that runs. */
  readonly cdkArgs: readonly string[];
  /** Problems a real run would refuse, shown by a dry run. */
  readonly warnings: readonly string[];
}

/**
 * Renders a plan for people: a header with the environment, assembly, validation, approval,
 * lock and archive, then each stack in order with its name, account and region, deploy role
 * and termination protection, then the exact `cdk` command.
 *
 * @param plan the plan
 */
export function formatPlanText(plan: DeployPlan): string {
  const what = plan.reviewApp === undefined ? plan.environment : `review app ${plan.reviewApp} of ${plan.environment}`;
  const mode = plan.dryRun ? 'dry run: nothing is deployed, locked or archived' : 'running';
  const lines = [`core-deploy: ${plan.action} ${what} (${mode})`, ''];
  const field = (name: string, value: string) => lines.push(`  ${`${name}:`.padEnd(14)}${value}`);
  field('environment', plan.deploymentName === plan.environment ? plan.environment : `${plan.environment} (${plan.deploymentName})`);
  field('assembly', plan.assembly);
  if (plan.validation !== undefined) field('validation', plan.validation.summary);
  if (plan.requireApproval !== undefined) field('approval', `--require-approval ${plan.requireApproval}${APPROVAL_MEANING[plan.requireApproval]}`);
  const run = plan.lock.runId === undefined ? '' : `, run ${plan.lock.runId}`;
  field('lock', `${plan.lock.lockId} in DynamoDB table ${plan.lock.tableName} (account ${plan.lock.account}, ${plan.lock.region}), held by ${plan.lock.holder}${run} for at most ${plan.lock.ttlSeconds / 60}m`);
  field('cdk runs as', plan.cdkRoleArn ?? 'the credentials in use (--no-assume-role: break-glass)');
  if (plan.archive !== undefined) field('archive', `s3://${plan.archive.bucket}/${plan.archive.prefix} (account ${plan.archive.account}, ${plan.archive.region}), deployment.json last`);
  lines.push('', `Stacks, in ${plan.action === 'deploy' ? 'deployment' : 'teardown'} order (${plan.stacks.length}):`);
  for (const stack of plan.stacks) {
    lines.push(`  ${stack.order}. ${stack.id}`);
    const detail = (name: string, value: string) => lines.push(`       ${`${name}:`.padEnd(24)}${value}`);
    detail('stack name', stack.stackName);
    detail('account / region', `${stack.account ?? 'unknown (environment-agnostic)'} / ${stack.region ?? 'unknown'}`);
    detail('deploy role', stack.deployRoleArn ?? 'the credentials in use (no role in the manifest)');
    detail('termination protection', stack.terminationProtection ? 'on' : 'off');
  }
  lines.push('', `Command: cdk ${plan.cdkArgs.map(quoteArg).join(' ')}`);
  if (plan.warnings.length > 0) {
    lines.push('', 'Warnings (a real run refuses these):');
    for (const warning of plan.warnings) lines.push(`  ! ${warning}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Renders a plan as JSON, for tests and pipelines.
 *
 * @param plan the plan
 */
export function formatPlanJson(plan: DeployPlan): string {
  return JSON.stringify(plan, null, 2) + '\n';
}

const APPROVAL_MEANING: Readonly<Record<RequireApproval, string>> = {
  never: ' (no change waits for approval)',
  'any-change': ' (every change waits for a person to approve it)',
  broadening: ' (changes that broaden security permissions wait for approval)',
  destructive: ' (changes that replace or delete resources wait for approval)',
};

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import { CONFIG_FILE_ENV, type EnvironmentName } from '../config/load';
import { isPlaceholderAccount } from '../configs/accounts';
import { reviewAppPrefix } from '../naming';
import { ARCHIVE_TIMESTAMP_PLACEHOLDER, archiveDeployment, archivePrefix } from './archive';
import { orderStacks, readAssemblyStacks, type DeployableStack } from './assembly-stacks';
import { cdkDeployArgs, cdkDestroyArgs, DEFAULT_REQUIRE_APPROVAL, runCdkCli, type CdkRunner, type RequireApproval } from './cdk-cli';
import { cdkCredentialsEnv } from './deploy-credentials';
import { resolveDeployTarget, selectTargetStacks, type DeployTarget } from './deploy-target';
import { DeploymentLock, DeploymentLockError, DeploymentLockHeldError } from './deployment-lock';
import { DeployFailedError, DeployInputError } from './errors';
import type { DeployPlan } from './plan';
import { checkValidationEvidence } from './validation-evidence';

/** Lifetime of a deploy lock unless told otherwise: longer than CORE's slowest deployment (CloudFront and RDS changes). */
export const DEFAULT_LOCK_TTL_MINUTES = 180;


/** Settings shared by deployments and teardowns. */
export interface DeployRunOptions {
  /** The synthesized `cdk.out` folder. */
  readonly assemblyDir: string;
  /**
   * Plan only: print what would run, touch nothing in AWS, and accept placeholder accounts.
   *
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * CI run that takes the lock and is recorded in the archive.
   *
   * @default - `GITHUB_RUN_ID`, else none
   */
  readonly runId?: string;
  /**
   * Who takes the lock.
   *
   * @default - `github-actions:<repository>/<job>` in GitHub Actions, else `<user>@<host>`
   */
  readonly holder?: string;
  /**
   * Config override file, as for synthesis.
   *
   * @default - the file named by `CORE_CONFIG_FILE`, else the committed config alone
   */
  readonly configFile?: string;
  /**
   * How long the lock lasts unless released first, in minutes.
   *
   * @default 180
   */
  readonly lockTtlMinutes?: number;
  /**
   * Run the CDK CLI as the environment's infrastructure deployment role, assumed with the
   * credentials in use (the only principal the CDK bootstrap roles trust). `false` is the
   * break-glass path: the CLI runs with the credentials in use, e.g. an administrator session.
   *
   * @default true
   */
  readonly assumeRole?: boolean;
}

/** What to deploy. */
export interface DeployOptions extends DeployRunOptions {
  /** The environment. */
  readonly environment: EnvironmentName;
  /**
   * Deploy only this review app's stacks (dev only).
   *
   * @default - the environment's own stacks; dev's review apps are left out
   */
  readonly reviewApp?: number;
  /**
   * Full commit the assembly was synthesized from; names the archive.
   *
   * @default - `GITHUB_SHA`, else `git rev-parse HEAD` of the checkout holding the assembly
   */
  readonly gitSha?: string;
  /**
   * Which changes need a person's approval.
   *
   * @default 'broadening'
   */
  readonly requireApproval?: RequireApproval;
  /**
   * The assembly's JSON policy report.
   *
   * @default - `reports/policy-report.json` beside the assembly, when present
   */
  readonly policyReportFile?: string;
}

/** What to tear down. */
export interface TeardownOptions extends DeployRunOptions {
  /** The review app whose stacks are destroyed. */
  readonly reviewApp: number;
}

/** Everything a run touches outside the process; tests inject fakes and mocked clients. */
export interface DeployDependencies {
  /**
   * Runs the CDK CLI.
   *
   * @default - the installed aws-cdk CLI, attached to this terminal
   */
  readonly runCdk?: CdkRunner;
  /**
   * Client for the lock table.
   *
   * @default - a client for the store's region and the default credential chain
   */
  readonly dynamoDb?: DynamoDBClient;
  /**
   * Client for the state bucket.
   *
   * @default - a client for the store's region and the default credential chain
   */
  readonly s3?: S3Client;
  /**
   * Client that assumes the infrastructure deployment role for the CDK CLI.
   *
   * @default - a client for the default credential chain
   */
  readonly sts?: STSClient;
  /**
   * Current time.
   *
   * @default - the system clock
   */
  readonly clock?: () => Date;
  /**
   * Environment variables (`GITHUB_SHA`, `GITHUB_RUN_ID`, …).
   *
   * @default - process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Working folder of the CDK CLI (and of Nx for `affected`).
   *
   * @default - process.cwd()
   */
  readonly cwd?: string;
  /**
   * Progress lines of a real run.
   *
   * @default - standard error
   */
  readonly log?: (line: string) => void;
}

const GIT_SHA = /^[0-9a-f]{40}$/;

/**
 * Plans the deployment of an environment's already-synthesized assembly: reads its stacks,
 * keeps the environment's own (or one review app's), orders them by dependency, and checks that
 * the assembly is the environment's, passed policy validation and (unless a dry run) targets
 * real accounts. Nothing is deployed and AWS is not called.
 *
 * @param options what to deploy
 * @param deps environment variables and working folder
 * @throws DeployInputError naming the field, the value and the fix when the deployment may not go ahead
 */
export function planDeployment(options: DeployOptions, deps: DeployDependencies = {}): DeployPlan {
  const env = deps.env ?? process.env;
  const assembly = assertAssemblyDir(options.assemblyDir);
  const target = resolveDeployTarget(options.environment, { reviewApp: options.reviewApp, configFile: options.configFile });
  const stacks = orderStacks(selectTargetStacks(readAssemblyStacks(assembly), target, options.assemblyDir));
  const validation = checkValidationEvidence(assembly, stacks, { profile: target.policyProfile, policyReportFile: options.policyReportFile });
  const gitSha = resolveGitSha(options.gitSha, env, assembly);
  const warnings = placeholderProblems(stacks, target);
  if (gitSha === undefined) warnings.push('no commit is known for the archive name: pass --git-sha <40-character sha> (CI sets GITHUB_SHA)');
  refuseUnlessDryRun(options.dryRun, warnings);
  const requireApproval = options.requireApproval ?? DEFAULT_REQUIRE_APPROVAL;
  return {
    action: 'deploy',
    environment: options.environment,
    deploymentName: target.deploymentName,
    reviewApp: options.reviewApp,
    dryRun: options.dryRun ?? false,
    assembly,
    requireApproval,
    validation,
    stacks: planned(stacks),
    lock: plannedLock(target, options, env),
    archive: {
      bucket: target.stateStore.bucketName,
      account: target.stateStore.account,
      region: target.stateStore.region,
      prefix: archivePrefix(target.deploymentName, ARCHIVE_TIMESTAMP_PLACEHOLDER, gitSha ?? '<git sha>'),
      gitSha,
    },
    cdkRoleArn: options.assumeRole === false ? undefined : target.infrastructureRoleArn,
    cdkArgs: cdkDeployArgs(assembly, stacks.map((stack) => stack.id), requireApproval),
    warnings,
  };
}

/**
 * Plans the teardown of one review app: `cdk destroy --force` of that review app's stacks only,
 * dependents first, under the review app's deploy lock in dev's state store. Refuses any stack
 * that is not named for the review app or is termination-protected, so the command can never
 * reach dev's shared stacks.
 *
 * @param options the review app and its assembly
 * @param deps environment variables
 * @throws DeployInputError when the review app is not in the assembly or a stack may not be destroyed
 */
export function planReviewAppTeardown(options: TeardownOptions, deps: DeployDependencies = {}): DeployPlan {
  const env = deps.env ?? process.env;
  const assembly = assertAssemblyDir(options.assemblyDir);
  const target = resolveDeployTarget('dev', { reviewApp: options.reviewApp, configFile: options.configFile });
  const stacks = orderStacks(selectTargetStacks(readAssemblyStacks(assembly), target, options.assemblyDir)).reverse();
  const prefix = `${reviewAppPrefix(options.reviewApp)}-`;
  for (const stack of stacks) {
    if (!stack.stackName.startsWith(prefix)) {
      throw new DeployInputError(`--review-app: stack ${stack.id} is named ${stack.stackName}, not ${prefix}…, so it is not review app ${options.reviewApp}'s to destroy: fix the review-app stage's stack names`);
    }
    if (stack.terminationProtection) {
      throw new DeployInputError(`--review-app: stack ${stack.id} is termination-protected, which review-app stacks never are: destroy it by hand after checking why`);
    }
  }
  const warnings = placeholderProblems(stacks, target);
  refuseUnlessDryRun(options.dryRun, warnings);
  return {
    action: 'destroy',
    environment: 'dev',
    deploymentName: target.deploymentName,
    reviewApp: options.reviewApp,
    dryRun: options.dryRun ?? false,
    assembly,
    stacks: planned(stacks),
    lock: plannedLock(target, options, env),
    cdkRoleArn: options.assumeRole === false ? undefined : target.infrastructureRoleArn,
    cdkArgs: cdkDestroyArgs(assembly, stacks.map((stack) => stack.id)),
    warnings,
  };
}

/**
 * Carries out a plan that is not a dry run: takes the deploy lock, runs the CDK CLI, archives a
 * deployed assembly with `deployment.json` last, and releases the lock whatever happened.
 *
 * @param plan from {@link planDeployment} or {@link planReviewAppTeardown}
 * @param deps CDK runner, AWS clients, clock and log
 * @throws DeployFailedError when the lock is held, the CDK CLI fails, or archiving or releasing fails
 */
export async function executePlan(plan: DeployPlan, deps: DeployDependencies = {}): Promise<void> {
  if (plan.dryRun) return;
  const clock = deps.clock ?? (() => new Date());
  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const what = plan.reviewApp === undefined ? plan.environment : `review app ${plan.reviewApp}`;
  const lock = new DeploymentLock({
    tableName: plan.lock.tableName,
    client: deps.dynamoDb ?? new DynamoDBClient({ region: plan.lock.region }),
    clock,
  });

  try {
    const held = await lock.acquire({ environment: plan.deploymentName, holder: plan.lock.holder, ttlSeconds: plan.lock.ttlSeconds, runId: plan.lock.runId });
    log(`core-deploy: took the deploy lock ${held.lockId} in ${plan.lock.tableName} until ${held.expiresAt.toISOString()}`);
  } catch (error) {
    if (error instanceof DeploymentLockHeldError) {
      throw new DeployFailedError(`${what} was not ${plan.action === 'deploy' ? 'deployed' : 'torn down'}: ${error.message}`, { cause: error });
    }
    if (error instanceof DeploymentLockError) {
      // The stores live in meta, so meta's very first deployment runs before its own lock table exists.
      const firstMeta = plan.environment === 'meta' && /ResourceNotFound/.test(error.message) ? '; on the first deployment of meta, deploy its state stacks once by hand with cdk deploy --app cdk.out' : '';
      throw new DeployFailedError(`${what} was not ${plan.action === 'deploy' ? 'deployed' : 'torn down'}: ${error.message}${firstMeta}`, { cause: error });
    }
    throw error;
  }

  const startedAt = clock();
  let failure: unknown;
  try {
    let cdkEnv: NodeJS.ProcessEnv | undefined;
    if (plan.cdkRoleArn !== undefined) {
      const sessionName = `core-deploy-${plan.deploymentName}-${plan.lock.runId ?? startedAt.getTime()}`;
      cdkEnv = await cdkCredentialsEnv({ roleArn: plan.cdkRoleArn, sessionName, env: deps.env ?? process.env, sts: deps.sts });
      log(`core-deploy: the CDK CLI runs as ${plan.cdkRoleArn} (session ${sessionName})`);
    }
    log(`core-deploy: cdk ${plan.cdkArgs.join(' ')}`);
    const code = await (deps.runCdk ?? runCdkCli)(plan.cdkArgs, { cwd: deps.cwd ?? process.cwd(), env: cdkEnv });
    if (code !== 0) {
      throw new DeployFailedError(
        plan.action === 'deploy'
          ? `cdk deploy exited with code ${code}: some stacks of ${what} may be updated or rolled back and nothing was archived; read the CloudFormation events above, fix the cause and deploy again`
          : `cdk destroy exited with code ${code}: some stacks of ${what} may remain; read the CloudFormation events above and run the teardown again`,
      );
    }
    if (plan.action === 'deploy' && plan.archive !== undefined) await archiveDeployment(plan, startedAt, clock(), deps.s3, log);
  } catch (error) {
    failure = error;
  } finally {
    try {
      await lock.release({ environment: plan.deploymentName, holder: plan.lock.holder });
      log(`core-deploy: released the deploy lock ${plan.lock.lockId}`);
    } catch (error) {
      const release = `the deploy lock ${plan.lock.lockId} was not released (${(error as Error).message}); it lapses on its own at its expiry`;
      failure = failure === undefined ? new DeployFailedError(release, { cause: error }) : new DeployFailedError(`${(failure as Error).message}; also, ${release}`, { cause: failure });
    }
  }
  if (failure !== undefined) throw failure;
  log(`core-deploy: ${what} ${plan.action === 'deploy' ? 'deployed' : 'torn down'}: ${plan.stacks.length} stack(s)`);
}

/**
 * Resolves the `--assembly` folder, refusing anything that is not a folder.
 *
 * @param assemblyDir the `cdk.out` folder, as given
 * @returns its absolute path
 * @throws DeployInputError when it is missing or a file
 */
export function assertAssemblyDir(assemblyDir: string): string {
  const resolved = path.resolve(assemblyDir);
  if (!existsSync(resolved) || !statSync(resolved).isDirectory()) {
    throw new DeployInputError(`--assembly: ${assemblyDir} is not a folder: pass the app's synthesized cdk.out (npx nx run <env>:synth)`);
  }
  return resolved;
}

/** The commit of the assembly: given, else CI's, else the checkout holding the assembly (it is synthesized in place). */
function resolveGitSha(given: string | undefined, env: NodeJS.ProcessEnv, assemblyDir: string): string | undefined {
  if (given !== undefined) {
    if (!GIT_SHA.test(given)) throw new DeployInputError(`--git-sha: "${given}" is not a full commit id: pass the 40-character sha the assembly was synthesized from`);
    return given;
  }
  if (env.GITHUB_SHA !== undefined && GIT_SHA.test(env.GITHUB_SHA)) return env.GITHUB_SHA;
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: assemblyDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return GIT_SHA.test(head) ? head : undefined;
  } catch {
    return undefined;
  }
}

function placeholderProblems(stacks: readonly DeployableStack[], target: DeployTarget): string[] {
  const stackAccounts = [...new Set(stacks.map((stack) => stack.account).filter((account): account is string => account !== undefined && isPlaceholderAccount(account)))];
  const found = stackAccounts.map((account) => `${account} (stacks)`);
  if (isPlaceholderAccount(target.stateStore.account)) found.push(`${target.stateStore.account} (meta account of the deployment state store)`);
  if (found.length === 0) return [];
  return [
    `placeholder account ids from the committed config: ${found.join(', ')}: supply the real ids in a config file named by ${CONFIG_FILE_ENV} (or -c configFile=…), synthesize again and deploy that assembly`,
  ];
}

function refuseUnlessDryRun(dryRun: boolean | undefined, problems: readonly string[]): void {
  if (!dryRun && problems.length > 0) throw new DeployInputError(`refused: ${problems.join('; ')} (--dry-run only plans, and accepts them)`);
}

function plannedLock(target: DeployTarget, options: DeployRunOptions, env: NodeJS.ProcessEnv): DeployPlan['lock'] {
  const minutes = options.lockTtlMinutes ?? DEFAULT_LOCK_TTL_MINUTES;
  return {
    tableName: target.stateStore.lockTableName,
    lockId: target.lockId,
    account: target.stateStore.account,
    region: target.stateStore.region,
    ttlSeconds: minutes * 60,
    holder: options.holder ?? defaultHolder(env),
    runId: options.runId ?? env.GITHUB_RUN_ID,
  };
}

function defaultHolder(env: NodeJS.ProcessEnv): string {
  if (env.GITHUB_ACTIONS === 'true') return `github-actions:${env.GITHUB_REPOSITORY ?? 'unknown-repository'}/${env.GITHUB_JOB ?? 'unknown-job'}`;
  let user = env.USER ?? 'unknown-user';
  try {
    user = userInfo().username;
  } catch {
    // Containers without a passwd entry for the uid have no user name; the variable is the next best.
  }
  return `${user}@${hostname()}`;
}

function planned(stacks: readonly DeployableStack[]): DeployPlan['stacks'] {
  return stacks.map((stack, index) => ({
    order: index + 1,
    id: stack.id,
    stackName: stack.stackName,
    account: stack.account,
    region: stack.region,
    deployRoleArn: stack.deployRoleArn,
    terminationProtection: stack.terminationProtection,
  }));
}

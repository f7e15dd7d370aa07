import { DEFAULT_CDK_BOOTSTRAP_QUALIFIER, deploymentLockId, deploymentLockTableName, deploymentStateBucketName } from '@core-infra/constructs';
import type { PolicyProfile } from '@core-infra/policies';
import { ConfigError, loadEnvironmentConfig, loadMetaConfig, type EnvironmentName } from '../config/load';
import { infrastructureDeploymentRoleName, reviewAppPrefix, roleArn, stateStoreName, type CiScope } from '../naming';
import type { DeployableStack } from './assembly-stacks';
import { DeployInputError } from './errors';

/** Where the deployment state store of an environment lives (always in the meta account). */
export interface DeploymentStateLocation {
  /** Store name, e.g. `core-non-prod`. */
  readonly storeName: string;
  /** The meta account, which holds the store. */
  readonly account: string;
  /** Region of the store's bucket and lock table. */
  readonly region: string;
  /** Lock table, e.g. `core-non-prod-deployment-lock`. */
  readonly lockTableName: string;
  /** State bucket, e.g. `core-non-prod-deployment-state-123456789012`. */
  readonly bucketName: string;
}

/** What one deployment targets, resolved from the environment's validated config. */
export interface DeployTarget {
  /** The environment, e.g. `dev`. */
  readonly environment: EnvironmentName;
  /** The review app deployed, when this is a review-app deployment of dev. */
  readonly reviewApp?: number;
  /**
   * Name the lock and the archive are kept under: the environment, or `review-<N>` for a review
   * app, so that review apps of different pull requests deploy independently of each other.
   */
  readonly deploymentName: string;
  /** Lock item key, e.g. `locks/staging`. */
  readonly lockId: string;
  /** Stage whose stacks are deployed, e.g. `core-staging` or `core-review-1234`. */
  readonly stage: string;
  /**
   * Stages the environment's assembly may hold: its own, plus dev's review apps. Any other stage
   * means the assembly of a different environment was passed.
   */
  readonly assemblyStages: RegExp;
  /** Account every deployed stack must target. */
  readonly account: string;
  /** Policy profile the assembly must have been validated in. */
  readonly policyProfile: PolicyProfile;
  /** The deployment state store that holds the lock and the archive. */
  readonly stateStore: DeploymentStateLocation;
  /**
   * The environment's infrastructure deployment role (review apps use dev's): the only principal
   * its CDK bootstrap roles trust, which `core-deploy` assumes for the CDK CLI.
   */
  readonly infrastructureRoleArn: string;
  /** Qualifier the account is bootstrapped with: the config's `bootstrapQualifier`, else CDK's default. */
  readonly bootstrapQualifier: string;
}

/** Options of {@link resolveDeployTarget}. */
export interface ResolveDeployTargetOptions {
  /**
   * Review app to deploy instead of the environment's own stacks (dev only).
   *
   * @default - the environment's own stacks
   */
  readonly reviewApp?: number;
  /**
   * Config override file, as for synthesis.
   *
   * @default - the file named by `CORE_CONFIG_FILE`, else the committed config alone
   */
  readonly configFile?: string;
}

/** Names of review-app stages, as {@link reviewAppPrefix} gives them. */
const REVIEW_APP_STAGE = /^core-review-[1-9]\d*$/;

/**
 * Resolves what a deployment of an environment (or one of dev's review apps) targets: its
 * stage, account, lock and state store. The store follows the environment's CI scope, because
 * each CI role may use only its own store; meta is deployed by the role its GitHub environment
 * gets (`github.productionEnvironments`).
 *
 * @param environment the environment
 * @param options review app and config file
 * @throws DeployInputError for an invalid config or a review app outside dev
 */
export function resolveDeployTarget(environment: EnvironmentName, options: ResolveDeployTargetOptions = {}): DeployTarget {
  if (options.reviewApp !== undefined && environment !== 'dev') {
    throw new DeployInputError(`--review-app: review apps live in dev, not ${environment}: drop --review-app ${options.reviewApp} or pass --env dev`);
  }
  try {
    if (environment === 'meta') {
      const config = loadMetaConfig({ configFile: options.configFile });
      const scope: CiScope = config.github.productionEnvironments.includes('meta') ? 'prod' : 'nonprod';
      return target(environment, config.prefix, config.account, onlyStage(config.prefix), 'baseline', stateLocation(scope, config.account, config.region), config);
    }
    const config = loadEnvironmentConfig(environment, { configFile: options.configFile });
    const store = stateLocation(config.ci.scope, config.registry.account, config.registry.region);
    // The dev assembly holds any number of review-app stages beside its own.
    const stages = config.stage === 'dev' ? new RegExp(`^(${escapeRegExp(config.prefix)}|${REVIEW_APP_STAGE.source.slice(1, -1)})$`) : onlyStage(config.prefix);
    const stage = options.reviewApp === undefined ? config.prefix : reviewAppPrefix(options.reviewApp);
    return target(environment, stage, config.account, stages, config.policyProfile, store, config, options.reviewApp);
  } catch (error) {
    if (error instanceof ConfigError) {
      const summary = error.message.split('\n')[0].replace(/:$/, '');
      throw new DeployInputError(`${summary}: ${error.problems.join('; ')}`);
    }
    throw error;
  }
}

/**
 * Picks the stacks a deployment covers from everything in the assembly: the target stage's
 * stacks only (dev's review apps are deployed one by one with `--review-app`), after checking
 * that the assembly is the target environment's and was synthesized for its account.
 *
 * @param stacks every stack of the assembly
 * @param deployTarget what is being deployed
 * @param assemblyDir the assembly, for messages
 * @throws DeployInputError when the assembly belongs to another environment or account, or lacks the stage
 */
export function selectTargetStacks(stacks: readonly DeployableStack[], deployTarget: DeployTarget, assemblyDir: string): DeployableStack[] {
  const stages = [...new Set(stacks.map((stack) => stack.stage ?? '(top level)'))].sort();
  const foreign = stacks.find((stack) => stack.stage === undefined || !deployTarget.assemblyStages.test(stack.stage));
  if (foreign) {
    throw new DeployInputError(
      `--assembly: ${assemblyDir} holds stack ${foreign.id}, which is not part of ${deployTarget.environment}: pass the ${deployTarget.environment} app's assembly, apps/${deployTarget.environment}/cdk.out`,
    );
  }
  const selected = stacks.filter((stack) => stack.stage === deployTarget.stage);
  if (selected.length === 0) {
    if (deployTarget.reviewApp !== undefined) {
      throw new DeployInputError(
        `--review-app: ${assemblyDir} has no stage ${deployTarget.stage} (it holds ${stages.join(', ')}): synthesize with -c reviewApps=${deployTarget.reviewApp} (or CORE_REVIEW_APPS=${deployTarget.reviewApp} npx nx run dev:synth) and run again`,
      );
    }
    throw new DeployInputError(`--assembly: ${assemblyDir} has no stacks of stage ${deployTarget.stage} (it holds ${stages.join(', ')}): pass the ${deployTarget.environment} app's assembly, apps/${deployTarget.environment}/cdk.out`);
  }
  const misplaced = selected.find((stack) => stack.account !== deployTarget.account);
  if (misplaced) {
    throw new DeployInputError(
      `--assembly: stack ${misplaced.id} targets account ${misplaced.account ?? 'unknown (environment-agnostic)'} but the ${deployTarget.environment} config names account ${deployTarget.account}: synthesize and deploy with the same config (CORE_CONFIG_FILE)`,
    );
  }
  return selected;
}

function target(
  environment: EnvironmentName,
  stage: string,
  account: string,
  assemblyStages: RegExp,
  policyProfile: PolicyProfile,
  stateStore: DeploymentStateLocation,
  config: { readonly prefix: string; readonly bootstrapQualifier?: string },
  reviewApp?: number,
): DeployTarget {
  const deploymentName = reviewApp === undefined ? environment : `review-${reviewApp}`;
  const infrastructureRoleArn = roleArn(account, infrastructureDeploymentRoleName(config.prefix));
  const bootstrapQualifier = config.bootstrapQualifier ?? DEFAULT_CDK_BOOTSTRAP_QUALIFIER;
  return { environment, reviewApp, deploymentName, lockId: deploymentLockId(deploymentName), stage, assemblyStages, account, policyProfile, stateStore, infrastructureRoleArn, bootstrapQualifier };
}

function onlyStage(stage: string): RegExp {
  return new RegExp(`^${escapeRegExp(stage)}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function stateLocation(scope: CiScope, metaAccount: string, region: string): DeploymentStateLocation {
  const storeName = stateStoreName(scope);
  return { storeName, account: metaAccount, region, lockTableName: deploymentLockTableName(storeName), bucketName: deploymentStateBucketName(storeName, metaAccount) };
}

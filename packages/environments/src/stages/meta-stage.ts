import { Duration, Stack, Stage, type StageProps } from 'aws-cdk-lib';
import {
  ContainerRegistry,
  DeploymentStateReplica,
  DeploymentStateStore,
  GitHubActionsAccess,
  type GitHubActionsRole,
  InfrastructureDeploymentRole,
  NxRemoteCache,
} from '@core-infra/constructs';
import type { Construct } from 'constructs';
import type { MetaConfig } from '../config/schema';
import {
  applicationDeploymentRoleName,
  ciRoleName,
  infrastructureDeploymentRoleName,
  nxCacheBucketName,
  nxCacheRoleName,
  type NxCacheTrustLevel,
  REVIEW_APP_NAME_PATTERN,
  roleArn,
  stateStoreName,
  taskExecutionRoleName,
  type CiScope,
} from '../naming';
import { MonitoringStack } from '../stacks/monitoring-stack';
import { useBootstrapQualifier } from './bootstrap-qualifier';
import { BOOTSTRAP_PERMISSIONS_BOUNDARY } from './permissions-boundary';

/** Props of {@link MetaStage}. */
export interface MetaStageProps extends StageProps {
  /** The validated meta config. */
  readonly config: MetaConfig;
}

/**
 * The meta account: monitoring, the container registry, the two deployment state stores with
 * their replicas, CI's shared Nx cache, GitHub Actions access, and the role CI uses to deploy
 * these stacks.
 */
export class MetaStage extends Stage {
  /** Alerting of the meta account. */
  public readonly monitoring: MonitoringStack;
  /** The `core` repository (and the migration repositories when enabled). */
  public readonly registry: ContainerRegistry;
  /** State stores by CI scope. */
  public readonly stateStores: Readonly<Record<CiScope, DeploymentStateStore>>;
  /** The GitHub OIDC provider and CI roles. */
  public readonly ciAccess: GitHubActionsAccess;
  /** CI's shared Nx cache (in the state stack). */
  public readonly nxCache: NxRemoteCache;
  /** The CI roles that use the Nx cache, by the trust level of the runs that assume them. */
  public readonly nxCacheRoles: Readonly<Record<NxCacheTrustLevel, GitHubActionsRole>>;

  constructor(scope: Construct, id: string, props: MetaStageProps) {
    super(scope, id, { permissionsBoundary: BOOTSTRAP_PERMISSIONS_BOUNDARY, ...props });
    useBootstrapQualifier(this, props.config.bootstrapQualifier);
    const { config } = props;
    const env = { account: config.account, region: config.region };

    this.monitoring = new MonitoringStack(this, 'monitoring', {
      env,
      prefix: config.prefix,
      displayName: 'Meta',
      budgetUsd: config.monitoring.budgetUsd,
      alertEmail: config.monitoring.alertEmail,
    });

    const registryStack = new Stack(this, 'registry', { env, terminationProtection: true });
    const workloads = Object.values(config.workloads);
    // A review-app environment (dev) runs only review apps, each with its own execution role;
    // the others run one app, whose execution role also pulls the migration images.
    const appEnvironments = workloads.filter((w) => !w.reviewApps);
    const appPullRoleArns = appEnvironments.map((w) => roleArn(w.account, taskExecutionRoleName(w.prefix)));
    this.registry = new ContainerRegistry(registryStack, 'Registry', {
      scanFindingsTopic: this.monitoring.alertTopic,
      applicationPullRoleArns: workloads.map((w) => roleArn(w.account, taskExecutionRoleName(w.reviewApps ? REVIEW_APP_NAME_PATTERN : w.prefix))),
      migrationRepositoriesEnabled: config.migrationRepositories,
      ...(config.migrationRepositories ? { dbMigrationPullRoleArns: appPullRoleArns, s3MigrationPullRoleArns: appPullRoleArns } : {}),
    });

    const replicaStack = new Stack(this, 'state-replica', { env: { account: config.account, region: config.replicaRegion }, terminationProtection: true });
    const stateStack = new Stack(this, 'state', { env, terminationProtection: true });
    const stores = {} as Record<CiScope, DeploymentStateStore>;
    for (const ciScope of ['nonprod', 'prod'] as const) {
      const storeName = stateStoreName(ciScope);
      new DeploymentStateReplica(replicaStack, `${ciScope}-replica`, { storeName });
      stores[ciScope] = new DeploymentStateStore(stateStack, ciScope, { storeName, replicaRegion: config.replicaRegion });
    }
    stateStack.addStackDependency(replicaStack, 'replication needs the replica buckets and keys to exist');
    this.stateStores = stores;

    const ciStack = new Stack(this, 'ci-access', { env });
    this.ciAccess = new GitHubActionsAccess(ciStack, 'GitHubActions');
    const metaDeployers: string[] = [];
    const scopeAccounts: Record<CiScope, { account: string; prefix: string }[]> = {
      nonprod: workloads.filter((w) => w.scope === 'nonprod'),
      prod: [...workloads.filter((w) => w.scope === 'prod'), { account: config.account, prefix: config.prefix }],
    };
    for (const repository of config.github.repositories) {
      const prodEnvironments = repository.environments.filter((e) => config.github.productionEnvironments.includes(e));
      const otherEnvironments = repository.environments.filter((e) => !config.github.productionEnvironments.includes(e));
      for (const ciScope of ['nonprod', 'prod'] as const) {
        const refs = ciScope === 'nonprod' ? repository.refs : [];
        const environments = ciScope === 'nonprod' ? otherEnvironments : prodEnvironments;
        if (refs.length === 0 && environments.length === 0) continue;
        const roleName = repository.deploys === 'infrastructure' ? infrastructureDeploymentRoleName : applicationDeploymentRoleName;
        const targets = scopeAccounts[ciScope].filter((w) => repository.deploys === 'infrastructure' || w.account !== config.account);
        const ciRole = this.ciAccess.addRole(`${repository.name}-${ciScope}`, {
          roleName: ciRoleName(repository.name, ciScope),
          owner: config.github.owner,
          repository: repository.name,
          refs,
          environments,
          deploymentRoleArns: targets.map((w) => roleArn(w.account, roleName(w.prefix))),
          pushRepositories: repository.deploys === 'application' ? [this.registry.application] : [],
          stateStore: stores[ciScope],
          description: `GitHub Actions in ${config.github.owner}/${repository.name} deploying ${repository.deploys} (${ciScope})`,
        });
        if (ciScope === 'prod' && repository.deploys === 'infrastructure') metaDeployers.push(ciRole.roleArn);
      }
    }

    this.nxCache = new NxRemoteCache(stateStack, 'NxCache', {
      bucketName: nxCacheBucketName(config.prefix, config.account),
      expiration: Duration.days(config.nxCache.expirationDays),
    });
    this.nxCacheRoles = this.addNxCacheRoles(config);

    new InfrastructureDeploymentRole(ciStack, 'InfrastructureDeploymentRole', {
      roleName: infrastructureDeploymentRoleName(config.prefix),
      // Role objects from this stack, so CloudFormation creates the trusted roles first.
      ciRoleArns: metaDeployers,
      bootstrapRegions: [config.region, config.replicaRegion],
      bootstrapQualifier: config.bootstrapQualifier,
    });
  }

  /**
   * One cache role per trust level (docs/guides/remote-cache.md). Runs on the trusted refs
   * write `main` entries; pull-request runs, which reach AWS only through the pull-request
   * environment, write `pull-requests` entries and may reuse `main` ones, never the reverse.
   * Neither role can do anything but use the cache. The deploying CI roles are not reused:
   * `core-infra-nonprod` is also assumed from pull requests (review apps' `dev` environment).
   */
  private addNxCacheRoles(config: MetaConfig): Record<NxCacheTrustLevel, GitHubActionsRole> {
    const { repository, trustedRefs, pullRequestEnvironment } = config.nxCache;
    const github = { owner: config.github.owner, repository };

    const main = this.ciAccess.addRole(`${repository}-nx-cache-main`, {
      ...github,
      roleName: nxCacheRoleName(repository, 'main'),
      refs: trustedRefs,
      description: `Nx cache of GitHub Actions in ${config.github.owner}/${repository} on ${trustedRefs.join(', ')}: reads and writes main entries`,
    });
    this.nxCache.grantReadWrite(main.role, 'main');

    const pullRequests = this.ciAccess.addRole(`${repository}-nx-cache-pull-requests`, {
      ...github,
      roleName: nxCacheRoleName(repository, 'pull-requests'),
      environments: [pullRequestEnvironment],
      description: `Nx cache of GitHub Actions in ${config.github.owner}/${repository} pull requests: reads and writes pull-requests entries, reads main entries`,
    });
    this.nxCache.grantReadWrite(pullRequests.role, 'pull-requests');
    this.nxCache.grantRead(pullRequests.role, 'main');

    return { main, 'pull-requests': pullRequests };
  }
}

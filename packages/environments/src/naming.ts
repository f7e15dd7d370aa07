/**
 * Names shared between environments. The meta account and the workload accounts refer to each
 * other's roles by ARN, so both sides derive the names here instead of spelling them twice.
 */

/** Which CI role a GitHub job gets: production deployments are kept apart from everything else. */
export type CiScope = 'nonprod' | 'prod';

/** Name of the CI role of a repository for a scope, e.g. `core-infra-nonprod`. */
export function ciRoleName(repository: string, scope: CiScope): string {
  return `${repository.slice(0, 50)}-${scope}`;
}

/** ARN of a CI role in the meta account. */
export function ciRoleArn(metaAccount: string, repository: string, scope: CiScope): string {
  return roleArn(metaAccount, ciRoleName(repository, scope));
}

/** Name of the role CI assumes to deploy CDK stacks into an account. */
export function infrastructureDeploymentRoleName(prefix: string): string {
  return `${prefix}-infrastructure-deployment`;
}

/** Name of the role CI assumes to deploy application images (task definitions, services). */
export function applicationDeploymentRoleName(prefix: string): string {
  return `${prefix}-deployment`;
}

/** Name of the ECS task execution role of an environment (it pulls the image). */
export function taskExecutionRoleName(prefix: string): string {
  return `${prefix}-task-execution`;
}

/** Name of the ECS task role of an environment (the application's own permissions). */
export function taskRoleName(prefix: string): string {
  return `${prefix}-task`;
}

/** Name of the deployment state store that holds an environment's locks and assemblies. */
export function stateStoreName(scope: CiScope): string {
  return scope === 'prod' ? 'core-prod' : 'core-non-prod';
}

/**
 * Trust level of a run that uses CI's shared Nx cache, which is also the key prefix its entries
 * live under: `main` for runs of reviewed code on a trusted ref, `pull-requests` for runs of
 * code nobody has reviewed yet (docs/guides/remote-cache.md).
 */
export type NxCacheTrustLevel = 'main' | 'pull-requests';

/** Name of the bucket behind CI's shared Nx cache, e.g. `core-meta-nx-cache-123456789012`. */
export function nxCacheBucketName(metaPrefix: string, metaAccount: string): string {
  return `${metaPrefix}-nx-cache-${metaAccount}`;
}

/** Name of the role a repository's CI runs of one trust level use the Nx cache with, e.g. `core-infra-nx-cache-main`. */
export function nxCacheRoleName(repository: string, trustLevel: NxCacheTrustLevel): string {
  return `${repository.slice(0, 40)}-nx-cache-${trustLevel}`;
}

/** ARN of a role from its account and name. */
export function roleArn(account: string, name: string): string {
  return `arn:aws:iam::${account}:role/${name}`;
}

/** Resource-name prefix of a review app, e.g. `core-review-1234`. */
export function reviewAppPrefix(reviewApp: number): string {
  return `${REVIEW_APP_PREFIX}-${reviewApp}`;
}

/** What every review app's resource names start with. */
export const REVIEW_APP_PREFIX = 'core-review';

/** IAM/ECS name pattern matching every review app's prefix, e.g. in `core-review-*-task`. */
export const REVIEW_APP_NAME_PATTERN = `${REVIEW_APP_PREFIX}-*`;

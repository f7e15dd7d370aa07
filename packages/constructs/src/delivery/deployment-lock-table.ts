/** Partition key of the lock table. */
export const DEPLOYMENT_LOCK_PARTITION_KEY = 'lockId';

/** Attribute the lock table's time-to-live reads (Unix epoch seconds). */
export const DEPLOYMENT_LOCK_TTL_ATTRIBUTE = 'expiresAt';

/**
 * The lock item key of an environment: `locks/<environment>`.
 *
 * @param environment environment name, e.g. `staging` or `review-1234`
 */
export function deploymentLockId(environment: string): string {
  return `locks/${environment}`;
}

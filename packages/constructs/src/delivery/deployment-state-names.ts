import { Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { propsError } from '../shared/errors';

const STORE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,22}[a-z0-9])?$/;

/** Region that holds the replicas of the deployment state stores unless told otherwise. */
export const DEFAULT_DEPLOYMENT_STATE_REPLICA_REGION = 'eu-west-1';

/**
 * Checks a deployment state store name (e.g. `core-non-prod`): it prefixes bucket, table
 * and alias names, so it must be short, lowercase and DNS-safe.
 *
 * @param scope the construct whose props these are, named in the error
 * @param storeName the name to check
 * @throws Error naming the bad value and the rule
 */
export function assertDeploymentStateStoreName(scope: IConstruct, storeName: string): void {
  if (!STORE_NAME.test(storeName)) {
    throw propsError(
      scope,
      `storeName must be 1 to 24 lowercase letters, digits or inner hyphens, got "${storeName}": it prefixes S3 bucket names, so choose a name such as "core-non-prod"`,
    );
  }
}

/**
 * Name of the state bucket of a store, e.g. `core-non-prod-deployment-state-123456789012`.
 * The account id keeps the globally unique S3 name predictable yet unclaimed by others.
 *
 * @param storeName store name, e.g. `core-non-prod`
 * @param account account id of the meta account
 */
export function deploymentStateBucketName(storeName: string, account: string): string {
  return `${storeName}-deployment-state-${account}`;
}

/**
 * Name of the replica bucket of a store, e.g. `core-non-prod-deployment-state-replica-123456789012`.
 *
 * @param storeName store name, e.g. `core-non-prod`
 * @param account account id of the meta account
 */
export function deploymentStateReplicaBucketName(storeName: string, account: string): string {
  return `${storeName}-deployment-state-replica-${account}`;
}

/**
 * Alias of the key that encrypts the replica bucket, e.g. `alias/core-non-prod/deployment-state-replica`.
 *
 * @param storeName store name, e.g. `core-non-prod`
 */
export function deploymentStateReplicaKeyAlias(storeName: string): string {
  return `alias/${storeName}/deployment-state-replica`;
}

/**
 * Name of the lock table of a store, e.g. `core-non-prod-deployment-lock`.
 *
 * @param storeName store name, e.g. `core-non-prod`
 */
export function deploymentLockTableName(storeName: string): string {
  return `${storeName}-deployment-lock`;
}

/**
 * Checks that the replica region differs from the source region (when both are known).
 *
 * @param scope the construct whose props these are, named in the error
 * @param sourceRegion region of the state store's stack
 * @param replicaRegion region of the replica
 */
export function assertReplicaRegion(scope: IConstruct, sourceRegion: string, replicaRegion: string): void {
  if (Token.isUnresolved(replicaRegion)) {
    throw propsError(scope, 'replicaRegion must be a literal region such as "eu-west-1": the replica is addressed by name, so it cannot come from a deploy-time value');
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(replicaRegion)) {
    throw propsError(scope, `replicaRegion must be an AWS region such as "eu-west-1", got "${replicaRegion}"`);
  }
  if (!Token.isUnresolved(sourceRegion) && sourceRegion === replicaRegion) {
    throw propsError(scope, `replicaRegion is "${replicaRegion}", the same region as the state store: replicate to a second region, e.g. "eu-west-1" for a store in "eu-west-2"`);
  }
}

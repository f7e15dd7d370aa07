import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EncryptionKey } from '../security/encryption-key';
import { SecureBucket } from '../storage/secure-bucket';
import { DEPLOYMENT_LOCK_PARTITION_KEY, DEPLOYMENT_LOCK_TTL_ATTRIBUTE } from './deployment-lock-table';
import {
  assertDeploymentStateStoreName,
  assertReplicaRegion,
  DEFAULT_DEPLOYMENT_STATE_REPLICA_REGION,
  deploymentLockTableName,
  deploymentStateBucketName,
  deploymentStateReplicaBucketName,
  deploymentStateReplicaKeyAlias,
} from './deployment-state-names';

/** Lock-table actions the deployment lock client uses. */
const LOCK_WRITE_ACTIONS = ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'];
const LOCK_READ_ACTIONS = ['dynamodb:DescribeTable', 'dynamodb:GetItem'];

/** Props for {@link DeploymentStateStore}. */
export interface DeploymentStateStoreProps {
  /** Name of the store, e.g. `core-non-prod` or `core-prod`; prefixes the bucket, table and alias names. */
  readonly storeName: string;

  /**
   * Region of the {@link DeploymentStateReplica} the bucket replicates to.
   *
   * @default 'eu-west-1'
   */
  readonly replicaRegion?: string;

  /**
   * What happens to the bucket, lock table and key when they leave the stack. Anything but
   * `DESTROY` also keeps the table's deletion protection on.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Where the deployment tooling keeps its state, in the meta account: a versioned, KMS-
 * encrypted, TLS-only, access-logged S3 bucket that replicates every object to a
 * {@link DeploymentStateReplica} in a second region, and a DynamoDB lock table (on-demand,
 * point-in-time recovery, deletion protection, same customer-managed key). Both are retained
 * by default.
 *
 * The contract (lock items `locks/<environment>`, archives under
 * `assemblies/<environment>/<timestamp>-<git sha>/`) is described in
 * `docs/deployment-state-store.md`; `DeploymentLock` in `@core-infra/environments` is its client for the lock.
 *
 * Replication keeps deletions out of the replica (delete markers are not replicated), so
 * the replica is a lossless copy even if the source is tampered with. Deploy the replica
 * stack first: S3 checks that the destination bucket exists.
 *
 * @example
 * new DeploymentStateReplica(replicaStack, 'Replica', { storeName: 'core-prod' }); // in eu-west-1
 * const store = new DeploymentStateStore(stack, 'Store', { storeName: 'core-prod', replicaRegion: 'eu-west-1' });
 * store.grantReadWrite(ciRole);
 */
export class DeploymentStateStore extends Construct {
  /** Name of the store. */
  public readonly storeName: string;

  /** The state bucket. */
  public readonly bucket: SecureBucket;

  /** Name of the state bucket, derived from the store name and account. */
  public readonly bucketName: string;

  /** The lock table. */
  public readonly lockTable: dynamodb.Table;

  /** Name of the lock table, derived from the store name. */
  public readonly lockTableName: string;

  /** Key that encrypts the bucket and the lock table. */
  public readonly encryptionKey: EncryptionKey;

  /** Region the bucket replicates to. */
  public readonly replicaRegion: string;

  /** Name of the replica bucket. */
  public readonly replicaBucketName: string;

  /** ARN of the replica bucket. */
  public readonly replicaBucketArn: string;

  /** ARN of the alias of the replica key. */
  public readonly replicaKeyAliasArn: string;

  /** Role S3 assumes to replicate objects. */
  public readonly replicationRole: iam.Role;

  /** Removal policy in force. */
  public readonly removalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, props: DeploymentStateStoreProps) {
    super(scope, id);
    assertDeploymentStateStoreName(this, props.storeName);

    const stack = Stack.of(this);
    this.storeName = props.storeName;
    this.replicaRegion = props.replicaRegion ?? DEFAULT_DEPLOYMENT_STATE_REPLICA_REGION;
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    assertReplicaRegion(this, stack.region, this.replicaRegion);

    this.replicaBucketName = deploymentStateReplicaBucketName(props.storeName, stack.account);
    this.replicaBucketArn = stack.formatArn({ service: 's3', region: '', account: '', resource: this.replicaBucketName });
    this.replicaKeyAliasArn = stack.formatArn({
      service: 'kms',
      region: this.replicaRegion,
      resource: deploymentStateReplicaKeyAlias(props.storeName),
      arnFormat: ArnFormat.NO_RESOURCE_NAME,
    });

    this.encryptionKey = new EncryptionKey(this, 'EncryptionKey', {
      description: `Encrypts the ${props.storeName} deployment state bucket and lock table`,
      alias: `${props.storeName}/deployment-state`,
      removalPolicy: this.removalPolicy,
    });

    // Names are fixed so the deployment tooling can find the store from configuration alone.
    this.bucketName = deploymentStateBucketName(props.storeName, stack.account);
    this.lockTableName = deploymentLockTableName(props.storeName);

    this.bucket = new SecureBucket(this, 'Bucket', {
      bucketName: this.bucketName,
      encryptionKey: this.encryptionKey,
      removalPolicy: this.removalPolicy,
    });

    this.replicationRole = this.createReplicationRole(this.bucket.bucket);
    (this.bucket.bucket.node.defaultChild as s3.CfnBucket).replicationConfiguration = {
      role: this.replicationRole.roleArn,
      rules: [
        {
          id: 'replicate-to-second-region',
          status: 'Enabled',
          priority: 1,
          filter: { prefix: '' },
          deleteMarkerReplication: { status: 'Disabled' },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
          destination: {
            bucket: this.replicaBucketArn,
            encryptionConfiguration: { replicaKmsKeyId: this.replicaKeyAliasArn },
          },
        },
      ],
    };

    this.lockTable = new dynamodb.Table(this, 'LockTable', {
      tableName: this.lockTableName,
      partitionKey: { name: DEPLOYMENT_LOCK_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: DEPLOYMENT_LOCK_TTL_ATTRIBUTE,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: this.removalPolicy !== RemovalPolicy.DESTROY,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.encryptionKey.key,
      removalPolicy: this.removalPolicy,
    });
  }

  /**
   * Lets the grantee (a CI role) take and release deploy locks, and read and add archived
   * assemblies. Archives are append-only: the grant has no `s3:DeleteObject`.
   *
   * @param grantee the CI role of the environments this store serves
   */
  public grantReadWrite(grantee: iam.IGrantable): iam.Grant {
    return this.bucket
      .grantRead(grantee)
      .combine(this.bucket.grantPut(grantee))
      .combine(this.grantLockTable(grantee, LOCK_WRITE_ACTIONS, ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']));
  }

  /**
   * Lets the grantee read locks and archived assemblies, e.g. a job that compares a change
   * with the last deployed baseline.
   *
   * @param grantee the role that reads the store
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.bucket.grantRead(grantee).combine(this.grantLockTable(grantee, LOCK_READ_ACTIONS, ['kms:Decrypt']));
  }

  private grantLockTable(grantee: iam.IGrantable, tableActions: string[], keyActions: string[]): iam.Grant {
    const viaDynamoDb = { viaServices: [`dynamodb.${Stack.of(this).region}.amazonaws.com`] };
    return iam.Grant.addToPrincipal({ grantee, actions: tableActions, resourceArns: [this.lockTable.tableArn] }).combine(
      this.encryptionKey.grant(grantee, [...keyActions, 'kms:DescribeKey'], viaDynamoDb),
    );
  }

  private createReplicationRole(source: s3.IBucket): iam.Role {
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'ReplicationRole', {
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: `Replicates the ${this.storeName} deployment state to ${this.replicaRegion}`,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'], resources: [source.bucketArn] }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
        resources: [source.arnForObjects('*')],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ReplicateObject', 's3:ReplicateTags'],
        resources: [`${this.replicaBucketArn}/*`],
      }),
    );
    this.encryptionKey.grantDecrypt(role, { viaServices: [`s3.${stack.region}.amazonaws.com`] });
    // The replica key is addressed by alias: its ARN is unknown here, and its key policy
    // cannot name this role because the replica stack is deployed before the role exists.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [stack.formatArn({ service: 'kms', region: this.replicaRegion, resource: 'key', resourceName: '*' })],
        conditions: {
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': deploymentStateReplicaKeyAlias(this.storeName) },
          StringEquals: { 'kms:ViaService': `s3.${this.replicaRegion}.amazonaws.com` },
        },
      }),
    );
    return role;
  }
}

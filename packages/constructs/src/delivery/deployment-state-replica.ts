import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EncryptionKey } from '../security/encryption-key';
import { SecureBucket } from '../storage/secure-bucket';
import { assertDeploymentStateStoreName, deploymentStateReplicaBucketName, deploymentStateReplicaKeyAlias } from './deployment-state-names';

/** Props for {@link DeploymentStateReplica}. */
export interface DeploymentStateReplicaProps {
  /** Name of the store this replica belongs to, e.g. `core-non-prod`; must match the source {@link DeploymentStateStore}. */
  readonly storeName: string;

  /**
   * What happens to the replica bucket and its key when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The second-region copy of a deployment state store: a versioned, TLS-only, access-logged
 * bucket encrypted with its own customer-managed key, retained by default.
 *
 * It lives in its own stack in the replica region and is deployed before the source store.
 * Bucket name and key alias derive from the store name and account, so the source side
 * addresses the replica by those names and no cross-region reference is needed. The source's
 * replication role is authorised through its own IAM policy (limited by the key alias and
 * `kms:ViaService`), because the role does not exist yet when this stack is deployed.
 */
export class DeploymentStateReplica extends Construct {
  /** The replica bucket. */
  public readonly bucket: SecureBucket;

  /** Name of the replica bucket, derived from the store name and account. */
  public readonly bucketName: string;

  /** Key that encrypts replicated objects. */
  public readonly encryptionKey: EncryptionKey;

  /** Alias of the replica key, including `alias/`. */
  public readonly keyAlias: string;

  /** Removal policy in force. */
  public readonly removalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, props: DeploymentStateReplicaProps) {
    super(scope, id);
    assertDeploymentStateStoreName(this, props.storeName);

    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.keyAlias = deploymentStateReplicaKeyAlias(props.storeName);

    this.encryptionKey = new EncryptionKey(this, 'EncryptionKey', {
      description: `Encrypts the replica of the ${props.storeName} deployment state`,
      alias: this.keyAlias,
      removalPolicy: this.removalPolicy,
    });

    // The literal name, not the bucket's Ref, is what the source store replicates to.
    this.bucketName = deploymentStateReplicaBucketName(props.storeName, Stack.of(this).account);
    this.bucket = new SecureBucket(this, 'Bucket', {
      bucketName: this.bucketName,
      encryptionKey: this.encryptionKey,
      removalPolicy: this.removalPolicy,
    });
  }
}

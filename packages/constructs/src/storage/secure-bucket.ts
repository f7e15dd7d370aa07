import { type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EncryptionKey } from '../security/encryption-key';
import { AccessLogBucket } from './access-log-bucket';
import { type BaseBucketProps, BUCKET_SECURITY_DEFAULTS, lifecycleRulesFor, type ResolvedBucketLifecycle, resolveBucketLifecycle, resolveBucketRemovalPolicy } from './bucket-defaults';
import { propsError } from '../shared/errors';

/** How a {@link SecureBucket} encrypts objects at rest. */
export enum SecureBucketEncryption {
  /** SSE-KMS with a customer-managed key and an S3 bucket key. The choice for data. */
  KMS = 'KMS',
  /**
   * SSE-S3 (AES-256 with S3-managed keys), only for buckets an AWS service writes into that
   * cannot use a customer-managed key.
   */
  S3_MANAGED = 'S3_MANAGED',
}

/** Props for {@link SecureBucket}. */
export interface SecureBucketProps extends BaseBucketProps {
  /**
   * How objects are encrypted at rest.
   *
   * @default SecureBucketEncryption.KMS
   */
  readonly encryption?: SecureBucketEncryption;

  /**
   * Customer-managed key for SSE-KMS. Only valid with `SecureBucketEncryption.KMS`.
   *
   * @default - a new rotating {@link EncryptionKey} dedicated to this bucket
   */
  readonly encryptionKey?: EncryptionKey;

  /**
   * Keep every version of every object, so overwrites and deletes can be undone.
   *
   * @default true
   */
  readonly versioned?: boolean;

  /**
   * Bucket that receives this bucket's S3 server access logs.
   *
   * @default - a new {@link AccessLogBucket} dedicated to this bucket
   */
  readonly serverAccessLogsBucket?: AccessLogBucket;

  /**
   * Key prefix for this bucket's server access logs in the log bucket.
   *
   * @default - no prefix; log objects are partitioned by account, region, source bucket and date
   */
  readonly serverAccessLogsPrefix?: string;
}

/**
 * A private S3 bucket for application data: public access blocked, TLS 1.2+ only, ACLs
 * disabled, SSE-KMS with a rotating customer-managed key and bucket key (or SSE-S3 when an
 * AWS service writer requires it), versioned, with an abort-incomplete-multipart rule plus any
 * expiry and noncurrent-version rules configured, server access logging into an
 * {@link AccessLogBucket}, and retained when removed from the stack.
 *
 * Grant access with {@link grantRead}, {@link grantReadWrite} and {@link grantPut}; each also
 * grants the matching use of the KMS key, limited to requests made through S3.
 *
 * @example
 * const logs = new AccessLogBucket(stack, 'AccessLogs');
 * const bucket = new SecureBucket(stack, 'Documents', { serverAccessLogsBucket: logs, expiration: Duration.days(30) });
 * bucket.grantReadWrite(taskRole);
 */
export class SecureBucket extends Construct {
  /** The bucket. */
  public readonly bucket: s3.Bucket;

  /** Name of the bucket. */
  public readonly bucketName: string;

  /** ARN of the bucket. */
  public readonly bucketArn: string;

  /** Encryption in force. */
  public readonly encryption: SecureBucketEncryption;

  /** The key objects are encrypted with; undefined for SSE-S3. */
  public readonly encryptionKey?: EncryptionKey;

  /** Whether the bucket is versioned. */
  public readonly versioned: boolean;

  /** Lifecycle settings in force. */
  public readonly lifecycle: ResolvedBucketLifecycle;

  /** The bucket receiving this bucket's server access logs. */
  public readonly serverAccessLogsBucket: AccessLogBucket;

  /** Removal policy in force. */
  public readonly removalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, props: SecureBucketProps = {}) {
    super(scope, id);

    this.encryption = props.encryption ?? SecureBucketEncryption.KMS;
    this.versioned = props.versioned ?? true;
    this.removalPolicy = resolveBucketRemovalPolicy(this, props.removalPolicy);

    if (props.encryptionKey !== undefined && this.encryption !== SecureBucketEncryption.KMS) {
      throw propsError(this, `encryptionKey is given but encryption is ${this.encryption}: set encryption to SecureBucketEncryption.KMS or remove encryptionKey`);
    }
    this.lifecycle = resolveBucketLifecycle(this, props, this.versioned);

    if (this.encryption === SecureBucketEncryption.KMS) {
      this.encryptionKey =
        props.encryptionKey ??
        new EncryptionKey(this, 'Key', {
          description: `Encrypts objects in the S3 bucket ${this.node.path}`,
          removalPolicy: this.removalPolicy,
        });
    }

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...BUCKET_SECURITY_DEFAULTS,
      bucketName: props.bucketName,
      encryption: this.encryptionKey === undefined ? s3.BucketEncryption.S3_MANAGED : s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey?.key,
      bucketKeyEnabled: this.encryptionKey === undefined ? undefined : true,
      versioned: this.versioned,
      lifecycleRules: lifecycleRulesFor(this.lifecycle, this.versioned),
      removalPolicy: this.removalPolicy,
    });
    this.bucketName = this.bucket.bucketName;
    this.bucketArn = this.bucket.bucketArn;

    this.serverAccessLogsBucket = props.serverAccessLogsBucket ?? new AccessLogBucket(this, 'AccessLogs', { removalPolicy: this.removalPolicy });
    // Logging is configured on the L1 so the log bucket's policy stays ours: the L2 would add
    // an unconditioned logging.s3 statement when the log bucket lives in another stack.
    (this.bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: this.serverAccessLogsBucket.bucketName,
      logFilePrefix: props.serverAccessLogsPrefix,
      targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: 'EventTime' } },
    };
    this.serverAccessLogsBucket.allowServerAccessLogsFrom(this.bucket, props.serverAccessLogsPrefix);
  }

  /**
   * Lets the grantee list the bucket and read objects (and decrypt them).
   *
   * @param grantee role reading the bucket, e.g. the app task role
   * @param objectsKeyPattern objects the grant covers
   */
  public grantRead(grantee: iam.IGrantable, objectsKeyPattern = '*'): iam.Grant {
    return this.grantAccess(grantee, { list: true, objectActions: ['s3:GetObject'], objectsKeyPattern, decrypt: true, encrypt: false });
  }

  /**
   * Lets the grantee list, read, write and delete objects (and use the key both ways).
   *
   * @param grantee role using the bucket, e.g. the app task role
   * @param objectsKeyPattern objects the grant covers
   */
  public grantReadWrite(grantee: iam.IGrantable, objectsKeyPattern = '*'): iam.Grant {
    return this.grantAccess(grantee, {
      list: true,
      objectActions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      objectsKeyPattern,
      decrypt: true,
      encrypt: true,
    });
  }

  /**
   * Lets the grantee write new objects only (and encrypt them), without listing or reading
   * anything back.
   *
   * @param grantee role writing into the bucket
   * @param objectsKeyPattern objects the grant covers
   */
  public grantPut(grantee: iam.IGrantable, objectsKeyPattern = '*'): iam.Grant {
    return this.grantAccess(grantee, { list: false, objectActions: ['s3:PutObject'], objectsKeyPattern, decrypt: false, encrypt: true });
  }

  private grantAccess(grantee: iam.IGrantable, access: { list: boolean; objectActions: string[]; objectsKeyPattern: string; decrypt: boolean; encrypt: boolean }): iam.Grant {
    let grant = iam.Grant.addToPrincipalOrResource({
      grantee,
      actions: access.objectActions,
      resourceArns: [this.bucket.arnForObjects(access.objectsKeyPattern)],
      resource: this.bucket,
    });
    if (access.list) {
      grant = grant.combine(iam.Grant.addToPrincipalOrResource({ grantee, actions: ['s3:ListBucket'], resourceArns: [this.bucketArn], resource: this.bucket }));
    }
    if (this.encryptionKey !== undefined) {
      const viaS3 = { viaServices: [`s3.${Stack.of(this).region}.amazonaws.com`] };
      const actions = [...(access.decrypt ? ['kms:Decrypt'] : []), ...(access.encrypt ? ['kms:Encrypt', 'kms:GenerateDataKey'] : [])];
      grant = grant.combine(this.encryptionKey.grant(grantee, actions, viaS3));
    }
    return grant;
  }
}

import { Duration, type RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { type BaseBucketProps, BUCKET_ROLE_TAG, BUCKET_SECURITY_DEFAULTS, lifecycleRulesFor, type ResolvedBucketLifecycle, resolveBucketLifecycle, resolveBucketRemovalPolicy } from './bucket-defaults';
import { propsError } from '../shared/errors';

/** Props for {@link AccessLogBucket}. */
export interface AccessLogBucketProps extends BaseBucketProps {
  /**
   * Delete log objects this long after they were written.
   *
   * @default - 90 days
   */
  readonly expiration?: Duration;

  /**
   * Move noncurrent log versions to infrequent access this long after they become noncurrent.
   *
   * @default - 30 days
   */
  readonly noncurrentVersionTransitionAfter?: Duration;

  /**
   * Delete noncurrent log versions this long after they become noncurrent.
   *
   * @default - 90 days
   */
  readonly noncurrentVersionExpiration?: Duration;

  /**
   * Let Elastic Load Balancing deliver load balancer access logs into the bucket (under
   * {@link elbLogPrefix}), through the region's ELB log-delivery account or, in regions that
   * have none, the `logdelivery.elasticloadbalancing.amazonaws.com` service principal.
   *
   * @default false
   */
  readonly elbLogDelivery?: boolean;

  /**
   * Key prefix the load balancer writes under; must match the load balancer's
   * `access_logs.s3.prefix` attribute.
   *
   * @default - no prefix (logs land under `AWSLogs/<account>/`)
   */
  readonly elbLogPrefix?: string;

  /**
   * Enable the object ACLs that CloudFront standard (legacy) logging needs: CloudFront grants
   * its log-delivery account FULL_CONTROL through an ACL, which a bucket with ACLs disabled
   * rejects. Sets object ownership to BucketOwnerPreferred so the bucket owner still owns
   * every object written with `bucket-owner-full-control`.
   *
   * @default false - ACLs disabled (BucketOwnerEnforced)
   */
  readonly cloudFrontLegacyLogging?: boolean;
}

/**
 * An S3 bucket that receives access logs from other buckets (server access logging), from
 * load balancers and from CloudFront standard logging.
 *
 * It is encrypted with SSE-S3 because S3 server access logging cannot deliver into an SSE-KMS
 * bucket, and ELB access logs support only SSE-S3. It is versioned, TLS-only, blocks public
 * access, keeps logs for 90 days by default (noncurrent versions move to infrequent access
 * after 30 days and are deleted after 90), and is retained when removed from the stack. It is
 * the end of the logging chain, so it does not log its own access.
 *
 * Writers are admitted one by one: {@link allowServerAccessLogsFrom} for S3 buckets (done for
 * you by `SecureBucket`), {@link allowElbLogDelivery} for load balancers.
 */
export class AccessLogBucket extends Construct {
  /** The bucket. */
  public readonly bucket: s3.Bucket;

  /** Name of the bucket. */
  public readonly bucketName: string;

  /** ARN of the bucket. */
  public readonly bucketArn: string;

  /** Lifecycle settings in force. */
  public readonly lifecycle: ResolvedBucketLifecycle;

  /** Object ownership in force. */
  public readonly objectOwnership: s3.ObjectOwnership;

  /** Removal policy in force. */
  public readonly removalPolicy: RemovalPolicy;

  private readonly serverAccessLogSources = new Set<string>();
  private elbLogDeliveryAllowed = false;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps = {}) {
    super(scope, id);

    this.removalPolicy = resolveBucketRemovalPolicy(this, props.removalPolicy);
    this.objectOwnership = props.cloudFrontLegacyLogging ? s3.ObjectOwnership.BUCKET_OWNER_PREFERRED : BUCKET_SECURITY_DEFAULTS.objectOwnership;
    this.lifecycle = resolveBucketLifecycle(
      this,
      {
        ...props,
        expiration: props.expiration ?? Duration.days(90),
        noncurrentVersionTransitionAfter: props.noncurrentVersionTransitionAfter ?? Duration.days(30),
        noncurrentVersionExpiration: props.noncurrentVersionExpiration ?? Duration.days(90),
      },
      true,
    );
    if (props.elbLogPrefix !== undefined && !props.elbLogDelivery) {
      throw propsError(this, `elbLogPrefix is "${props.elbLogPrefix}" but elbLogDelivery is not enabled: set elbLogDelivery to true or remove elbLogPrefix`);
    }

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...BUCKET_SECURITY_DEFAULTS,
      bucketName: props.bucketName,
      objectOwnership: this.objectOwnership,
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      lifecycleRules: lifecycleRulesFor(this.lifecycle, true),
      removalPolicy: this.removalPolicy,
    });
    this.bucketName = this.bucket.bucketName;
    this.bucketArn = this.bucket.bucketArn;
    Tags.of(this.bucket).add(BUCKET_ROLE_TAG, props.cloudFrontLegacyLogging ? 'cloudfront-logs' : 'access-logs');

    if (props.elbLogDelivery) {
      this.allowElbLogDelivery(props.elbLogPrefix);
    }
  }

  /**
   * Admits S3 server access logs from a source bucket. The statement is limited to this
   * account (`aws:SourceAccount`) and, when the source's ARN is known without a cross-stack
   * reference, to that bucket (`aws:SourceArn`); a source in another stack is admitted by
   * account only, because naming it would make this bucket's stack depend on the source's
   * stack while the source already depends on this one.
   *
   * @param source the bucket whose access is logged
   * @param prefix key prefix the source logs under, e.g. `bulk-upload/`
   */
  public allowServerAccessLogsFrom(source: s3.IBucket, prefix?: string): void {
    const nameable = Stack.of(source) === Stack.of(this) || !Token.isUnresolved(source.bucketName);
    const sourceArn = nameable ? source.bucketArn : undefined;
    const key = `${sourceArn === undefined ? '*' : source.node.path}|${prefix ?? ''}`;
    if (this.serverAccessLogSources.has(key)) return;
    this.serverAccessLogSources.add(key);

    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.ALLOW,
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${prefix ?? ''}*`)],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ...(sourceArn === undefined ? {} : { ArnLike: { 'aws:SourceArn': sourceArn } }),
        },
      }),
    );
  }

  /**
   * Admits Elastic Load Balancing access logs for load balancers of this account.
   *
   * @param prefix key prefix configured on the load balancer
   */
  public allowElbLogDelivery(prefix?: string): void {
    if (this.elbLogDeliveryAllowed) return;
    this.elbLogDeliveryAllowed = true;

    const stack = Stack.of(this);
    const keyPrefix = prefix === undefined || prefix === '' ? '' : `${prefix.replace(/\/+$/, '')}/`;
    const region = stack.region;
    // Regions launched before August 2022 deliver from a regional ELB account; newer regions
    // (and an environment-agnostic stack) use the log-delivery service principal.
    const elbAccount = Token.isUnresolved(region) ? undefined : RegionInfo.get(region).elbv2Account;
    const principal = elbAccount === undefined ? new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com') : new iam.AccountPrincipal(elbAccount);

    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.ALLOW,
        principals: [principal],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${keyPrefix}AWSLogs/${stack.account}/*`)],
      }),
    );
  }
}

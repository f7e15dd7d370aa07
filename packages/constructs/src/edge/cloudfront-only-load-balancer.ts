import { CfnOutput, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, type IConstruct } from 'constructs';
import { EncryptionKey } from '../security/encryption-key';
import { AccessLogBucket } from '../storage/access-log-bucket';
import { ExternallyValidatedCertificate } from './externally-validated-certificate';
import { propsError } from '../shared/errors';

/**
 * IDs of the AWS-managed prefix list `com.amazonaws.global.cloudfront.origin-facing` in each
 * region (the list is global, its ID is not). Kept here so synthesis needs no lookup.
 */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS: Readonly<Record<string, string>> = {
  'ap-northeast-1': 'pl-58a04531',
  'ap-northeast-2': 'pl-22a6434b',
  'ap-south-1': 'pl-9aa247f3',
  'ap-southeast-1': 'pl-31a34658',
  'ap-southeast-2': 'pl-b8a742d1',
  'ca-central-1': 'pl-38a64351',
  'eu-central-1': 'pl-a3a144ca',
  'eu-north-1': 'pl-fab65393',
  'eu-west-1': 'pl-4fa04526',
  'eu-west-2': 'pl-93a247fa',
  'eu-west-3': 'pl-75b1541c',
  'sa-east-1': 'pl-5da64334',
  'us-east-1': 'pl-3b927c52',
  'us-east-2': 'pl-b6a144df',
  'us-west-1': 'pl-4ea04527',
  'us-west-2': 'pl-82a045eb',
};

/** Region whose copy of the origin-header secret CloudFront's stack reads: CloudFront is configured from us-east-1. */
export const CLOUDFRONT_REGION = 'us-east-1';

/** Props for {@link CloudFrontOnlyLoadBalancer}. */
export interface CloudFrontOnlyLoadBalancerProps {
  /** VPC of the load balancer. */
  readonly vpc: ec2.IVpc;

  /**
   * Subnets of the load balancer.
   *
   * @default - the VPC's public subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Host name CloudFront uses to reach the load balancer (the certificate's domain), e.g.
   * `lb.submit-social-housing-data.communities.gov.uk`. Its DNS record, pointing at
   * {@link CloudFrontOnlyLoadBalancer.loadBalancerDnsName}, is managed outside AWS.
   */
  readonly domainName: string;

  /**
   * Certificate of the HTTPS listener.
   *
   * @default - a new DNS-validated certificate for {@link domainName}, with its validation records as stack outputs
   */
  readonly certificate?: acm.ICertificate;

  /**
   * Create the HTTPS listener and, unless {@link certificate} is given, its certificate. Turn it
   * off for the first deployment of an environment whose certificate's DNS validation records do
   * not exist yet: CloudFormation would wait on them, and only a person outside AWS can add them.
   * The load balancer, its security group, the origin-header secret and the DNS-name output are
   * created either way, so the origin's DNS record can be added before the listener exists.
   * Turning it on later adds the certificate and the listener and replaces nothing.
   *
   * @default true
   */
  readonly createHttpsListener?: boolean;

  /**
   * ID of the `com.amazonaws.global.cloudfront.origin-facing` managed prefix list in this
   * stack's region.
   *
   * @default - the ID from {@link CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS} for the stack's region
   */
  readonly cloudFrontPrefixListId?: string;

  /**
   * Bucket that receives the load balancer's access logs. Its policy is extended to admit
   * Elastic Load Balancing.
   *
   * @default - a new access-log bucket
   */
  readonly accessLogBucket?: AccessLogBucket;

  /**
   * Key prefix of the access logs in the bucket.
   *
   * @default 'load-balancer'
   */
  readonly accessLogPrefix?: string;

  /**
   * Name of the Secrets Manager secret holding the origin-header value. The edge stack reads
   * the secret by this name in {@link CLOUDFRONT_REGION}, where it is replicated.
   *
   * @default - `<stack name>/<construct id>/cloudfront-origin-header`
   */
  readonly originHeaderSecretName?: string;

  /**
   * ARN, ID or alias (e.g. `alias/core-prod-edge`) of a customer-managed key in
   * {@link CLOUDFRONT_REGION} for the secret's replica. That key has to exist before this
   * stack deploys, so it cannot come from the edge stack, which deploys after this one.
   *
   * @default - the replica uses the Secrets Manager AWS-managed key of that region
   */
  readonly originHeaderReplicaKeyId?: string;

  /**
   * Key that encrypts the origin-header secret (and the certificate record reader's logs).
   *
   * @default - a new key with yearly rotation, kept or destroyed with {@link removalPolicy}
   */
  readonly encryptionKey?: EncryptionKey;

  /**
   * What happens to the secret, the key and the log bucket this construct creates when they
   * leave the stack. Deletion protection of the load balancer is separate.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Refuse deletion of the load balancer until this is turned off.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * Physical name of the load balancer (at most 32 characters).
   *
   * @default - generated by CloudFormation
   */
  readonly loadBalancerName?: string;

  /**
   * How long an idle connection stays open.
   *
   * @default Duration.seconds(60)
   */
  readonly idleTimeout?: Duration;
}

/**
 * An internet-facing Application Load Balancer that only CloudFront can use.
 *
 * - Its security group admits only TCP 443 from CloudFront's origin-facing prefix list and
 *   sends traffic only where targets are registered (e.g. the app tasks on 8080).
 * - Its single HTTPS listener (TLS 1.3/1.2 policy `ELBSecurityPolicy-TLS13-1-2-2021-06`)
 *   answers a fixed `403: Forbidden` unless a listener rule matches; rules added by
 *   `WebApplication` forward only requests carrying {@link originHeaderSecret}'s value in
 *   `X-CLOUDFRONT-HEADER`. There is no HTTP listener: CloudFront redirects to HTTPS.
 * - It drops invalid header fields, is deletion-protected and logs access to S3.
 * - With `createHttpsListener: false` (an environment's first deployment) it has no listener
 *   and no certificate yet: nothing waits on DNS validation records, and nothing is served.
 * - The origin-header secret is generated in Secrets Manager (32 characters, no
 *   punctuation), encrypted with a customer-managed key and replicated to us-east-1 so the
 *   CloudFront stack can resolve it by name. It is not rotated automatically: CloudFront and
 *   the listener rules read the value only when their stacks deploy, so a new value takes
 *   effect once both stacks are redeployed (requests in between get the listener's 403).
 *
 * @example
 * const frontDoor = new CloudFrontOnlyLoadBalancer(stack, 'FrontDoor', {
 *   vpc: network.vpc,
 *   domainName: 'lb.submit-social-housing-data.communities.gov.uk',
 *   originHeaderSecretName: 'core-prod/cloudfront-origin-header',
 * });
 */
export class CloudFrontOnlyLoadBalancer extends Construct {
  /** The load balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;

  /**
   * The HTTPS listener that listener rules attach to; undefined when
   * {@link CloudFrontOnlyLoadBalancerProps.createHttpsListener} is false.
   */
  public readonly httpsListener?: elbv2.ApplicationListener;

  /** Security group of the load balancer. */
  public readonly securityGroup: ec2.SecurityGroup;

  /** Secret whose value CloudFront sends in the origin header. */
  public readonly originHeaderSecret: secretsmanager.Secret;

  /** Name of {@link originHeaderSecret}, the same in every region it is replicated to. */
  public readonly originHeaderSecretName: string;

  /**
   * Certificate of the HTTPS listener; undefined when
   * {@link CloudFrontOnlyLoadBalancerProps.createHttpsListener} is false.
   */
  public readonly certificate?: acm.ICertificate;

  /** Bucket of the access logs. */
  public readonly accessLogBucket: AccessLogBucket;

  /** Key of the origin-header secret. */
  public readonly encryptionKey: EncryptionKey;

  /** Host name CloudFront uses as the origin. */
  public readonly domainName: string;

  /** DNS name AWS gave the load balancer, the target of {@link domainName}'s DNS record. */
  public readonly loadBalancerDnsName: string;

  /** ID of the CloudFront prefix list admitted on 443. */
  public readonly cloudFrontPrefixListId: string;

  constructor(scope: Construct, id: string, props: CloudFrontOnlyLoadBalancerProps) {
    super(scope, id);

    const stack = Stack.of(this);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.domainName = props.domainName;
    this.cloudFrontPrefixListId = props.cloudFrontPrefixListId ?? defaultPrefixListId(this, stack.region);
    if (!Token.isUnresolved(this.cloudFrontPrefixListId) && !/^pl-[0-9a-f]{8,17}$/.test(this.cloudFrontPrefixListId)) {
      throw propsError(this, `cloudFrontPrefixListId must be a prefix list ID such as "pl-93a247fa", got "${this.cloudFrontPrefixListId}"`);
    }
    const accessLogPrefix = props.accessLogPrefix ?? 'load-balancer';
    if (!/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/.test(accessLogPrefix) || accessLogPrefix.includes('AWSLogs')) {
      throw propsError(this, `accessLogPrefix must be an S3 key prefix without leading or trailing "/" and without "AWSLogs", got "${accessLogPrefix}"`);
    }
    if (props.loadBalancerName !== undefined && !Token.isUnresolved(props.loadBalancerName) && !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(props.loadBalancerName)) {
      throw propsError(this, `loadBalancerName must be 1 to 32 letters, digits or hyphens, not starting or ending with a hyphen, got "${props.loadBalancerName}"`);
    }
    const stackName = Token.isUnresolved(stack.stackName) ? stack.node.id : stack.stackName;
    this.originHeaderSecretName = props.originHeaderSecretName ?? `${stackName}/${this.node.id}/cloudfront-origin-header`;
    if (!Token.isUnresolved(this.originHeaderSecretName) && !/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(this.originHeaderSecretName)) {
      throw propsError(this, `originHeaderSecretName may contain only letters, digits and /_+=.@-, got "${this.originHeaderSecretName}"`);
    }
    if (props.originHeaderReplicaKeyId !== undefined && !Token.isUnresolved(props.originHeaderReplicaKeyId) && !/^(arn:aws[a-z-]*:kms:us-east-1:\d{12}:(key|alias)\/.+|alias\/.+|[0-9a-f-]{36}|mrk-[0-9a-f]{32})$/.test(props.originHeaderReplicaKeyId)) {
      throw propsError(this, `originHeaderReplicaKeyId must be a key ID, an alias name or a key/alias ARN in ${CLOUDFRONT_REGION}, got "${props.originHeaderReplicaKeyId}"`);
    }
    const createHttpsListener = props.createHttpsListener ?? true;
    if (!createHttpsListener && props.certificate !== undefined) {
      throw propsError(this, 'certificate is given but createHttpsListener is false: the certificate only serves the HTTPS listener; remove certificate or turn the listener on');
    }
    if (stack.region === CLOUDFRONT_REGION && props.originHeaderReplicaKeyId !== undefined) {
      throw propsError(this, `originHeaderReplicaKeyId is set but the stack is in ${CLOUDFRONT_REGION}, where no replica is needed: remove originHeaderReplicaKeyId`);
    }

    this.encryptionKey =
      props.encryptionKey ?? new EncryptionKey(this, 'Key', { description: 'Encrypts the CloudFront origin-header secret of the load balancer', removalPolicy });

    this.originHeaderSecret = new secretsmanager.Secret(this, 'OriginHeaderSecret', {
      secretName: this.originHeaderSecretName,
      description: 'Value CloudFront sends in X-CLOUDFRONT-HEADER; the load balancer forwards only requests that carry it',
      encryptionKey: this.encryptionKey.key,
      generateSecretString: { passwordLength: 32, excludePunctuation: true, includeSpace: false },
      replicaRegions: stack.region === CLOUDFRONT_REGION ? undefined : [{ region: CLOUDFRONT_REGION }],
      removalPolicy,
    });
    if (props.originHeaderReplicaKeyId !== undefined) {
      // The L2 only takes a key object; an alias or key in another region is set on the L1.
      (this.originHeaderSecret.node.defaultChild as secretsmanager.CfnSecret).addPropertyOverride('ReplicaRegions.0.KmsKeyId', props.originHeaderReplicaKeyId);
    }

    if (props.certificate !== undefined) {
      this.certificate = props.certificate;
    } else if (createHttpsListener) {
      this.certificate = new ExternallyValidatedCertificate(this, 'Certificate', {
        domainName: props.domainName,
        encryptionKey: this.encryptionKey,
        removalPolicy,
      }).certificate;
    }

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: 'CORE load balancer: HTTPS from CloudFront origin-facing servers only; out only to registered targets',
    });
    this.securityGroup.addIngressRule(ec2.Peer.prefixList(this.cloudFrontPrefixListId), ec2.Port.tcp(443), 'HTTPS from CloudFront origin-facing servers');

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets ?? { subnetType: ec2.SubnetType.PUBLIC },
      internetFacing: true,
      securityGroup: this.securityGroup,
      loadBalancerName: props.loadBalancerName,
      deletionProtection: props.deletionProtection ?? true,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: elbv2.DesyncMitigationMode.DEFENSIVE,
      http2Enabled: true,
      idleTimeout: props.idleTimeout ?? Duration.seconds(60),
    });
    this.loadBalancerDnsName = this.loadBalancer.loadBalancerDnsName;

    this.accessLogBucket = props.accessLogBucket ?? new AccessLogBucket(this, 'AccessLogs', { removalPolicy });
    this.accessLogBucket.allowElbLogDelivery(accessLogPrefix);
    this.loadBalancer.setAttribute('access_logs.s3.enabled', 'true');
    this.loadBalancer.setAttribute('access_logs.s3.bucket', this.accessLogBucket.bucketName);
    this.loadBalancer.setAttribute('access_logs.s3.prefix', accessLogPrefix);
    // ELB checks that it may write into the bucket when the attribute is set.
    this.loadBalancer.node.addDependency(this.accessLogBucket);

    if (this.certificate !== undefined) {
      this.httpsListener = this.loadBalancer.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        certificates: [elbv2.ListenerCertificate.fromCertificateManager(this.certificate)],
        open: false,
        defaultAction: elbv2.ListenerAction.fixedResponse(403, { contentType: 'text/plain', messageBody: '403: Forbidden' }),
      });
    }

    new CfnOutput(this, 'LoadBalancerDnsName', {
      value: this.loadBalancerDnsName,
      description: `Target of the CNAME record for ${props.domainName}, created outside AWS`,
    });
  }
}

function defaultPrefixListId(scope: IConstruct, region: string): string {
  if (Token.isUnresolved(region)) {
    throw propsError(scope, 'cloudFrontPrefixListId is required in a stack without an explicit region: set the stack env or pass the prefix list ID');
  }
  const id = CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS[region];
  if (id === undefined) {
    throw propsError(
      scope,
      `no CloudFront origin-facing prefix list ID is known for ${region}: pass cloudFrontPrefixListId (aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing --region ${region})`,
    );
  }
  return id;
}

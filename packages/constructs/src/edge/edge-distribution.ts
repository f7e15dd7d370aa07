import { Duration, RemovalPolicy, SecretValue, Stack, Token } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as shield from 'aws-cdk-lib/aws-shield';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EncryptionKey } from '../security/encryption-key';
import { AccessLogBucket } from '../storage/access-log-bucket';
import { EdgeWebAcl, assertEdgeRegion } from './edge-web-acl';
import { ExternallyValidatedCertificate } from './externally-validated-certificate';
import { ORIGIN_VERIFY_HEADER_NAME } from './origin-header';
import { propsError } from '../shared/errors';
import { createNotifyingAlarm } from '../shared/notifying-alarm';

/** Props for {@link EdgeDistribution}. */
export interface EdgeDistributionProps {
  /** Public host name of the service, e.g. `submit-social-housing-data.communities.gov.uk`. */
  readonly domainName: string;

  /**
   * Certificate for {@link domainName}, in us-east-1.
   *
   * @default - a new DNS-validated certificate, with its validation records as stack outputs
   */
  readonly certificate?: acm.ICertificate;

  /**
   * Host name of the load balancer origin, e.g. `lb.submit-social-housing-data.communities.gov.uk`
   * (the name its certificate covers). A plain string, so the edge stack needs no reference
   * into the regional stack.
   */
  readonly originDomainName: string;

  /**
   * Name of the Secrets Manager secret (replicated to us-east-1) whose value CloudFront sends
   * in `X-CLOUDFRONT-HEADER`; `CloudFrontOnlyLoadBalancer.originHeaderSecretName`. Resolved by
   * CloudFormation at deploy time, never written into the template.
   */
  readonly originHeaderSecretName: string;

  /** Topic in us-east-1 that the 5xx-rate alarm notifies. */
  readonly alarmTopic: sns.ITopic;

  /**
   * Web ACL of the distribution.
   *
   * @default - a new {@link EdgeWebAcl} with default props (no country restriction)
   */
  readonly webAcl?: EdgeWebAcl;

  /**
   * Bucket of CloudFront standard logs; it must accept ACLs (`cloudFrontLegacyLogging`).
   *
   * @default - a new access-log bucket set up for CloudFront logging
   */
  readonly logBucket?: AccessLogBucket;

  /**
   * Key prefix of the standard logs.
   *
   * @default 'cloudfront/'
   */
  readonly logFilePrefix?: string;

  /**
   * Protect the distribution (with automatic application-layer mitigation that blocks) and
   * {@link loadBalancerArn} with Shield Advanced, grouped in one protection group. The
   * account must already subscribe to Shield Advanced.
   *
   * @default false
   */
  readonly shieldAdvanced?: boolean;

  /**
   * ARN of the origin load balancer, protected by Shield Advanced with the distribution.
   * Only meaningful with {@link shieldAdvanced}.
   *
   * @default - only the distribution is protected
   */
  readonly loadBalancerArn?: string;

  /**
   * Prefix of the alarm and protection names, e.g. `core-prod`.
   *
   * @default - the stack name
   */
  readonly namePrefix?: string;

  /**
   * 5xx error rate (percent of requests) at or above which the alarm fires.
   *
   * @default 5
   */
  readonly errorRateThresholdPercent?: number;

  /**
   * Do not notify when the 5xx alarm returns to OK.
   *
   * @default false
   */
  readonly suppressOkNotifications?: boolean;

  /**
   * Edge locations that serve the distribution.
   *
   * @default cloudfront.PriceClass.PRICE_CLASS_100 - North America and Europe, where CORE's users are
   */
  readonly priceClass?: cloudfront.PriceClass;

  /**
   * Key for the certificate record reader's logs and the web ACL's logs, when this construct creates them.
   *
   * @default - a new key with yearly rotation
   */
  readonly encryptionKey?: EncryptionKey;

  /**
   * What happens to the logs, log bucket and key this construct creates when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * CORE's CloudFront distribution, the only public entry point, with its us-east-1 companions.
 * Create it in a stack in us-east-1; it takes the load balancer origin by host name and
 * the origin secret by name, so it synthesizes without references into the regional stack.
 *
 * - HTTP/2 and HTTP/3, IPv6, PriceClass_100, the ACM certificate with SNI and TLSv1.2_2021,
 *   HTTP redirected to HTTPS.
 * - One HTTPS-only (TLS 1.2) origin, the load balancer's `lb.` host name, that receives
 *   `X-CLOUDFRONT-HEADER` with the shared secret.
 * - A cache policy that keys on all cookies and query strings (min TTL 1 s, default 60 s,
 *   gzip and Brotli), an origin request policy forwarding all viewer headers, cookies and
 *   query strings, and the managed security-headers response policy.
 * - Standard logging to an access-log bucket, the {@link EdgeWebAcl}, a 5xx-rate alarm, and
 *   optional Shield Advanced protections.
 *
 * @example
 * // in a stack in us-east-1
 * new EdgeDistribution(edgeStack, 'Distribution', {
 *   domainName: 'submit-social-housing-data.communities.gov.uk',
 *   originDomainName: 'lb.submit-social-housing-data.communities.gov.uk',
 *   originHeaderSecretName: 'core-prod/cloudfront-origin-header',
 *   alarmTopic: edgeAlerts.topic,
 *   webAcl: new EdgeWebAcl(edgeStack, 'WebAcl', { restrictToAllowedCountries: false }),
 *   shieldAdvanced: true,
 * });
 */
export class EdgeDistribution extends Construct {
  /** The distribution. */
  public readonly distribution: cloudfront.Distribution;

  /** The web ACL attached to the distribution. */
  public readonly webAcl: EdgeWebAcl;

  /** Certificate of the distribution. */
  public readonly certificate: acm.ICertificate;

  /** Bucket of the standard logs. */
  public readonly logBucket: AccessLogBucket;

  /** Cache policy of the default behaviour. */
  public readonly cachePolicy: cloudfront.CachePolicy;

  /** Origin request policy of the default behaviour. */
  public readonly originRequestPolicy: cloudfront.OriginRequestPolicy;

  /** Alarm on the 5xx error rate. */
  public readonly errorRateAlarm: cloudwatch.Alarm;

  /** Shield Advanced protections (distribution first), empty when Shield Advanced is off. */
  public readonly shieldProtections: shield.CfnProtection[] = [];

  /** Shield Advanced protection group, when Shield Advanced is on. */
  public readonly shieldProtectionGroup?: shield.CfnProtectionGroup;

  /** CloudFront domain name of the distribution, the target of {@link EdgeDistributionProps.domainName}'s DNS record. */
  public readonly distributionDomainName: string;

  constructor(scope: Construct, id: string, props: EdgeDistributionProps) {
    super(scope, id);

    const stack = Stack.of(this);
    assertEdgeRegion(this, 'EdgeDistribution');
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const shieldAdvanced = props.shieldAdvanced ?? false;
    if (props.loadBalancerArn !== undefined && !shieldAdvanced) {
      throw propsError(this, 'loadBalancerArn is set but shieldAdvanced is false; the ARN is only used for the Shield Advanced protection: set shieldAdvanced to true or remove loadBalancerArn');
    }
    const errorRateThreshold = props.errorRateThresholdPercent ?? 5;
    if (!(errorRateThreshold > 0 && errorRateThreshold <= 100)) {
      throw propsError(this, `errorRateThresholdPercent must be above 0 and at most 100, got ${errorRateThreshold}`);
    }
    for (const [name, value] of [
      ['domainName', props.domainName],
      ['originDomainName', props.originDomainName],
    ] as const) {
      if (!Token.isUnresolved(value) && !/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(value)) {
        throw propsError(this, `${name} must be a lower-case fully qualified host name without scheme or path, got "${value}"`);
      }
    }
    if (!Token.isUnresolved(props.originHeaderSecretName) && (props.originHeaderSecretName.startsWith('arn:') || props.originHeaderSecretName.trim() === '')) {
      throw propsError(
        this,
        `originHeaderSecretName must be the secret's name, not an ARN, got "${props.originHeaderSecretName}": an ARN names one region's copy, while the name resolves to the us-east-1 replica`,
      );
    }
    const logFilePrefix = props.logFilePrefix ?? 'cloudfront/';
    const stackName = Token.isUnresolved(stack.stackName) ? stack.node.id : stack.stackName;
    const namePrefix = props.namePrefix ?? stackName;

    const needsKey = props.encryptionKey !== undefined || props.certificate === undefined || props.webAcl === undefined;
    const encryptionKey = needsKey
      ? (props.encryptionKey ?? new EncryptionKey(this, 'Key', { description: 'Encrypts the CloudFront edge logs (WAF and certificate record reader)', removalPolicy }))
      : undefined;

    this.certificate =
      props.certificate ?? new ExternallyValidatedCertificate(this, 'Certificate', { domainName: props.domainName, encryptionKey, removalPolicy }).certificate;
    this.webAcl = props.webAcl ?? new EdgeWebAcl(this, 'WebAcl', { encryptionKey, removalPolicy });
    this.logBucket = props.logBucket ?? new AccessLogBucket(this, 'Logs', { cloudFrontLegacyLogging: true, removalPolicy });

    this.cachePolicy = new cloudfront.CachePolicy(this, 'CachePolicy', {
      comment: 'CORE: key on all cookies and query strings; short TTLs for a dynamic app',
      minTtl: Duration.seconds(1),
      defaultTtl: Duration.seconds(60),
      cookieBehavior: cloudfront.CacheCookieBehavior.all(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    this.originRequestPolicy = new cloudfront.OriginRequestPolicy(this, 'OriginRequestPolicy', {
      comment: 'CORE: forward all viewer headers, cookies and query strings to the app',
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.all(),
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.all(),
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
    });

    const origin = new origins.HttpOrigin(props.originDomainName, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      httpsPort: 443,
      customHeaders: {
        [ORIGIN_VERIFY_HEADER_NAME]: SecretValue.secretsManager(props.originHeaderSecretName).unsafeUnwrap(),
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `CORE ${props.domainName}`,
      domainNames: [props.domainName],
      certificate: this.certificate,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      sslSupportMethod: cloudfront.SSLMethod.SNI,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      webAclId: this.webAcl.webAclArn,
      enableLogging: true,
      logBucket: this.logBucket.bucket,
      logFilePrefix,
      logIncludesCookies: false,
      defaultBehavior: {
        origin,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
        compress: true,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: this.cachePolicy,
        originRequestPolicy: this.originRequestPolicy,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
      },
    });
    this.distributionDomainName = this.distribution.distributionDomainName;

    this.errorRateAlarm = createNotifyingAlarm(
      this,
      'ErrorRateAlarm',
      {
        alarmName: `${namePrefix}-cloudfront-5xx-error-rate`,
        alarmDescription: `${errorRateThreshold} % or more of CloudFront requests to ${props.domainName} returned a 5xx error in the last minute`,
        // CloudFront publishes its metrics with a Region=Global dimension; without it the alarm sees no data.
        metric: new cloudwatch.Metric({
          namespace: 'AWS/CloudFront',
          metricName: '5xxErrorRate',
          dimensionsMap: { DistributionId: this.distribution.distributionId, Region: 'Global' },
          statistic: cloudwatch.Stats.AVERAGE,
          period: Duration.minutes(1),
        }),
        threshold: errorRateThreshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
      { topic: props.alarmTopic, suppressOkNotifications: props.suppressOkNotifications },
    );

    if (shieldAdvanced) {
      this.shieldProtections.push(
        new shield.CfnProtection(this, 'DistributionProtection', {
          name: `${namePrefix}-cloudfront`,
          resourceArn: this.distribution.distributionArn,
          applicationLayerAutomaticResponseConfiguration: { action: { block: {} }, status: 'ENABLED' },
        }),
      );
      if (props.loadBalancerArn !== undefined) {
        this.shieldProtections.push(new shield.CfnProtection(this, 'LoadBalancerProtection', { name: `${namePrefix}-load-balancer`, resourceArn: props.loadBalancerArn }));
      }
      this.shieldProtectionGroup = new shield.CfnProtectionGroup(this, 'ProtectionGroup', {
        protectionGroupId: namePrefix.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 36),
        aggregation: 'MAX',
        pattern: 'ALL',
      });
      // Pattern ALL groups whatever is protected when the group is created, so protect first.
      for (const protection of this.shieldProtections) this.shieldProtectionGroup.addResourceDependency(protection);
    }
  }
}

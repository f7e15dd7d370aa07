import { ArnFormat, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct, type IConstruct } from 'constructs';
import { EncryptionKey } from '../security/encryption-key';
import { CLOUDFRONT_REGION } from './cloudfront-only-load-balancer';
import { propsError } from '../shared/errors';

/**
 * Path patterns (regular expressions) of the sign-in, two-factor and password-reset pages,
 * which get the stricter login rate limit. Unanchored, so they also match under a review
 * app's `/<PR number>` prefix.
 */
export const LOGIN_PATH_PATTERNS: readonly string[] = [
  '/account/password/new',
  '/account/password/reset-confirmation',
  '/account/sign-in',
  '/account/two-factor-authentication',
  '/account/two-factor-authentication/resend',
];

/** The AWS managed rule groups CORE applies, in evaluation order. */
export const MANAGED_RULE_GROUPS: readonly string[] = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
  'AWSManagedRulesLinuxRuleSet',
  'AWSManagedRulesUnixRuleSet',
];

/** Lowest request limit AWS WAF accepts in a rate-based rule. */
export const WAF_MINIMUM_RATE_LIMIT = 10;

/** Highest request limit AWS WAF accepts in a rate-based rule. */
export const WAF_MAXIMUM_RATE_LIMIT = 2_000_000_000;

/** Evaluation windows (seconds) AWS WAF accepts for rate-based rules. */
const WAF_RATE_WINDOWS = [60, 120, 300, 600];

/** Headers whose values never reach the WAF logs: they carry session cookies and credentials. */
export const WAF_REDACTED_HEADERS: readonly string[] = ['cookie', 'authorization'];

/** What the Common rule set's `SizeRestrictions_BODY` rule does instead of blocking. */
export type BodySizeRuleAction = 'count' | 'allow';

/** Props for {@link EdgeWebAcl}. */
export interface EdgeWebAclProps {
  /**
   * Name of the web ACL (also used in metric names and the log group name).
   *
   * @default - derived from the stack name and construct id
   */
  readonly webAclName?: string;

  /**
   * Requests per IP in each window to the login paths before WAF answers 429.
   *
   * @default 100
   */
  readonly loginRateLimit?: number;

  /**
   * Requests per IP in each window to any path before WAF answers 429.
   *
   * @default 2000
   */
  readonly ipRateLimit?: number;

  /**
   * Window the rate limits count over (1, 2, 5 or 10 minutes).
   *
   * @default Duration.minutes(5)
   */
  readonly rateLimitWindow?: Duration;

  /**
   * Regular expressions of the paths under the login rate limit.
   *
   * @default {@link LOGIN_PATH_PATTERNS}
   */
  readonly loginPathPatterns?: readonly string[];

  /**
   * Block (403) every request that comes neither from {@link allowedCountryCodes} nor from
   * {@link allowedIpv4Cidrs}. Non-production environments turn this on.
   *
   * @default false
   */
  readonly restrictToAllowedCountries?: boolean;

  /**
   * ISO 3166 country codes admitted when {@link restrictToAllowedCountries} is on.
   *
   * @default ['GB']
   */
  readonly allowedCountryCodes?: readonly string[];

  /**
   * IPv4 CIDR ranges admitted from anywhere when {@link restrictToAllowedCountries} is on
   * (office, MHCLG and uptime-monitor addresses).
   *
   * @default - none
   */
  readonly allowedIpv4Cidrs?: readonly string[];

  /**
   * What the Common rule set's `SizeRestrictions_BODY` rule does with bodies over 8 KB, which
   * CSV bulk uploads exceed. `count` lets the remaining rules still inspect the request;
   * `allow` ends evaluation and skips them.
   *
   * @default 'count'
   */
  readonly bodySizeRuleAction?: BodySizeRuleAction;

  /**
   * How long WAF logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Key that encrypts the WAF log group.
   *
   * @default - a new key with yearly rotation, kept or destroyed with {@link removalPolicy}
   */
  readonly encryptionKey?: EncryptionKey;

  /**
   * What happens to the log group (and the key this construct creates) when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The WAFv2 web ACL in front of CORE's CloudFront distribution (CLOUDFRONT scope, so it lives
 * in us-east-1). Default action allow; rules in order:
 *
 * 1. optional: block (403) anything not from the allowed countries (GB) or the IPv4 allowlist;
 * 2. to 7. the AWS managed groups IP reputation, Common (body-size rule counted, not blocked,
 *    for uploads), Known bad inputs, SQLi, Linux and Unix (the anonymous-IP list is left out
 *    on purpose: local authorities and housing associations use VPNs);
 * 8. login paths: more than 100 requests per IP in 5 minutes get 429;
 * 9. any path: more than 2000 requests per IP in 5 minutes get 429.
 *
 * Every request is logged to an encrypted CloudWatch log group named `aws-waf-logs-...`,
 * with the cookie and authorization headers redacted.
 */
export class EdgeWebAcl extends Construct {
  /** The web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;

  /** ARN of the web ACL, for the distribution's `webAclId`. */
  public readonly webAclArn: string;

  /** Name of the web ACL. */
  public readonly webAclName: string;

  /** The WAF log group. */
  public readonly logGroup: logs.LogGroup;

  /** Key of the WAF log group. */
  public readonly encryptionKey: EncryptionKey;

  /** Login rate limit in force. */
  public readonly loginRateLimit: number;

  /** Per-IP rate limit in force. */
  public readonly ipRateLimit: number;

  /** Whether the country and allowlist restriction is on. */
  public readonly restrictToAllowedCountries: boolean;

  /** The allowlist IP set, when the restriction is on. */
  public readonly allowlistIpSet?: wafv2.CfnIPSet;

  /** The regex pattern set of login paths. */
  public readonly loginPathPatternSet: wafv2.CfnRegexPatternSet;

  constructor(scope: Construct, id: string, props: EdgeWebAclProps = {}) {
    super(scope, id);

    const stack = Stack.of(this);
    assertEdgeRegion(this, 'EdgeWebAcl');
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const stackName = Token.isUnresolved(stack.stackName) ? stack.node.id : stack.stackName;
    this.webAclName = props.webAclName ?? `${stackName}-${this.node.id}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 100);
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(this.webAclName)) {
      throw propsError(this, `webAclName may contain only letters, digits, "_" and "-" (at most 100), got "${this.webAclName}"`);
    }
    this.loginRateLimit = props.loginRateLimit ?? 100;
    this.ipRateLimit = props.ipRateLimit ?? 2000;
    assertRateLimit(this, 'loginRateLimit', this.loginRateLimit);
    assertRateLimit(this, 'ipRateLimit', this.ipRateLimit);
    const windowSeconds = (props.rateLimitWindow ?? Duration.minutes(5)).toSeconds();
    if (!WAF_RATE_WINDOWS.includes(windowSeconds)) {
      throw propsError(this, `rateLimitWindow must be 1, 2, 5 or 10 minutes, got ${windowSeconds} seconds: AWS WAF supports only those evaluation windows`);
    }
    const loginPathPatterns = props.loginPathPatterns ?? LOGIN_PATH_PATTERNS;
    if (loginPathPatterns.length === 0 || loginPathPatterns.length > 10) {
      throw propsError(this, `loginPathPatterns must hold 1 to 10 patterns (the AWS WAF limit per set), got ${loginPathPatterns.length}`);
    }
    this.restrictToAllowedCountries = props.restrictToAllowedCountries ?? false;
    const allowedCountryCodes = props.allowedCountryCodes ?? ['GB'];
    const allowedIpv4Cidrs = props.allowedIpv4Cidrs ?? [];
    if (!this.restrictToAllowedCountries) {
      if (props.allowedCountryCodes !== undefined || props.allowedIpv4Cidrs !== undefined) {
        throw propsError(this, 'allowedCountryCodes or allowedIpv4Cidrs is set but restrictToAllowedCountries is false, so they would have no effect: set restrictToAllowedCountries to true or remove them');
      }
    }
    for (const code of allowedCountryCodes) {
      if (!/^[A-Z]{2}$/.test(code)) {
        throw propsError(this, `allowedCountryCodes must hold two-letter ISO 3166 codes, got "${code}": e.g. "GB"`);
      }
    }
    if (this.restrictToAllowedCountries && allowedCountryCodes.length === 0) {
      throw propsError(this, 'allowedCountryCodes is empty while restrictToAllowedCountries is true: list at least one country, e.g. ["GB"]');
    }
    for (const cidr of allowedIpv4Cidrs) assertIpv4Cidr(this, cidr);
    const bodySizeRuleAction = props.bodySizeRuleAction ?? 'count';

    this.encryptionKey = props.encryptionKey ?? new EncryptionKey(this, 'Key', { description: 'Encrypts the WAF logs of the CloudFront web ACL', removalPolicy });
    const logGroupName = `aws-waf-logs-${this.webAclName}`;
    this.encryptionKey.allowCloudWatchLogs(logGroupName);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName,
      encryptionKey: this.encryptionKey.key,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });

    this.loginPathPatternSet = new wafv2.CfnRegexPatternSet(this, 'LoginPaths', {
      name: `${this.webAclName}-login-paths`.slice(0, 128),
      description: 'Sign-in, two-factor and password-reset paths under the login rate limit',
      scope: 'CLOUDFRONT',
      regularExpressionList: [...loginPathPatterns],
    });

    const rules: wafv2.CfnWebACL.RuleProperty[] = [];
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${this.webAclName}-${metricName}`.slice(0, 255),
    });

    if (this.restrictToAllowedCountries) {
      const ipSetStatements: wafv2.CfnWebACL.StatementProperty[] = [];
      if (allowedIpv4Cidrs.length > 0) {
        this.allowlistIpSet = new wafv2.CfnIPSet(this, 'AllowedIps', {
          name: `${this.webAclName}-allowed-ips`.slice(0, 128),
          description: 'IPv4 addresses admitted from outside the allowed countries',
          scope: 'CLOUDFRONT',
          ipAddressVersion: 'IPV4',
          addresses: [...allowedIpv4Cidrs],
        });
        ipSetStatements.push({ ipSetReferenceStatement: { arn: this.allowlistIpSet.attrArn } });
      }
      const admitted: wafv2.CfnWebACL.StatementProperty[] = [{ geoMatchStatement: { countryCodes: [...allowedCountryCodes] } }, ...ipSetStatements];
      rules.push({
        name: 'allow-allowed-countries-and-allowlist-ips',
        priority: 0,
        action: { block: { customResponse: { responseCode: 403 } } },
        statement: { notStatement: { statement: admitted.length === 1 ? admitted[0] : { orStatement: { statements: admitted } } } },
        visibilityConfig: visibility('geo-and-allowlist'),
      });
    }

    MANAGED_RULE_GROUPS.forEach((name, index) => {
      rules.push({
        name,
        priority: 10 + index,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name,
            ruleActionOverrides: name === 'AWSManagedRulesCommonRuleSet' ? [{ name: 'SizeRestrictions_BODY', actionToUse: { [bodySizeRuleAction]: {} } }] : undefined,
          },
        },
        visibilityConfig: visibility(name),
      });
    });

    const tooManyRequests = { block: { customResponse: { responseCode: 429 } } };
    rules.push(
      {
        name: 'login-ip-rate-limit',
        priority: 20,
        action: tooManyRequests,
        statement: {
          rateBasedStatement: {
            limit: this.loginRateLimit,
            aggregateKeyType: 'IP',
            evaluationWindowSec: windowSeconds,
            scopeDownStatement: {
              regexPatternSetReferenceStatement: {
                arn: this.loginPathPatternSet.attrArn,
                fieldToMatch: { uriPath: {} },
                textTransformations: [{ priority: 0, type: 'URL_DECODE' }],
              },
            },
          },
        },
        visibilityConfig: visibility('login-ip-rate-limit'),
      },
      {
        name: 'overall-ip-rate-limit',
        priority: 21,
        action: tooManyRequests,
        statement: { rateBasedStatement: { limit: this.ipRateLimit, aggregateKeyType: 'IP', evaluationWindowSec: windowSeconds } },
        visibilityConfig: visibility('overall-ip-rate-limit'),
      },
    );

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: this.webAclName,
      description: 'CORE CloudFront web ACL: managed rule groups, login and per-IP rate limits',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('web-acl'),
      rules,
    });
    this.webAclArn = this.webAcl.attrArn;

    new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group ARN without the trailing ":*" that LogGroup.logGroupArn has.
      logDestinationConfigs: [stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      redactedFields: WAF_REDACTED_HEADERS.map((name) => ({ singleHeader: { Name: name } })),
    });
  }
}

/**
 * Throws unless the construct's stack is in us-east-1, where CloudFront-scoped resources must live.
 *
 * @param scope the construct to check, named in the error
 * @param what the kind of construct, named in the error
 */
export function assertEdgeRegion(scope: IConstruct, what: string): void {
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.region) || stack.region !== CLOUDFRONT_REGION) {
    throw propsError(
      scope,
      `${what} must be in a stack in ${CLOUDFRONT_REGION} (CloudFront certificates and CLOUDFRONT-scope web ACLs live there), got region ${Token.isUnresolved(stack.region) ? '(unresolved)' : stack.region}: create it in the edge stack with env.region "${CLOUDFRONT_REGION}"`,
    );
  }
}

function assertRateLimit(scope: IConstruct, propName: string, limit: number): void {
  if (!Number.isInteger(limit) || limit < WAF_MINIMUM_RATE_LIMIT || limit > WAF_MAXIMUM_RATE_LIMIT) {
    throw propsError(scope, `${propName} must be a whole number from ${WAF_MINIMUM_RATE_LIMIT} to ${WAF_MAXIMUM_RATE_LIMIT} (the AWS WAF range for rate-based rules), got ${limit}`);
  }
}

function assertIpv4Cidr(scope: IConstruct, cidr: string): void {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const valid = match !== null && match.slice(1, 5).every((octet) => Number(octet) <= 255) && Number(match[5]) >= 1 && Number(match[5]) <= 32;
  if (!valid) {
    throw propsError(scope, `allowedIpv4Cidrs must hold IPv4 CIDR ranges such as "203.0.113.10/32", got "${cidr}"`);
  }
}

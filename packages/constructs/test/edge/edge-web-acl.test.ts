import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { EdgeWebAcl, type EdgeWebAclProps } from '../../src/edge/edge-web-acl';

const EDGE_ENV = { account: '123456789012', region: 'us-east-1' };

type Rule = { Name: string; Priority: number; Action?: unknown; OverrideAction?: unknown; Statement: Record<string, unknown> };

function build(props: EdgeWebAclProps = {}): { template: Template; acl: EdgeWebAcl } {
  const stack = createTestStack('Edge', { env: EDGE_ENV });
  const acl = new EdgeWebAcl(stack, 'WebAcl', { webAclName: 'core-test', ...props });
  return { template: Template.fromStack(stack), acl };
}

function rules(template: Template): Rule[] {
  const acls = template.findResources('AWS::WAFv2::WebACL');
  return Object.values(acls)[0].Properties.Rules as Rule[];
}

describe('EdgeWebAcl', () => {
  describe('GIVEN default props', () => {
    let template: Template;
    let acl: EdgeWebAcl;

    beforeAll(() => {
      ({ template, acl } = build());
    });

    test('THEN the web ACL is CLOUDFRONT-scoped and allows by default', () => {
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Name: 'core-test',
        Scope: 'CLOUDFRONT',
        DefaultAction: { Allow: {} },
        VisibilityConfig: Match.objectLike({ CloudWatchMetricsEnabled: true }),
      });
    });

    test('THEN the six managed rule groups run in order, with no geo rule', () => {
      const names = rules(template).map((rule) => rule.Name);
      expect(names).toEqual([
        'AWSManagedRulesAmazonIpReputationList',
        'AWSManagedRulesCommonRuleSet',
        'AWSManagedRulesKnownBadInputsRuleSet',
        'AWSManagedRulesSQLiRuleSet',
        'AWSManagedRulesLinuxRuleSet',
        'AWSManagedRulesUnixRuleSet',
        'login-ip-rate-limit',
        'overall-ip-rate-limit',
      ]);
      const priorities = rules(template).map((rule) => rule.Priority);
      expect([...priorities].sort((a, b) => a - b)).toEqual(priorities);
      expect(acl.restrictToAllowedCountries).toBe(false);
      template.resourceCountIs('AWS::WAFv2::IPSet', 0);
    });

    test('THEN the body-size rule of the Common rule set only counts, so uploads pass and later rules still run', () => {
      const common = rules(template).find((rule) => rule.Name === 'AWSManagedRulesCommonRuleSet');
      expect(common).toMatchObject({
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }] } },
      });
    });

    test('THEN login paths are limited to 100 requests per IP per 5 minutes with a 429', () => {
      const login = rules(template).find((rule) => rule.Name === 'login-ip-rate-limit');
      expect(login).toMatchObject({
        Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
        Statement: {
          RateBasedStatement: {
            Limit: 100,
            AggregateKeyType: 'IP',
            EvaluationWindowSec: 300,
            ScopeDownStatement: {
              RegexPatternSetReferenceStatement: {
                Arn: { 'Fn::GetAtt': [expect.stringMatching(/LoginPaths/), 'Arn'] },
                FieldToMatch: { UriPath: {} },
                TextTransformations: [{ Priority: 0, Type: 'URL_DECODE' }],
              },
            },
          },
        },
      });
      template.hasResourceProperties('AWS::WAFv2::RegexPatternSet', {
        Scope: 'CLOUDFRONT',
        RegularExpressionList: [
          '/account/password/new',
          '/account/password/reset-confirmation',
          '/account/sign-in',
          '/account/two-factor-authentication',
          '/account/two-factor-authentication/resend',
        ],
      });
    });

    test('THEN any IP is limited to 2000 requests per 5 minutes with a 429', () => {
      const overall = rules(template).find((rule) => rule.Name === 'overall-ip-rate-limit');
      expect(overall).toMatchObject({
        Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
        Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
      });
    });

    test('THEN every request is logged to an encrypted aws-waf-logs- log group kept a year, with cookies and authorization redacted', () => {
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: {
          LogGroupName: 'aws-waf-logs-core-test',
          KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('WebAclKey'), 'Arn'] },
          RetentionInDays: 365,
        },
        DeletionPolicy: 'Retain',
      });
      template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        ResourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebAcl[0-9A-F]{8}$'), 'Arn'] },
        LogDestinationConfigs: [{ 'Fn::Join': ['', ['arn:aws:logs:us-east-1:123456789012:log-group:', { Ref: Match.stringLikeRegexp('WebAclLogGroup') }]] }],
        RedactedFields: [{ SingleHeader: { Name: 'cookie' } }, { SingleHeader: { Name: 'authorization' } }],
      });
    });

    test('THEN CloudWatch Logs in us-east-1 may use the key for the WAF log group only', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'logs.us-east-1.amazonaws.com' },
              Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-core-test' } },
            }),
          ]),
        },
      });
    });
  });

  describe('GIVEN the non-production restriction to GB and an IPv4 allowlist', () => {
    let template: Template;

    beforeAll(() => {
      ({ template } = build({ restrictToAllowedCountries: true, allowedIpv4Cidrs: ['203.0.113.10/32', '198.51.100.0/24'] }));
    });

    test('THEN the first rule blocks with 403 whatever is neither from GB nor on the allowlist', () => {
      const [first] = rules(template);
      expect(first).toMatchObject({
        Name: 'allow-allowed-countries-and-allowlist-ips',
        Priority: 0,
        Action: { Block: { CustomResponse: { ResponseCode: 403 } } },
        Statement: {
          NotStatement: {
            Statement: {
              OrStatement: {
                Statements: [{ GeoMatchStatement: { CountryCodes: ['GB'] } }, { IPSetReferenceStatement: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/AllowedIps/), 'Arn'] } } }],
              },
            },
          },
        },
      });
    });

    test('THEN the allowlist is an IPv4 IP set of the given CIDRs', () => {
      template.hasResourceProperties('AWS::WAFv2::IPSet', {
        Scope: 'CLOUDFRONT',
        IPAddressVersion: 'IPV4',
        Addresses: ['203.0.113.10/32', '198.51.100.0/24'],
      });
    });
  });

  describe('GIVEN the restriction without an allowlist, custom limits and the body-size rule allowed', () => {
    test('THEN the geo rule matches GB alone and the limits and override follow the props', () => {
      const { template } = build({ restrictToAllowedCountries: true, loginRateLimit: 10, ipRateLimit: 500, rateLimitWindow: Duration.minutes(1), bodySizeRuleAction: 'allow' });
      const all = rules(template);
      expect(all[0].Statement).toEqual({ NotStatement: { Statement: { GeoMatchStatement: { CountryCodes: ['GB'] } } } });
      expect(all.find((rule) => rule.Name === 'login-ip-rate-limit')?.Statement).toMatchObject({ RateBasedStatement: { Limit: 10, EvaluationWindowSec: 60 } });
      expect(all.find((rule) => rule.Name === 'overall-ip-rate-limit')?.Statement).toMatchObject({ RateBasedStatement: { Limit: 500 } });
      expect(all.find((rule) => rule.Name === 'AWSManagedRulesCommonRuleSet')?.Statement).toMatchObject({
        ManagedRuleGroupStatement: { RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Allow: {} } }] },
      });
    });
  });

  describe('GIVEN wrong props', () => {
    test('fails when a rate limit is below the AWS WAF minimum of 10', () => {
      expect(() => build({ loginRateLimit: 9 })).toThrow(/loginRateLimit must be a whole number from 10 to 2000000000 \(the AWS WAF range for rate-based rules\), got 9/);
    });

    test('fails when a rate limit is above the AWS WAF maximum', () => {
      expect(() => build({ ipRateLimit: 3_000_000_000 })).toThrow(/ipRateLimit must be a whole number from 10 to 2000000000/);
    });

    test('fails when the rate window is not one WAF supports', () => {
      expect(() => build({ rateLimitWindow: Duration.minutes(3) })).toThrow(/rateLimitWindow must be 1, 2, 5 or 10 minutes, got 180 seconds/);
    });

    test('fails when an allowlist is given without the restriction', () => {
      expect(() => build({ allowedIpv4Cidrs: ['203.0.113.10/32'] })).toThrow(/allowedCountryCodes or allowedIpv4Cidrs is set but restrictToAllowedCountries is false/);
    });

    test('fails when an allowlist entry is not an IPv4 CIDR', () => {
      expect(() => build({ restrictToAllowedCountries: true, allowedIpv4Cidrs: ['2001:db8::/32'] })).toThrow(/allowedIpv4Cidrs must hold IPv4 CIDR ranges such as "203.0.113.10\/32", got "2001:db8::\/32"/);
    });

    test('fails when a country code is not ISO 3166 alpha-2', () => {
      expect(() => build({ restrictToAllowedCountries: true, allowedCountryCodes: ['UK1'] })).toThrow(/allowedCountryCodes must hold two-letter ISO 3166 codes, got "UK1"/);
    });

    test('fails outside us-east-1', () => {
      const stack = createTestStack();
      expect(() => new EdgeWebAcl(stack, 'WebAcl')).toThrow(/EdgeWebAcl must be in a stack in us-east-1 .*got region eu-west-2/);
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack('Edge', { env: EDGE_ENV });
    new EdgeWebAcl(stack, 'WebAcl');
    expectToPassPolicies(stack);
  });
});

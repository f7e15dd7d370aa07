import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { createTestApp, createTestStack, expectToPassPolicies, TEST_ENV } from '@core-infra/testing';
import { WebApplication } from '../../src/app/web-application';
import { CloudFrontOnlyLoadBalancer } from '../../src/edge/cloudfront-only-load-balancer';
import { EdgeDistribution, type EdgeDistributionProps } from '../../src/edge/edge-distribution';
import { EdgeWebAcl } from '../../src/edge/edge-web-acl';
import { AlertNotifier } from '../../src/monitoring/alert-notifier';
import { AlertTopic } from '../../src/monitoring/alert-topic';
import { importedDependencies } from '../app/fixtures';

const EDGE_ENV = { account: TEST_ENV.account, region: 'us-east-1' };

function edgeStack(): Stack {
  return createTestStack('Edge', { env: EDGE_ENV });
}

function minimalProps(stack: Stack): EdgeDistributionProps {
  return {
    domainName: 'submit-social-housing-data.communities.gov.uk',
    originDomainName: 'lb.submit-social-housing-data.communities.gov.uk',
    originHeaderSecretName: 'core-prod/cloudfront-origin-header',
    alarmTopic: sns.Topic.fromTopicArn(stack, 'EdgeAlerts', 'arn:aws:sns:us-east-1:123456789012:core-prod-edge-alerts'),
  };
}

describe('EdgeDistribution', () => {
  describe('GIVEN default props', () => {
    let template: Template;
    let edge: EdgeDistribution;

    beforeAll(() => {
      const stack = edgeStack();
      edge = new EdgeDistribution(stack, 'Cdn', { ...minimalProps(stack), namePrefix: 'core-prod' });
      template = Template.fromStack(stack);
    });

    test('THEN the distribution serves the host name over HTTP/2 and 3 and IPv6 from PriceClass_100', () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Enabled: true,
          Aliases: ['submit-social-housing-data.communities.gov.uk'],
          HttpVersion: 'http2and3',
          IPV6Enabled: true,
          PriceClass: 'PriceClass_100',
        }),
      });
    });

    test('THEN viewers get the us-east-1 ACM certificate over SNI with TLSv1.2_2021, and HTTP is redirected to HTTPS', () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          ViewerCertificate: { AcmCertificateArn: { Ref: Match.stringLikeRegexp('CdnCertificate') }, SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' },
          DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', Compress: true }),
        }),
      });
      template.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'submit-social-housing-data.communities.gov.uk', ValidationMethod: 'DNS' });
    });

    test('THEN the only origin is the lb. host name over HTTPS (TLS 1.2) with the secret header from Secrets Manager', () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Origins: [
            Match.objectLike({
              DomainName: 'lb.submit-social-housing-data.communities.gov.uk',
              CustomOriginConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'], HTTPSPort: 443 }),
              OriginCustomHeaders: [{ HeaderName: 'X-CLOUDFRONT-HEADER', HeaderValue: '{{resolve:secretsmanager:core-prod/cloudfront-origin-header:SecretString:::}}' }],
            }),
          ],
        }),
      });
    });

    test('THEN every method is allowed and GET, HEAD and OPTIONS are cached', () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultCacheBehavior: Match.objectLike({
            AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
            CachedMethods: ['GET', 'HEAD', 'OPTIONS'],
          }),
        }),
      });
    });

    test('THEN the cache policy keys on all cookies and query strings, TTL 1 s min and 60 s default, with gzip and Brotli', () => {
      template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
        CachePolicyConfig: Match.objectLike({
          MinTTL: 1,
          DefaultTTL: 60,
          ParametersInCacheKeyAndForwardedToOrigin: {
            CookiesConfig: { CookieBehavior: 'all' },
            QueryStringsConfig: { QueryStringBehavior: 'all' },
            HeadersConfig: { HeaderBehavior: 'none' },
            EnableAcceptEncodingGzip: true,
            EnableAcceptEncodingBrotli: true,
          },
        }),
      });
    });

    test('THEN the origin request policy forwards all cookies, viewer headers and query strings', () => {
      template.hasResourceProperties('AWS::CloudFront::OriginRequestPolicy', {
        OriginRequestPolicyConfig: Match.objectLike({
          CookiesConfig: { CookieBehavior: 'all' },
          HeadersConfig: { HeaderBehavior: 'allViewer' },
          QueryStringsConfig: { QueryStringBehavior: 'all' },
        }),
      });
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultCacheBehavior: Match.objectLike({
            CachePolicyId: { Ref: Match.stringLikeRegexp('CdnCachePolicy') },
            OriginRequestPolicyId: { Ref: Match.stringLikeRegexp('CdnOriginRequestPolicy') },
          }),
        }),
      });
    });

    test('THEN the managed SecurityHeadersPolicy is attached', () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultCacheBehavior: Match.objectLike({ ResponseHeadersPolicyId: '67f7725c-6f97-4210-82d7-5512b31e9d03' }),
        }),
      });
    });

    test('THEN standard logs go to an access-log bucket that accepts CloudFront ACLs, without cookies', () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Logging: { Bucket: { 'Fn::GetAtt': [Match.stringLikeRegexp('CdnLogsBucket'), 'RegionalDomainName'] }, IncludeCookies: false, Prefix: 'cloudfront/' },
        }),
      });
      template.hasResourceProperties('AWS::S3::Bucket', {
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
        VersioningConfiguration: { Status: 'Enabled' },
      });
    });

    test('THEN the WAF web ACL protects the distribution', () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({ WebACLId: { 'Fn::GetAtt': [Match.stringLikeRegexp('CdnWebAcl'), 'Arn'] } }),
      });
      template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' });
      template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 1);
    });

    test('THEN a 5xx-rate alarm fires at 5 % over one minute, ignores missing data and notifies the us-east-1 topic', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'core-prod-cloudfront-5xx-error-rate',
        Namespace: 'AWS/CloudFront',
        MetricName: '5xxErrorRate',
        Dimensions: [{ Name: 'DistributionId', Value: { Ref: Match.stringLikeRegexp('CdnDistribution') } }, { Name: 'Region', Value: 'Global' }],
        Statistic: 'Average',
        Threshold: 5,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        Period: 60,
        TreatMissingData: 'notBreaching',
        AlarmActions: ['arn:aws:sns:us-east-1:123456789012:core-prod-edge-alerts'],
        OKActions: ['arn:aws:sns:us-east-1:123456789012:core-prod-edge-alerts'],
      });
    });

    test('THEN Shield Advanced is off', () => {
      template.resourceCountIs('AWS::Shield::Protection', 0);
      template.resourceCountIs('AWS::Shield::ProtectionGroup', 0);
      expect(edge.shieldProtectionGroup).toBeUndefined();
    });
  });

  describe('GIVEN Shield Advanced with the load balancer, an existing web ACL and certificate', () => {
    let template: Template;

    beforeAll(() => {
      const stack = edgeStack();
      new EdgeDistribution(stack, 'Cdn', {
        ...minimalProps(stack),
        namePrefix: 'core-prod',
        shieldAdvanced: true,
        loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/app/core-prod/0123456789abcdef',
        webAcl: new EdgeWebAcl(stack, 'SharedWebAcl', { restrictToAllowedCountries: true }),
        certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', 'arn:aws:acm:us-east-1:123456789012:certificate/abcd'),
        suppressOkNotifications: true,
      });
      template = Template.fromStack(stack);
    });

    test('THEN the distribution is protected with automatic application-layer mitigation that blocks', () => {
      template.hasResourceProperties('AWS::Shield::Protection', {
        Name: 'core-prod-cloudfront',
        ResourceArn: { 'Fn::Join': ['', ['arn:aws:cloudfront::123456789012:distribution/', { Ref: Match.stringLikeRegexp('CdnDistribution') }]] },
        ApplicationLayerAutomaticResponseConfiguration: { Action: { Block: {} }, Status: 'ENABLED' },
      });
    });

    test('THEN the load balancer is protected and one protection group covers everything protected', () => {
      template.hasResourceProperties('AWS::Shield::Protection', {
        Name: 'core-prod-load-balancer',
        ResourceArn: 'arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/app/core-prod/0123456789abcdef',
      });
      template.hasResource('AWS::Shield::ProtectionGroup', {
        Properties: { ProtectionGroupId: 'core-prod', Aggregation: 'MAX', Pattern: 'ALL' },
        DependsOn: Match.arrayWith([Match.stringLikeRegexp('CdnDistributionProtection'), Match.stringLikeRegexp('CdnLoadBalancerProtection')]),
      });
    });

    test('THEN the given web ACL and certificate are used and nothing is created for them', () => {
      template.resourceCountIs('AWS::WAFv2::WebACL', 1);
      template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          WebACLId: { 'Fn::GetAtt': [Match.stringLikeRegexp('SharedWebAcl'), 'Arn'] },
          ViewerCertificate: Match.objectLike({ AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abcd' }),
        }),
      });
    });

    test('THEN the 5xx alarm sends no OK notification', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5xxErrorRate', OKActions: Match.absent() });
    });
  });

  describe('GIVEN an edge stack in us-east-1 between regional app and monitoring stacks in eu-west-2', () => {
    let app: ReturnType<typeof createTestApp>;
    let edge: Stack;
    let regional: Stack;
    let monitoring: Stack;

    beforeAll(() => {
      app = createTestApp();
      regional = new Stack(app, 'Regional', { env: TEST_ENV, crossRegionReferences: true });
      edge = new Stack(app, 'Edge', { env: EDGE_ENV, crossRegionReferences: true });
      monitoring = new Stack(app, 'Monitoring', { env: TEST_ENV, crossRegionReferences: true });

      const dependencies = importedDependencies(regional);
      const lb = new CloudFrontOnlyLoadBalancer(regional, 'Lb', { vpc: dependencies.vpc, domainName: 'lb.staging.submit-social-housing-data.communities.gov.uk' });
      new WebApplication(regional, 'Web', { ...dependencies, listener: lb.httpsListener, originVerifySecret: lb.originHeaderSecret });

      const edgeAlerts = new AlertTopic(edge, 'EdgeAlerts');
      new EdgeDistribution(edge, 'Cdn', {
        domainName: 'staging.submit-social-housing-data.communities.gov.uk',
        originDomainName: lb.domainName,
        originHeaderSecretName: lb.originHeaderSecretName,
        alarmTopic: edgeAlerts.topic,
        shieldAdvanced: true,
        loadBalancerArn: lb.loadBalancer.loadBalancerArn,
      });

      const notifier = new AlertNotifier(monitoring, 'Notifier', {
        webhookSecret: secretsmanager.Secret.fromSecretNameV2(monitoring, 'Webhook', 'core-staging/slack-webhook'),
        environmentName: 'Staging',
        deadLetterEmail: 'core-alerts@example.gov.uk',
      });
      notifier.subscribeTo(edgeAlerts.topic);
    });

    test('THEN the whole app synthesizes offline', () => {
      const assembly = app.synth();
      expect(assembly.stacks.map((stack) => `${stack.stackName}:${stack.environment.region}`).sort()).toEqual(['Edge:us-east-1', 'Monitoring:eu-west-2', 'Regional:eu-west-2']);
    });

    test('THEN the edge stack reads the origin secret by name from its us-east-1 replica, with no cross-region reference for it', () => {
      Template.fromStack(edge).hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Origins: [
            Match.objectLike({
              DomainName: 'lb.staging.submit-social-housing-data.communities.gov.uk',
              OriginCustomHeaders: [{ HeaderName: 'X-CLOUDFRONT-HEADER', HeaderValue: '{{resolve:secretsmanager:Regional/Lb/cloudfront-origin-header:SecretString:::}}' }],
            }),
          ],
        }),
      });
      Template.fromStack(regional).hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'Regional/Lb/cloudfront-origin-header', ReplicaRegions: [{ Region: 'us-east-1' }] });
    });

    test('THEN the notifier in eu-west-2 subscribes to the us-east-1 alert topic', () => {
      Template.fromStack(monitoring).hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda', Region: 'us-east-1' });
    });

    test('THEN the load balancer ARN for Shield reaches us-east-1 through a cross-region reference', () => {
      Template.fromStack(edge).hasResourceProperties('AWS::Shield::Protection', {
        Name: 'Edge-load-balancer',
        ResourceArn: { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'Regional', Region: 'eu-west-2' }) },
      });
    });
  });

  describe('GIVEN wrong props', () => {
    test('fails outside us-east-1', () => {
      const stack = createTestStack();
      expect(() => new EdgeDistribution(stack, 'Cdn', minimalProps(stack))).toThrow(/EdgeDistribution must be in a stack in us-east-1/);
    });

    test('fails when a load balancer ARN is given without Shield Advanced', () => {
      const stack = edgeStack();
      expect(() => new EdgeDistribution(stack, 'Cdn', { ...minimalProps(stack), loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/app/x/y' })).toThrow(
        /loadBalancerArn is set but shieldAdvanced is false/,
      );
    });

    test('fails when the origin is given as a URL', () => {
      const stack = edgeStack();
      expect(() => new EdgeDistribution(stack, 'Cdn', { ...minimalProps(stack), originDomainName: 'https://lb.example.gov.uk/' })).toThrow(
        /originDomainName must be a lower-case fully qualified host name without scheme or path, got "https:\/\/lb.example.gov.uk\/"/,
      );
    });

    test('fails when the origin secret is given by ARN', () => {
      const stack = edgeStack();
      expect(
        () => new EdgeDistribution(stack, 'Cdn', { ...minimalProps(stack), originHeaderSecretName: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:core-prod/cloudfront-origin-header-AbCdEf' }),
      ).toThrow(/originHeaderSecretName must be the secret's name, not an ARN/);
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = edgeStack();
    new EdgeDistribution(stack, 'Cdn', minimalProps(stack));
    expectToPassPolicies(stack);
  });
});

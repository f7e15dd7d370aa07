import { type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { WebApplication } from '../../src/app/web-application';
import { CloudFrontOnlyLoadBalancer } from '../../src/edge/cloudfront-only-load-balancer';
import { AccessLogBucket } from '../../src/storage/access-log-bucket';
import { importedDependencies, importedVpc } from '../app/fixtures';

type Resource = { Properties: Record<string, unknown>; DependsOn?: string[] };

describe('CloudFrontOnlyLoadBalancer', () => {
  describe('GIVEN default props and a web application registered behind it', () => {
    let template: Template;
    let lb: CloudFrontOnlyLoadBalancer;

    beforeAll(() => {
      const stack = createTestStack();
      const dependencies = importedDependencies(stack);
      lb = new CloudFrontOnlyLoadBalancer(stack, 'Lb', { vpc: dependencies.vpc, domainName: 'lb.staging.submit-social-housing-data.communities.gov.uk' });
      new WebApplication(stack, 'Web', { ...dependencies, listener: lb.httpsListener, originVerifySecret: lb.originHeaderSecret });
      template = Template.fromStack(stack);
    });

    test('THEN the load balancer is internet-facing in the public subnets, deletion-protected and drops invalid headers', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Type: 'application',
        Scheme: 'internet-facing',
        Subnets: ['subnet-0a000000000000001', 'subnet-0a000000000000002', 'subnet-0a000000000000003'],
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'deletion_protection.enabled', Value: 'true' },
          { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        ]),
      });
    });

    test('THEN the security group admits only TCP 443 from the CloudFront origin-facing prefix list', () => {
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('LbSecurityGroup'), 'GroupId'] },
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        SourcePrefixListId: 'pl-93a247fa',
      });
      const ingress = template.findResources('AWS::EC2::SecurityGroupIngress', {
        Properties: { GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('LbSecurityGroup'), 'GroupId'] } },
      });
      expect(Object.keys(ingress)).toHaveLength(1);
      expect(lb.cloudFrontPrefixListId).toBe('pl-93a247fa');
    });

    test('THEN the security group sends only to the app tasks on 8080', () => {
      const groups = template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('CORE load balancer') } }) as Record<string, Resource>;
      const [group] = Object.values(groups);
      expect(group.Properties.SecurityGroupEgress).toBeUndefined();
      expect(group.Properties.SecurityGroupIngress).toBeUndefined();
      const egress = template.findResources('AWS::EC2::SecurityGroupEgress') as Record<string, Resource>;
      expect(Object.values(egress).map((rule) => rule.Properties)).toEqual([
        {
          Description: 'Load balancer to target',
          GroupId: { 'Fn::GetAtt': [expect.stringMatching(/^LbSecurityGroup/), 'GroupId'] },
          DestinationSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^WebSecurityGroup/), 'GroupId'] },
          IpProtocol: 'tcp',
          FromPort: 8080,
          ToPort: 8080,
        },
      ]);
    });

    test('THEN there is exactly one listener: HTTPS 443 with the TLS 1.3/1.2 policy, the certificate and a fixed 403 default', () => {
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Protocol: 'HTTPS',
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        Certificates: [{ CertificateArn: { Ref: Match.stringLikeRegexp('LbCertificate') } }],
        DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '403', ContentType: 'text/plain', MessageBody: '403: Forbidden' } }],
      });
    });

    test('THEN access logs go to an access-log bucket that admits the regional ELB account, and the bucket exists first', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'access_logs.s3.enabled', Value: 'true' },
          { Key: 'access_logs.s3.bucket', Value: { Ref: Match.stringLikeRegexp('LbAccessLogsBucket') } },
          { Key: 'access_logs.s3.prefix', Value: 'load-balancer' },
        ]),
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: Match.stringLikeRegexp('LbAccessLogsBucket') },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 's3:PutObject',
              Principal: { AWS: 'arn:aws:iam::652711504416:root' },
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('LbAccessLogsBucket'), 'Arn'] }, '/load-balancer/AWSLogs/123456789012/*']] },
            }),
          ]),
        },
      });
      const balancers = template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer') as Record<string, Resource>;
      expect(Object.values(balancers)[0].DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^LbAccessLogsBucketPolicy/)]));
    });

    test('THEN the origin-header secret is generated (32 characters, no punctuation), CMK-encrypted and replicated to us-east-1', () => {
      template.hasResource('AWS::SecretsManager::Secret', {
        Properties: {
          Name: 'TestStack/Lb/cloudfront-origin-header',
          GenerateSecretString: { PasswordLength: 32, ExcludePunctuation: true, IncludeSpace: false },
          KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('LbKey'), 'Arn'] },
          ReplicaRegions: [{ Region: 'us-east-1' }],
        },
        DeletionPolicy: 'Retain',
      });
      expect(lb.originHeaderSecretName).toBe('TestStack/Lb/cloudfront-origin-header');
    });

    test('THEN the certificate for the lb. host name is DNS-validated with the records as outputs', () => {
      template.hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: 'lb.staging.submit-social-housing-data.communities.gov.uk',
        ValidationMethod: 'DNS',
        DomainValidationOptions: Match.absent(),
      });
      const outputs = Object.keys(template.findOutputs('*'));
      expect(outputs).toEqual(expect.arrayContaining([expect.stringMatching(/^LbCertificateValidationRecord0Name/), expect.stringMatching(/^LbCertificateValidationRecord0Value/)]));
      template.hasOutput('*', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('LbLoadBalancer'), 'DNSName'] } });
    });
  });

  describe('GIVEN an existing certificate, log bucket and prefix list', () => {
    let template: Template;

    beforeAll(() => {
      const stack = createTestStack();
      new CloudFrontOnlyLoadBalancer(stack, 'Lb', {
        vpc: importedVpc(stack),
        domainName: 'review.lb.submit-social-housing-data.communities.gov.uk',
        certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', 'arn:aws:acm:eu-west-2:123456789012:certificate/abcd'),
        accessLogBucket: new AccessLogBucket(stack, 'SharedLogs', { bucketName: 'core-dev-load-balancer-logs-123456789012' }),
        cloudFrontPrefixListId: 'pl-0123456789abcdef0',
        originHeaderSecretName: 'core-dev/cloudfront-origin-header',
        originHeaderReplicaKeyId: 'alias/core-dev-edge',
      });
      template = Template.fromStack(stack);
    });

    test('THEN it creates no certificate and logs to the given bucket', () => {
      template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
      template.resourceCountIs('AWS::S3::Bucket', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Certificates: [{ CertificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/abcd' }] });
    });

    test('THEN the given prefix list, secret name and replica key are used', () => {
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { SourcePrefixListId: 'pl-0123456789abcdef0' });
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: 'core-dev/cloudfront-origin-header',
        ReplicaRegions: [{ Region: 'us-east-1', KmsKeyId: 'alias/core-dev-edge' }],
      });
    });
  });

  describe('GIVEN wrong props', () => {
    test('fails in a region with no known prefix list ID', () => {
      const stack = createTestStack('Stack', { env: { account: '123456789012', region: 'me-south-1' } });
      expect(() => new CloudFrontOnlyLoadBalancer(stack, 'Lb', { vpc: importedVpc(stack), domainName: 'lb.example.gov.uk' })).toThrow(
        /no CloudFront origin-facing prefix list ID is known for me-south-1: pass cloudFrontPrefixListId/,
      );
    });

    test('fails when the prefix list ID is malformed', () => {
      const stack = createTestStack();
      expect(() => new CloudFrontOnlyLoadBalancer(stack, 'Lb', { vpc: importedVpc(stack), domainName: 'lb.example.gov.uk', cloudFrontPrefixListId: 'com.amazonaws.global.cloudfront.origin-facing' })).toThrow(
        /cloudFrontPrefixListId must be a prefix list ID/,
      );
    });

    test('fails when the replica key is not in us-east-1', () => {
      const stack = createTestStack();
      expect(
        () =>
          new CloudFrontOnlyLoadBalancer(stack, 'Lb', {
            vpc: importedVpc(stack),
            domainName: 'lb.example.gov.uk',
            originHeaderReplicaKeyId: 'arn:aws:kms:eu-west-2:123456789012:key/11111111-2222-3333-4444-555555555555',
          }),
      ).toThrow(/originHeaderReplicaKeyId must be a key ID, an alias name or a key\/alias ARN in us-east-1/);
    });

    test('fails when the load balancer name is too long', () => {
      const stack = createTestStack();
      expect(() => new CloudFrontOnlyLoadBalancer(stack, 'Lb', { vpc: importedVpc(stack), domainName: 'lb.example.gov.uk', loadBalancerName: 'core-production-load-balancer-for-cloudfront' })).toThrow(
        /loadBalancerName must be 1 to 32 letters/,
      );
    });

    test('fails when the certificate domain is not a host name', () => {
      const stack = createTestStack();
      expect(() => new CloudFrontOnlyLoadBalancer(stack, 'Lb', { vpc: importedVpc(stack), domainName: 'https://lb.example.gov.uk' })).toThrow(
        /certificate domain names must be lower-case fully qualified names, got "https:\/\/lb.example.gov.uk"/,
      );
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    new CloudFrontOnlyLoadBalancer(stack, 'Lb', { vpc: importedVpc(stack as Stack), domainName: 'lb.submit-social-housing-data.communities.gov.uk' });
    expectToPassPolicies(stack);
  });
});

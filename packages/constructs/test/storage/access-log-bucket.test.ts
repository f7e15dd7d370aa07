import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { createTestApp, createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { AccessLogBucket } from '../../src/storage/access-log-bucket';

describe('AccessLogBucket', () => {
  describe('GIVEN default props and one source bucket in the same stack', () => {
    let template: Template;
    let logs: AccessLogBucket;

    beforeAll(() => {
      const stack = createTestStack();
      logs = new AccessLogBucket(stack, 'Logs');
      const source = new s3.Bucket(stack, 'Source');
      logs.allowServerAccessLogsFrom(source, 'source/');
      template = Template.fromStack(stack);
    });

    test('THEN the bucket uses SSE-S3, which server access logging requires', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      });
    });

    test('THEN public access is blocked and ACLs are disabled', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
      expect(logs.objectOwnership).toBe(s3.ObjectOwnership.BUCKET_OWNER_ENFORCED);
    });

    test('THEN the bucket is versioned and retained', () => {
      template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({ VersioningConfiguration: { Status: 'Enabled' } }),
      });
    });

    test('THEN logs expire after 90 days, noncurrent versions move to IA at 30 and go at 90, multipart aborts after 1 day', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({
              Status: 'Enabled',
              ExpirationInDays: 90,
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
              NoncurrentVersionTransitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
              NoncurrentVersionExpiration: { NoncurrentDays: 90 },
            }),
            { Id: 'core-expired-delete-markers', Status: 'Enabled', ExpiredObjectDeleteMarker: true },
          ]),
        },
      });
    });

    test('THEN requests without TLS or below TLS 1.2 are denied', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
          ]),
        },
      });
    });

    test('THEN S3 server access logging may write only for the named source bucket of this account', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'logging.s3.amazonaws.com' },
              Action: 's3:PutObject',
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsBucket'), 'Arn'] }, '/source/*']] },
              Condition: {
                StringEquals: { 'aws:SourceAccount': '123456789012' },
                ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^Source'), 'Arn'] } },
              },
            }),
          ]),
        },
      });
    });

    test('THEN the bucket is tagged as an access-log bucket for the policy rules', () => {
      template.hasResourceProperties('AWS::S3::Bucket', { Tags: Match.arrayWith([{ Key: 'core-infra:bucket-role', Value: 'access-logs' }]) });
    });

    test('THEN no ELB principal is admitted', () => {
      expect(JSON.stringify(template.findResources('AWS::S3::BucketPolicy'))).not.toContain('652711504416');
    });
  });

  describe('GIVEN ELB log delivery and CloudFront legacy logging', () => {
    let template: Template;

    beforeAll(() => {
      const stack = createTestStack();
      new AccessLogBucket(stack, 'Logs', { elbLogDelivery: true, elbLogPrefix: 'alb/', cloudFrontLegacyLogging: true });
      template = Template.fromStack(stack);
    });

    test('THEN the London ELB log-delivery account may write under the prefix for this account only', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::652711504416:root' },
              Action: 's3:PutObject',
              Resource: { 'Fn::Join': ['', [Match.anyValue(), '/alb/AWSLogs/123456789012/*']] },
            }),
          ]),
        },
      });
    });

    test('THEN ACLs are enabled with bucket-owner-preferred ownership for CloudFront', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
        Tags: Match.arrayWith([{ Key: 'core-infra:bucket-role', Value: 'cloudfront-logs' }]),
      });
    });
  });

  describe('GIVEN a region whose ELB delivers through the service principal', () => {
    test('THEN the log-delivery service principal is admitted', () => {
      const stack = createTestStack('Jakarta', { env: { account: '123456789012', region: 'ap-southeast-5' } });
      new AccessLogBucket(stack, 'Logs', { elbLogDelivery: true });
      Template.fromStack(stack).hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' }, Resource: { 'Fn::Join': ['', [Match.anyValue(), '/AWSLogs/123456789012/*']] } }),
          ]),
        },
      });
    });
  });

  describe('GIVEN a source bucket in another stack', () => {
    test('THEN the log bucket admits it by account only, creating no reverse dependency', () => {
      // GIVEN
      const app = createTestApp();
      const logStack = new Stack(app, 'Logging', { env: { account: '123456789012', region: 'eu-west-2' } });
      const sourceStack = new Stack(app, 'Sources', { env: { account: '123456789012', region: 'eu-west-2' } });
      const logs = new AccessLogBucket(logStack, 'Logs');

      // WHEN
      logs.allowServerAccessLogsFrom(new s3.Bucket(sourceStack, 'Source'));

      // THEN
      const statement = Template.fromStack(logStack).findResources('AWS::S3::BucketPolicy');
      expect(JSON.stringify(statement)).toContain('"aws:SourceAccount":"123456789012"');
      expect(JSON.stringify(statement)).not.toContain('aws:SourceArn');
      expect(logStack.dependencies).toHaveLength(0);
    });
  });

  describe('GIVEN configured lifecycle and removal', () => {
    test('THEN the configured values are used', () => {
      const stack = createTestStack();
      new AccessLogBucket(stack, 'Logs', {
        expiration: Duration.days(365),
        noncurrentVersionTransitionAfter: Duration.days(60),
        noncurrentVersionExpiration: Duration.days(120),
        abortIncompleteMultipartUploadAfter: Duration.days(2),
        removalPolicy: RemovalPolicy.DESTROY,
      });
      Template.fromStack(stack).hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Delete',
        Properties: Match.objectLike({
          LifecycleConfiguration: {
            Rules: Match.arrayWith([
              Match.objectLike({
                ExpirationInDays: 365,
                AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 },
                NoncurrentVersionTransitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 60 }],
                NoncurrentVersionExpiration: { NoncurrentDays: 120 },
              }),
            ]),
          },
        }),
      });
    });
  });

  describe('GIVEN contradictory lifecycle props', () => {
    test('fails when expiration is shorter than the noncurrent transition', () => {
      const stack = createTestStack();
      expect(() => new AccessLogBucket(stack, 'Logs', { expiration: Duration.days(14) })).toThrow(
        /expiration \(14 days\) is shorter than noncurrentVersionTransitionAfter \(30 days\)/,
      );
    });

    test('fails when noncurrent versions would expire before they transition', () => {
      const stack = createTestStack();
      expect(() => new AccessLogBucket(stack, 'Logs', { noncurrentVersionExpiration: Duration.days(30) })).toThrow(
        /noncurrentVersionExpiration \(30 days\) must be longer than noncurrentVersionTransitionAfter \(30 days\)/,
      );
    });

    test('fails when the IA transition comes before the 30 days S3 requires', () => {
      const stack = createTestStack();
      expect(() => new AccessLogBucket(stack, 'Logs', { noncurrentVersionTransitionAfter: Duration.days(7) })).toThrow(
        /noncurrentVersionTransitionAfter is 7 days but S3 needs at least 30 days/,
      );
    });

    test('fails when a lifecycle duration is not whole days', () => {
      const stack = createTestStack();
      expect(() => new AccessLogBucket(stack, 'Logs', { abortIncompleteMultipartUploadAfter: Duration.hours(12) })).toThrow(
        /abortIncompleteMultipartUploadAfter must be a whole number of days of at least 1, got 12 hours/,
      );
    });

    test('fails when an ELB prefix is given without ELB log delivery', () => {
      const stack = createTestStack();
      expect(() => new AccessLogBucket(stack, 'Logs', { elbLogPrefix: 'alb' })).toThrow(/elbLogPrefix is "alb" but elbLogDelivery is not enabled/);
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    new AccessLogBucket(stack, 'Logs');
    expectToPassPolicies(stack);
  });
});

import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { EncryptionKey } from '../../src/security/encryption-key';
import { AccessLogBucket } from '../../src/storage/access-log-bucket';
import { SecureBucket, SecureBucketEncryption } from '../../src/storage/secure-bucket';

const DATA_BUCKET = /^DataBucket[0-9A-F]{8}$/;

describe('SecureBucket', () => {
  describe('GIVEN default props with read, read-write and put grants', () => {
    let template: Template;
    let bucket: SecureBucket;

    beforeAll(() => {
      const stack = createTestStack();
      bucket = new SecureBucket(stack, 'Data');
      const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      const putter = new iam.Role(stack, 'Putter', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      bucket.grantRead(reader);
      bucket.grantReadWrite(writer);
      bucket.grantPut(putter, 'exports/*');
      template = Template.fromStack(stack);
    });

    test('THEN objects are encrypted with SSE-KMS under its own rotating key, with a bucket key', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] } },
            },
          ],
        },
      });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: 'Encrypts objects in the S3 bucket TestStack/Data' });
      expect(bucket.encryption).toBe(SecureBucketEncryption.KMS);
    });

    test('THEN SSE-C uploads are blocked', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] } })] },
      });
    });

    test('THEN public access is blocked and ACLs are disabled', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: Match.objectLike({ ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: true })] }),
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
    });

    test('THEN the bucket and its key are retained and the bucket is versioned', () => {
      template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({ VersioningConfiguration: { Status: 'Enabled' }, BucketEncryption: Match.anyValue() }),
      });
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    });

    test('THEN incomplete multipart uploads are aborted after 1 day and nothing expires', () => {
      const buckets = template.findResources('AWS::S3::Bucket', { Properties: { BucketEncryption: Match.objectLike({ ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: true })] }) } });
      const [dataBucket] = Object.values(buckets) as Array<{ Properties: { LifecycleConfiguration: { Rules: unknown[] } } }>;
      expect(dataBucket.Properties.LifecycleConfiguration.Rules).toEqual([{ Id: 'core-lifecycle', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }]);
    });

    test('THEN requests without TLS or below TLS 1.2 are denied', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: Match.stringLikeRegexp(DATA_BUCKET.source) },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Deny', Principal: { AWS: '*' }, Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
          ]),
        },
      });
    });

    test('THEN server access logs go to a dedicated SSE-S3 access-log bucket, partitioned by source and date', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        LoggingConfiguration: {
          DestinationBucketName: { Ref: Match.stringLikeRegexp('^DataAccessLogsBucket') },
          TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'EventTime' } },
        },
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: Match.stringLikeRegexp('^DataAccessLogsBucket') },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'logging.s3.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp(DATA_BUCKET.source), 'Arn'] } } },
            }),
          ]),
        },
      });
    });

    test('THEN a reader may list and get, and decrypt only through S3', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^Reader') }],
        PolicyDocument: {
          Statement: [
            { Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp(DATA_BUCKET.source), 'Arn'] }, '/*']] } },
            { Effect: 'Allow', Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp(DATA_BUCKET.source), 'Arn'] } },
            {
              Effect: 'Allow',
              Action: 'kms:Decrypt',
              Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] },
              Condition: { StringEquals: { 'kms:ViaService': ['s3.eu-west-2.amazonaws.com'] } },
            },
          ],
        },
      });
    });

    test('THEN a read-write grantee may also put and delete objects and encrypt', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^Writer') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'] }),
            Match.objectLike({ Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] }),
          ]),
        },
      });
    });

    test('THEN a put-only grantee may only put under its prefix and encrypt, never read or list', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^Putter') }],
        PolicyDocument: {
          Statement: [
            { Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [Match.anyValue(), '/exports/*']] } },
            Match.objectLike({ Action: ['kms:Encrypt', 'kms:GenerateDataKey'] }),
          ],
        },
      });
    });

    test('THEN the key policy names the grantees', () => {
      const keyPolicy = JSON.stringify(template.findResources('AWS::KMS::Key'));
      expect(keyPolicy).toMatch(/Reader[0-9A-F]{8}/);
      expect(keyPolicy).toMatch(/Writer[0-9A-F]{8}/);
      expect(keyPolicy).toMatch(/Putter[0-9A-F]{8}/);
    });
  });

  describe('GIVEN a shared key, shared log bucket, SSE-S3 and lifecycle settings', () => {
    test('THEN a given key and log bucket are used instead of new ones', () => {
      // GIVEN
      const stack = createTestStack();
      const key = new EncryptionKey(stack, 'SharedKey', { description: 'Shared' });
      const logs = new AccessLogBucket(stack, 'SharedLogs');

      // WHEN
      new SecureBucket(stack, 'Data', { encryptionKey: key, serverAccessLogsBucket: logs, serverAccessLogsPrefix: 'data/' });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.resourceCountIs('AWS::S3::Bucket', 2);
      template.hasResourceProperties('AWS::S3::Bucket', {
        LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^SharedLogsBucket') }, LogFilePrefix: 'data/' },
      });
    });

    test('THEN SSE-S3 creates no key and grants no KMS access', () => {
      // GIVEN
      const stack = createTestStack();
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });

      // WHEN
      const bucket = new SecureBucket(stack, 'Data', { encryption: SecureBucketEncryption.S3_MANAGED });
      bucket.grantReadWrite(role);

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::KMS::Key', 0);
      template.hasResourceProperties('AWS::S3::Bucket', {
        LoggingConfiguration: Match.anyValue(),
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } })] },
      });
      expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toContain('kms:');
    });

    test('THEN expiry and noncurrent rules are rendered and a destroy policy reaches bucket, key and log bucket', () => {
      // GIVEN
      const stack = createTestStack();

      // WHEN
      new SecureBucket(stack, 'Data', {
        expiration: Duration.days(365),
        noncurrentVersionTransitionAfter: Duration.days(30),
        noncurrentVersionTransitionStorageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
        noncurrentVersionExpiration: Duration.days(90),
        removalPolicy: RemovalPolicy.DESTROY,
      });

      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::S3::Bucket', {
        LoggingConfiguration: Match.anyValue(),
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({
              ExpirationInDays: 365,
              NoncurrentVersionTransitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 30 }],
              NoncurrentVersionExpiration: { NoncurrentDays: 90 },
            }),
          ]),
        },
      });
      expect(Object.values(template.findResources('AWS::S3::Bucket')).map((r) => r.DeletionPolicy)).toEqual(['Delete', 'Delete']);
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    });

    test('THEN an unversioned bucket has no versioning configuration', () => {
      const stack = createTestStack();
      const bucket = new SecureBucket(stack, 'Data', { versioned: false, expiration: Duration.days(30) });
      expect(bucket.versioned).toBe(false);
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::S3::Bucket', {
        LoggingConfiguration: Match.anyValue(),
        VersioningConfiguration: Match.absent(),
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30 })] },
      });
    });
  });

  describe('GIVEN contradictory props', () => {
    test('fails when a key is given for SSE-S3', () => {
      const stack = createTestStack();
      const key = new EncryptionKey(stack, 'Key', { description: 'x' });
      expect(() => new SecureBucket(stack, 'Data', { encryption: SecureBucketEncryption.S3_MANAGED, encryptionKey: key })).toThrow(
        /encryptionKey is given but encryption is S3_MANAGED: set encryption to SecureBucketEncryption.KMS or remove encryptionKey/,
      );
    });

    test('fails when noncurrent rules are set on an unversioned bucket', () => {
      const stack = createTestStack();
      expect(() => new SecureBucket(stack, 'Data', { versioned: false, noncurrentVersionExpiration: Duration.days(30) })).toThrow(
        /noncurrentVersionExpiration is 30 days but the bucket is not versioned/,
      );
      expect(() => new SecureBucket(stack, 'Data2', { versioned: false, noncurrentVersionTransitionAfter: Duration.days(30) })).toThrow(
        /noncurrentVersionTransitionAfter is 30 days but the bucket is not versioned/,
      );
    });

    test('fails when asked to snapshot a bucket on removal', () => {
      const stack = createTestStack();
      expect(() => new SecureBucket(stack, 'Data', { removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(/removalPolicy SNAPSHOT is not supported by S3 buckets/);
    });

    test('fails when expiration is shorter than the noncurrent transition', () => {
      const stack = createTestStack();
      expect(() => new SecureBucket(stack, 'Data', { expiration: Duration.days(30), noncurrentVersionTransitionAfter: Duration.days(60) })).toThrow(
        /expiration \(30 days\) is shorter than noncurrentVersionTransitionAfter \(60 days\)/,
      );
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    new SecureBucket(stack, 'Data');
    expectToPassPolicies(stack);
  });
});

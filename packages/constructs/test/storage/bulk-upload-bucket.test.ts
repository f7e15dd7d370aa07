import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { SecureBucketEncryption } from '../../src/storage/secure-bucket';
import { BulkUploadBucket } from '../../src/storage/bulk-upload-bucket';

describe('BulkUploadBucket', () => {
  describe('GIVEN default props and the app task role granted read-write', () => {
    let template: Template;
    let bucket: BulkUploadBucket;

    beforeAll(() => {
      const stack = createTestStack();
      bucket = new BulkUploadBucket(stack, 'BulkUpload');
      const taskRole = new iam.Role(stack, 'TaskRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      bucket.grantReadWrite(taskRole);
      template = Template.fromStack(stack);
    });

    test('THEN files are encrypted with SSE-KMS under a rotating CMK with a bucket key', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: true, ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })],
        },
      });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      expect(bucket.encryption).toBe(SecureBucketEncryption.KMS);
    });

    test('THEN files expire after 30 days, deleted versions after 7 and incomplete uploads after 1', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: {
          Rules: [
            Match.objectLike({ ExpirationInDays: 30, NoncurrentVersionExpiration: { NoncurrentDays: 7 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
            Match.objectLike({ ExpiredObjectDeleteMarker: true }),
          ],
        },
      });
    });

    test('THEN public access is blocked, non-TLS requests are denied and access is logged to its own log bucket', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: Match.objectLike({ DestinationBucketName: { Ref: Match.stringLikeRegexp('BulkUploadAccessLogsBucket') } }),
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    });

    test('THEN the app role gets list, get, put and delete plus KMS through S3 only', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('TaskRole') }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'] }),
            Match.objectLike({ Action: 's3:ListBucket' }),
            Match.objectLike({ Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], Condition: { StringEquals: { 'kms:ViaService': ['s3.eu-west-2.amazonaws.com'] } } }),
          ],
        },
      });
    });
  });

  describe('GIVEN versioning turned off, as in the original service', () => {
    test('THEN there is no versioning and no noncurrent rule', () => {
      const stack = createTestStack();
      new BulkUploadBucket(stack, 'BulkUpload', { versioned: false, expiration: Duration.days(14) });
      Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
        VersioningConfiguration: Match.absent(),
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 14, NoncurrentVersionExpiration: Match.absent() })] },
      });
    });
  });

  describe('GIVEN contradictory props', () => {
    test('fails when noncurrent expiry is set on an unversioned bucket', () => {
      const stack = createTestStack();
      expect(() => new BulkUploadBucket(stack, 'BulkUpload', { versioned: false, noncurrentVersionExpiration: Duration.days(7) })).toThrow(
        /noncurrentVersionExpiration is 7 days but the bucket is not versioned/,
      );
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    new BulkUploadBucket(stack, 'BulkUpload');
    expectToPassPolicies(stack);
  });
});

import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { CollectionResourcesBucket } from '../../src/storage/collection-resources-bucket';

describe('CollectionResourcesBucket', () => {
  describe('GIVEN default props and the app task role granted read-write', () => {
    let template: Template;

    beforeAll(() => {
      const stack = createTestStack();
      const bucket = new CollectionResourcesBucket(stack, 'CollectionResources');
      const taskRole = new iam.Role(stack, 'TaskRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      bucket.grantReadWrite(taskRole);
      template = Template.fromStack(stack);
    });

    test('THEN the bucket is versioned, KMS-encrypted, never expires and is retained', () => {
      template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          VersioningConfiguration: { Status: 'Enabled' },
          BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: true })] },
          LifecycleConfiguration: { Rules: [{ Id: 'core-lifecycle', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }] },
        }),
      });
    });

    test('THEN public access is blocked, non-TLS requests are denied and access is logged', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: Match.objectLike({ DestinationBucketName: { Ref: Match.stringLikeRegexp('CollectionResourcesAccessLogsBucket') } }),
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    });

    test('THEN the app role gets list, get, put and delete with KMS through S3', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('TaskRole') }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'] }), Match.objectLike({ Action: 's3:ListBucket' })]) },
      });
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    new CollectionResourcesBucket(stack, 'CollectionResources');
    expectToPassPolicies(stack);
  });
});

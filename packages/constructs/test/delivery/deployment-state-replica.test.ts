import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { createTestStack, expectToPassPolicies, TEST_ENV } from '@core-infra/testing';
import { DeploymentStateReplica } from '../../src/delivery/deployment-state-replica';
import { DeploymentStateStore } from '../../src/delivery/deployment-state-store';

describe('DeploymentStateReplica', () => {
  describe('GIVEN the replica of the non-prod store in eu-west-1', () => {
    let replicaStack: Stack;
    let template: Template;
    let replica: DeploymentStateReplica;

    beforeAll(() => {
      replicaStack = createTestStack('ReplicaStack', { env: { account: TEST_ENV.account, region: 'eu-west-1' } });
      replica = new DeploymentStateReplica(replicaStack, 'NonProdStateReplica', { storeName: 'core-non-prod' });
      template = Template.fromStack(replicaStack);
    });

    test('THEN the bucket has the name the source store replicates to, and is versioned', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: 'core-non-prod-deployment-state-replica-123456789012',
        VersioningConfiguration: { Status: 'Enabled' },
      });
    });

    test('THEN replicas are encrypted with a rotating key under the alias the source names', () => {
      template.hasResourceProperties('AWS::KMS::Alias', {
        AliasName: 'alias/core-non-prod/deployment-state-replica',
        TargetKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('NonProdStateReplicaEncryptionKey'), 'Arn'] },
      });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: 'core-non-prod-deployment-state-replica-123456789012',
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('NonProdStateReplicaEncryptionKey'), 'Arn'] } },
            }),
          ],
        },
      });
    });

    test('THEN the replica logs access, blocks public access and refuses plain HTTP', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: 'core-non-prod-deployment-state-replica-123456789012',
        LoggingConfiguration: Match.objectLike({ DestinationBucketName: { Ref: Match.stringLikeRegexp('AccessLogs') } }),
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    });

    test('THEN the bucket and key are retained', () => {
      template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ BucketName: 'core-non-prod-deployment-state-replica-123456789012' }) });
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
      expect(replica.removalPolicy).toBe(RemovalPolicy.RETAIN);
    });

    test('THEN the source store in eu-west-2 addresses exactly this bucket and key alias', () => {
      const sourceStack = createTestStack('SourceStack');
      const store = new DeploymentStateStore(sourceStack, 'NonProdState', { storeName: 'core-non-prod' });
      expect(store.replicaBucketName).toBe(replica.bucketName);
      expect(store.replicaKeyAliasArn).toBe(`arn:aws:kms:eu-west-1:123456789012:${replica.keyAlias}`);
    });
  });

  describe('GIVEN the caller opts into destruction', () => {
    test('THEN the bucket is deleted with the stack', () => {
      const stack = createTestStack('ReplicaStack', { env: { account: TEST_ENV.account, region: 'eu-west-1' } });
      new DeploymentStateReplica(stack, 'Replica', { storeName: 'core-test', removalPolicy: RemovalPolicy.DESTROY });
      Template.fromStack(stack).hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ BucketName: 'core-test-deployment-state-replica-123456789012' }) });
    });
  });

  test('fails when the store name cannot prefix a bucket name', () => {
    const stack = createTestStack();
    expect(() => new DeploymentStateReplica(stack, 'Replica', { storeName: 'core-non-prod-deployment-state-store' })).toThrow(
      'storeName must be 1 to 24 lowercase letters, digits or inner hyphens, got "core-non-prod-deployment-state-store"',
    );
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack('ReplicaStack', { env: { account: TEST_ENV.account, region: 'eu-west-1' } });
    new DeploymentStateReplica(stack, 'Replica', { storeName: 'core-non-prod' });
    expectToPassPolicies(stack);
  });
});

import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { DeploymentStateStore } from '../../src/delivery/deployment-state-store';
import { policyStatementsOf } from './policy-statements';


const BUCKET_ARN = { 'Fn::GetAtt': [Match.stringLikeRegexp('^NonProdStateBucket[0-9A-F]+$'), 'Arn'] };
const BUCKET_OBJECTS = { 'Fn::Join': ['', [BUCKET_ARN, '/*']] };
const KEY_ARN = { 'Fn::GetAtt': [Match.stringLikeRegexp('^NonProdStateEncryptionKey'), 'Arn'] };

describe('DeploymentStateStore', () => {
  describe('GIVEN the non-prod store with a CI role and a read-only role', () => {
    let stack: Stack;
    let template: Template;
    let store: DeploymentStateStore;

    beforeAll(() => {
      stack = createTestStack();
      store = new DeploymentStateStore(stack, 'NonProdState', { storeName: 'core-non-prod' });
      store.grantReadWrite(new iam.Role(stack, 'CiRole', { assumedBy: new iam.AccountRootPrincipal() }));
      store.grantRead(new iam.Role(stack, 'ReaderRole', { assumedBy: new iam.AccountRootPrincipal() }));
      template = Template.fromStack(stack);
    });

    test('THEN the state bucket is named after the store and account, versioned and encrypted with the store key', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: 'core-non-prod-deployment-state-123456789012',
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN } })],
        },
      });
      expect(store.bucketName).toBe('core-non-prod-deployment-state-123456789012');
    });

    test('THEN the state bucket blocks public access, logs access and refuses plain HTTP', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: 'core-non-prod-deployment-state-123456789012',
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('NonProdStateBucketAccessLogs') } },
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: Match.stringLikeRegexp('^NonProdStateBucket[0-9A-F]+$') },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    test('THEN the state bucket replicates every KMS-encrypted object to the replica with the replica key, keeping deletes out', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: 'core-non-prod-deployment-state-123456789012',
        ReplicationConfiguration: {
          Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('NonProdStateReplicationRole'), 'Arn'] },
          Rules: [
            {
              Id: 'replicate-to-second-region',
              Status: 'Enabled',
              Priority: 1,
              Filter: { Prefix: '' },
              DeleteMarkerReplication: { Status: 'Disabled' },
              SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
              Destination: {
                Bucket: 'arn:aws:s3:::core-non-prod-deployment-state-replica-123456789012',
                EncryptionConfiguration: { ReplicaKmsKeyID: 'arn:aws:kms:eu-west-1:123456789012:alias/core-non-prod/deployment-state-replica' },
              },
            },
          ],
        },
      });
      expect(store.replicaRegion).toBe('eu-west-1');
    });

    test('THEN only S3 in this account may assume the replication role', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Principal: { Service: 's3.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
            },
          ],
        },
      });
    });

    test('THEN the replication role can read source versions, write replicas and use each key only through S3', () => {
      expect(policyStatementsOf(template, 'NonProdStateReplicationRole')).toEqual([
        { Effect: 'Allow', Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: expect.objectContaining({ 'Fn::GetAtt': expect.any(Array) }) },
        {
          Effect: 'Allow',
          Action: ['s3:GetObjectVersionAcl', 's3:GetObjectVersionForReplication', 's3:GetObjectVersionTagging'],
          Resource: expect.objectContaining({ 'Fn::Join': expect.any(Array) }),
        },
        { Effect: 'Allow', Action: ['s3:ReplicateObject', 's3:ReplicateTags'], Resource: 'arn:aws:s3:::core-non-prod-deployment-state-replica-123456789012/*' },
        {
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: expect.objectContaining({ 'Fn::GetAtt': expect.any(Array) }),
          Condition: { StringEquals: { 'kms:ViaService': ['s3.eu-west-2.amazonaws.com'] } },
        },
        {
          Effect: 'Allow',
          Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
          Resource: 'arn:aws:kms:eu-west-1:123456789012:key/*',
          Condition: {
            'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/core-non-prod/deployment-state-replica' },
            StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' },
          },
        },
      ]);
    });

    test('THEN the lock table is on-demand, recoverable, deletion-protected, CMK-encrypted and expires lapsed locks', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: 'core-non-prod-deployment-lock',
        KeySchema: [{ AttributeName: 'lockId', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'lockId', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY_ARN },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
      expect(store.lockTableName).toBe('core-non-prod-deployment-lock');
    });

    test('THEN the bucket, lock table and key are retained', () => {
      template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ BucketName: 'core-non-prod-deployment-state-123456789012' }) });
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/core-non-prod/deployment-state' });
    });

    test('THEN grantReadWrite lets CI take locks and read and add archives, but never delete them', () => {
      const statements = policyStatementsOf(template, 'CiRole');
      expect(statements).toEqual([
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: expect.anything() },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: expect.anything() },
        {
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
          Resource: expect.anything(),
          Condition: { StringEquals: { 'kms:ViaService': ['s3.eu-west-2.amazonaws.com'] } },
        },
        {
          Effect: 'Allow',
          Action: ['dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem'],
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^NonProdStateLockTable/), 'Arn'] },
        },
        {
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
          Resource: expect.anything(),
          Condition: { StringEquals: { 'kms:ViaService': ['dynamodb.eu-west-2.amazonaws.com'] } },
        },
      ]);
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('CiRole') }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['s3:GetObject', 's3:PutObject'], Resource: BUCKET_OBJECTS })]) },
      });
    });

    test('THEN grantRead only reads objects and locks', () => {
      const actions = policyStatementsOf(template, 'ReaderRole').flatMap((statement) => statement.Action);
      expect(actions).toEqual(['s3:GetObject', 's3:ListBucket', 'kms:Decrypt', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'kms:Decrypt', 'kms:DescribeKey']);
    });
  });

  describe('GIVEN two stores in one stack', () => {
    test('THEN their buckets, tables and aliases do not collide', () => {
      const stack = createTestStack();
      new DeploymentStateStore(stack, 'NonProdState', { storeName: 'core-non-prod' });
      new DeploymentStateStore(stack, 'ProdState', { storeName: 'core-prod' });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::DynamoDB::Table', 2);
      template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'core-prod-deployment-lock' });
      template.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'core-prod-deployment-state-123456789012' });
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/core-prod/deployment-state' });
    });
  });

  describe('GIVEN another replica region', () => {
    test('THEN replication targets that region', () => {
      const stack = createTestStack();
      new DeploymentStateStore(stack, 'NonProdState', { storeName: 'core-non-prod', replicaRegion: 'eu-central-1' });
      Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
        ReplicationConfiguration: {
          Rules: [
            Match.objectLike({
              Destination: Match.objectLike({
                EncryptionConfiguration: { ReplicaKmsKeyID: 'arn:aws:kms:eu-central-1:123456789012:alias/core-non-prod/deployment-state-replica' },
              }),
            }),
          ],
        },
      });
    });
  });

  describe('GIVEN the caller opts into destruction', () => {
    test('THEN deletion protection is off and everything is deleted with the stack', () => {
      const stack = createTestStack();
      new DeploymentStateStore(stack, 'State', { storeName: 'core-test', removalPolicy: RemovalPolicy.DESTROY });
      const template = Template.fromStack(stack);
      template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ DeletionProtectionEnabled: false }) });
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    });
  });

  describe('GIVEN invalid props', () => {
    test('fails when the replica region is the store region', () => {
      const stack = createTestStack();
      expect(() => new DeploymentStateStore(stack, 'State', { storeName: 'core-prod', replicaRegion: 'eu-west-2' })).toThrow(
        'replicaRegion is "eu-west-2", the same region as the state store: replicate to a second region',
      );
    });

    test('fails when the store name cannot prefix a bucket name', () => {
      const stack = createTestStack();
      expect(() => new DeploymentStateStore(stack, 'State', { storeName: 'Core_Prod' })).toThrow(
        'storeName must be 1 to 24 lowercase letters, digits or inner hyphens, got "Core_Prod"',
      );
    });

    test('fails when the replica region is not a region', () => {
      const stack = createTestStack();
      expect(() => new DeploymentStateStore(stack, 'State', { storeName: 'core-prod', replicaRegion: 'ireland' })).toThrow(
        'replicaRegion must be an AWS region such as "eu-west-1", got "ireland"',
      );
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    new DeploymentStateStore(stack, 'State', { storeName: 'core-non-prod' });
    expectToPassPolicies(stack);
  });
});

import { Duration, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { NxRemoteCache } from '../../src/delivery/nx-remote-cache';
import { policyStatementsOf } from './policy-statements';


const BUCKET_ARN = { 'Fn::GetAtt': [Match.stringLikeRegexp('^NxCacheBucket[0-9A-F]+$'), 'Arn'] };
const entriesUnder = (prefix: string) => ({ 'Fn::Join': ['', [BUCKET_ARN, `/${prefix}/*`]] });
const KEY_ARN = { 'Fn::GetAtt': [Match.stringLikeRegexp('^NxCacheBucketKey'), 'Arn'] };

describe('NxRemoteCache', () => {
  describe('GIVEN a cache with a main writer and a pull-request writer that reuses main entries', () => {
    let stack: Stack;
    let template: Template;
    let cache: NxRemoteCache;

    beforeAll(() => {
      stack = createTestStack();
      cache = new NxRemoteCache(stack, 'NxCache', { bucketName: 'core-meta-nx-cache-123456789012' });
      const role = (id: string) => new iam.Role(stack, id, { assumedBy: new iam.AccountRootPrincipal() });
      const mainRole = role('MainRole');
      const pullRequestRole = role('PullRequestRole');
      cache.grantReadWrite(mainRole, 'main');
      cache.grantReadWrite(pullRequestRole, 'pull-requests');
      cache.grantRead(pullRequestRole, 'main');
      template = Template.fromStack(stack);
    });

    test('THEN the bucket is KMS-encrypted with its own key, blocks public access and logs access', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: 'core-meta-nx-cache-123456789012',
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN } })],
        },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: Match.objectLike({ DestinationBucketName: { Ref: Match.stringLikeRegexp('^NxCacheBucketAccessLogs') } }),
      });
    });

    test('THEN entries expire 30 days after they were written and the bucket keeps no versions', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: 'core-meta-nx-cache-123456789012',
        VersioningConfiguration: Match.absent(),
        LifecycleConfiguration: { Rules: [Match.objectLike({ Status: 'Enabled', ExpirationInDays: 30 })] },
      });
      expect(cache.expiration.toDays()).toBe(30);
    });

    test('THEN the bucket refuses plain HTTP, TLS below 1.2 and any write that could replace an entry', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: Match.stringLikeRegexp('^NxCacheBucket[0-9A-F]+$') },
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
            {
              Sid: 'DenyWritesThatCouldReplaceAnEntry',
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:PutObject',
              Resource: { 'Fn::Join': ['', [BUCKET_ARN, '/*']] },
              Condition: { Null: { 's3:if-none-match': 'true' } },
            },
          ],
        },
      });
    });

    test('THEN the bucket policy allows nobody: access comes only from the grants', () => {
      const statements = Object.values(template.findResources('AWS::S3::BucketPolicy'))
        .filter((policy) => JSON.stringify(policy.Properties.Bucket).includes('NxCacheBucket') && !JSON.stringify(policy.Properties.Bucket).includes('AccessLogs'))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<{ Effect: string }>);
      expect(statements.filter((statement) => statement.Effect === 'Allow')).toEqual([]);
    });

    test('THEN grantReadWrite reads and adds entries under its own prefix only, and never deletes', () => {
      expect(policyStatementsOf(template, 'MainRole')).toEqual([
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: expect.anything() },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: expect.anything() },
        {
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
          Resource: expect.anything(),
          Condition: { StringEquals: { 'kms:ViaService': ['s3.eu-west-2.amazonaws.com'] } },
        },
      ]);
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^MainRole') }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['s3:GetObject', 's3:PutObject'], Resource: entriesUnder('main') })]) },
      });
    });

    test('THEN the pull-request writer adds entries only under pull-requests and may only read main', () => {
      const writes = policyStatementsOf(template, 'PullRequestRole').filter((statement) => [statement.Action].flat().includes('s3:PutObject'));
      expect(writes).toHaveLength(1);
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^PullRequestRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: ['s3:GetObject', 's3:PutObject'], Resource: entriesUnder('pull-requests') }),
            Match.objectLike({ Action: 's3:GetObject', Resource: entriesUnder('main') }),
          ]),
        },
      });
    });

    test('THEN it passes the CORE policies without acknowledgements', () => {
      expectToPassPolicies(stack);
    });
  });

  describe('GIVEN a shorter expiry', () => {
    test('THEN entries expire after it', () => {
      const stack = createTestStack();
      new NxRemoteCache(stack, 'NxCache', { expiration: Duration.days(7) });
      Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 7 })] } });
    });
  });

  describe('GIVEN a key prefix that is not one trust level', () => {
    test.each(['main/*', '', 'Main', 'pull-requests/42'])('THEN granting on "%s" fails naming the rule', (prefix) => {
      const stack = createTestStack();
      const cache = new NxRemoteCache(stack, 'NxCache');
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
      expect(() => cache.grantReadWrite(role, prefix)).toThrow(/keyPrefix must be 1 to 63 lowercase letters, digits or inner hyphens/);
    });
  });
});

import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { CdsExportBucket } from '../../src/storage/cds-export-bucket';

const CDS_ROLES = ['arn:aws:iam::210987654321:role/DSQL1', 'arn:aws:iam::210987654321:role/DSQSS'];

describe('CdsExportBucket', () => {
  describe('GIVEN a production bucket with the CDS read role and the app granted write', () => {
    let template: Template;
    let bucket: CdsExportBucket;

    beforeAll(() => {
      const stack = createTestStack();
      bucket = new CdsExportBucket(stack, 'Export', { cdsReaderRoleArns: CDS_ROLES, cdsRoleName: 'core-prod-cds', bucketName: 'core-prod-export-cds' });
      const taskRole = new iam.Role(stack, 'TaskRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      bucket.grantAppWrite(taskRole);
      template = Template.fromStack(stack);
    });

    test('THEN exports are KMS-encrypted and expire after 30 days', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: 'core-prod-export-cds',
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: true, ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
        LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 30, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } })]) },
        LoggingConfiguration: Match.anyValue(),
      });
    });

    test('THEN the app may only put objects and encrypt, with no read, list or delete', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('TaskRole') }],
        PolicyDocument: {
          Statement: [
            { Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('ExportBucket'), 'Arn'] }, '/*']] } },
            {
              Effect: 'Allow',
              Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
              Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('ExportKey'), 'Arn'] },
              Condition: { StringEquals: { 'kms:ViaService': ['s3.eu-west-2.amazonaws.com'] } },
            },
          ],
        },
      });
    });

    test('THEN the CDS role is assumable only by the named roles', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'core-prod-cds',
        MaxSessionDuration: 3600,
        AssumeRolePolicyDocument: {
          Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: CDS_ROLES } }],
        },
      });
      expect(bucket.cdsReadRole).toBeDefined();
    });

    test('THEN the CDS role may only list, get and decrypt through S3', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('ExportCdsReadRole') }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Action: 's3:GetObject' }),
            Match.objectLike({ Action: 's3:ListBucket' }),
            Match.objectLike({ Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': ['s3.eu-west-2.amazonaws.com'] } } }),
          ],
        },
      });
    });

    test('THEN the key policy names the app role (encrypt only) and the CDS role (decrypt only)', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: 'kms:Decrypt', Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExportCdsReadRole'), 'Arn'] } } }),
            Match.objectLike({ Action: ['kms:Encrypt', 'kms:GenerateDataKey'], Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TaskRole'), 'Arn'] } } }),
          ]),
        },
      });
    });
  });

  describe('GIVEN a development bucket without the CDS role', () => {
    test('THEN no role is created', () => {
      const stack = createTestStack();
      const bucket = new CdsExportBucket(stack, 'Export');
      Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 0);
      expect(bucket.cdsReadRole).toBeUndefined();
    });
  });

  describe('GIVEN contradictory props', () => {
    test.each([
      [['arn:aws:iam::210987654321:root'], /cdsReaderRoleArns must contain only named IAM role ARNs, got "arn:aws:iam::210987654321:root"/],
      [['arn:aws:iam::210987654321:role/*'], /cdsReaderRoleArns must contain only named IAM role ARNs, got "arn:aws:iam::210987654321:role\/\*"/],
      [['*'], /cdsReaderRoleArns must contain only named IAM role ARNs/],
      [[], /cdsReaderRoleArns must list at least one role ARN/],
    ])('fails for reader ARNs %j', (cdsReaderRoleArns, message) => {
      const stack = createTestStack();
      expect(() => new CdsExportBucket(stack, 'Export', { cdsReaderRoleArns })).toThrow(message);
    });

    test('fails when a role name is given without reader roles', () => {
      const stack = createTestStack();
      expect(() => new CdsExportBucket(stack, 'Export', { cdsRoleName: 'core-prod-cds' })).toThrow(/cdsRoleName is "core-prod-cds" but cdsReaderRoleArns is not set/);
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    new CdsExportBucket(stack, 'Export');
    expectToPassPolicies(stack);
  });
});

import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { type Construct } from 'constructs';
import { createTestApp, createTestStack, expectToPassPolicies, TEST_ENV } from '@core-infra/testing';
import { EncryptionKey } from '../../src/security/encryption-key';

describe('EncryptionKey', () => {
  describe('GIVEN default props and consumers in the same stack', () => {
    let template: Template;
    let key: EncryptionKey;

    beforeAll(() => {
      const stack = createTestStack();
      key = new EncryptionKey(stack, 'BulkUploadKey', { description: 'Encrypts the bulk-upload bucket' });
      const taskRole = new iam.Role(stack, 'TaskRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      const executionRole = new iam.Role(stack, 'ExecutionRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      const exportRole = new iam.Role(stack, 'ExportRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      key.grantEncryptDecrypt(taskRole, { viaServices: ['s3.eu-west-2.amazonaws.com'] });
      key.grantDecrypt(executionRole);
      key.grantEncrypt(exportRole);
      key.allowCloudWatchLogs('/core/test/*');
      key.allowServiceToPublish('cloudwatch.amazonaws.com');
      template = Template.fromStack(stack);
    });

    test('THEN the key rotates yearly and has a description', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        RotationPeriodInDays: 365,
        PendingWindowInDays: 30,
        Description: 'Encrypts the bulk-upload bucket',
      });
      expect(key.rotationPeriod.toDays()).toBe(365);
    });

    test('THEN the key is retained when removed from the stack', () => {
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(key.removalPolicy).toBe(RemovalPolicy.RETAIN);
    });

    test('THEN an alias derived from the construct path points at the key', () => {
      template.hasResourceProperties('AWS::KMS::Alias', {
        AliasName: 'alias/TestStack/BulkUploadKey',
        TargetKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('BulkUploadKey'), 'Arn'] },
      });
      expect(key.aliasName).toBe('alias/TestStack/BulkUploadKey');
    });

    test('THEN the key policy names each consumer role with only its actions', () => {
      const statements = keyPolicyStatements(template);
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
            Principal: { AWS: { 'Fn::GetAtt': [expect.stringMatching(/^TaskRole/), 'Arn'] } },
            Condition: { StringEquals: { 'kms:ViaService': ['s3.eu-west-2.amazonaws.com'] } },
          }),
          expect.objectContaining({
            Action: 'kms:Decrypt',
            Principal: { AWS: { 'Fn::GetAtt': [expect.stringMatching(/^ExecutionRole/), 'Arn'] } },
          }),
          expect.objectContaining({
            Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
            Principal: { AWS: { 'Fn::GetAtt': [expect.stringMatching(/^ExportRole/), 'Arn'] } },
          }),
        ]),
      );
    });

    test('THEN the consumer identity policy is scoped to the key ARN', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^ExportRole') }],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
              Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('BulkUploadKey'), 'Arn'] },
            },
          ],
        },
      });
    });

    test('THEN CloudWatch Logs may use the key only for log groups named by the encryption context', () => {
      expect(keyPolicyStatements(template)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Principal: { Service: 'logs.eu-west-2.amazonaws.com' },
            Action: expect.arrayContaining(['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*']),
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-2:123456789012:log-group:/core/test/*',
              },
            },
          }),
        ]),
      );
    });

    test('THEN a publishing service is limited to this account', () => {
      expect(keyPolicyStatements(template)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
          }),
        ]),
      );
    });

    test('THEN only AWS services acting for a resource may create grants', () => {
      expect(keyPolicyStatements(template)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Sid: 'DenyCreateGrantExceptForAwsServices',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'kms:CreateGrant',
            Resource: '*',
            Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
          }),
        ]),
      );
    });

    test('THEN no key-policy statement grants kms:* to anyone but the account root', () => {
      for (const statement of keyPolicyStatements(template)) {
        if (statement.Action === 'kms:*') {
          expect(JSON.stringify(statement.Principal)).toContain(':root');
        }
      }
    });
  });

  describe('GIVEN a consumer role in another stack', () => {
    test('THEN the role gets an identity policy and the key policy does not reference it', () => {
      // GIVEN
      const app = createTestApp();
      const dataStack = new Stack(app, 'Data', { env: TEST_ENV });
      const appStack = new Stack(app, 'App', { env: TEST_ENV });
      const key = new EncryptionKey(dataStack, 'Key', { description: 'Encrypts data' });
      const role = new iam.Role(appStack, 'TaskRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });

      // WHEN
      key.grantDecrypt(role);

      // THEN
      const dataTemplate = Template.fromStack(dataStack);
      expect(JSON.stringify(keyPolicyStatements(dataTemplate))).not.toContain('TaskRole');
      Template.fromStack(appStack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [Match.objectLike({ Action: 'kms:Decrypt', Effect: 'Allow' })] },
      });
    });

    test('THEN a role in another account named by a literal ARN is named in the key policy', () => {
      // GIVEN
      const stack = createTestStack();
      const key = new EncryptionKey(stack, 'Key', { description: 'Encrypts exports' });
      const otherStack = new Stack(stack.node.root as Construct, 'Other', { env: TEST_ENV });
      const external = iam.Role.fromRoleArn(otherStack, 'Cds', 'arn:aws:iam::210987654321:role/DSQL1');
      new iam.Role(otherStack, 'Unrelated', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });

      // WHEN
      key.grantDecrypt(external);

      // THEN
      expect(keyPolicyStatements(Template.fromStack(stack))).toEqual(
        expect.arrayContaining([expect.objectContaining({ Action: 'kms:Decrypt', Principal: { AWS: 'arn:aws:iam::210987654321:role/DSQL1' } })]),
      );
    });
  });

  describe('GIVEN explicit alias, rotation and removal policy', () => {
    test('THEN they are used as given', () => {
      // GIVEN
      const stack = createTestStack();

      // WHEN
      new EncryptionKey(stack, 'Key', {
        description: 'Review app key',
        alias: 'core-review-1234/cache',
        rotationPeriod: Duration.days(90),
        pendingWindow: Duration.days(7),
        removalPolicy: RemovalPolicy.DESTROY,
      });

      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/core-review-1234/cache' });
      template.hasResource('AWS::KMS::Key', {
        DeletionPolicy: 'Delete',
        Properties: Match.objectLike({ RotationPeriodInDays: 90, PendingWindowInDays: 7 }),
      });
    });
  });

  describe('GIVEN contradictory or invalid input', () => {
    test('fails when the rotation period is outside 90..2560 days', () => {
      const stack = createTestStack();
      expect(() => new EncryptionKey(stack, 'Key', { description: 'x', rotationPeriod: Duration.days(30) })).toThrow(/rotationPeriod must be between 90 and 2560 days, got 30 days/);
    });

    test('fails when the pending window is outside 7..30 days', () => {
      const stack = createTestStack();
      expect(() => new EncryptionKey(stack, 'Key', { description: 'x', pendingWindow: Duration.days(60) })).toThrow(/pendingWindow must be between 7 and 30 days, got 60 days/);
    });

    test('fails when the description is empty', () => {
      const stack = createTestStack();
      expect(() => new EncryptionKey(stack, 'Key', { description: ' ' })).toThrow(/description must not be empty/);
    });

    test('fails when the alias uses the AWS-reserved prefix', () => {
      const stack = createTestStack();
      expect(() => new EncryptionKey(stack, 'Key', { description: 'x', alias: 'alias/aws/s3' })).toThrow(/alias must not start with "alias\/aws\/"/);
    });

    test('fails when the alias has characters KMS rejects', () => {
      const stack = createTestStack();
      expect(() => new EncryptionKey(stack, 'Key', { description: 'x', alias: 'core prod' })).toThrow(/alias may contain only letters/);
    });

    test('fails when a grant asks for kms:* or a non-KMS action', () => {
      const stack = createTestStack();
      const key = new EncryptionKey(stack, 'Key', { description: 'x' });
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      expect(() => key.grant(role, ['kms:*'])).toThrow(/actions must be specific kms: actions, got "kms:\*"/);
      expect(() => key.grant(role, ['s3:GetObject'])).toThrow(/got "s3:GetObject"/);
      expect(() => key.grant(role, [])).toThrow(/actions must not be empty/);
    });

    test('fails when viaServices is an empty list', () => {
      const stack = createTestStack();
      const key = new EncryptionKey(stack, 'Key', { description: 'x' });
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      expect(() => key.grantDecrypt(role, { viaServices: [] })).toThrow(/viaServices must not be empty/);
    });

    test('fails when a service principal is not an AWS service', () => {
      const stack = createTestStack();
      const key = new EncryptionKey(stack, 'Key', { description: 'x' });
      expect(() => key.allowServicePrincipal('arn:aws:iam::123456789012:root', ['kms:Decrypt'])).toThrow(/servicePrincipal must be an AWS service principal/);
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    new EncryptionKey(stack, 'Key', { description: 'Encrypts test data' });
    expectToPassPolicies(stack);
  });
});

interface PolicyStatementJson {
  readonly Action: string | string[];
  readonly Principal: unknown;
  readonly Condition?: unknown;
}

function keyPolicyStatements(template: Template): PolicyStatementJson[] {
  const keys = Object.values(template.findResources('AWS::KMS::Key'));
  return keys.flatMap((key) => (key as { Properties: { KeyPolicy: { Statement: PolicyStatementJson[] } } }).Properties.KeyPolicy.Statement);
}

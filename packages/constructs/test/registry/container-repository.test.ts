import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { ContainerRepository } from '../../src/registry/container-repository';
import { encryptedAlertTopic } from './alert-topic';

const STAGING_EXECUTION_ROLE = 'arn:aws:iam::222222222222:role/core-staging-task-execution';
const PRODUCTION_EXECUTION_ROLE = 'arn:aws:iam::333333333333:role/core-prod-task-execution';

function buildRepository(stack: Stack, overrides: Partial<ConstructorParameters<typeof ContainerRepository>[2]> = {}): ContainerRepository {
  const topic = encryptedAlertTopic(stack);
  return new ContainerRepository(stack, 'Core', {
    repositoryName: 'core',
    scanFindingsTopic: topic,
    pullRoleArns: [STAGING_EXECUTION_ROLE, PRODUCTION_EXECUTION_ROLE],
    ...overrides,
  });
}

function lifecycleRules(template: Template): Array<Record<string, unknown>> {
  const repositories = template.findResources('AWS::ECR::Repository');
  const [repository] = Object.values(repositories);
  return JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
}

describe('ContainerRepository', () => {
  describe('GIVEN the application repository with two pull roles and a CI role', () => {
    let stack: Stack;
    let template: Template;
    let repository: ContainerRepository;

    beforeAll(() => {
      stack = createTestStack();
      repository = buildRepository(stack);
      const ciRole = new iam.Role(stack, 'CiRole', { assumedBy: new iam.AccountRootPrincipal() });
      repository.grantPush(ciRole);
      template = Template.fromStack(stack);
    });

    test('THEN tags are immutable and images are scanned on push', () => {
      template.hasResourceProperties('AWS::ECR::Repository', {
        RepositoryName: 'core',
        ImageTagMutability: 'IMMUTABLE',
        ImageScanningConfiguration: { ScanOnPush: true },
      });
      expect(repository.imageTagMutability).toBe(ecr.TagMutability.IMMUTABLE);
    });

    test('THEN images are encrypted with a rotating customer-managed key', () => {
      template.hasResourceProperties('AWS::ECR::Repository', {
        EncryptionConfiguration: {
          EncryptionType: 'KMS',
          KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('CoreEncryptionKey'), 'Arn'] },
        },
      });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    test('THEN the lifecycle keeps the last 3 production images', () => {
      expect(lifecycleRules(template)).toContainEqual({
        rulePriority: 1,
        description: 'Keep the last 3 production images',
        selection: { tagStatus: 'tagged', tagPatternList: ['production-*'], countType: 'imageCountMoreThan', countNumber: 3 },
        action: { type: 'expire' },
      });
    });

    test('THEN the lifecycle keeps the last 10 staging images', () => {
      expect(lifecycleRules(template)).toContainEqual({
        rulePriority: 2,
        description: 'Keep the last 10 staging images',
        selection: { tagStatus: 'tagged', tagPatternList: ['staging-*'], countType: 'imageCountMoreThan', countNumber: 10 },
        action: { type: 'expire' },
      });
    });

    test('THEN the lifecycle expires review images 30 days after push', () => {
      expect(lifecycleRules(template)).toContainEqual({
        rulePriority: 3,
        description: 'Expire review-app images 30 days after push',
        selection: { tagStatus: 'tagged', tagPatternList: ['review-*'], countType: 'sinceImagePushed', countNumber: 30, countUnit: 'days' },
        action: { type: 'expire' },
      });
      expect(lifecycleRules(template)).toHaveLength(3);
    });

    test('THEN only the named execution roles may pull, and nobody may push through the repository policy', () => {
      template.hasResourceProperties('AWS::ECR::Repository', {
        RepositoryPolicyText: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AllowPullByNamedRoles',
              Effect: 'Allow',
              Principal: { AWS: Match.anyValue() },
              Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
              Condition: { ArnLike: { 'aws:PrincipalArn': [STAGING_EXECUTION_ROLE, PRODUCTION_EXECUTION_ROLE] } },
            },
          ],
        },
      });
    });

    test('THEN the key policy lets the pull roles decrypt, and only decrypt', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            {
              Sid: 'AllowImageDecryptionByPullRoles',
              Effect: 'Allow',
              Principal: { AWS: Match.anyValue() },
              Action: 'kms:Decrypt',
              Resource: '*',
              Condition: { ArnLike: { 'aws:PrincipalArn': [STAGING_EXECUTION_ROLE, PRODUCTION_EXECUTION_ROLE] } },
            },
          ]),
        },
      });
    });

    test('THEN grantPush gives the CI role upload, re-tag and login on this repository only', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('CiRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: [
                'ecr:BatchCheckLayerAvailability',
                'ecr:BatchGetImage',
                'ecr:CompleteLayerUpload',
                'ecr:DescribeImages',
                'ecr:GetDownloadUrlForLayer',
                'ecr:InitiateLayerUpload',
                'ecr:ListImages',
                'ecr:PutImage',
                'ecr:UploadLayerPart',
              ],
              Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('CoreRepository'), 'Arn'] },
            }),
            Match.objectLike({ Action: 'ecr:GetAuthorizationToken', Resource: '*' }),
          ]),
        },
      });
    });

    test('THEN scans with MEDIUM, HIGH or CRITICAL findings are routed to the alert topic', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.ecr'],
          'detail-type': ['ECR Image Scan'],
          detail: {
            'repository-name': [{ Ref: Match.stringLikeRegexp('CoreRepository') }],
            'scan-status': ['COMPLETE'],
            'finding-severity-counts': {
              $or: [{ CRITICAL: [{ numeric: ['>', 0] }] }, { HIGH: [{ numeric: ['>', 0] }] }, { MEDIUM: [{ numeric: ['>', 0] }] }],
            },
          },
        },
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('AlertTopic') } })],
      });
    });

    test('THEN EventBridge may publish to the alert topic', () => {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' } })]),
        },
      });
    });

    test('THEN the repository and its key are retained when removed from the stack', () => {
      template.hasResource('AWS::ECR::Repository', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
      expect(repository.removalPolicy).toBe(RemovalPolicy.RETAIN);
    });
  });

  describe('GIVEN a mutable repository with its own lifecycle and no pull roles', () => {
    let template: Template;

    beforeAll(() => {
      const stack = createTestStack();
      buildRepository(stack, {
        imageTagMutability: ecr.TagMutability.MUTABLE,
        lifecycleRules: [{ tagStatus: ecr.TagStatus.ANY, maxImageCount: 5 }],
        pullRoleArns: [],
      });
      template = Template.fromStack(stack);
    });

    test('THEN tags are mutable and scanning stays on', () => {
      template.hasResourceProperties('AWS::ECR::Repository', { ImageTagMutability: 'MUTABLE', ImageScanningConfiguration: { ScanOnPush: true } });
    });

    test('THEN only the given lifecycle rule applies', () => {
      expect(lifecycleRules(template)).toEqual([
        { rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } },
      ]);
    });

    test('THEN there is no repository policy', () => {
      template.hasResourceProperties('AWS::ECR::Repository', { RepositoryPolicyText: Match.absent() });
    });
  });

  describe('GIVEN the caller opts into destruction', () => {
    test('THEN the repository is emptied and deleted with the stack', () => {
      const stack = createTestStack();
      buildRepository(stack, { removalPolicy: RemovalPolicy.DESTROY });
      const template = Template.fromStack(stack);
      template.hasResource('AWS::ECR::Repository', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ EmptyOnDelete: true }) });
    });
  });

  describe('GIVEN invalid props', () => {
    test('fails when a pull role pattern could match a whole account', () => {
      const stack = createTestStack();
      expect(() => buildRepository(stack, { pullRoleArns: ['arn:aws:iam::222222222222:role/*'] })).toThrow(
        /pullRoleArns must hold role ARNs or role-name patterns with a literal account and at least 8 characters before "\*", got "arn:aws:iam::222222222222:role\/\*"/,
      );
    });

    test('accepts a role-name pattern for per-review-app execution roles', () => {
      const stack = createTestStack();
      buildRepository(stack, { pullRoleArns: ['arn:aws:iam::222222222222:role/core-review-*-task-execution'] });
      Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', {
        RepositoryPolicyText: { Statement: [Match.objectLike({ Condition: { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::222222222222:role/core-review-*-task-execution'] } } })] },
      });
    });

    test('fails when tag mutability needs exclusion filters', () => {
      const stack = createTestStack();
      expect(() => buildRepository(stack, { imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION })).toThrow(
        'imageTagMutability is IMMUTABLE_WITH_EXCLUSION, which needs exclusion filters this construct does not take: use TagMutability.IMMUTABLE or TagMutability.MUTABLE',
      );
    });

    test('fails when a pull principal is an account rather than a role', () => {
      const stack = createTestStack();
      expect(() => buildRepository(stack, { pullRoleArns: ['arn:aws:iam::222222222222:root'] })).toThrow(/pullRoleArns must contain IAM role ARNs/);
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    new ContainerRepository(stack, 'Core', { repositoryName: 'core', scanFindingsTopic: encryptedAlertTopic(stack) });
    expectToPassPolicies(stack);
  });
});

import { type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { createTestStack, expectToPassPolicies, synthesizeWithPolicies } from '@core-infra/testing';
import { ContainerRegistry, type ContainerRegistryProps } from '../../src/registry/container-registry';
import { encryptedAlertTopic } from './alert-topic';

const DEV_EXECUTION_ROLE = 'arn:aws:iam::111111111111:role/core-dev-task-execution';
const STAGING_EXECUTION_ROLE = 'arn:aws:iam::222222222222:role/core-staging-task-execution';
const PRODUCTION_EXECUTION_ROLE = 'arn:aws:iam::333333333333:role/core-prod-task-execution';
const EXPORT_MIGRATION_ROLE = 'arn:aws:iam::333333333333:role/core-prod-s3-migration-export-execution';
/** The workload accounts the registry serves. */
const WORKLOAD_ACCOUNTS = ['111111111111', '222222222222', '333333333333'];

function buildRegistry(stack: Stack, overrides: Partial<ContainerRegistryProps> = {}): ContainerRegistry {
  return new ContainerRegistry(stack, 'Registry', {
    scanFindingsTopic: encryptedAlertTopic(stack),
    applicationPullRoleArns: [DEV_EXECUTION_ROLE, STAGING_EXECUTION_ROLE, PRODUCTION_EXECUTION_ROLE],
    ...overrides,
  });
}

function repositoryNamed(template: Template, name: string): Record<string, unknown> {
  const matches = Object.values(template.findResources('AWS::ECR::Repository', { Properties: { RepositoryName: name } }));
  expect(matches).toHaveLength(1);
  return matches[0].Properties;
}

describe('ContainerRegistry', () => {
  describe('GIVEN the migration toggle is off (the default)', () => {
    let template: Template;
    let registry: ContainerRegistry;

    beforeAll(() => {
      const stack = createTestStack();
      registry = buildRegistry(stack);
      template = Template.fromStack(stack);
    });

    test('THEN only the core repository exists', () => {
      template.resourceCountIs('AWS::ECR::Repository', 1);
      template.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'core', ImageTagMutability: 'IMMUTABLE' });
      expect(registry.dbMigration).toBeUndefined();
      expect(registry.s3Migration).toBeUndefined();
      expect(registry.repositories).toEqual([registry.application]);
    });

    test('THEN the execution roles of every workload account may pull core', () => {
      expect(repositoryNamed(template, 'core').RepositoryPolicyText).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AllowPullByNamedRoles',
            Effect: 'Allow',
            Principal: { AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:root', 'arn:aws:iam::333333333333:root'] },
            Condition: { ArnLike: { 'aws:PrincipalArn': [DEV_EXECUTION_ROLE, STAGING_EXECUTION_ROLE, PRODUCTION_EXECUTION_ROLE] } },
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          },
        ],
      });
    });

    test('THEN one scan-finding rule routes core findings to the topic', () => {
      template.resourceCountIs('AWS::Events::Rule', 1);
    });
  });

  describe('GIVEN the migration toggle is on', () => {
    let template: Template;
    let registry: ContainerRegistry;
    const withMigration = (stack: Stack): ContainerRegistry =>
      buildRegistry(stack, {
        migrationRepositoriesEnabled: true,
        dbMigrationPullRoleArns: [STAGING_EXECUTION_ROLE, PRODUCTION_EXECUTION_ROLE],
        s3MigrationPullRoleArns: [EXPORT_MIGRATION_ROLE],
      });

    beforeAll(() => {
      const stack = createTestStack();
      registry = withMigration(stack);
      template = Template.fromStack(stack);
    });

    test('THEN core, db-migration and s3-migration exist', () => {
      template.resourceCountIs('AWS::ECR::Repository', 3);
      expect(registry.repositories).toHaveLength(3);
    });

    test.each(['db-migration', 's3-migration'])('THEN %s has mutable tags, scan on push and a customer-managed key', (name) => {
      expect(repositoryNamed(template, name)).toMatchObject({
        ImageTagMutability: 'MUTABLE',
        ImageScanningConfiguration: { ScanOnPush: true },
        EncryptionConfiguration: { EncryptionType: 'KMS' },
      });
    });

    test('THEN db-migration may be pulled only by the staging and production execution roles', () => {
      expect(repositoryNamed(template, 'db-migration').RepositoryPolicyText).toMatchObject({
        Statement: [{ Effect: 'Allow', Condition: { ArnLike: { 'aws:PrincipalArn': [STAGING_EXECUTION_ROLE, PRODUCTION_EXECUTION_ROLE] } } }],
      });
    });

    test('THEN s3-migration may be pulled only by the bucket migration execution role', () => {
      expect(repositoryNamed(template, 's3-migration').RepositoryPolicyText).toMatchObject({
        Statement: [{ Effect: 'Allow', Condition: { ArnLike: { 'aws:PrincipalArn': [EXPORT_MIGRATION_ROLE] } } }],
      });
    });

    test('THEN the migration repositories expire untagged images only', () => {
      const lifecycle = repositoryNamed(template, 'db-migration').LifecyclePolicy as { LifecyclePolicyText: string };
      expect(JSON.parse(lifecycle.LifecyclePolicyText).rules).toEqual([
        {
          rulePriority: 1,
          description: 'Expire untagged images 14 days after push',
          selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 14, countUnit: 'days' },
          action: { type: 'expire' },
        },
      ]);
    });

    test('THEN the core repository is unchanged', () => {
      expect(repositoryNamed(template, 'core')).toMatchObject({ ImageTagMutability: 'IMMUTABLE' });
    });

    test('THEN the only policy finding is the mutable migration tags, acknowledged with a reason', () => {
      const stack = createTestStack();
      withMigration(stack);
      const synthesis = synthesizeWithPolicies(stack, { trustedAccounts: WORKLOAD_ACCOUNTS });
      expect(synthesis.findings).toEqual([]);
      expect(synthesis.acknowledged.map((finding) => [finding.ruleId, finding.constructPath])).toEqual([
        ['CORE.ECR.1', 'TestStack/Registry/DbMigration/Repository/Resource'],
        ['CORE.ECR.1', 'TestStack/Registry/S3Migration/Repository/Resource'],
      ]);
      expect(synthesis.acknowledged[0].reason).toMatch(/^The one-off migration images are re-pushed under the same tag/);
    });

    test('THEN every repository reports MEDIUM-and-above findings', () => {
      template.resourceCountIs('AWS::Events::Rule', 3);
      template.allResourcesProperties('AWS::Events::Rule', {
        EventPattern: Match.objectLike({ 'detail-type': ['ECR Image Scan'] }),
      });
    });
  });

  describe('GIVEN contradictory migration props', () => {
    test('fails when migration pull roles are given with the toggle off', () => {
      const stack = createTestStack();
      expect(() => buildRegistry(stack, { dbMigrationPullRoleArns: [STAGING_EXECUTION_ROLE] })).toThrow(
        'dbMigrationPullRoleArns is set but migrationRepositoriesEnabled is false: set migrationRepositoriesEnabled to true, or remove dbMigrationPullRoleArns',
      );
    });

    test('fails when the toggle is on without pull roles', () => {
      const stack = createTestStack();
      expect(() => buildRegistry(stack, { migrationRepositoriesEnabled: true, dbMigrationPullRoleArns: [STAGING_EXECUTION_ROLE] })).toThrow(
        's3MigrationPullRoleArns is empty but migrationRepositoriesEnabled is true',
      );
    });

    test('fails when no workload account may pull the application image', () => {
      const stack = createTestStack();
      expect(() => buildRegistry(stack, { applicationPullRoleArns: [] })).toThrow('applicationPullRoleArns is empty');
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    buildRegistry(stack);
    expectToPassPolicies(stack, { trustedAccounts: WORKLOAD_ACCOUNTS });
  });
});

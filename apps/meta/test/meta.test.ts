import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildEnvironmentApp, PLACEHOLDER_ACCOUNTS, type MetaStage } from '@core-infra/environments';
import { createTestApp, describeSynthesizedApp, expectMonthlyBudget, SynthesizedApp } from '@core-infra/testing';

// The meta account (§2.12–2.14 of the reference): the `core` image registry with the one-off
// migration repositories, the deployment state stores and their replicas, and CI access.

// One synthesis serves every test in the file: an environment takes seconds to synthesize.
let meta: SynthesizedApp;
beforeAll(() => {
  meta = SynthesizedApp.of(buildEnvironmentApp('meta', { app: createTestApp() }));
});

describe('meta app', () => {
  describeSynthesizedApp(() => meta, {
    stacks: ['core-meta/monitoring', 'core-meta/registry', 'core-meta/state', 'core-meta/state-replica', 'core-meta/ci-access'],
    // Losing the registry or a state store loses every image or every deployment record.
    terminationProtected: ['core-meta/registry', 'core-meta/state', 'core-meta/state-replica'],
  });

  test('budgets 50 USD a month', () => {
    expectMonthlyBudget(meta.stack('core-meta/monitoring'), 50);
  });

  test('the core repository has immutable tags and scans every push', () => {
    meta.stack('core-meta/registry').assertions.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'core',
      ImageTagMutability: 'IMMUTABLE',
      ImageScanningConfiguration: { ScanOnPush: true },
    });
  });

  test('the db-migration and s3-migration repositories exist while the migration toggle is on, scanning every push', () => {
    const registry = meta.stack('core-meta/registry').assertions;
    const names = Object.values(registry.findResources('AWS::ECR::Repository')).map((r) => r.Properties.RepositoryName);
    expect(names.sort()).toEqual(['core', 'db-migration', 's3-migration']);
    registry.allResourcesProperties('AWS::ECR::Repository', { ImageScanningConfiguration: { ScanOnPush: true } });
  });

  test('acknowledges only the migration repositories’ mutable tags', () => {
    // Their images are re-pushed under the same tag while the scripts are fixed; anything else
    // acknowledged here would be a finding nobody decided on.
    expect(meta.synthesis.acknowledged.map((a) => [a.ruleId, a.constructPath])).toEqual([
      ['CORE.ECR.1', 'core-meta/registry/Registry/DbMigration/Repository/Resource'],
      ['CORE.ECR.1', 'core-meta/registry/Registry/S3Migration/Repository/Resource'],
    ]);
  });

  test('keeps production and non-production deployment state apart, each replicated to eu-west-1', () => {
    const state = meta.stack('core-meta/state').assertions;
    for (const store of ['core-prod', 'core-non-prod']) {
      state.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: `${store}-deployment-state-${PLACEHOLDER_ACCOUNTS.meta}`,
        ReplicationConfiguration: Match.objectLike({
          Rules: Match.arrayWith([Match.objectLike({ Destination: Match.objectLike({ Bucket: `arn:aws:s3:::${store}-deployment-state-replica-${PLACEHOLDER_ACCOUNTS.meta}` }) })]),
        }),
      });
      state.hasResourceProperties('AWS::DynamoDB::Table', { TableName: `${store}-deployment-lock` });
    }
    expect(meta.stack('core-meta/state-replica').environment).toBe(`aws://${PLACEHOLDER_ACCOUNTS.meta}/eu-west-1`);
  });

  test('with the migration toggle off, only the core repository remains', () => {
    // A second app; only its registry stage is synthesized, which is all this test needs.
    const app = buildEnvironmentApp('meta', { app: createTestApp(), overrides: { migrationRepositories: false } });
    const stage = app.node.findChild('core-meta') as MetaStage;
    const registry = Template.fromStack(Stack.of(stage.registry));
    registry.resourceCountIs('AWS::ECR::Repository', 1);
    registry.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'core', ImageTagMutability: 'IMMUTABLE' });
  });
});

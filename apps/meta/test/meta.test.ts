import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildEnvironmentApp, PLACEHOLDER_ACCOUNTS, type MetaStage } from '@core-infra/environments';
import { createTestApp, describeSynthesizedApp, expectMonthlyBudget, SynthesizedApp } from '@core-infra/testing';

// The meta account (§2.12–2.14 of the reference): the `core` image registry with the one-off
// migration repositories, the deployment state stores and their replicas, CI access and CI's
// shared Nx cache.

// One synthesis serves every test in the file: an environment takes seconds to synthesize.
let meta: SynthesizedApp;
beforeAll(() => {
  meta = SynthesizedApp.of(buildEnvironmentApp('meta', { app: createTestApp() }));
});

/** What each role may do with the Nx cache's entries: the key prefixes it reads and writes. */
interface CacheAccess {
  reads: string[];
  writes: string[];
}

/**
 * The Nx cache access of every role of the app, by role name, read from the identity policies
 * that name the cache bucket (directly or through a cross-stack reference).
 */
function nxCacheAccessByRole(app: SynthesizedApp): Record<string, CacheAccess> {
  const access: Record<string, CacheAccess> = {};
  for (const { assertions } of app.stacks) {
    const roles = assertions.findResources('AWS::IAM::Role');
    for (const policy of Object.values(assertions.findResources('AWS::IAM::Policy'))) {
      const statements = policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>;
      const onCache = statements.filter((statement) => JSON.stringify(statement.Resource).includes('NxCacheBucket'));
      if (onCache.length === 0) continue;
      for (const { Ref } of policy.Properties.Roles as Array<{ Ref: string }>) {
        const roleAccess = (access[roles[Ref].Properties.RoleName as string] ??= { reads: [], writes: [] });
        for (const statement of onCache) {
          const prefix = /"\/([a-z-]+)\/\*"/.exec(JSON.stringify(statement.Resource))?.[1];
          const actions = [statement.Action].flat();
          if (prefix && actions.includes('s3:GetObject')) roleAccess.reads.push(prefix);
          if (prefix && actions.includes('s3:PutObject')) roleAccess.writes.push(prefix);
          expect(actions).not.toContain('s3:DeleteObject');
        }
      }
    }
  }
  for (const roleAccess of Object.values(access)) {
    roleAccess.reads.sort();
    roleAccess.writes.sort();
  }
  return access;
}

describe('meta app', () => {
  describeSynthesizedApp(() => meta, {
    baselineDir: path.join(__dirname, '..', 'baseline'),
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

  describe("CI's shared Nx cache", () => {
    const bucketName = `core-meta-nx-cache-${PLACEHOLDER_ACCOUNTS.meta}`;

    test('is a KMS-encrypted bucket in the state stack whose entries expire 30 days after they were written', () => {
      meta.stack('core-meta/state').assertions.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          BucketName: bucketName,
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })],
          },
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          LifecycleConfiguration: { Rules: [Match.objectLike({ Status: 'Enabled', ExpirationInDays: 30 })] },
        }),
      });
    });

    test('refuses plain HTTP and any write that could replace an entry, and allows nobody by bucket policy', () => {
      const state = meta.stack('core-meta/state').assertions;
      const [bucketId] = Object.keys(state.findResources('AWS::S3::Bucket', { Properties: { BucketName: bucketName } }));
      const [policy] = Object.values(state.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } }));
      const statements = policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>;
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          expect.objectContaining({ Effect: 'Deny', Action: 's3:PutObject', Condition: { Null: { 's3:if-none-match': 'true' } } }),
        ]),
      );
      expect(statements.filter((statement) => statement.Effect !== 'Deny')).toEqual([]);
    });

    test('only the two Nx cache roles are granted: main runs keep to main entries, pull-request runs write only their own', () => {
      expect(nxCacheAccessByRole(meta)).toEqual({
        'core-infra-nx-cache-main': { reads: ['main'], writes: ['main'] },
        'core-infra-nx-cache-pull-requests': { reads: ['main', 'pull-requests'], writes: ['pull-requests'] },
      });
    });

    test('main entries come only from runs on refs/heads/main; pull-request runs reach the cache through the nx-cache environment', () => {
      const ciAccess = meta.stack('core-meta/ci-access').assertions;
      const subjectsOf = (roleName: string) =>
        Object.values(ciAccess.findResources('AWS::IAM::Role', { Properties: { RoleName: roleName } })).map(
          (role) => role.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub'],
        );
      expect(subjectsOf('core-infra-nx-cache-main')).toEqual([['repo:communitiesuk/core-infra:ref:refs/heads/main']]);
      expect(subjectsOf('core-infra-nx-cache-pull-requests')).toEqual([['repo:communitiesuk/core-infra:environment:nx-cache']]);
    });
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

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { artifactId, removeFakeApps, stagingLikeStacks, writeFakeApp, type FakeApp } from '../deploy/fake-assembly';

// The state files are `terraform show -json` output built from the CORE Terraform inventory
// (fixtures/tfstate/README.md); the CDK side is a staging assembly whose templates a test writes.

const created: string[] = [];

/** Removes every assembly and changed state the helpers wrote; call it in afterAll. */
export function removeAdoptionFixtures(): void {
  removeFakeApps();
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fixture state file's path. */
export function tfstateFixture(name: 'staging' | 'staging-data' | 'meta'): string {
  return path.join(__dirname, '..', 'fixtures', 'tfstate', `${name}.tfstate.json`);
}

/** The bulk-upload key of the staging fixtures. */
export const BULK_UPLOAD_KEY_ID = '0001545a-1a2b-4c3d-8e9f-000000000009';

/** The AWS managed key the staging database's storage is encrypted with, as the state records it. */
export const RDS_MANAGED_KEY_ARN = 'arn:aws:kms:eu-west-2:100000000003:key/0f1e2d3c-aws0-rds0-0000-000000000001';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>;

/**
 * A data stack that describes the `staging-data` fixture exactly: the database, Redis, the
 * bulk-upload bucket with its key and alias, and its access-log bucket.
 */
export function exactDataStack(): Resources {
  return {
    DatabaseInstance: {
      Type: 'AWS::RDS::DBInstance',
      Properties: {
        DBInstanceIdentifier: 'core-staging',
        Engine: 'postgres',
        EngineVersion: '18.3',
        DBInstanceClass: 'db.t3.small',
        AllocatedStorage: '100',
        StorageType: 'gp2',
        StorageEncrypted: true,
        KmsKeyId: RDS_MANAGED_KEY_ARN,
        MultiAZ: true,
        DBName: 'data_collector',
        MasterUsername: 'postgres',
      },
      Metadata: { 'aws:cdk:path': 'core-staging/data/Database/Instance/Resource' },
    },
    RedisReplicationGroup: {
      Type: 'AWS::ElastiCache::ReplicationGroup',
      Properties: { ReplicationGroupId: 'core-staging', Engine: 'redis', EngineVersion: '6.2', CacheNodeType: 'cache.t4g.micro', NumCacheClusters: 1, AtRestEncryptionEnabled: true, TransitEncryptionEnabled: true },
    },
    BulkUploadKey: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
    BulkUploadKeyAlias: { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/core-staging-bulk-upload', TargetKeyId: { 'Fn::GetAtt': ['BulkUploadKey', 'Arn'] } } },
    BulkUploadBucket: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketName: 'core-staging-bulk-upload',
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['BulkUploadKey', 'Arn'] } }, BucketKeyEnabled: true }] },
      },
    },
    BulkUploadLogsBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'core-staging-bulk-upload-logs', VersioningConfiguration: { Status: 'Enabled' } } },
    DatabaseSecurityGroup: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'not stateful: created new' } },
  };
}

/**
 * Writes a staging assembly whose stacks hold the given resources (other stacks are empty).
 *
 * @param stacks resources per stack name, e.g. `{ data: exactDataStack() }`
 */
export function writeStagingAssembly(stacks: Record<string, Resources>): FakeApp {
  const app = writeFakeApp([{ name: 'core-staging', stacks: stagingLikeStacks() }]);
  for (const stack of stagingLikeStacks()) {
    const file = path.join(app.assembly, 'assembly-core-staging', `${artifactId('core-staging', stack.name)}.template.json`);
    writeFileSync(file, JSON.stringify({ Resources: stacks[stack.name] ?? {} }, null, 2));
  }
  return app;
}

/**
 * Writes a changed copy of a fixture state file into a new temp folder.
 *
 * @param name the fixture
 * @param change edits the parsed output in place
 */
export function changedFixture(name: Parameters<typeof tfstateFixture>[0], change: (state: { values: { root_module: { child_modules: { address: string; resources: Record<string, unknown>[] }[] } } }) => void): string {
  const state = JSON.parse(readFileSync(tfstateFixture(name), 'utf8'));
  change(state);
  const dir = mkdtempSync(path.join(tmpdir(), 'core-adopt-'));
  created.push(dir);
  const file = path.join(dir, `${name}.tfstate.json`);
  writeFileSync(file, JSON.stringify(state));
  return file;
}

import {
  DATA_STORE_RETAINED,
  DATABASE_BACKUPS_KEPT,
  DURABILITY_RISK_RULES,
  IN_MEMORY_SNAPSHOTS_KEPT,
  RULE_CATALOGUE,
  S3_VERSIONING_NEVER_SUSPENDED,
  TABLE_AND_FILE_BACKUPS_ENABLED,
  type RiskContext,
  type RiskResource,
} from '../../src';
import { FAILING_RESOURCES } from './fixtures/durability';

const BASELINE: RiskContext = { profile: 'baseline', trustedAccounts: new Set() };
const PRODUCTION: RiskContext = { profile: 'production', trustedAccounts: new Set() };

function resource(type: string, properties: Record<string, unknown>, policies: Record<string, unknown> = {}): RiskResource {
  return { logicalId: 'Subject', type, properties, entry: { Type: type, Properties: properties, ...policies } };
}

describe('CORE.DURABLE.1 S3 versioning is never suspended', () => {
  const check = (r: RiskResource) => S3_VERSIONING_NEVER_SUSPENDED.check(r, BASELINE);

  test.each([
    ['versioning Suspended beside an enabled lifecycle rule (passes CORE.S3.4)', { VersioningConfiguration: { Status: 'Suspended' }, LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 30 }] } }, 'VersioningConfiguration.Status is Suspended: later overwrites and deletes destroy the only copy of an object'],
    ['versioning switched by a condition', { VersioningConfiguration: { Status: { 'Fn::If': ['IsProduction', 'Enabled', 'Suspended'] } } }, 'VersioningConfiguration.Status can be Suspended through Fn::If: later overwrites and deletes destroy the only copy of an object'],
  ])('FAIL: GIVEN %s WHEN checked THEN it is reported', (_label, properties, message) => {
    expect(check(resource('AWS::S3::Bucket', properties))).toEqual([{ message, location: 'Properties.VersioningConfiguration.Status' }]);
  });

  test('PASS: GIVEN versioning Enabled WHEN checked THEN nothing is reported', () => {
    expect(check(resource('AWS::S3::Bucket', { VersioningConfiguration: { Status: 'Enabled' } }))).toEqual([]);
  });

  test('SKIP: GIVEN a bucket that never had versioning WHEN checked THEN it is left to CORE.S3.4', () => {
    expect(check(resource('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 1 }] } }))).toEqual([]);
  });
});

describe('CORE.DURABLE.2 production databases keep a week of backups', () => {
  const check = (r: RiskResource) => DATABASE_BACKUPS_KEPT.check(r, PRODUCTION);

  test.each([
    ['an RDS instance with backups off', 'AWS::RDS::DBInstance', { BackupRetentionPeriod: 0 }, 'BackupRetentionPeriod is 0: automated backups are off; production keeps at least 7 days', 'Properties.BackupRetentionPeriod'],
    ['a DocumentDB cluster on the 1-day default', 'AWS::DocDB::DBCluster', {}, 'BackupRetentionPeriod is not set, so backups are kept for 1 day; production keeps at least 7 days', 'Properties.BackupRetentionPeriod'],
    ['a Neptune cluster keeping 3 days (as a string)', 'AWS::Neptune::DBCluster', { BackupRetentionPeriod: '3' }, 'BackupRetentionPeriod is 3 days; production keeps at least 7 days', 'Properties.BackupRetentionPeriod'],
    ['a Redshift cluster with automated snapshots off', 'AWS::Redshift::Cluster', { AutomatedSnapshotRetentionPeriod: 0 }, 'AutomatedSnapshotRetentionPeriod is 0: automated backups are off; production keeps at least 7 days', 'Properties.AutomatedSnapshotRetentionPeriod'],
    ['an Aurora cluster whose retention is a parameter', 'AWS::RDS::DBCluster', { BackupRetentionPeriod: { Ref: 'Retention' } }, 'BackupRetentionPeriod is only known at deploy time and cannot be verified; production keeps at least 7 days', 'Properties.BackupRetentionPeriod'],
  ])('FAIL: GIVEN %s WHEN checked THEN it is reported', (_label, type, properties, message, location) => {
    expect(check(resource(type, properties))).toEqual([{ message, location }]);
  });

  test.each([
    ['CORE’s production database: 7 days', 'AWS::RDS::DBInstance', { BackupRetentionPeriod: 7, MultiAZ: true }],
    ['a DocumentDB elastic cluster keeping 14 days', 'AWS::DocDBElastic::Cluster', { BackupRetentionPeriod: 14 }],
  ])('PASS: GIVEN %s WHEN checked THEN nothing is reported', (_label, type, properties) => {
    expect(check(resource(type, properties))).toEqual([]);
  });

  test.each([
    ['a read replica (its source keeps the backups)', { SourceDBInstanceIdentifier: 'arn:aws:rds:eu-west-2:123456789012:db:core-prod' }],
    ['an Aurora member instance (its cluster keeps the backups)', { DBClusterIdentifier: { Ref: 'Cluster' } }],
  ])('SKIP: GIVEN %s WHEN checked THEN nothing is reported', (_label, properties) => {
    expect(check(resource('AWS::RDS::DBInstance', properties))).toEqual([]);
  });

  test('runs in the production profile only, because CORE’s dev database keeps no backups by design', () => {
    expect(DATABASE_BACKUPS_KEPT.profile).toBe('production');
  });
});

describe('CORE.DURABLE.3 production in-memory stores keep snapshots', () => {
  const check = (r: RiskResource) => IN_MEMORY_SNAPSHOTS_KEPT.check(r, PRODUCTION);

  test.each([
    ['a replication group like a review app’s (0)', 'AWS::ElastiCache::ReplicationGroup', { Engine: 'valkey', SnapshotRetentionLimit: 0 }, 'SnapshotRetentionLimit is 0: automatic snapshots are off'],
    ['a single-node Redis cache cluster without the setting', 'AWS::ElastiCache::CacheCluster', { Engine: 'redis', CacheNodeType: 'cache.t4g.micro', NumCacheNodes: 1 }, 'SnapshotRetentionLimit is not set, so no automatic snapshot is kept'],
    ['a serverless Valkey cache with 0', 'AWS::ElastiCache::ServerlessCache', { Engine: 'valkey', ServerlessCacheName: 'c', SnapshotRetentionLimit: 0 }, 'SnapshotRetentionLimit is 0: automatic snapshots are off'],
    ['a MemoryDB cluster without the setting', 'AWS::MemoryDB::Cluster', { ClusterName: 'c', NodeType: 'db.t4g.small', ACLName: 'a' }, 'SnapshotRetentionLimit is not set, so no automatic snapshot is kept'],
  ])('FAIL: GIVEN %s WHEN checked THEN it is reported', (_label, type, properties, message) => {
    expect(check(resource(type, properties))).toEqual([{ message, location: 'Properties.SnapshotRetentionLimit' }]);
  });

  test('PASS: GIVEN CORE’s production replication group keeping 5 snapshots WHEN checked THEN nothing is reported', () => {
    expect(check(resource('AWS::ElastiCache::ReplicationGroup', { Engine: 'valkey', SnapshotRetentionLimit: 5 }))).toEqual([]);
  });

  test.each([
    ['a Memcached cache cluster', 'AWS::ElastiCache::CacheCluster', { Engine: 'memcached', CacheNodeType: 'cache.t4g.micro', NumCacheNodes: 1 }],
    ['a serverless Memcached cache', 'AWS::ElastiCache::ServerlessCache', { Engine: 'memcached', ServerlessCacheName: 'c' }],
    ['a cache cluster that is a member of a replication group', 'AWS::ElastiCache::CacheCluster', { Engine: 'redis', ReplicationGroupId: 'core-prod' }],
  ])('SKIP: GIVEN %s WHEN checked THEN nothing is reported', (_label, type, properties) => {
    expect(check(resource(type, properties))).toEqual([]);
  });
});

describe('CORE.DURABLE.4 tables and file systems are backed up', () => {
  const check = (r: RiskResource, context = BASELINE) => TABLE_AND_FILE_BACKUPS_ENABLED.check(r, context);

  test.each([
    ['a DynamoDB table without point-in-time recovery', 'AWS::DynamoDB::Table', { KeySchema: [] }, 'the table has no point-in-time recovery (PointInTimeRecoveryEnabled is not true)', 'Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled'],
    ['a global table whose second replica has none', 'AWS::DynamoDB::GlobalTable', { Replicas: [{ Region: 'eu-west-2', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }, { Region: 'eu-west-1', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }] }, 'Replicas[1] (eu-west-1) has no point-in-time recovery (PointInTimeRecoveryEnabled is not true)', 'Properties.Replicas[1].PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled'],
    ['an EFS file system without a backup policy', 'AWS::EFS::FileSystem', { Encrypted: true }, 'BackupPolicy.Status is not set: AWS Backup takes no automatic backup of the file system', 'Properties.BackupPolicy.Status'],
    ['an FSx for Windows file system with backups off', 'AWS::FSx::FileSystem', { FileSystemType: 'WINDOWS', WindowsConfiguration: { ThroughputCapacity: 8, AutomaticBackupRetentionDays: 0 } }, 'WindowsConfiguration.AutomaticBackupRetentionDays is 0: automatic backups are off', 'Properties.WindowsConfiguration.AutomaticBackupRetentionDays'],
  ])('FAIL: GIVEN %s WHEN checked in either profile THEN it is reported', (_label, type, properties, message, location) => {
    expect(check(resource(type, properties))).toEqual([{ message, location }]);
    expect(check(resource(type, properties), PRODUCTION)).toEqual([{ message, location }]);
  });

  test.each([
    ['CORE’s deployment lock table', 'AWS::DynamoDB::Table', { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }],
    ['a global table with recovery on every replica', 'AWS::DynamoDB::GlobalTable', { Replicas: [{ Region: 'eu-west-2', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: 'true' } }] }],
    ['an EFS file system with automatic backups', 'AWS::EFS::FileSystem', { BackupPolicy: { Status: 'ENABLED' } }],
  ])('PASS: GIVEN %s WHEN checked THEN nothing is reported', (_label, type, properties) => {
    expect(check(resource(type, properties))).toEqual([]);
  });

  test('SKIP: GIVEN a scratch Lustre file system, which cannot be backed up, WHEN checked THEN nothing is reported', () => {
    expect(check(resource('AWS::FSx::FileSystem', { FileSystemType: 'LUSTRE', LustreConfiguration: { DeploymentType: 'SCRATCH_2', AutomaticBackupRetentionDays: 0 } }))).toEqual([]);
  });
});

describe('CORE.DURABLE.5 production data stores beyond CORE.STATEFUL.1 are retained', () => {
  const check = (r: RiskResource) => DATA_STORE_RETAINED.check(r, PRODUCTION);

  test('FAIL: GIVEN a DocumentDB cluster with no policies WHEN checked THEN both policies are reported', () => {
    expect(check(resource('AWS::DocDB::DBCluster', {}))).toEqual([
      { message: 'DeletionPolicy is not set (Delete): removing the resource from the stack deletes its data', location: 'DeletionPolicy' },
      { message: 'UpdateReplacePolicy is not set (Delete): a change that replaces the resource deletes its data', location: 'UpdateReplacePolicy' },
    ]);
  });

  test.each([
    ['a Cognito user pool that is deleted', 'AWS::Cognito::UserPool', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Retain' }, { message: 'DeletionPolicy is Delete: removing the resource from the stack deletes its data', location: 'DeletionPolicy' }],
    ['a serverless cache using Snapshot, which CloudFormation cannot do for it', 'AWS::ElastiCache::ServerlessCache', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Snapshot' }, { message: 'UpdateReplacePolicy is Snapshot: a change that replaces the resource deletes its data', location: 'UpdateReplacePolicy' }],
  ])('FAIL: GIVEN %s WHEN checked THEN it is reported', (_label, type, policies, violation) => {
    expect(check(resource(type, {}, policies))).toEqual([violation]);
  });

  test.each([
    ['a Neptune cluster snapshotted', 'AWS::Neptune::DBCluster', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' }],
    ['an OpenSearch domain retained except on create', 'AWS::OpenSearchService::Domain', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' }],
  ])('PASS: GIVEN %s WHEN checked THEN nothing is reported', (_label, type, policies) => {
    expect(check(resource(type, {}, policies))).toEqual([]);
  });

  test('SKIP: GIVEN a Memcached cache cluster with no policies WHEN checked THEN nothing is reported', () => {
    expect(check(resource('AWS::ElastiCache::CacheCluster', { Engine: 'memcached' }))).toEqual([]);
  });

  test('covers only types CORE.STATEFUL.1 does not, so no resource is reported twice', () => {
    const stateful = RULE_CATALOGUE.find((rule) => rule.id === 'CORE.STATEFUL.1')!.resourceTypes;
    expect(DATA_STORE_RETAINED.resourceTypes.filter((type) => stateful.includes(type))).toEqual([]);
  });
});

describe('durability family', () => {
  test('GIVEN the failing fixtures WHEN checked in the profiles that run each rule THEN each fails its own rule', () => {
    for (const rule of DURABILITY_RISK_RULES) {
      const fixture = FAILING_RESOURCES[rule.id];
      const subject = resource(fixture.Type, fixture.Properties);
      expect(rule.resourceTypes).toContain(fixture.Type);
      expect(rule.check(subject, PRODUCTION)).not.toEqual([]);
      if (rule.profile === 'baseline') expect(rule.check(subject, BASELINE)).not.toEqual([]);
    }
  });
});

import { diffStack } from '../../src/gate/classify';
import { STATEFUL_RESOURCE_TYPES } from '../../src/gate';
import { type StackTemplate } from '../../src/gate/templates';

// Hand-written templates for the cases a small CDK app cannot produce cleanly.
const STACK = { stack: 'Data', stackName: 'core-dev-data', displayName: 'core-dev/data' };

function diff(before: StackTemplate, after: StackTemplate | undefined) {
  return diffStack(STACK, before, after, STATEFUL_RESOURCE_TYPES);
}

describe('diffStack', () => {
  test('a property that may force a replacement is a replace with certainty "may"', () => {
    // GIVEN
    const before = { Resources: { Db: { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', MultiAZ: false } } } };
    const after = { Resources: { Db: { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', MultiAZ: true } } } };

    // THEN
    expect(diff(before, after).changes).toEqual([
      expect.objectContaining({
        logicalId: 'Db',
        change: 'replace',
        replacementProperties: [{ name: 'MultiAZ', certainty: 'may', oldValue: 'false', newValue: 'true' }],
      }),
    ]);
  });

  test('an in-place update of a stateful resource passes', () => {
    // GIVEN
    const before = { Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } } } };
    const after = { Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365 } } } };

    // THEN
    expect(diff(before, after).changes).toEqual([]);
  });

  test('a new resource type under the same logical id is a replace naming Type', () => {
    // GIVEN
    const before = { Resources: { Cache: { Type: 'AWS::ElastiCache::CacheCluster', Properties: { Engine: 'redis' } } } };
    const after = { Resources: { Cache: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { Engine: 'redis' } } } };

    // THEN
    expect(diff(before, after).changes).toEqual([
      expect.objectContaining({
        change: 'replace',
        cause: 'type-change',
        replacementProperties: [
          { name: 'Type', certainty: 'will', oldValue: '"AWS::ElastiCache::CacheCluster"', newValue: '"AWS::ElastiCache::ReplicationGroup"' },
        ],
      }),
    ]);
  });

  test('replacing a resource that a stateful one points at with a replace-only property replaces that one too', () => {
    // GIVEN: the subnet group is renamed (replaced), and the Redis group's CacheSubnetGroupName follows it
    const template = (subnetGroupName: string): StackTemplate => ({
      Resources: {
        Subnets: { Type: 'AWS::ElastiCache::SubnetGroup', Properties: { CacheSubnetGroupName: subnetGroupName, Description: 'redis', SubnetIds: ['subnet-1'] } },
        Redis: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { ReplicationGroupDescription: 'queues', CacheSubnetGroupName: { Ref: 'Subnets' } } },
      },
    });

    // WHEN
    const changes = diff(template('core-redis-a'), template('core-redis-b')).changes;

    // THEN
    expect(changes).toEqual([
      expect.objectContaining({ logicalId: 'Redis', change: 'replace', replacementProperties: [expect.objectContaining({ name: 'CacheSubnetGroupName', certainty: 'will' })] }),
    ]);
  });

  test('a replacement of a resource that is not stateful passes', () => {
    // GIVEN
    const before = { Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } } } };
    const after = { Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alarms' } } } };

    // THEN
    expect(diff(before, after).changes).toEqual([]);
  });

  test('a removed stack removes each stateful resource according to its DeletionPolicy', () => {
    // GIVEN
    const before = {
      Resources: {
        Db: { Type: 'AWS::RDS::DBInstance', DeletionPolicy: 'Snapshot' },
        Bucket: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'RetainExceptOnCreate' },
        Topic: { Type: 'AWS::SNS::Topic' },
      },
    };

    // THEN
    const result = diff(before, undefined);
    expect(result.statefulResources).toBe(2);
    expect(result.changes.map((change) => [change.logicalId, change.change, change.cause])).toEqual([
      ['Db', 'destroy', 'stack-removed'],
      ['Bucket', 'orphan', 'stack-removed'],
    ]);
  });

  describe('documented update behaviour', () => {
    const db = (properties: Record<string, unknown>): StackTemplate => ({
      Resources: { Db: { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', ...properties } } },
    });

    test('switching automated backups on is an interruption, not a replacement, and says why', () => {
      // WHEN
      const result = diff(db({ BackupRetentionPeriod: 0 }), db({ BackupRetentionPeriod: 7 }));

      // THEN
      expect(result.changes).toEqual([]);
      expect(result.interruptions).toEqual([
        expect.objectContaining({
          logicalId: 'Db',
          properties: [expect.objectContaining({ name: 'BackupRetentionPeriod', explanation: expect.stringMatching(/^switches automated backups on or off/) })],
        }),
      ]);
    });

    test('a resource replaced for another property is reported as a replacement only', () => {
      // WHEN
      const result = diff(
        db({ BackupRetentionPeriod: 7, StorageEncrypted: false }),
        db({ BackupRetentionPeriod: 14, StorageEncrypted: true }),
      );

      // THEN
      expect(result.interruptions).toEqual([]);
      expect(result.changes).toEqual([
        expect.objectContaining({ change: 'replace', replacementProperties: [expect.objectContaining({ name: 'StorageEncrypted', certainty: 'will' })] }),
      ]);
    });

    test("an Aurora cluster's backup retention is documented as No interruption and passes without a note", () => {
      // GIVEN
      const cluster = (days: number): StackTemplate => ({
        Resources: { Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql', BackupRetentionPeriod: days } } },
      });

      // THEN
      expect(diff(cluster(7), cluster(14))).toMatchObject({ changes: [], interruptions: [] });
    });
  });

  describe('stored secret values', () => {
    const secret = (properties: Record<string, unknown>): StackTemplate => ({
      Resources: { ApiKey: { Type: 'AWS::SecretsManager::Secret', Properties: properties } },
    });

    test('a changed SecretString overwrites the stored value: a regenerate caused by value-overwritten', () => {
      // WHEN: a placeholder the operator replaced by hand is edited in the code
      const result = diff(secret({ SecretString: 'set-by-hand' }), secret({ SecretString: 'set-by-hand-v2' }));

      // THEN
      expect(result.changes).toEqual([
        expect.objectContaining({
          logicalId: 'ApiKey',
          change: 'regenerate',
          cause: 'value-overwritten',
          replacementProperties: [{ name: 'SecretString', certainty: 'will', oldValue: '"set-by-hand"', newValue: '"set-by-hand-v2"' }],
        }),
      ]);
    });

    test('switching from SecretString to GenerateSecretString is a regeneration', () => {
      // WHEN
      const result = diff(secret({ SecretString: 'set-by-hand' }), secret({ GenerateSecretString: { PasswordLength: 40 } }));

      // THEN
      expect(result.changes).toEqual([
        expect.objectContaining({
          change: 'regenerate',
          cause: 'value-regenerated',
          replacementProperties: [expect.objectContaining({ name: 'GenerateSecretString' }), expect.objectContaining({ name: 'SecretString' })],
        }),
      ]);
    });

    test('a secret that is replaced anyway is reported as a replacement only', () => {
      // WHEN
      const result = diff(
        secret({ Name: 'core/api-key', GenerateSecretString: { PasswordLength: 32 } }),
        secret({ Name: 'core/api-key-v2', GenerateSecretString: { PasswordLength: 40 } }),
      );

      // THEN
      expect(result.changes).toEqual([
        expect.objectContaining({ change: 'replace', replacementProperties: [expect.objectContaining({ name: 'Name', certainty: 'will' })] }),
      ]);
    });

    test('a changed description leaves the stored value alone', () => {
      // GIVEN
      const generated = { GenerateSecretString: { PasswordLength: 32 } };

      // THEN
      expect(diff(secret({ ...generated, Description: 'old' }), secret({ ...generated, Description: 'new' })).changes).toEqual([]);
    });
  });
});

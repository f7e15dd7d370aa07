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
});

// The CloudFormation resource specification that CDK's diff engine reads; it proves each declared
// type name is a real resource type, so a typo cannot silently leave a type unprotected.
import { loadResourceModel } from '@aws-cdk/cloudformation-diff/lib/diff/util';
import { findStatefulResourceType, isStatefulResourceType, STATEFUL_RESOURCE_TYPES } from '../../src/gate';
import { DATA_STORE_RETAINED } from '../../src/risks/rules/durability/data-store-retained';

describe('STATEFUL_RESOURCE_TYPES', () => {
  test('covers the data stores CORE runs', () => {
    const types = STATEFUL_RESOURCE_TYPES.map((entry) => entry.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'AWS::RDS::DBInstance',
        'AWS::RDS::DBCluster',
        'AWS::ElastiCache::ReplicationGroup',
        'AWS::ElastiCache::CacheCluster',
        'AWS::ElastiCache::ServerlessCache',
        'AWS::S3::Bucket',
        'AWS::DynamoDB::Table',
        'AWS::DynamoDB::GlobalTable',
        'AWS::ECR::Repository',
        'AWS::KMS::Key',
        'AWS::SecretsManager::Secret',
        'AWS::Logs::LogGroup',
        'AWS::EFS::FileSystem',
        'AWS::Backup::BackupVault',
        'AWS::Cognito::UserPool',
        'AWS::OpenSearchService::Domain',
        'AWS::SQS::Queue',
      ]),
    );
  });

  test.each(STATEFUL_RESOURCE_TYPES.map((entry) => [entry.type, entry]))('%s is a real resource type with a one-line reason', (type, entry) => {
    expect(loadResourceModel(type)).toBeDefined();
    expect(entry.dataAtRisk).toMatch(/^[a-z].{19,}[^.]$/);
    expect(entry.dataAtRisk).not.toContain('\n');
  });

  test("holds every data store of CORE.DURABLE.5, whose description says the gate stops their deletion or replacement", () => {
    expect(DATA_STORE_RETAINED.resourceTypes.filter((type) => !isStatefulResourceType(type))).toEqual([]);
  });

  test('lists each type once', () => {
    const types = STATEFUL_RESOURCE_TYPES.map((entry) => entry.type);
    expect(new Set(types).size).toBe(types.length);
  });

  test('leaves out types that a template recreates whole', () => {
    for (const type of ['AWS::SNS::Topic', 'AWS::ECS::TaskDefinition', 'AWS::SSM::Parameter', 'AWS::EC2::SecurityGroup', 'AWS::CloudWatch::Alarm']) {
      expect(isStatefulResourceType(type)).toBe(false);
    }
  });

  test('findStatefulResourceType reads a custom list', () => {
    const custom = [{ type: 'AWS::SNS::Topic', dataAtRisk: 'subscriptions confirmed by email' }];
    expect(findStatefulResourceType('AWS::SNS::Topic', custom)).toBe(custom[0]);
    expect(findStatefulResourceType('AWS::S3::Bucket', custom)).toBeUndefined();
    expect(findStatefulResourceType('AWS::S3::Bucket')?.type).toBe('AWS::S3::Bucket');
  });
});

import { planAdoption, type AdoptionReport } from '../../src';
import { BULK_UPLOAD_KEY_ID, changedFixture, exactDataStack, removeAdoptionFixtures, tfstateFixture, writeStagingAssembly } from './adoption-fixtures';

// Adoption of the staging data resources (fixture state built from the Terraform inventory)
// by hand-written CDK data stacks: exact, missing, extra, mismatched and refused.

afterAll(() => {
  removeAdoptionFixtures();
});

function plan(resources: ReturnType<typeof exactDataStack>, tfstateFile = tfstateFixture('staging-data'), extraStacks: Record<string, ReturnType<typeof exactDataStack>> = {}): AdoptionReport {
  const app = writeStagingAssembly({ data: resources, ...extraStacks });
  return planAdoption({ environment: 'staging', tfstateFile, assemblyDir: app.assembly });
}

describe('an exact match', () => {
  let report: AdoptionReport;
  beforeAll(() => {
    report = plan(exactDataStack());
  });

  test('maps every stateful Terraform resource onto the CDK resource of the same name, with no findings', () => {
    expect(report.findings).toBe(0);
    expect(report.terraformOnly).toEqual([]);
    expect(report.cdkOnly).toEqual([]);
    expect(report.notImportable).toEqual([]);
    expect(report.imports.map((entry) => [entry.terraformAddress, entry.logicalId])).toEqual([
      ['module.rds.aws_db_instance.main', 'DatabaseInstance'],
      ['module.elasticache.aws_elasticache_replication_group.main', 'RedisReplicationGroup'],
      ['module.bulk_upload.aws_kms_key.bulk_upload', 'BulkUploadKey'],
      ['module.bulk_upload.aws_kms_alias.bulk_upload', 'BulkUploadKeyAlias'],
      ['module.bulk_upload.aws_s3_bucket.bulk_upload', 'BulkUploadBucket'],
      ['module.bulk_upload.aws_s3_bucket.bulk_upload_access_logs', 'BulkUploadLogsBucket'],
    ]);
  });

  test('writes the data stack mapping in the cdk import --resource-mapping format: logical id → identifier properties', () => {
    expect(report.stacks).toHaveLength(1);
    const [data] = report.stacks;
    expect(data).toMatchObject({ stackId: 'core-staging/data', stackName: 'core-staging-data' });
    expect(data.mappingFile).toMatch(/reports\/adoption\/core-staging-data\.resource-mapping\.json$/);
    expect(data.mapping).toEqual({
      DatabaseInstance: { DBInstanceIdentifier: 'core-staging' },
      RedisReplicationGroup: { ReplicationGroupId: 'core-staging' },
      BulkUploadKey: { KeyId: BULK_UPLOAD_KEY_ID },
      BulkUploadKeyAlias: { AliasName: 'alias/core-staging-bulk-upload' },
      BulkUploadBucket: { BucketName: 'core-staging-bulk-upload' },
      BulkUploadLogsBucket: { BucketName: 'core-staging-bulk-upload-logs' },
    });
    expect(data.command).toBe(`npx cdk import --app ${report.assemblyDir} core-staging/data --resource-mapping ${data.mappingFile}`);
  });

  test('removes the imported resources and the parts Terraform keeps separately (bucket settings, key alias) from the state afterwards', () => {
    expect(report.stateRm).toEqual(
      expect.arrayContaining([
        'module.rds.aws_db_instance.main',
        'module.bulk_upload.aws_s3_bucket.bulk_upload',
        'module.bulk_upload.aws_s3_bucket_policy.bulk_upload',
        'module.bulk_upload.aws_s3_bucket_server_side_encryption_configuration.bulk_upload',
        'module.bulk_upload.aws_s3_bucket_versioning.bulk_upload_access_logs',
        'module.bulk_upload.aws_kms_alias.bulk_upload',
      ]),
    );
    expect(report.stateRm).toHaveLength(15);
    expect(report.stateRm).not.toContain('module.rds.aws_security_group.rds');
  });

  test('leaves the stateless resources to Terraform, counted by type', () => {
    expect(report.leftToTerraform).toEqual([
      { terraformType: 'aws_cloudwatch_metric_alarm', count: 3 },
      { terraformType: 'aws_elasticache_parameter_group', count: 1 },
      { terraformType: 'aws_iam_policy', count: 2 },
      { terraformType: 'aws_security_group', count: 1 },
    ]);
  });
});

test('missing: a Terraform resource no CDK resource takes over is a finding, and stays out of the mapping and the state rm list', () => {
  const { RedisReplicationGroup: _redis, ...withoutRedis } = exactDataStack();
  const report = plan(withoutRedis);
  expect(report.terraformOnly).toEqual([
    { terraformAddress: 'module.elasticache.aws_elasticache_replication_group.main', terraformType: 'aws_elasticache_replication_group', type: 'AWS::ElastiCache::ReplicationGroup', names: ['core-staging'], closest: undefined },
  ]);
  expect(report.findings).toBe(1);
  expect(report.stacks[0].mapping).not.toHaveProperty('RedisReplicationGroup');
  expect(report.stateRm).not.toContain('module.elasticache.aws_elasticache_replication_group.main');
});

test('extra: a stateful CDK resource with no Terraform one is a finding (created empty), whether named, generated or unresolvable', () => {
  const report = plan({
    ...exactDataStack(),
    ExportBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'core-staging-export' } },
    ApplicationLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 60 } },
    ImportedNameTable: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: { 'Fn::ImportValue': 'core-staging-lock-table' } } },
    ScratchVolume: { Type: 'AWS::EC2::Volume', Properties: { Size: 10 } },
  });
  expect(report.cdkOnly.map((entry) => [entry.logicalId, entry.reason, entry.name])).toEqual([
    ['ExportBucket', 'no-terraform-resource', 'core-staging-export'],
    ['ApplicationLogs', 'generated-name', undefined],
    ['ImportedNameTable', 'unresolved-name', undefined],
    ['ScratchVolume', 'no-terraform-type', undefined],
  ]);
  expect(report.cdkOnly[2].detail).toContain('Fn::ImportValue is known only at deployment');
  expect(report.findings).toBe(4);
});

test('a name built from the stack account resolves, and a near miss names the CDK resource to rename', () => {
  const stack = exactDataStack();
  stack.BulkUploadBucket.Properties = { ...stack.BulkUploadBucket.Properties, BucketName: { 'Fn::Join': ['-', ['core-staging-bulk-upload', { Ref: 'AWS::AccountId' }]] } };
  const report = plan(stack);
  expect(report.terraformOnly).toEqual([
    expect.objectContaining({
      terraformAddress: 'module.bulk_upload.aws_s3_bucket.bulk_upload',
      closest: { stackId: 'core-staging/data', logicalId: 'BulkUploadBucket', name: 'core-staging-bulk-upload-100000000003' },
    }),
  ]);
  expect(report.cdkOnly).toEqual([expect.objectContaining({ logicalId: 'BulkUploadBucket', name: 'core-staging-bulk-upload-100000000003', reason: 'no-terraform-resource' })]);
});

test('mismatched: property differences say what the first deploy after the import does', () => {
  const stack = exactDataStack();
  Object.assign(stack.DatabaseInstance.Properties as object, { EngineVersion: '17.4', DBInstanceClass: 'db.t4g.small', StorageType: 'gp3', KmsKeyId: { 'Fn::GetAtt': ['DatabaseKey', 'Arn'] } });
  Object.assign(stack.RedisReplicationGroup.Properties as object, { Engine: 'valkey', EngineVersion: '8.2', AuthToken: '{{resolve:secretsmanager:token}}' });
  stack.DatabaseKey = { Type: 'AWS::KMS::Key', Properties: {} };
  const report = plan(stack);
  const differences = Object.fromEntries(report.imports.map((entry) => [entry.logicalId, entry.differences]));
  expect(differences.DatabaseInstance).toEqual([
    { property: 'EngineVersion', terraform: '18.3', cdk: '17.4', effect: 'update-fails' },
    { property: 'DBInstanceClass', terraform: 'db.t3.small', cdk: 'db.t4g.small', effect: 'updates' },
    { property: 'StorageType', terraform: 'gp2', cdk: 'gp3', effect: 'updates' },
    { property: 'KmsKeyId', terraform: expect.stringContaining('0f1e2d3c-aws0-rds0') as string, cdk: 'new key DatabaseKey', effect: 'replaces' },
  ]);
  expect(differences.RedisReplicationGroup).toEqual([
    { property: 'Engine', terraform: 'redis', cdk: 'valkey', effect: 'updates' },
    { property: 'EngineVersion', terraform: '6.2.6', cdk: '8.2', effect: 'updates' },
    { property: 'AuthToken', terraform: 'none', cdk: 'set', effect: 'updates' },
  ]);
  // The new DatabaseKey has no alias and no Terraform key: it is created, which is a finding too.
  expect(report.cdkOnly.map((entry) => entry.logicalId)).toEqual(['DatabaseKey']);
  expect(report.findings).toBe(8);
});

test('an imported key is the same key on both sides: the bucket encrypted with it shows no difference', () => {
  const report = plan(exactDataStack());
  expect(report.imports.find((entry) => entry.logicalId === 'BulkUploadBucket')?.differences).toEqual([]);
});

test('a bucket encrypted with a new CDK key instead of the Terraform one is a difference', () => {
  const stack = exactDataStack();
  stack.OtherKey = { Type: 'AWS::KMS::Key', Properties: {} };
  (stack.BulkUploadBucket.Properties as { BucketEncryption: { ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: Record<string, unknown> }[] } }).BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID = { 'Fn::GetAtt': ['OtherKey', 'Arn'] };
  const bucket = plan(stack).imports.find((entry) => entry.logicalId === 'BulkUploadBucket');
  expect(bucket?.differences).toEqual([
    { property: 'BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.KMSMasterKeyID', terraform: `key ${BULK_UPLOAD_KEY_ID} (module.bulk_upload.aws_kms_key.bulk_upload)`, cdk: 'new key OtherKey', effect: 'updates' },
  ]);
});

describe('refused input (DeployInputError, nothing planned)', () => {
  test('a state that lists one physical id twice names both addresses', () => {
    const file = changedFixture('staging-data', (state) => {
      const rds = state.values.root_module.child_modules.find((mod) => mod.address === 'module.rds');
      const instance = rds?.resources.find((resource) => resource.type === 'aws_db_instance');
      rds?.resources.push({ ...instance, address: 'module.rds.aws_db_instance.copy', name: 'copy' });
    });
    expect(() => plan(exactDataStack(), file)).toThrow(/lists the physical id "core-staging" twice, as module\.rds\.aws_db_instance\.main and module\.rds\.aws_db_instance\.copy/);
  });

  test('a resource that two stacks would import names both CDK resources', () => {
    const extra = { StrayCopy: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'core-staging-bulk-upload' } } };
    expect(() => plan(exactDataStack(), tfstateFixture('staging-data'), { app: extra })).toThrow(
      /module\.bulk_upload\.aws_s3_bucket\.bulk_upload \(core-staging-bulk-upload\) would be imported into 2 CDK resources, core-staging\/data BulkUploadBucket and core-staging\/app StrayCopy: a resource can have one owner only/,
    );
  });
});

/**
 * What a difference between the Terraform-managed resource and its CDK definition does:
 * `replaces` — the first `cdk deploy` after the import replaces the resource (its data is lost);
 * `update-fails` — that deploy fails (e.g. a version or size AWS cannot lower);
 * `updates` — that deploy changes the live resource in place (drift until then).
 */
export type DifferenceEffect = 'replaces' | 'update-fails' | 'updates';

/** How two values of a property are compared. */
export type PropertyComparison =
  /** Same value (case-insensitive, numbers and strings alike). */
  | 'equal'
  /** Dotted versions; CDK lower than Terraform fails, higher upgrades. */
  | 'version'
  /** Sizes; CDK smaller than Terraform fails, larger grows the resource. */
  | 'size'
  /** KMS keys: the same key, matched through the adoption's key pairs. */
  | 'key';

/** One property compared between a Terraform resource and the CDK resource that adopts it. */
export interface PropertyCheck {
  /** The CloudFormation property, e.g. `EngineVersion`; nested ones are dotted, e.g. `EncryptionConfiguration.EncryptionType`. */
  readonly property: string;
  /** Reads the value from the Terraform state; undefined or null skips the check. */
  readonly terraform: (values: Readonly<Record<string, unknown>>) => unknown;
  /**
   * Reads the value from the template's properties.
   *
   * @default - the template property named by `property`
   */
  readonly cdk?: (properties: Readonly<Record<string, unknown>>) => unknown;
  /**
   * What CloudFormation assumes when the template leaves the property out.
   *
   * @default - nothing: a property the template leaves out is not compared
   */
  readonly cdkDefault?: unknown;
  /** How the values are compared. */
  readonly comparison: PropertyComparison;
  /** What a difference does (for `version` and `size`: what a higher or larger CDK value does). */
  readonly effect: DifferenceEffect;
}

type Values = Readonly<Record<string, unknown>>;

/** The first element of a Terraform nested block (a list of one object), or undefined. */
function firstBlock(value: unknown): Values | undefined {
  const first = Array.isArray(value) ? (value[0] as unknown) : undefined;
  return typeof first === 'object' && first !== null && !Array.isArray(first) ? (first as Values) : undefined;
}

/** Reads a dotted path (`a.b.0.c`) from template properties. */
export function propertyAt(properties: Values, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), properties);
}

const at = (key: string) => (values: Values) => values[key];
// The state keeps both the configured and the running version; AWS applies minor upgrades itself.
const actualVersion = (values: Values) => values.engine_version_actual ?? values.engine_version;

/** `aws_db_instance` ↔ `AWS::RDS::DBInstance`. */
export const DB_INSTANCE_CHECKS: readonly PropertyCheck[] = [
  { property: 'Engine', terraform: at('engine'), comparison: 'equal', effect: 'replaces' },
  { property: 'EngineVersion', terraform: actualVersion, comparison: 'version', effect: 'updates' },
  { property: 'DBInstanceClass', terraform: at('instance_class'), comparison: 'equal', effect: 'updates' },
  { property: 'AllocatedStorage', terraform: at('allocated_storage'), comparison: 'size', effect: 'updates' },
  { property: 'StorageType', terraform: at('storage_type'), comparison: 'equal', effect: 'updates' },
  { property: 'StorageEncrypted', terraform: at('storage_encrypted'), cdkDefault: false, comparison: 'equal', effect: 'replaces' },
  { property: 'KmsKeyId', terraform: at('kms_key_id'), comparison: 'key', effect: 'replaces' },
  { property: 'MultiAZ', terraform: at('multi_az'), cdkDefault: false, comparison: 'equal', effect: 'updates' },
  { property: 'DBName', terraform: at('db_name'), comparison: 'equal', effect: 'replaces' },
  { property: 'MasterUsername', terraform: at('username'), comparison: 'equal', effect: 'replaces' },
];

/** `aws_elasticache_replication_group` ↔ `AWS::ElastiCache::ReplicationGroup`. */
export const REPLICATION_GROUP_CHECKS: readonly PropertyCheck[] = [
  { property: 'Engine', terraform: at('engine'), cdkDefault: 'redis', comparison: 'equal', effect: 'updates' },
  { property: 'EngineVersion', terraform: actualVersion, comparison: 'version', effect: 'updates' },
  { property: 'CacheNodeType', terraform: at('node_type'), comparison: 'equal', effect: 'updates' },
  { property: 'NumCacheClusters', terraform: at('num_cache_clusters'), comparison: 'equal', effect: 'updates' },
  { property: 'AtRestEncryptionEnabled', terraform: at('at_rest_encryption_enabled'), cdkDefault: false, comparison: 'equal', effect: 'replaces' },
  { property: 'KmsKeyId', terraform: at('kms_key_id'), comparison: 'key', effect: 'replaces' },
  { property: 'TransitEncryptionEnabled', terraform: at('transit_encryption_enabled'), cdkDefault: false, comparison: 'equal', effect: 'updates' },
  {
    property: 'AuthToken',
    terraform: (values) => (typeof values.auth_token === 'string' && values.auth_token !== '' ? 'set' : 'none'),
    cdk: (properties) => (properties.AuthToken === undefined ? 'none' : 'set'),
    comparison: 'equal',
    effect: 'updates',
  },
];

const defaultEncryption = (values: Values) => firstBlock(firstBlock(firstBlock(values.server_side_encryption_configuration)?.rule)?.apply_server_side_encryption_by_default);
const S3_DEFAULT_ENCRYPTION = 'BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault';

/** `aws_s3_bucket` ↔ `AWS::S3::Bucket`. */
export const BUCKET_CHECKS: readonly PropertyCheck[] = [
  { property: `${S3_DEFAULT_ENCRYPTION}.SSEAlgorithm`, terraform: (values) => defaultEncryption(values)?.sse_algorithm, cdkDefault: 'AES256', comparison: 'equal', effect: 'updates' },
  {
    property: `${S3_DEFAULT_ENCRYPTION}.KMSMasterKeyID`,
    terraform: (values) => (defaultEncryption(values) === undefined ? undefined : (defaultEncryption(values)?.kms_master_key_id ?? '')),
    comparison: 'key',
    effect: 'updates',
  },
  {
    property: 'VersioningConfiguration.Status',
    terraform: (values) => {
      const enabled = firstBlock(values.versioning)?.enabled;
      return enabled === undefined ? undefined : enabled ? 'Enabled' : 'Suspended';
    },
    cdkDefault: 'Suspended',
    comparison: 'equal',
    effect: 'updates',
  },
];

/** `aws_dynamodb_table` ↔ `AWS::DynamoDB::Table`. */
export const TABLE_CHECKS: readonly PropertyCheck[] = [
  { property: 'KeySchema.HASH', terraform: at('hash_key'), cdk: (properties) => keyAttribute(properties, 'HASH'), comparison: 'equal', effect: 'replaces' },
  { property: 'KeySchema.RANGE', terraform: (values) => values.range_key ?? '', cdk: (properties) => keyAttribute(properties, 'RANGE') ?? '', comparison: 'equal', effect: 'replaces' },
  { property: 'BillingMode', terraform: at('billing_mode'), cdkDefault: 'PROVISIONED', comparison: 'equal', effect: 'updates' },
];

/** `aws_ecr_repository` ↔ `AWS::ECR::Repository`. */
export const REPOSITORY_CHECKS: readonly PropertyCheck[] = [
  { property: 'ImageTagMutability', terraform: at('image_tag_mutability'), cdkDefault: 'MUTABLE', comparison: 'equal', effect: 'updates' },
  { property: 'EncryptionConfiguration.EncryptionType', terraform: (values) => firstBlock(values.encryption_configuration)?.encryption_type, cdkDefault: 'AES256', comparison: 'equal', effect: 'replaces' },
  { property: 'EncryptionConfiguration.KmsKey', terraform: (values) => firstBlock(values.encryption_configuration)?.kms_key ?? '', comparison: 'key', effect: 'replaces' },
];

/** `aws_kms_key` ↔ `AWS::KMS::Key`. */
export const KEY_CHECKS: readonly PropertyCheck[] = [
  { property: 'KeySpec', terraform: (values) => values.customer_master_key_spec ?? values.key_spec, cdkDefault: 'SYMMETRIC_DEFAULT', comparison: 'equal', effect: 'replaces' },
  { property: 'KeyUsage', terraform: at('key_usage'), cdkDefault: 'ENCRYPT_DECRYPT', comparison: 'equal', effect: 'replaces' },
  { property: 'MultiRegion', terraform: at('multi_region'), cdkDefault: false, comparison: 'equal', effect: 'replaces' },
  { property: 'EnableKeyRotation', terraform: at('enable_key_rotation'), cdkDefault: false, comparison: 'equal', effect: 'updates' },
];

/** `aws_cloudwatch_log_group` ↔ `AWS::Logs::LogGroup`. */
export const LOG_GROUP_CHECKS: readonly PropertyCheck[] = [
  { property: 'RetentionInDays', terraform: (values) => (values.retention_in_days === 0 ? 'never expire' : values.retention_in_days), cdkDefault: 'never expire', comparison: 'equal', effect: 'updates' },
  { property: 'KmsKeyId', terraform: (values) => values.kms_key_id ?? '', comparison: 'key', effect: 'updates' },
];

/** `aws_secretsmanager_secret` ↔ `AWS::SecretsManager::Secret`. */
export const SECRET_CHECKS: readonly PropertyCheck[] = [{ property: 'KmsKeyId', terraform: (values) => values.kms_key_id ?? '', comparison: 'key', effect: 'updates' }];

function keyAttribute(properties: Values, keyType: 'HASH' | 'RANGE'): unknown {
  const schema = Array.isArray(properties.KeySchema) ? (properties.KeySchema as Values[]) : [];
  return schema.find((entry) => entry.KeyType === keyType)?.AttributeName;
}

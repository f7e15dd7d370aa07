import {
  BUCKET_CHECKS,
  DB_INSTANCE_CHECKS,
  KEY_CHECKS,
  LOG_GROUP_CHECKS,
  REPLICATION_GROUP_CHECKS,
  REPOSITORY_CHECKS,
  SECRET_CHECKS,
  TABLE_CHECKS,
  type PropertyCheck,
} from './property-checks';

/** How a resource is named in a `cdk import` resource mapping, and where the state keeps that value. */
export interface ImportIdentifier {
  /** CloudFormation's primary identifier property, e.g. `BucketName` or `KeyId`. */
  readonly property: string;
  /** The state attribute holding its value, e.g. `bucket` or `key_id`. */
  readonly attribute: string;
}

/**
 * A stateful Terraform resource type that CloudFormation can import, and how its physical
 * identifier is found on both sides.
 */
export interface AdoptableType {
  /** Terraform type, e.g. `aws_db_instance`. */
  readonly terraformType: string;
  /** CloudFormation type that takes it over; one of the policies package's `STATEFUL_RESOURCE_TYPES`. */
  readonly cloudFormationType: string;
  /**
   * Template property holding the physical name the two sides are matched by. KMS keys have
   * none: they are matched by the names of their aliases.
   */
  readonly nameProperty?: string;
  /** The state attribute holding the same physical name (for KMS keys: the key id). */
  readonly nameAttribute: string;
  /** The import identifier. */
  readonly identifier: ImportIdentifier;
  /** Names AWS stores in lower case (RDS and ElastiCache identifiers), compared without case. */
  readonly caseInsensitive?: boolean;
  /**
   * Properties compared once the two sides are matched.
   *
   * @default - none
   */
  readonly checks?: readonly PropertyCheck[];
}

/**
 * The Terraform types `core-deploy adopt` maps onto CDK resources. Identifier properties are
 * CloudFormation's primary identifiers, the keys `cdk import --resource-mapping` expects.
 */
export const ADOPTABLE_TYPES: readonly AdoptableType[] = [
  { terraformType: 'aws_db_instance', cloudFormationType: 'AWS::RDS::DBInstance', nameProperty: 'DBInstanceIdentifier', nameAttribute: 'identifier', identifier: { property: 'DBInstanceIdentifier', attribute: 'identifier' }, caseInsensitive: true, checks: DB_INSTANCE_CHECKS },
  { terraformType: 'aws_rds_cluster', cloudFormationType: 'AWS::RDS::DBCluster', nameProperty: 'DBClusterIdentifier', nameAttribute: 'cluster_identifier', identifier: { property: 'DBClusterIdentifier', attribute: 'cluster_identifier' }, caseInsensitive: true },
  { terraformType: 'aws_elasticache_replication_group', cloudFormationType: 'AWS::ElastiCache::ReplicationGroup', nameProperty: 'ReplicationGroupId', nameAttribute: 'replication_group_id', identifier: { property: 'ReplicationGroupId', attribute: 'replication_group_id' }, caseInsensitive: true, checks: REPLICATION_GROUP_CHECKS },
  { terraformType: 'aws_elasticache_cluster', cloudFormationType: 'AWS::ElastiCache::CacheCluster', nameProperty: 'ClusterName', nameAttribute: 'cluster_id', identifier: { property: 'ClusterName', attribute: 'cluster_id' }, caseInsensitive: true },
  { terraformType: 'aws_memorydb_cluster', cloudFormationType: 'AWS::MemoryDB::Cluster', nameProperty: 'ClusterName', nameAttribute: 'name', identifier: { property: 'ClusterName', attribute: 'name' } },
  { terraformType: 'aws_s3_bucket', cloudFormationType: 'AWS::S3::Bucket', nameProperty: 'BucketName', nameAttribute: 'bucket', identifier: { property: 'BucketName', attribute: 'bucket' }, checks: BUCKET_CHECKS },
  { terraformType: 'aws_dynamodb_table', cloudFormationType: 'AWS::DynamoDB::Table', nameProperty: 'TableName', nameAttribute: 'name', identifier: { property: 'TableName', attribute: 'name' }, checks: TABLE_CHECKS },
  { terraformType: 'aws_ecr_repository', cloudFormationType: 'AWS::ECR::Repository', nameProperty: 'RepositoryName', nameAttribute: 'name', identifier: { property: 'RepositoryName', attribute: 'name' }, checks: REPOSITORY_CHECKS },
  { terraformType: 'aws_kms_key', cloudFormationType: 'AWS::KMS::Key', nameAttribute: 'key_id', identifier: { property: 'KeyId', attribute: 'key_id' }, checks: KEY_CHECKS },
  { terraformType: 'aws_secretsmanager_secret', cloudFormationType: 'AWS::SecretsManager::Secret', nameProperty: 'Name', nameAttribute: 'name', identifier: { property: 'Id', attribute: 'arn' }, checks: SECRET_CHECKS },
  { terraformType: 'aws_cloudwatch_log_group', cloudFormationType: 'AWS::Logs::LogGroup', nameProperty: 'LogGroupName', nameAttribute: 'name', identifier: { property: 'LogGroupName', attribute: 'name' }, checks: LOG_GROUP_CHECKS },
  { terraformType: 'aws_sqs_queue', cloudFormationType: 'AWS::SQS::Queue', nameProperty: 'QueueName', nameAttribute: 'name', identifier: { property: 'QueueUrl', attribute: 'url' } },
  { terraformType: 'aws_kinesis_stream', cloudFormationType: 'AWS::Kinesis::Stream', nameProperty: 'Name', nameAttribute: 'name', identifier: { property: 'Name', attribute: 'name' } },
  { terraformType: 'aws_route53_zone', cloudFormationType: 'AWS::Route53::HostedZone', nameProperty: 'Name', nameAttribute: 'name', identifier: { property: 'Id', attribute: 'zone_id' }, caseInsensitive: true },
  { terraformType: 'aws_backup_vault', cloudFormationType: 'AWS::Backup::BackupVault', nameProperty: 'BackupVaultName', nameAttribute: 'name', identifier: { property: 'BackupVaultName', attribute: 'name' } },
  { terraformType: 'aws_opensearch_domain', cloudFormationType: 'AWS::OpenSearchService::Domain', nameProperty: 'DomainName', nameAttribute: 'domain_name', identifier: { property: 'DomainName', attribute: 'domain_name' } },
  { terraformType: 'aws_cognito_user_pool', cloudFormationType: 'AWS::Cognito::UserPool', nameProperty: 'UserPoolName', nameAttribute: 'name', identifier: { property: 'UserPoolId', attribute: 'id' } },
];

/** A stateful Terraform type CloudFormation cannot import. */
export interface NotImportableType {
  /** Terraform type, e.g. `random_password`. */
  readonly terraformType: string;
  /**
   * Limits the entry to some resources of the type.
   *
   * @default - every resource of the type
   */
  readonly applies?: (values: Readonly<Record<string, unknown>>) => boolean;
  /** What to do instead, in one sentence. */
  readonly instead: string;
}

/** A Terraform type that configures part of a resource CloudFormation holds as one. */
export interface CompanionType {
  /** Terraform type, e.g. `aws_s3_bucket_versioning`. */
  readonly terraformType: string;
  /** Terraform type of the resource it configures, e.g. `aws_s3_bucket`. */
  readonly parentType: string;
  /** Its attribute that names the parent, e.g. `bucket`. */
  readonly field: string;
  /** The parent's attributes that attribute may equal (an id or an ARN). */
  readonly parentFields: readonly string[];
}

/**
 * Stateful Terraform types that CloudFormation cannot import, with what to do instead. A
 * predicate limits an entry to some resources of its type (only SecureString parameters hold
 * a value that CloudFormation cannot recreate).
 */
export const NOT_IMPORTABLE_TYPES: readonly NotImportableType[] = [
  { terraformType: 'random_password', instead: 'the value exists only in the Terraform state: copy it into the Secrets Manager secret the CDK app uses (e.g. the database secret) before the first deploy, or let that deploy set a new one and restart the service' },
  { terraformType: 'random_string', instead: 'the value exists only in the Terraform state: copy it into the CDK resource that replaces it before the first deploy' },
  { terraformType: 'tls_private_key', instead: 'the key exists only in the Terraform state: store it in Secrets Manager by hand, or issue a new one' },
  {
    terraformType: 'aws_ssm_parameter',
    applies: (values) => values.type === 'SecureString',
    instead: 'CloudFormation cannot create or import SecureString parameters: copy the value into the Secrets Manager secret the CDK app reads, then remove the parameter with Terraform',
  },
  { terraformType: 'aws_db_snapshot', instead: 'CloudFormation does not manage snapshots: terraform state rm it and keep (or delete) the snapshot by hand' },
  { terraformType: 'aws_s3_object', instead: 'CloudFormation does not manage objects: they stay in the bucket when the bucket is imported; terraform state rm them' },
];

/**
 * Terraform types that configure a resource CloudFormation holds in one resource (a bucket's
 * versioning, a key's alias, a secret's value): they leave the Terraform state with it. `field`
 * names the attribute that points at the parent, `parentFields` the parent's attributes it may
 * equal (a reference may hold an id or an ARN).
 */
export const COMPANION_TYPES: readonly CompanionType[] = [
  ...[
    'acl',
    'cors_configuration',
    'lifecycle_configuration',
    'logging',
    'notification',
    'ownership_controls',
    'policy',
    'public_access_block',
    'replication_configuration',
    'server_side_encryption_configuration',
    'versioning',
  ].map((part) => ({ terraformType: `aws_s3_bucket_${part}`, parentType: 'aws_s3_bucket', field: 'bucket', parentFields: ['bucket'] })),
  { terraformType: 'aws_kms_alias', parentType: 'aws_kms_key', field: 'target_key_id', parentFields: ['key_id', 'arn'] },
  { terraformType: 'aws_kms_key_policy', parentType: 'aws_kms_key', field: 'key_id', parentFields: ['key_id', 'arn'] },
  { terraformType: 'aws_secretsmanager_secret_version', parentType: 'aws_secretsmanager_secret', field: 'secret_id', parentFields: ['arn', 'name'] },
  { terraformType: 'aws_secretsmanager_secret_policy', parentType: 'aws_secretsmanager_secret', field: 'secret_arn', parentFields: ['arn'] },
  { terraformType: 'aws_ecr_lifecycle_policy', parentType: 'aws_ecr_repository', field: 'repository', parentFields: ['name'] },
  { terraformType: 'aws_ecr_repository_policy', parentType: 'aws_ecr_repository', field: 'repository', parentFields: ['name'] },
];

/**
 * Finds how a Terraform type is adopted.
 *
 * @param terraformType e.g. `aws_s3_bucket`
 * @returns the entry, or undefined when the type is not one CloudFormation imports here
 */
export function adoptableTypeOf(terraformType: string): AdoptableType | undefined {
  return ADOPTABLE_TYPES.find((entry) => entry.terraformType === terraformType);
}

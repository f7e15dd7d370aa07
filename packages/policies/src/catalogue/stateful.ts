import { guardRules } from './guard-rules';
import { type RuleMetadata } from './types';

/** CORE guard rules that protect stateful resources from deletion and replacement (`rules/stateful/`). */
export const STATEFUL_RULES: readonly RuleMetadata[] = guardRules('stateful', [
  {
    id: 'CORE.STATEFUL.1',
    ruleName: 'STATEFUL_RESOURCE_RETAINED',
    title: 'Stateful resources keep their data on deletion and replacement',
    severity: 'high',
    description:
      'RDS instances and clusters, ElastiCache replication groups, S3 buckets, DynamoDB tables, ECR repositories, KMS ' +
      'keys, Secrets Manager secrets, log groups and EFS file systems set DeletionPolicy to Retain or ' +
      'RetainExceptOnCreate and UpdateReplacePolicy to Retain; RDS and ElastiCache may use Snapshot for both. ' +
      'Otherwise removing a construct, renaming its ID or changing a replacement-only property deletes the data. ' +
      'Review-app templates, whose root Metadata CoreInfra.Lifecycle is ephemeral, are exempt from this rule only.',
    remediation:
      'Apply RemovalPolicy.RETAIN (RemovalPolicy.SNAPSHOT for RDS and ElastiCache); for review-app stacks set the ' +
      'template metadata CoreInfra.Lifecycle to ephemeral instead.',
    resourceTypes: [
      'AWS::RDS::DBInstance',
      'AWS::RDS::DBCluster',
      'AWS::ElastiCache::ReplicationGroup',
      'AWS::S3::Bucket',
      'AWS::DynamoDB::Table',
      'AWS::DynamoDB::GlobalTable',
      'AWS::ECR::Repository',
      'AWS::KMS::Key',
      'AWS::SecretsManager::Secret',
      'AWS::Logs::LogGroup',
      'AWS::EFS::FileSystem',
    ],
    nistControls: ['CM-3', 'CP-9', 'CP-10'],
  },
]);

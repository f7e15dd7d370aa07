import { guardRules } from './guard-rules';
import { type RuleMetadata } from './types';

/** CORE guard rules for Amazon ElastiCache replication groups (`rules/elasticache/`). */
export const ELASTICACHE_RULES: readonly RuleMetadata[] = guardRules('elasticache', [
  {
    id: 'CORE.ELASTICACHE.1',
    ruleName: 'ELASTICACHE_ENCRYPTED_AT_REST_WITH_KMS',
    title: 'ElastiCache data is encrypted at rest with a customer managed KMS key',
    severity: 'high',
    description:
      'Every replication group sets AtRestEncryptionEnabled true with a KmsKeyId. Redis holds Sidekiq job payloads and ' +
      'Rack::Attack counters keyed by e-mail address; disk swaps, backups and snapshots must be unreadable without a ' +
      'CORE key.',
    remediation: 'Set atRestEncryptionEnabled: true and kmsKeyId to a CORE KMS key.',
    resourceTypes: ['AWS::ElastiCache::ReplicationGroup'],
    nistControls: ['SC-12', 'SC-28', 'SC-28(1)'],
  },
  {
    id: 'CORE.ELASTICACHE.2',
    ruleName: 'ELASTICACHE_ENCRYPTED_IN_TRANSIT',
    title: 'ElastiCache traffic is encrypted in transit',
    severity: 'high',
    description:
      'Every replication group sets TransitEncryptionEnabled true and, when TransitEncryptionMode is set, requires TLS ' +
      'instead of preferring it. The app connects with rediss:// URLs; a plaintext listener would expose job payloads ' +
      'and the AUTH token on the VPC network.',
    remediation: "Set transitEncryptionEnabled: true (and transitEncryptionMode: 'required' if the mode is set).",
    resourceTypes: ['AWS::ElastiCache::ReplicationGroup'],
    nistControls: ['SC-8', 'SC-8(1)', 'SC-13'],
  },
  {
    id: 'CORE.ELASTICACHE.3',
    ruleName: 'ELASTICACHE_AUTH_ENABLED',
    title: 'ElastiCache clients must authenticate',
    severity: 'high',
    description:
      'Every replication group requires authentication, with a Redis AUTH token resolved from Secrets Manager ' +
      '(AuthToken) or with RBAC user groups (UserGroupIds). Without it any workload that reaches the security group ' +
      'can read and write the cache; the current service runs Redis without AUTH.',
    remediation: 'Set authToken from a Secrets Manager secret (SecretValue) or attach RBAC user groups (userGroupIds).',
    resourceTypes: ['AWS::ElastiCache::ReplicationGroup'],
    nistControls: ['AC-3', 'IA-2', 'IA-5'],
  },
  {
    id: 'CORE.ELASTICACHE.4',
    ruleName: 'ELASTICACHE_AUTOMATIC_FAILOVER_ENABLED',
    title: 'Production ElastiCache fails over automatically across Availability Zones',
    severity: 'medium',
    description:
      'Production replication groups set AutomaticFailoverEnabled and MultiAZEnabled to true (with at least two ' +
      'nodes), so a primary node or zone failure promotes a replica instead of stopping background jobs and login ' +
      'rate limiting. Staging and review-app caches are single-node by design.',
    remediation: 'Run two or more nodes and set automaticFailoverEnabled: true and multiAzEnabled: true.',
    resourceTypes: ['AWS::ElastiCache::ReplicationGroup'],
    nistControls: ['CP-10', 'SC-36', 'SI-13(5)'],
    profile: 'production',
  },
  {
    id: 'CORE.ELASTICACHE.5',
    ruleName: 'ELASTICACHE_SNAPSHOT_RETENTION_ENABLED',
    title: 'Production ElastiCache keeps automatic snapshots',
    severity: 'medium',
    description:
      'Production replication groups keep daily snapshots (SnapshotRetentionLimit greater than 0; CORE production ' +
      'keeps 5), so queued Sidekiq jobs can be recovered after data loss. Without the property no automatic snapshot ' +
      'is kept.',
    remediation: 'Set snapshotRetentionLimit (and snapshotWindow) on the production replication group.',
    resourceTypes: ['AWS::ElastiCache::ReplicationGroup'],
    nistControls: ['CP-9', 'CP-10'],
    profile: 'production',
  },
]);

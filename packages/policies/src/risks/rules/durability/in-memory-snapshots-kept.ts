import type { RiskRule } from '../../risk-rule';
import { holdsData, numericSetting } from './settings';

/** CORE.DURABLE.3: production Redis, Valkey and MemoryDB data keeps daily snapshots. */
export const IN_MEMORY_SNAPSHOTS_KEPT: RiskRule = {
  id: 'CORE.DURABLE.3',
  ruleName: 'IN_MEMORY_SNAPSHOTS_KEPT',
  file: 'engine:risk/durability/in-memory-snapshots-kept',
  title: 'Production in-memory data stores keep automatic snapshots',
  severity: 'high',
  description:
    'Production ElastiCache replication groups, Redis and Valkey cache clusters, serverless caches and MemoryDB ' +
    'clusters keep automatic daily snapshots (SnapshotRetentionLimit greater than 0), so queued background jobs and ' +
    'sessions can be restored after a failure, a flush or a bad deploy. Absent, ElastiCache and MemoryDB keep none. ' +
    'CORE.ELASTICACHE.5 checks the same for replication groups only. Memcached caches (node-based or serverless) ' +
    'hold nothing that cannot be recomputed and are not checked, nor are cache clusters that are members of a ' +
    'replication group. Production only: review apps run throw-away Redis without snapshots by design.',
  remediation: 'Set snapshotRetentionLimit (and a snapshot window) to the days of snapshots to keep; CORE production keeps 5.',
  resourceTypes: ['AWS::ElastiCache::ReplicationGroup', 'AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::ServerlessCache', 'AWS::MemoryDB::Cluster'],
  nistControls: ['CP-9', 'CP-10'],
  profile: 'production',
  check: (resource) => {
    if (!holdsData(resource)) return [];
    const limit = numericSetting(resource.properties.SnapshotRetentionLimit);
    if (limit.kind === 'number' && limit.value > 0) return [];
    const found = limit.kind === 'absent' ? 'is not set, so no automatic snapshot is kept' : limit.kind === 'deploy-time' ? 'is only known at deploy time and cannot be verified' : `is ${limit.value}: automatic snapshots are off`;
    return [{ message: `SnapshotRetentionLimit ${found}`, location: 'Properties.SnapshotRetentionLimit' }];
  },
};

import type { RiskRule } from '../../risk-rule';
import { numericSetting } from './settings';

const MINIMUM_DAYS = 7;

// The property holding each engine's automated backup retention, in days.
const RETENTION_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::RDS::DBInstance': 'BackupRetentionPeriod',
  'AWS::RDS::DBCluster': 'BackupRetentionPeriod',
  'AWS::DocDB::DBCluster': 'BackupRetentionPeriod',
  'AWS::DocDBElastic::Cluster': 'BackupRetentionPeriod',
  'AWS::Neptune::DBCluster': 'BackupRetentionPeriod',
  'AWS::Redshift::Cluster': 'AutomatedSnapshotRetentionPeriod',
};

/** CORE.DURABLE.2: production databases of every engine keep a week of automated backups. */
export const DATABASE_BACKUPS_KEPT: RiskRule = {
  id: 'CORE.DURABLE.2',
  ruleName: 'DATABASE_BACKUPS_KEPT',
  file: 'engine:risk/durability/database-backups-kept',
  title: 'Production databases of every engine keep automated backups for at least 7 days',
  severity: 'high',
  description:
    'Production RDS instances and clusters, DocumentDB (including elastic) clusters, Neptune clusters and Redshift ' +
    'clusters keep automated backups for 7 days or more (BackupRetentionPeriod; AutomatedSnapshotRetentionPeriod for ' +
    'Redshift), so the data can be restored to any point in the last week. Absent, every engine keeps 1 day; 0 turns ' +
    'backups off where the engine allows it. CORE.RDS.8 checks the same for RDS only. Aurora member instances and ' +
    'read replicas are covered by their cluster or source. Production only: CORE’s dev database runs without backups ' +
    'by design, its data being re-creatable.',
  remediation: 'Set backupRetention: Duration.days(7) or longer (automatedSnapshotRetentionPeriod for Redshift).',
  resourceTypes: Object.keys(RETENTION_PROPERTY),
  nistControls: ['CP-9', 'CP-10', 'SI-12'],
  profile: 'production',
  check: (resource) => {
    const p = resource.properties;
    if (resource.type === 'AWS::RDS::DBInstance' && (p.DBClusterIdentifier !== undefined || p.SourceDBInstanceIdentifier !== undefined || p.SourceDBClusterIdentifier !== undefined)) return [];
    const key = RETENTION_PROPERTY[resource.type];
    if (key === undefined) return [];
    const days = numericSetting(p[key]);
    if (days.kind === 'number' && days.value >= MINIMUM_DAYS) return [];
    const found =
      days.kind === 'absent' ? 'is not set, so backups are kept for 1 day' : days.kind === 'deploy-time' ? 'is only known at deploy time and cannot be verified' : days.value === 0 ? 'is 0: automated backups are off' : `is ${days.value} days`;
    return [{ message: `${key} ${found}; production keeps at least ${MINIMUM_DAYS} days`, location: `Properties.${key}` }];
  },
};

import type { RiskResource, RiskRule, RiskViolation } from '../../risk-rule';
import { asList, isObject, renderString } from '../../values';
import { isTrue, numericSetting } from './settings';

const FSX_CONFIGURATIONS = ['WindowsConfiguration', 'LustreConfiguration', 'OntapConfiguration', 'OpenZFSConfiguration'];

/** CORE.DURABLE.4: DynamoDB tables (every replica) and file systems are backed up continuously or daily. */
export const TABLE_AND_FILE_BACKUPS_ENABLED: RiskRule = {
  id: 'CORE.DURABLE.4',
  ruleName: 'TABLE_AND_FILE_BACKUPS_ENABLED',
  file: 'engine:risk/durability/table-and-file-backups-enabled',
  title: 'DynamoDB tables, every global table replica and file systems are backed up',
  severity: 'high',
  description:
    'DynamoDB tables, and every replica of a global table, enable point-in-time recovery ' +
    '(PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled true), so a faulty write or deletion can be undone ' +
    'to the second; CORE.DYNAMODB.1 checks the same for single-region tables only. EFS file systems enable automatic ' +
    'AWS Backup backups (BackupPolicy.Status ENABLED), which CloudFormation leaves off, and FSx file systems never set ' +
    'AutomaticBackupRetentionDays to 0 (scratch Lustre file systems, which cannot be backed up, excepted). Every ' +
    'profile: CORE keeps no throw-away table or file system, and its deployment lock tables are rebuilt only by hand.',
  remediation:
    'Set pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } on the table or on each replica ' +
    '(TableV2 replicas), enableAutomaticBackups: true on EFS file systems, and keep automaticBackupRetention above 0 on FSx.',
  resourceTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::EFS::FileSystem', 'AWS::FSx::FileSystem'],
  nistControls: ['CP-9', 'CP-10'],
  profile: 'baseline',
  check: (resource) => {
    const p = resource.properties;
    switch (resource.type) {
      case 'AWS::DynamoDB::Table':
        return pitr(p, 'Properties', 'the table');
      case 'AWS::DynamoDB::GlobalTable':
        return asList(p.Replicas).flatMap((replica, i) => (isObject(replica) ? pitr(replica, `Properties.Replicas[${i}]`, `Replicas[${i}] (${renderString(replica.Region) ?? 'unknown region'})`) : []));
      case 'AWS::EFS::FileSystem':
        return efs(resource);
      case 'AWS::FSx::FileSystem':
        return fsx(resource);
      default:
        return [];
    }
  },
};

function pitr(holder: Readonly<Record<string, unknown>>, path: string, what: string): RiskViolation[] {
  const spec = holder.PointInTimeRecoverySpecification;
  if (isObject(spec) && isTrue(spec.PointInTimeRecoveryEnabled)) return [];
  return [{ message: `${what} has no point-in-time recovery (PointInTimeRecoveryEnabled is not true)`, location: `${path}.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled` }];
}

function efs(resource: RiskResource): RiskViolation[] {
  const policy = resource.properties.BackupPolicy;
  const status = isObject(policy) ? renderString(policy.Status) : undefined;
  if (status === 'ENABLED') return [];
  return [{ message: `BackupPolicy.Status is ${status ?? 'not set'}: AWS Backup takes no automatic backup of the file system`, location: 'Properties.BackupPolicy.Status' }];
}

function fsx(resource: RiskResource): RiskViolation[] {
  return FSX_CONFIGURATIONS.flatMap((key) => {
    const config = resource.properties[key];
    if (!isObject(config) || renderString(config.DeploymentType)?.startsWith('SCRATCH')) return [];
    const days = numericSetting(config.AutomaticBackupRetentionDays);
    return days.kind === 'number' && days.value === 0
      ? [{ message: `${key}.AutomaticBackupRetentionDays is 0: automatic backups are off`, location: `Properties.${key}.AutomaticBackupRetentionDays` }]
      : [];
  });
}

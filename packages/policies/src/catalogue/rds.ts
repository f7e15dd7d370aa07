import { guardRules } from './guard-rules';
import { type RuleMetadata } from './types';

/** CORE guard rules for Amazon RDS instances, clusters and parameter groups (`rules/rds/`). */
export const RDS_RULES: readonly RuleMetadata[] = guardRules('rds', [
  {
    id: 'CORE.RDS.1',
    ruleName: 'RDS_STORAGE_ENCRYPTED_WITH_KMS',
    title: 'RDS storage is encrypted with a customer managed KMS key',
    severity: 'high',
    description:
      'RDS DB instances and clusters set StorageEncrypted true with a KmsKeyId. With a CORE key, snapshots can only be ' +
      'restored or shared by principals the key policy allows and every decrypt is logged; the AWS managed aws/rds key ' +
      'allows neither. Aurora member instances and read replicas inherit encryption and are checked through their ' +
      'cluster or source.',
    remediation: 'Set storageEncryptionKey to a CORE KMS key (StorageEncrypted true, KmsKeyId).',
    resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
    nistControls: ['SC-12', 'SC-13', 'SC-28', 'SC-28(1)'],
  },
  {
    id: 'CORE.RDS.2',
    ruleName: 'RDS_INSTANCE_NOT_PUBLICLY_ACCESSIBLE',
    title: 'RDS DB instances are not publicly accessible',
    severity: 'critical',
    description:
      'Every RDS DB instance sets PubliclyAccessible to false explicitly. The CORE database is reached only from the ' +
      'ECS tasks inside the VPC; a public endpoint would expose it to the internet as soon as a security group rule ' +
      'is loosened. The property must be explicit because its default depends on the subnet group.',
    remediation: 'Set publiclyAccessible: false and place the instance in private subnets.',
    resourceTypes: ['AWS::RDS::DBInstance'],
    nistControls: ['AC-3', 'AC-4', 'SC-7'],
  },
  {
    id: 'CORE.RDS.3',
    ruleName: 'RDS_TLS_ENFORCED',
    title: 'RDS connections require TLS through a CORE parameter group',
    severity: 'high',
    description:
      'PostgreSQL and SQL Server DB parameter groups set rds.force_ssl to 1 (MySQL and MariaDB set ' +
      'require_secure_transport), and every standalone DB instance names a parameter group that is not an AWS ' +
      'default.* group, so the TLS requirement is a setting CORE manages and reviews rather than an engine default.',
    remediation:
      'Create a DB parameter group with rds.force_ssl = 1 and pass it to the instance (parameterGroup), so ' +
      'DBParameterGroupName references it.',
    resourceTypes: ['AWS::RDS::DBParameterGroup', 'AWS::RDS::DBInstance'],
    nistControls: ['SC-8', 'SC-8(1)', 'SC-13'],
  },
  {
    id: 'CORE.RDS.4',
    ruleName: 'RDS_LOG_EXPORTS_ENABLED',
    title: 'RDS databases export their logs to CloudWatch Logs',
    severity: 'medium',
    description:
      'RDS DB instances and clusters publish their logs to CloudWatch Logs (EnableCloudwatchLogsExports), where they ' +
      'are retained, encrypted and available to alarms and investigations after an instance is replaced. PostgreSQL ' +
      'instances export the postgresql and upgrade logs; Aurora PostgreSQL clusters export postgresql.',
    remediation: "Set cloudwatchLogsExports: ['postgresql', 'upgrade'] for PostgreSQL instances.",
    resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
    nistControls: ['AU-2', 'AU-3', 'AU-12', 'SI-4'],
  },
  {
    id: 'CORE.RDS.5',
    ruleName: 'RDS_PERFORMANCE_INSIGHTS_ENCRYPTED',
    title: 'RDS Performance Insights data is encrypted with a customer managed KMS key',
    severity: 'medium',
    description:
      'When Performance Insights is enabled on an instance or cluster, its data is encrypted with a named KMS key. ' +
      'Performance Insights stores SQL text, which can include personal data from lettings and sales logs; without a ' +
      'key it falls back to the AWS managed aws/rds key, whose use CORE cannot restrict.',
    remediation: 'Set performanceInsightEncryptionKey to a CORE KMS key whenever Performance Insights is enabled.',
    resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
    nistControls: ['SC-12', 'SC-28'],
  },
  {
    id: 'CORE.RDS.6',
    ruleName: 'RDS_CA_CERTIFICATE_CURRENT',
    title: 'RDS DB instances use the rds-ca-rsa4096-g1 or rds-ca-ecc384-g1 certificate authority',
    severity: 'medium',
    description:
      'Every RDS DB instance names its server certificate authority and uses a long-lived current CA ' +
      '(rds-ca-rsa4096-g1 or rds-ca-ecc384-g1). Without the property RDS applies the region default, ' +
      'rds-ca-rsa2048-g1, whose shorter-lived root forces an unplanned rotation for clients that verify the server ' +
      'certificate.',
    remediation: 'Set caCertificate: CaCertificate.RDS_CA_RSA4096_G1 (CACertificateIdentifier rds-ca-rsa4096-g1).',
    resourceTypes: ['AWS::RDS::DBInstance'],
    nistControls: ['SC-8', 'SC-12', 'SC-17'],
  },
  {
    id: 'CORE.RDS.7',
    ruleName: 'RDS_MULTI_AZ_ENABLED',
    title: 'Production RDS DB instances are Multi-AZ',
    severity: 'medium',
    description:
      'Production RDS DB instances, including read replicas, run Multi-AZ, so a zone failure or maintenance reboot ' +
      'fails over to a synchronous standby within minutes instead of taking the service down. The shared development ' +
      'database is single-AZ by design, so the rule runs in the production profile only.',
    remediation: 'Set multiAz: true for production databases and replicas.',
    resourceTypes: ['AWS::RDS::DBInstance'],
    nistControls: ['CP-10', 'SC-36', 'SI-13(5)'],
    profile: 'production',
  },
  {
    id: 'CORE.RDS.8',
    ruleName: 'RDS_BACKUP_RETENTION_MINIMUM',
    title: 'Production RDS databases keep automated backups for at least 7 days',
    severity: 'high',
    description:
      'Production RDS DB instances and clusters set BackupRetentionPeriod to 7 days or more, so the database can be ' +
      'restored to any point in the last week after corruption or a faulty migration. Without the property RDS keeps ' +
      '1 day; 0 disables backups. Read replicas and Aurora member instances are covered by their source or cluster.',
    remediation: 'Set backupRetention: Duration.days(7) or longer.',
    resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
    nistControls: ['CP-9', 'CP-10', 'SI-12'],
    profile: 'production',
  },
  {
    id: 'CORE.RDS.9',
    ruleName: 'RDS_DELETION_PROTECTION_ENABLED',
    title: 'Production RDS databases have deletion protection',
    severity: 'high',
    description:
      'Production RDS DB instances (including read replicas) and clusters set DeletionProtection true, so neither a ' +
      'stack deletion nor a console or API call can delete the database until protection is removed in a reviewed ' +
      'change.',
    remediation: 'Set deletionProtection: true.',
    resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
    nistControls: ['CM-3', 'CP-9', 'CP-10'],
    profile: 'production',
  },
]);

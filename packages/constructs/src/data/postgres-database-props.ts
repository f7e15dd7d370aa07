import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { EncryptionKey } from '../security/encryption-key';

/** Props for {@link PostgresDatabase}. */
export interface PostgresDatabaseProps {
  /** VPC the instance lives in. */
  readonly vpc: ec2.IVpc;

  /**
   * Subnets of the DB subnet group; they must span at least two availability zones.
   *
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Instance class.
   *
   * @default - db.t4g.small
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * PostgreSQL engine version. Minor upgrades are applied automatically in the maintenance
   * window; major upgrades are a deliberate change of this prop.
   *
   * @default rds.PostgresEngineVersion.VER_18_3
   */
  readonly engineVersion?: rds.PostgresEngineVersion;

  /**
   * Initial gp3 storage in GiB (20 to 65536).
   *
   * @default 100
   */
  readonly allocatedStorage?: number;

  /**
   * Ceiling in GiB up to which RDS grows storage automatically; at least 10 % above
   * {@link allocatedStorage}.
   *
   * @default - twice the allocated storage
   */
  readonly maxAllocatedStorage?: number;

  /**
   * Run a synchronous standby in a second availability zone.
   *
   * @default true
   */
  readonly multiAz?: boolean;

  /**
   * How long automated backups are kept (0 to 35 days; 0 turns backups off).
   *
   * @default - 7 days
   */
  readonly backupRetention?: Duration;

  /**
   * Daily backup window in UTC (`hh24:mi-hh24:mi`).
   *
   * @default "23:09-23:39"
   */
  readonly preferredBackupWindow?: string;

  /**
   * Weekly maintenance window in UTC (`ddd:hh24:mi-ddd:hh24:mi`).
   *
   * @default "Mon:02:33-Mon:03:03"
   */
  readonly preferredMaintenanceWindow?: string;

  /**
   * Prevent the instance (and the replica) from being deleted.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * What happens to the instance when it leaves the stack.
   *
   * @default RemovalPolicy.SNAPSHOT - a final snapshot is taken
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Apply modifications immediately instead of in the next maintenance window.
   *
   * @default false
   */
  readonly applyImmediately?: boolean;

  /**
   * Name of the application database created with the instance.
   *
   * @default "data_collector"
   */
  readonly databaseName?: string;

  /**
   * Master user name.
   *
   * @default "postgres"
   */
  readonly masterUsername?: string;

  /**
   * DB instance identifier, also used to name the exported log groups and the alarms.
   *
   * @default - derived from the construct path, unique in the account
   */
  readonly instanceIdentifier?: string;

  /**
   * Key encrypting storage, snapshots, Performance Insights, the credential and URL secrets
   * and the exported log groups.
   *
   * @default - a new rotating {@link EncryptionKey}
   */
  readonly encryptionKey?: EncryptionKey;

  /**
   * How long the exported PostgreSQL and upgrade logs are kept.
   *
   * @default logs.RetentionDays.TWO_MONTHS
   */
  readonly cloudwatchLogsRetention?: logs.RetentionDays;

  /**
   * Interval of enhanced OS monitoring (1, 5, 10, 15, 30 or 60 seconds, or 0 to turn it off);
   * adds a monitoring role.
   *
   * @default - 60 seconds
   */
  readonly monitoringInterval?: Duration;

  /**
   * Allow IAM database authentication in addition to passwords, so people and jobs can
   * connect with short-lived tokens instead of the master password.
   *
   * @default true
   */
  readonly iamAuthentication?: boolean;

  /**
   * Create a Multi-AZ, deletion-protected read replica. Needs automated backups.
   *
   * @default false
   */
  readonly readReplica?: boolean;

  /**
   * Stop the instance out of hours and start it on working days. For development only; cannot
   * be combined with a read replica.
   *
   * @default - the instance runs all the time
   */
  readonly scheduledStop?: PostgresScheduledStop;

  /** Topic the alarms notify: an alarm nobody hears is noise, so every database names one. */
  readonly alarmTopic: sns.ITopic;

  /**
   * Do not notify the topic when an alarm returns to OK.
   *
   * @default false
   */
  readonly suppressOkNotifications?: boolean;

  /**
   * How alarms treat periods without data.
   *
   * @default - NOT_BREACHING when the scheduled stop is enabled (a stopped instance sends nothing), otherwise BREACHING
   */
  readonly alarmTreatMissingData?: cloudwatch.TreatMissingData;

  /**
   * Free storage below this percentage of {@link allocatedStorage} raises the storage alarm.
   *
   * @default 15
   */
  readonly freeStorageAlarmThresholdPercent?: number;

  /**
   * Connection count at or above which the connections alarm fires; set it to about 80 % of
   * the instance class's `max_connections`.
   *
   * @default 100
   */
  readonly connectionsAlarmThreshold?: number;

  /**
   * Add an anomaly-detection alarm on CPU utilisation (outside a band of 2 standard deviations).
   *
   * @default true
   */
  readonly cpuAnomalyAlarm?: boolean;
}

/** Options for {@link PostgresDatabase.createDatabaseUrlSecret}. */
export interface DatabaseUrlSecretOptions {
  /** Database the URL points at, e.g. `core-review-1234`. */
  readonly databaseName: string;

  /**
   * Name of the secret.
   *
   * @default - generated by CloudFormation
   */
  readonly secretName?: string;

  /**
   * What happens to the secret when it leaves the stack (it can always be rebuilt).
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * When a development database runs: stopped out of hours and started on working days (Monday to
 * Friday) by EventBridge Scheduler. The fields are those of an environment's
 * `database.scheduledStop` config, so an environment passes its config straight through.
 */
export interface PostgresScheduledStop {
  /** Stop the instance out of hours; when false, the times are ignored. */
  readonly enabled: boolean;

  /**
   * Local time (`HH:MM`, 24-hour) the instance starts on working days.
   *
   * @default "07:30"
   */
  readonly start?: string;

  /**
   * Local time (`HH:MM`, 24-hour) the instance stops on working days; later than {@link start}.
   *
   * @default "20:00"
   */
  readonly stop?: string;

  /**
   * IANA time zone of {@link start} and {@link stop}.
   *
   * @default "Europe/London"
   */
  readonly timeZone?: string;
}

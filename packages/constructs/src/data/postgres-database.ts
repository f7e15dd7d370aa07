import { Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { EncryptionKey } from '../security/encryption-key';
import { propsError } from '../shared/errors';
import { retainUnlessEphemeral } from '../shared/removal';
import { createDatabaseUrlSecret } from './database-url-secret';
import { createPostgresAlarms } from './postgres-alarms';
import type { DatabaseUrlSecretOptions, PostgresDatabaseProps, PostgresScheduledStop } from './postgres-database-props';
import { addScheduledStop, resolveScheduledStop } from './postgres-scheduled-stop';

/**
 * Characters left out of generated master passwords: everything but letters, digits, `-`,
 * `_` and `.`, so the password can sit unescaped in a `postgresql://` URL.
 */
const PASSWORD_EXCLUDED_CHARACTERS = ' !"#$%&\'()*+,/:;<=>?@[\\]^`{|}~';

/** Log types PostgreSQL on RDS can export to CloudWatch Logs. */
const POSTGRES_LOG_EXPORTS = ['postgresql', 'upgrade'] as const;

/**
 * CORE's PostgreSQL database on RDS.
 *
 * gp3 storage with autoscaling, encrypted with a customer-managed key; Multi-AZ, automated
 * backups, deletion protection and a final snapshot on removal by default; Performance
 * Insights (7 days) under the same key; a parameter group that forces TLS; the
 * `rds-ca-rsa4096-g1` CA; PostgreSQL and upgrade logs exported to encrypted log groups with
 * retention; a generated master password in Secrets Manager; in private subnets, not publicly
 * accessible, behind a security group with no egress that admits only what the caller allows
 * (`database.connections.allowDefaultPortFrom(service)` or {@link allowFrom}); and alarms on
 * CPU, free storage (in bytes) and connections in the `AWS/RDS` namespace.
 *
 * The application's `DATABASE_URL` lives in its own secret, {@link databaseUrlSecret}. Its
 * template value is a string of CloudFormation dynamic references
 * (`{{resolve:secretsmanager:...:password}}`), which CloudFormation resolves while deploying,
 * so the password never appears in the template or in a parameter. The URL is refreshed on
 * deployment; master-password rotation is therefore not enabled.
 *
 * @example
 * const database = new PostgresDatabase(stack, 'Database', {
 *   vpc: network.vpc,
 *   alarmTopic: alerts.topic,
 *   multiAz: true,
 *   backupRetention: Duration.days(7),
 *   readReplica: true,
 * });
 * database.allowFrom(application);
 * const reviewUrl = database.createDatabaseUrlSecret(reviewStack, 'DatabaseUrl', { databaseName: 'core-review-1234' });
 */
export class PostgresDatabase extends Construct implements ec2.IConnectable {
  /** Port PostgreSQL listens on. */
  public static readonly PORT = 5432;

  /** The primary instance. */
  public readonly instance: rds.DatabaseInstance;

  /** The read replica, when requested. */
  public readonly readReplica?: rds.DatabaseInstanceReadReplica;

  /** Generated master credentials (`username`, `password`, `host`, `port`, `dbname`). */
  public readonly secret: secretsmanager.ISecret;

  /** `postgresql://` URL of the application database, for the app's `DATABASE_URL`. */
  public readonly databaseUrlSecret: secretsmanager.ISecret;

  /** Security group of the instance (and replica). */
  public readonly securityGroup: ec2.ISecurityGroup;

  /** Network access to the instance; use `allowDefaultPortFrom` to admit a client. */
  public readonly connections: ec2.Connections;

  /** Key encrypting the database's data, secrets and logs. */
  public readonly encryptionKey: EncryptionKey;

  /** DB instance identifier. */
  public readonly instanceIdentifier: string;

  /** Name of the application database. */
  public readonly databaseName: string;

  /** Master user name. */
  public readonly masterUsername: string;

  /** Allocated storage in GiB. */
  public readonly allocatedStorage: number;

  /** Storage autoscaling ceiling in GiB. */
  public readonly maxAllocatedStorage: number;

  /** Whether the instance is Multi-AZ. */
  public readonly multiAz: boolean;

  /** Automated backup retention. */
  public readonly backupRetention: Duration;

  /** Whether deletion protection is on. */
  public readonly deletionProtection: boolean;

  /** Removal policy of the instance. */
  public readonly removalPolicy: RemovalPolicy;

  /** When the instance runs, with defaults filled in; `enabled` is false unless a scheduled stop was asked for. */
  public readonly scheduledStop: Required<PostgresScheduledStop>;

  /** CPU utilisation alarm (≥ 90 %, 3 of 5 minutes). */
  public readonly cpuAlarm: cloudwatch.Alarm;

  /** Free storage alarm (bytes). */
  public readonly freeStorageAlarm: cloudwatch.Alarm;

  /** Database connections alarm. */
  public readonly connectionsAlarm: cloudwatch.Alarm;

  /** CPU anomaly-detection alarm, when enabled. */
  public readonly cpuAnomalyAlarm?: cloudwatch.Alarm;

  /** Free-storage alarm threshold in bytes. */
  public readonly freeStorageAlarmThresholdBytes: number;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);

    this.allocatedStorage = props.allocatedStorage ?? 100;
    this.maxAllocatedStorage = props.maxAllocatedStorage ?? this.allocatedStorage * 2;
    this.multiAz = props.multiAz ?? true;
    this.backupRetention = props.backupRetention ?? Duration.days(7);
    this.deletionProtection = props.deletionProtection ?? true;
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.SNAPSHOT;
    this.scheduledStop = resolveScheduledStop(this, props.scheduledStop);
    this.databaseName = props.databaseName ?? 'data_collector';
    this.masterUsername = props.masterUsername ?? 'postgres';
    this.instanceIdentifier = props.instanceIdentifier ?? defaultInstanceIdentifier(this);
    const engineVersion = props.engineVersion ?? rds.PostgresEngineVersion.VER_18_3;
    const vpcSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    const freeStoragePercent = props.freeStorageAlarmThresholdPercent ?? 15;
    const logRetention = props.cloudwatchLogsRetention ?? logs.RetentionDays.TWO_MONTHS;
    const monitoringInterval = props.monitoringInterval ?? Duration.seconds(60);

    validate(this, props, { vpcSubnets, freeStoragePercent });
    this.freeStorageAlarmThresholdBytes = Math.round(this.allocatedStorage * 1024 ** 3 * (freeStoragePercent / 100));

    this.encryptionKey =
      props.encryptionKey ??
      new EncryptionKey(this, 'Key', {
        description: `Encrypts the PostgreSQL database ${this.instanceIdentifier}: storage, snapshots, Performance Insights, secrets and logs`,
        removalPolicy: retainUnlessEphemeral(this.removalPolicy),
      });
    this.encryptionKey.allowCloudWatchLogs(`/aws/rds/instance/${this.instanceIdentifier}*`);

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `PostgreSQL ${this.instanceIdentifier}: ingress only from granted clients, no egress`,
      allowAllOutbound: false,
    });
    this.securityGroup = securityGroup;

    const engine = rds.DatabaseInstanceEngine.postgres({ version: engineVersion });
    const parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: `PostgreSQL ${this.instanceIdentifier}: TLS required`,
      parameters: { 'rds.force_ssl': '1' },
    });
    const subnetGroup = new rds.SubnetGroup(this, 'SubnetGroup', {
      vpc: props.vpc,
      vpcSubnets,
      description: `PostgreSQL ${this.instanceIdentifier} private subnets`,
      removalPolicy: this.removalPolicy === RemovalPolicy.SNAPSHOT ? RemovalPolicy.RETAIN : this.removalPolicy,
    });

    const logRemoval = retainUnlessEphemeral(this.removalPolicy);
    const logGroups = this.createLogGroups(this.instanceIdentifier, 'Primary', logRetention, logRemoval);
    const instanceType = props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL);
    const common = {
      instanceType,
      vpc: props.vpc,
      subnetGroup,
      securityGroups: [securityGroup],
      multiAz: this.multiAz,
      deletionProtection: this.deletionProtection,
      storageType: rds.StorageType.GP3,
      storageEncrypted: true,
      storageEncryptionKey: this.encryptionKey.key,
      maxAllocatedStorage: this.maxAllocatedStorage,
      enablePerformanceInsights: true,
      performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT,
      performanceInsightEncryptionKey: this.encryptionKey.key,
      caCertificate: rds.CaCertificate.RDS_CA_RSA4096_G1,
      parameterGroup,
      cloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
      autoMinorVersionUpgrade: true,
      publiclyAccessible: false,
      copyTagsToSnapshot: true,
      monitoringInterval: monitoringInterval.toSeconds() === 0 ? undefined : monitoringInterval,
      iamAuthentication: props.iamAuthentication ?? true,
      preferredMaintenanceWindow: props.preferredMaintenanceWindow ?? 'Mon:02:33-Mon:03:03',
      applyImmediately: props.applyImmediately ?? false,
    } satisfies Partial<rds.DatabaseInstanceProps>;

    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      ...common,
      engine,
      instanceIdentifier: this.instanceIdentifier,
      databaseName: this.databaseName,
      port: PostgresDatabase.PORT,
      credentials: rds.Credentials.fromGeneratedSecret(this.masterUsername, {
        encryptionKey: this.encryptionKey.key,
        excludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
      }),
      allocatedStorage: this.allocatedStorage,
      backupRetention: this.backupRetention,
      preferredBackupWindow: props.preferredBackupWindow ?? '23:09-23:39',
      deleteAutomatedBackups: false,
      allowMajorVersionUpgrade: false,
      removalPolicy: this.removalPolicy,
    });
    logGroups.forEach((logGroup) => this.instance.node.addDependency(logGroup));
    if (this.instance.secret === undefined) {
      throw new Error('the RDS instance did not produce a credentials secret');
    }
    this.secret = this.instance.secret;
    // The password outlives the instance in its final snapshot, so the secret must too.
    const generatedSecret = this.instance.node.tryFindChild('Secret');
    if (generatedSecret instanceof secretsmanager.Secret) {
      generatedSecret.applyRemovalPolicy(retainUnlessEphemeral(this.removalPolicy));
    }
    // A literal port keeps client security-group rules free of references to the instance.
    this.connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(PostgresDatabase.PORT) });

    if (props.readReplica) {
      const replicaIdentifier = `${this.instanceIdentifier}-replica`.slice(0, 63);
      const replicaLogGroups = this.createLogGroups(replicaIdentifier, 'Replica', logRetention, logRemoval);
      // A same-region replica inherits encryption (and its key) from the source.
      const { storageEncrypted: _encrypted, storageEncryptionKey: _key, ...replicaSettings } = common;
      this.readReplica = new rds.DatabaseInstanceReadReplica(this, 'ReadReplica', {
        ...replicaSettings,
        sourceDatabaseInstance: this.instance,
        instanceIdentifier: replicaIdentifier,
        multiAz: true,
        // RDS cannot snapshot a replica on deletion; it is retained unless the primary itself is
        // disposable, as the stateful-resource rule requires of every database instance.
        removalPolicy: retainUnlessEphemeral(this.removalPolicy),
      });
      replicaLogGroups.forEach((logGroup) => this.readReplica?.node.addDependency(logGroup));
    }

    this.databaseUrlSecret = this.newDatabaseUrlSecret(this, 'DatabaseUrlSecret', {
      databaseName: this.databaseName,
      removalPolicy: retainUnlessEphemeral(this.removalPolicy),
    });

    if (this.scheduledStop.enabled) {
      addScheduledStop(this, { instance: this.instance, instanceIdentifier: this.instanceIdentifier, removalPolicy: this.removalPolicy }, this.scheduledStop);
    }

    const alarms = createPostgresAlarms(this, {
      instance: this.instance,
      instanceIdentifier: this.instanceIdentifier,
      allocatedStorage: this.allocatedStorage,
      freeStoragePercent,
      freeStorageThresholdBytes: this.freeStorageAlarmThresholdBytes,
      connectionsThreshold: props.connectionsAlarmThreshold ?? 100,
      cpuAnomalyAlarm: props.cpuAnomalyAlarm ?? true,
      notifications: {
        topic: props.alarmTopic,
        suppressOkNotifications: props.suppressOkNotifications,
        // A stopped instance sends no metrics, which is no reason to alarm.
        treatMissingData: props.alarmTreatMissingData ?? (this.scheduledStop.enabled ? cloudwatch.TreatMissingData.NOT_BREACHING : cloudwatch.TreatMissingData.BREACHING),
      },
    });
    this.cpuAlarm = alarms.cpuAlarm;
    this.freeStorageAlarm = alarms.freeStorageAlarm;
    this.connectionsAlarm = alarms.connectionsAlarm;
    this.cpuAnomalyAlarm = alarms.cpuAnomalyAlarm;
  }

  /** Every alarm this construct created. */
  public get alarms(): cloudwatch.Alarm[] {
    return [this.cpuAlarm, this.freeStorageAlarm, this.connectionsAlarm, ...(this.cpuAnomalyAlarm === undefined ? [] : [this.cpuAnomalyAlarm])];
  }

  /**
   * Admits PostgreSQL connections from a security group owner (an ECS service, a task, a
   * migration job).
   *
   * @param client the connectable allowed to reach the database port
   * @param description why the client needs access
   */
  public allowFrom(client: ec2.IConnectable, description = 'PostgreSQL client'): void {
    this.connections.allowDefaultPortFrom(client, description);
  }

  /**
   * Creates a secret holding a `postgresql://` URL for another database on this instance
   * (one database per review app), composed from the master secret by dynamic references.
   * The database itself is created by the application (`rails db:prepare`).
   *
   * @param scope where the secret is created, e.g. the review app's stack
   * @param id construct id of the secret
   * @param options the database name and secret settings
   */
  public createDatabaseUrlSecret(scope: Construct, id: string, options: DatabaseUrlSecretOptions): secretsmanager.ISecret {
    return this.newDatabaseUrlSecret(scope, id, { removalPolicy: RemovalPolicy.DESTROY, ...options });
  }

  /**
   * Lets the grantee read the application's `DATABASE_URL` secret (and decrypt it through
   * Secrets Manager).
   *
   * @param grantee usually the ECS task execution role
   */
  public grantReadDatabaseUrl(grantee: iam.IGrantable): iam.Grant {
    const grant = this.databaseUrlSecret.grantRead(grantee);
    return grant.combine(this.encryptionKey.grantDecrypt(grantee, { viaServices: [`secretsmanager.${Stack.of(this).region}.amazonaws.com`] }));
  }

  private newDatabaseUrlSecret(scope: Construct, id: string, options: DatabaseUrlSecretOptions): secretsmanager.ISecret {
    return createDatabaseUrlSecret(scope, id, {
      ...options,
      masterSecretArn: this.secret.secretArn,
      masterUsername: this.masterUsername,
      endpointAddress: this.instance.dbInstanceEndpointAddress,
      endpointPort: this.instance.dbInstanceEndpointPort,
      encryptionKey: this.encryptionKey.key,
      instanceDescription: this.instanceIdentifier,
    });
  }

  private createLogGroups(identifier: string, idPrefix: string, retention: logs.RetentionDays, removalPolicy: RemovalPolicy): logs.LogGroup[] {
    // Created ahead of the instance so RDS writes into encrypted groups with retention instead
    // of creating unencrypted, never-expiring ones.
    return POSTGRES_LOG_EXPORTS.map(
      (logType) =>
        new logs.LogGroup(this, `${idPrefix}${logType.charAt(0).toUpperCase()}${logType.slice(1)}Logs`, {
          logGroupName: `/aws/rds/instance/${identifier}/${logType}`,
          retention,
          encryptionKey: this.encryptionKey.key,
          removalPolicy,
        }),
    );
  }
}

function validate(database: PostgresDatabase, props: PostgresDatabaseProps, resolved: { vpcSubnets: ec2.SubnetSelection; freeStoragePercent: number }): void {
  const allocated = database.allocatedStorage;
  if (!Number.isInteger(allocated) || allocated < 20 || allocated > 65536) {
    throw propsError(database, `allocatedStorage must be a whole number of GiB between 20 and 65536 (gp3 limits), got ${allocated}`);
  }
  const minimumCeiling = Math.ceil((allocated * 11) / 10);
  if (!Number.isInteger(database.maxAllocatedStorage) || database.maxAllocatedStorage < minimumCeiling || database.maxAllocatedStorage > 65536) {
    throw propsError(
      database,
      `maxAllocatedStorage must be at least 10 % above allocatedStorage (${minimumCeiling} GiB or more) and at most 65536, got ${database.maxAllocatedStorage}: raise maxAllocatedStorage or lower allocatedStorage`,
    );
  }
  const retentionDays = database.backupRetention.toDays({ integral: false });
  if (!Number.isInteger(retentionDays) || retentionDays < 0 || retentionDays > 35) {
    throw propsError(database, `backupRetention must be a whole number of days between 0 and 35, got ${database.backupRetention.toHumanString()}: RDS keeps automated backups for at most 35 days`);
  }
  if (props.readReplica && retentionDays === 0) {
    throw propsError(database, 'readReplica needs automated backups but backupRetention is 0 days: set backupRetention to at least 1 day or remove readReplica');
  }
  if (props.readReplica && database.scheduledStop.enabled) {
    throw propsError(database, 'scheduledStop cannot be combined with readReplica: RDS cannot stop an instance that has read replicas; disable scheduledStop or remove readReplica');
  }
  const azs = new Set(props.vpc.selectSubnets(resolved.vpcSubnets).availabilityZones);
  if (azs.size < 2) {
    throw propsError(
      database,
      `vpcSubnets cover ${azs.size} availability zone(s) but an RDS subnet group${database.multiAz ? ' for a Multi-AZ instance' : ''} needs at least 2: select subnets in two or more zones`,
    );
  }
  if (props.monitoringInterval !== undefined && ![0, 1, 5, 10, 15, 30, 60].includes(props.monitoringInterval.toSeconds({ integral: false }))) {
    throw propsError(database, `monitoringInterval must be 0 (off), 1, 5, 10, 15, 30 or 60 seconds, got ${props.monitoringInterval.toHumanString()}`);
  }
  if (resolved.freeStoragePercent <= 0 || resolved.freeStoragePercent >= 100) {
    throw propsError(database, `freeStorageAlarmThresholdPercent must be between 0 and 100 (exclusive), got ${resolved.freeStoragePercent}`);
  }
  if (props.connectionsAlarmThreshold !== undefined && (!Number.isInteger(props.connectionsAlarmThreshold) || props.connectionsAlarmThreshold < 1)) {
    throw propsError(database, `connectionsAlarmThreshold must be a positive whole number, got ${props.connectionsAlarmThreshold}`);
  }
  if (!/^[a-z](?!.*--)[a-z0-9-]{0,62}$/.test(database.instanceIdentifier) || database.instanceIdentifier.endsWith('-')) {
    throw propsError(
      database,
      `instanceIdentifier must be 1 to 63 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen, got "${database.instanceIdentifier}": use e.g. "core-prod"`,
    );
  }
}

function defaultInstanceIdentifier(scope: Construct): string {
  return Names.uniqueResourceName(scope, { maxLength: 63, separator: '-' })
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-$/, '');
}

import { Duration, Names, RemovalPolicy, SecretValue, Stack, TimeZone } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EncryptionKey } from '../security/encryption-key';

/**
 * Characters left out of generated master passwords: everything but letters, digits, `-`,
 * `_` and `.`, so the password can sit unescaped in a `postgresql://` URL.
 */
const PASSWORD_EXCLUDED_CHARACTERS = ' !"#$%&\'()*+,/:;<=>?@[\\]^`{|}~';

/** Log types PostgreSQL on RDS can export to CloudWatch Logs. */
const POSTGRES_LOG_EXPORTS = ['postgresql', 'upgrade'] as const;

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
   * Stop the instance out of hours and start it on working days (EventBridge Scheduler,
   * Monday to Friday in {@link scheduleTimeZone}). For development only; cannot be combined
   * with a read replica.
   *
   * @default false
   */
  readonly scheduledStop?: boolean;

  /**
   * Local time (`HH:MM`) the instance starts on working days.
   *
   * @default "07:30"
   */
  readonly scheduledStartTime?: string;

  /**
   * Local time (`HH:MM`) the instance stops on working days.
   *
   * @default "20:00"
   */
  readonly scheduledStopTime?: string;

  /**
   * Time zone of the start and stop times.
   *
   * @default "Europe/London"
   */
  readonly scheduleTimeZone?: string;

  /** Topic the alarms notify: an alarm nobody hears is noise, so every database names one. */
  readonly alarmTopic: sns.ITopic;

  /**
   * Also notify the topic when an alarm returns to OK.
   *
   * @default true
   */
  readonly alarmOkActions?: boolean;

  /**
   * How alarms treat periods without data.
   *
   * @default - NOT_BREACHING when the scheduled stop is on (a stopped instance sends nothing), otherwise BREACHING
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

  /** Whether the scheduled stop/start is on. */
  public readonly scheduledStop: boolean;

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
    this.scheduledStop = props.scheduledStop ?? false;
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
        removalPolicy: this.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
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

    const logRemoval = this.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
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
      generatedSecret.applyRemovalPolicy(this.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN);
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
        removalPolicy: this.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      });
      replicaLogGroups.forEach((logGroup) => this.readReplica?.node.addDependency(logGroup));
    }

    this.databaseUrlSecret = this.newDatabaseUrlSecret(this, 'DatabaseUrlSecret', {
      databaseName: this.databaseName,
      removalPolicy: this.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });

    if (this.scheduledStop) {
      this.addScheduledStop(props);
    }

    const treatMissingData = props.alarmTreatMissingData ?? (this.scheduledStop ? cloudwatch.TreatMissingData.NOT_BREACHING : cloudwatch.TreatMissingData.BREACHING);
    const region = Stack.of(this).region;
    this.cpuAlarm = new cloudwatch.Alarm(this, 'CpuAlarm', {
      alarmName: `${this.instanceIdentifier}-cpu`,
      alarmDescription: `CPU utilisation of ${this.instanceIdentifier} is at or above 90 % for 3 of the last 5 minutes. Performance Insights: https://${region}.console.aws.amazon.com/rds/home?region=${region}#performance-insights-v20206:/resourceId/${this.instance.instanceResourceId}`,
      metric: this.instance.metricCPUUtilization({ statistic: cloudwatch.Stats.AVERAGE, period: Duration.minutes(1) }),
      threshold: 90,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData,
    });
    this.freeStorageAlarm = new cloudwatch.Alarm(this, 'FreeStorageAlarm', {
      alarmName: `${this.instanceIdentifier}-storage`,
      alarmDescription: `Free storage of ${this.instanceIdentifier} is at or below ${freeStoragePercent} % of its ${this.allocatedStorage} GiB allocation (${this.freeStorageAlarmThresholdBytes} bytes).`,
      metric: this.instance.metricFreeStorageSpace({ statistic: cloudwatch.Stats.MINIMUM, period: Duration.minutes(5) }),
      threshold: this.freeStorageAlarmThresholdBytes,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData,
    });
    const connectionsThreshold = props.connectionsAlarmThreshold ?? 100;
    this.connectionsAlarm = new cloudwatch.Alarm(this, 'ConnectionsAlarm', {
      alarmName: `${this.instanceIdentifier}-connections`,
      alarmDescription: `${this.instanceIdentifier} has ${connectionsThreshold} or more connections for 3 of the last 5 minutes.`,
      metric: this.instance.metricDatabaseConnections({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(1) }),
      threshold: connectionsThreshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData,
    });
    if (props.cpuAnomalyAlarm ?? true) {
      this.cpuAnomalyAlarm = new cloudwatch.AnomalyDetectionAlarm(this, 'CpuAnomalyAlarm', {
        alarmName: `${this.instanceIdentifier}-cpu-anomaly`,
        alarmDescription: `CPU utilisation of ${this.instanceIdentifier} is outside its expected band.`,
        metric: this.instance.metricCPUUtilization({ statistic: cloudwatch.Stats.AVERAGE, period: Duration.minutes(5) }),
        stdDevs: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_LOWER_OR_GREATER_THAN_UPPER_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData,
      });
    }

    const action = new cloudwatchActions.SnsAction(props.alarmTopic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(action);
      if (props.alarmOkActions ?? true) alarm.addOkAction(action);
    }
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
    if (!/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/.test(options.databaseName)) {
      throw new Error(
        `databaseName must start with a letter or underscore and contain only letters, digits, "_" and "-" (at most 63 characters), got "${options.databaseName}": use e.g. "core-review-1234"`,
      );
    }
    const password = SecretValue.secretsManager(this.secret.secretArn, { jsonField: 'password' }).unsafeUnwrap();
    const url = `postgresql://${this.masterUsername}:${password}@${this.instance.dbInstanceEndpointAddress}:${this.instance.dbInstanceEndpointPort}/${options.databaseName}?sslmode=require`;
    return new secretsmanager.Secret(scope, id, {
      description: `DATABASE_URL for database ${options.databaseName} on ${this.instanceIdentifier}`,
      secretName: options.secretName,
      encryptionKey: this.encryptionKey.key,
      // Only dynamic references reach the template; CloudFormation substitutes the password.
      secretStringValue: SecretValue.unsafePlainText(url),
      removalPolicy: options.removalPolicy,
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

  private addScheduledStop(props: PostgresDatabaseProps): void {
    const stack = Stack.of(this);
    const timeZone = props.scheduleTimeZone ?? 'Europe/London';
    const scheduleKey = new EncryptionKey(this, 'ScheduleKey', {
      description: `Encrypts the stop/start schedules of ${this.instanceIdentifier}`,
      removalPolicy: this.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    const instanceArn = this.instance.instanceArn;
    const role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: `Stops and starts ${this.instanceIdentifier} out of hours`,
    });
    scheduleKey.grantDecrypt(role);

    const schedules: Array<{ id: string; action: 'startDBInstance' | 'stopDBInstance'; time: string }> = [
      { id: 'StartSchedule', action: 'startDBInstance', time: props.scheduledStartTime ?? '07:30' },
      { id: 'StopSchedule', action: 'stopDBInstance', time: props.scheduledStopTime ?? '20:00' },
    ];
    for (const schedule of schedules) {
      const [hour, minute] = schedule.time.split(':');
      const iamAction = `rds:${schedule.action.charAt(0).toUpperCase()}${schedule.action.slice(1)}`;
      new scheduler.Schedule(this, schedule.id, {
        description: `${schedule.action === 'startDBInstance' ? 'Start' : 'Stop'} ${this.instanceIdentifier} at ${schedule.time} ${timeZone}, Monday to Friday`,
        schedule: scheduler.ScheduleExpression.cron({
          minute: String(Number(minute)),
          hour: String(Number(hour)),
          weekDay: 'MON-FRI',
          timeZone: TimeZone.of(timeZone),
        }),
        key: scheduleKey.key,
        target: new schedulerTargets.Universal({
          service: 'rds',
          action: schedule.action,
          role,
          input: scheduler.ScheduleTargetInput.fromObject({ DbInstanceIdentifier: this.instance.instanceIdentifier }),
          policyStatements: [new iam.PolicyStatement({ actions: [iamAction], resources: [instanceArn] })],
          retryAttempts: 3,
        }),
      });
    }
  }
}

function validate(database: PostgresDatabase, props: PostgresDatabaseProps, resolved: { vpcSubnets: ec2.SubnetSelection; freeStoragePercent: number }): void {
  const allocated = database.allocatedStorage;
  if (!Number.isInteger(allocated) || allocated < 20 || allocated > 65536) {
    throw new Error(`allocatedStorage must be a whole number of GiB between 20 and 65536 (gp3 limits), got ${allocated}`);
  }
  const minimumCeiling = Math.ceil((allocated * 11) / 10);
  if (!Number.isInteger(database.maxAllocatedStorage) || database.maxAllocatedStorage < minimumCeiling || database.maxAllocatedStorage > 65536) {
    throw new Error(
      `maxAllocatedStorage must be at least 10 % above allocatedStorage (${minimumCeiling} GiB or more) and at most 65536, got ${database.maxAllocatedStorage}: raise maxAllocatedStorage or lower allocatedStorage`,
    );
  }
  const retentionDays = database.backupRetention.toDays({ integral: false });
  if (!Number.isInteger(retentionDays) || retentionDays < 0 || retentionDays > 35) {
    throw new Error(`backupRetention must be a whole number of days between 0 and 35, got ${database.backupRetention.toHumanString()}: RDS keeps automated backups for at most 35 days`);
  }
  if (props.readReplica && retentionDays === 0) {
    throw new Error('readReplica needs automated backups but backupRetention is 0 days: set backupRetention to at least 1 day or remove readReplica');
  }
  if (props.readReplica && database.scheduledStop) {
    throw new Error('scheduledStop cannot be combined with readReplica: RDS cannot stop an instance that has read replicas; remove one of them');
  }
  const azs = new Set(props.vpc.selectSubnets(resolved.vpcSubnets).availabilityZones);
  if (azs.size < 2) {
    throw new Error(
      `vpcSubnets cover ${azs.size} availability zone(s) but an RDS subnet group${database.multiAz ? ' for a Multi-AZ instance' : ''} needs at least 2: select subnets in two or more zones`,
    );
  }
  if (props.monitoringInterval !== undefined && ![0, 1, 5, 10, 15, 30, 60].includes(props.monitoringInterval.toSeconds({ integral: false }))) {
    throw new Error(`monitoringInterval must be 0 (off), 1, 5, 10, 15, 30 or 60 seconds, got ${props.monitoringInterval.toHumanString()}`);
  }
  if (resolved.freeStoragePercent <= 0 || resolved.freeStoragePercent >= 100) {
    throw new Error(`freeStorageAlarmThresholdPercent must be between 0 and 100 (exclusive), got ${resolved.freeStoragePercent}`);
  }
  if (props.connectionsAlarmThreshold !== undefined && (!Number.isInteger(props.connectionsAlarmThreshold) || props.connectionsAlarmThreshold < 1)) {
    throw new Error(`connectionsAlarmThreshold must be a positive whole number, got ${props.connectionsAlarmThreshold}`);
  }
  if (!/^[a-z](?!.*--)[a-z0-9-]{0,62}$/.test(database.instanceIdentifier) || database.instanceIdentifier.endsWith('-')) {
    throw new Error(
      `instanceIdentifier must be 1 to 63 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen, got "${database.instanceIdentifier}": use e.g. "core-prod"`,
    );
  }
  for (const [name, value] of [
    ['scheduledStartTime', props.scheduledStartTime],
    ['scheduledStopTime', props.scheduledStopTime],
  ] as const) {
    if (value === undefined) continue;
    if (!database.scheduledStop) {
      throw new Error(`${name} is "${value}" but scheduledStop is not enabled: set scheduledStop to true or remove ${name}`);
    }
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(value)) {
      throw new Error(`${name} must be a 24-hour time "HH:MM", got "${value}"`);
    }
  }
  if (database.scheduledStop) {
    const start = props.scheduledStartTime ?? '07:30';
    const stop = props.scheduledStopTime ?? '20:00';
    if (start >= stop) {
      throw new Error(`scheduledStartTime (${start}) must be earlier than scheduledStopTime (${stop}): the instance runs between the two on working days`);
    }
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

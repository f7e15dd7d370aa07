import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { AccessLogBucket, BulkUploadBucket, CdsExportBucket, CollectionResourcesBucket, PostgresDatabase, RedisCache } from '@core-infra/constructs';
import { redisConfigSecret } from '../wiring/redis-config-secret';
import { redisProps } from '../wiring/redis-props';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/schema';
import { AppSecrets } from '../wiring/app-secrets';

/** Props of {@link DataStack}. */
export interface DataStackProps extends StackProps {
  /** The environment's config. */
  readonly config: EnvironmentConfig;
  /** The VPC the database runs in. */
  readonly vpc: ec2.IVpc;
  /** Where alarms notify. */
  readonly alarmTopic: sns.ITopic;
  /** Whether the environment has one shared Redis (dev's review apps bring their own). */
  readonly redis: boolean;
}

/**
 * The environment's stateful resources: PostgreSQL, the three data buckets with their access-log
 * bucket, and the application secrets. Termination-protected; every resource is retained or
 * snapshotted unless the config says otherwise.
 */
export class DataStack extends Stack {
  /** The PostgreSQL instance. */
  public readonly database: PostgresDatabase;
  /** The bulk-upload (CSV) bucket. */
  public readonly bulkUploadBucket: BulkUploadBucket;
  /** The CDS export bucket. */
  public readonly exportBucket: CdsExportBucket;
  /** The collection-resources bucket. */
  public readonly collectionResourcesBucket: CollectionResourcesBucket;
  /** The application's secrets. */
  public readonly appSecrets: AppSecrets;
  /** The environment's Redis, when it has a shared one. */
  public readonly redis?: RedisCache;
  /** The application's `REDIS_CONFIG` secret for that Redis. */
  public readonly redisConfig?: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    const { config } = props;
    const bucketRemoval = config.storage.removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const database = config.database;

    this.database = new PostgresDatabase(this, 'Database', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      instanceType: new ec2.InstanceType(database.instanceClass.replace(/^db\./, '')),
      allocatedStorage: database.allocatedStorageGiB,
      maxAllocatedStorage: database.maxAllocatedStorageGiB,
      multiAz: database.multiAz,
      backupRetention: Duration.days(database.backupRetentionDays),
      deletionProtection: database.deletionProtection,
      removalPolicy: database.removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.SNAPSHOT,
      databaseName: database.databaseName,
      instanceIdentifier: config.prefix,
      readReplica: database.readReplica,
      scheduledStop: database.scheduledStop,
      alarmTopic: props.alarmTopic,
    });

    const accessLogs = new AccessLogBucket(this, 'DataAccessLogs', { bucketName: `${config.prefix}-data-access-logs-${config.account}`, removalPolicy: bucketRemoval });
    this.bulkUploadBucket = new BulkUploadBucket(this, 'BulkUpload', {
      bucketName: `${config.prefix}-bulk-upload-${config.account}`,
      serverAccessLogsBucket: accessLogs,
      removalPolicy: bucketRemoval,
    });
    this.exportBucket = new CdsExportBucket(this, 'Export', {
      bucketName: `${config.prefix}-export${config.storage.exportBucketSuffix}-${config.account}`,
      serverAccessLogsBucket: accessLogs,
      removalPolicy: bucketRemoval,
      ...(config.storage.cdsConsumerRoleArns.length > 0 ? { cdsReaderRoleArns: config.storage.cdsConsumerRoleArns, cdsRoleName: `${config.prefix}-cds` } : {}),
    });
    this.collectionResourcesBucket = new CollectionResourcesBucket(this, 'CollectionResources', {
      bucketName: `${config.prefix}-collection-resources-${config.account}`,
      serverAccessLogsBucket: accessLogs,
      removalPolicy: bucketRemoval,
    });
    if (props.redis) {
      this.redis = new RedisCache(this, 'Redis', redisProps({ vpc: props.vpc, prefix: config.prefix, nodeType: config.redis.nodeType, highlyAvailable: config.redis.highlyAvailable, snapshotRetentionDays: config.redis.snapshotRetentionDays, notificationTopic: props.alarmTopic }));
      this.redisConfig = redisConfigSecret(this, 'RedisConfig', this.redis);
    }
    this.appSecrets = new AppSecrets(this, 'AppSecrets', { prefix: config.prefix, performanceTestSecrets: config.app.performanceTestSecrets });
  }
}

import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';
import { addAlarmNotifications, type AlarmNotificationOptions, createNotifyingAlarm } from '../shared/notifying-alarm';

/** What {@link createPostgresAlarms} watches and where it notifies. */
export interface PostgresAlarmSettings {
  /** The instance whose `AWS/RDS` metrics the alarms watch. */
  readonly instance: rds.DatabaseInstance;
  /** Its identifier, which names the alarms. */
  readonly instanceIdentifier: string;
  /** Allocated storage in GiB, quoted in the storage alarm's description. */
  readonly allocatedStorage: number;
  /** Free storage percentage at or below which the storage alarm fires. */
  readonly freeStoragePercent: number;
  /** The same threshold in bytes, the unit of the metric. */
  readonly freeStorageThresholdBytes: number;
  /** Connection count at or above which the connections alarm fires. */
  readonly connectionsThreshold: number;
  /** Whether to add the CPU anomaly-detection alarm. */
  readonly cpuAnomalyAlarm: boolean;
  /** Where every alarm notifies, and how it treats missing data (resolved: every alarm sets it). */
  readonly notifications: AlarmNotificationOptions & { readonly treatMissingData: cloudwatch.TreatMissingData };
}

/** The alarms of a {@link PostgresDatabase}. */
export interface PostgresAlarms {
  /** CPU utilisation at or above 90 % for 3 of 5 minutes. */
  readonly cpuAlarm: cloudwatch.Alarm;
  /** Free storage at or below the threshold. */
  readonly freeStorageAlarm: cloudwatch.Alarm;
  /** Connections at or above the threshold for 3 of 5 minutes. */
  readonly connectionsAlarm: cloudwatch.Alarm;
  /** CPU utilisation outside its expected band, when asked for. */
  readonly cpuAnomalyAlarm?: cloudwatch.Alarm;
}

/**
 * Creates a database's alarms as children of `scope` (ids `CpuAlarm`, `FreeStorageAlarm`,
 * `ConnectionsAlarm`, `CpuAnomalyAlarm`), each notifying the topic.
 *
 * @param scope the database construct
 * @param settings what to watch and where to notify
 * @returns the alarms
 */
export function createPostgresAlarms(scope: Construct, settings: PostgresAlarmSettings): PostgresAlarms {
  const { instance, instanceIdentifier, notifications } = settings;
  const region = Stack.of(scope).region;
  const cpuAlarm = createNotifyingAlarm(
    scope,
    'CpuAlarm',
    {
      alarmName: `${instanceIdentifier}-cpu`,
      alarmDescription: `CPU utilisation of ${instanceIdentifier} is at or above 90 % for 3 of the last 5 minutes. Performance Insights: https://${region}.console.aws.amazon.com/rds/home?region=${region}#performance-insights-v20206:/resourceId/${instance.instanceResourceId}`,
      metric: instance.metricCPUUtilization({ statistic: cloudwatch.Stats.AVERAGE, period: Duration.minutes(1) }),
      threshold: 90,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    },
    notifications,
  );
  const freeStorageAlarm = createNotifyingAlarm(
    scope,
    'FreeStorageAlarm',
    {
      alarmName: `${instanceIdentifier}-storage`,
      alarmDescription: `Free storage of ${instanceIdentifier} is at or below ${settings.freeStoragePercent} % of its ${settings.allocatedStorage} GiB allocation (${settings.freeStorageThresholdBytes} bytes).`,
      metric: instance.metricFreeStorageSpace({ statistic: cloudwatch.Stats.MINIMUM, period: Duration.minutes(5) }),
      threshold: settings.freeStorageThresholdBytes,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    },
    notifications,
  );
  const connectionsAlarm = createNotifyingAlarm(
    scope,
    'ConnectionsAlarm',
    {
      alarmName: `${instanceIdentifier}-connections`,
      alarmDescription: `${instanceIdentifier} has ${settings.connectionsThreshold} or more connections for 3 of the last 5 minutes.`,
      metric: instance.metricDatabaseConnections({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(1) }),
      threshold: settings.connectionsThreshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    },
    notifications,
  );
  if (!settings.cpuAnomalyAlarm) {
    return { cpuAlarm, freeStorageAlarm, connectionsAlarm };
  }
  const cpuAnomalyAlarm = new cloudwatch.AnomalyDetectionAlarm(scope, 'CpuAnomalyAlarm', {
    alarmName: `${instanceIdentifier}-cpu-anomaly`,
    alarmDescription: `CPU utilisation of ${instanceIdentifier} is outside its expected band.`,
    metric: instance.metricCPUUtilization({ statistic: cloudwatch.Stats.AVERAGE, period: Duration.minutes(5) }),
    stdDevs: 2,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_LOWER_OR_GREATER_THAN_UPPER_THRESHOLD,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: notifications.treatMissingData,
  });
  addAlarmNotifications(cpuAnomalyAlarm, notifications);
  return { cpuAlarm, freeStorageAlarm, connectionsAlarm, cpuAnomalyAlarm };
}

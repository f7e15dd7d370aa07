import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct, type IConstruct } from 'constructs';
import { propsError } from '../shared/errors';
import { type AlarmNotificationOptions, createNotifyingAlarm } from '../shared/notifying-alarm';

/** Props for {@link FargateServiceAlarms}. */
export interface FargateServiceAlarmsProps {
  /** The service to watch. */
  readonly service: ecs.FargateService;

  /** Short name of the service used in alarm names and descriptions, e.g. `app` or `sidekiq`. */
  readonly label: string;

  /** Prefix of every alarm name, e.g. `core-prod` gives `core-prod-app-average-cpu`. */
  readonly alarmNamePrefix: string;

  /** Where the alarms notify and how resource metrics treat missing data. */
  readonly notifications: AlarmNotificationOptions;

  /**
   * CPU utilisation (percent) at or above which the average and maximum CPU alarms fire.
   *
   * @default 80
   */
  readonly cpuThresholdPercent?: number;

  /**
   * Memory utilisation (percent) at or above which the average and maximum memory alarms fire.
   *
   * @default 80
   */
  readonly memoryThresholdPercent?: number;

  /**
   * Number of tasks whose essential container exits within {@link tasksExitedWindow} that
   * counts as a crash storm.
   *
   * @default 2
   */
  readonly tasksExitedThreshold?: number;

  /**
   * Window over which exited tasks are counted.
   *
   * @default Duration.minutes(5)
   */
  readonly tasksExitedWindow?: Duration;

  /**
   * Alarm when fewer tasks than this are running (Container Insights `RunningTaskCount`).
   * 0 creates no alarm, as for services that scale to zero.
   *
   * @default 0
   */
  readonly minimumRunningTasks?: number;
}

/**
 * CloudWatch alarms for one ECS Fargate service: average and maximum CPU and memory,
 * task-exit storms and ECS service WARN/ERROR events, plus (optionally) too few running
 * tasks. The task-exit and service-event alarms count EventBridge rule matches (the rules
 * have no targets: they exist to produce the `AWS/Events TriggeredRules` metric).
 */
export class FargateServiceAlarms extends Construct {
  /** Every alarm created, in creation order. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  /** Rule matching tasks of the service whose essential container exited. */
  public readonly tasksExitedRule: events.Rule;

  /** Rule matching ECS service action events of type WARN or ERROR. */
  public readonly serviceProblemRule: events.Rule;

  /** CPU threshold in force (percent). */
  public readonly cpuThresholdPercent: number;

  /** Memory threshold in force (percent). */
  public readonly memoryThresholdPercent: number;

  constructor(scope: Construct, id: string, props: FargateServiceAlarmsProps) {
    super(scope, id);

    this.cpuThresholdPercent = props.cpuThresholdPercent ?? 80;
    this.memoryThresholdPercent = props.memoryThresholdPercent ?? 80;
    const tasksExitedThreshold = props.tasksExitedThreshold ?? 2;
    const tasksExitedWindow = props.tasksExitedWindow ?? Duration.minutes(5);
    const minimumRunningTasks = props.minimumRunningTasks ?? 0;

    assertPercent(this, 'cpuThresholdPercent', this.cpuThresholdPercent);
    assertPercent(this, 'memoryThresholdPercent', this.memoryThresholdPercent);
    if (!Number.isInteger(tasksExitedThreshold) || tasksExitedThreshold < 1) {
      throw propsError(this, `tasksExitedThreshold must be a whole number of at least 1, got ${tasksExitedThreshold}: count how many exited tasks make a crash storm`);
    }
    if (!Number.isInteger(minimumRunningTasks) || minimumRunningTasks < 0) {
      throw propsError(this, `minimumRunningTasks must be a whole number of at least 0, got ${minimumRunningTasks}: use 0 for no running-task alarm`);
    }

    const { service, label, notifications } = props;
    const name = (suffix: string) => `${props.alarmNamePrefix}-${label}-${suffix}`;
    const minute = Duration.minutes(1);

    const utilisation = [
      { key: 'Cpu', suffix: 'cpu', what: 'CPU', metric: (statistic: string) => service.metricCpuUtilization({ statistic, period: minute }), threshold: this.cpuThresholdPercent },
      {
        key: 'Memory',
        suffix: 'memory',
        what: 'memory',
        metric: (statistic: string) => service.metricMemoryUtilization({ statistic, period: minute }),
        threshold: this.memoryThresholdPercent,
      },
    ];
    for (const { key, suffix, what, metric, threshold } of utilisation) {
      this.alarms.push(
        createNotifyingAlarm(
          this,
          `Average${key}`,
          {
            alarmName: name(`average-${suffix}`),
            alarmDescription: `Average ${what} of the ${label} service is at or above ${threshold} % for 3 of the last 5 minutes`,
            metric: metric(cloudwatch.Stats.AVERAGE),
            threshold,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluationPeriods: 5,
            datapointsToAlarm: 3,
          },
          notifications,
        ),
        createNotifyingAlarm(
          this,
          `MaxTask${key}`,
          {
            alarmName: name(`max-task-${suffix}`),
            alarmDescription: `The busiest ${label} task has used ${threshold} % or more ${what} for 30 minutes in a row`,
            metric: metric(cloudwatch.Stats.MAXIMUM),
            threshold,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluationPeriods: 30,
            datapointsToAlarm: 30,
          },
          notifications,
        ),
      );
    }

    this.tasksExitedRule = new events.Rule(this, 'TasksExitedRule', {
      description: `Matches ${label} tasks whose essential container exited (metric source for the tasks-exited alarm)`,
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: {
          clusterArn: [service.cluster.clusterArn],
          group: [`service:${service.serviceName}`],
          lastStatus: ['STOPPED'],
          stoppedReason: [{ prefix: 'Essential container in task exited' }],
        },
      },
    });
    this.serviceProblemRule = new events.Rule(this, 'ServiceProblemRule', {
      description: `Matches WARN and ERROR service action events of the ${label} service (metric source for the service-action-problem alarm)`,
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Service Action'],
        resources: [service.serviceArn],
        detail: { eventType: ['WARN', 'ERROR'] },
      },
    });

    // A rule that did not match publishes no datapoint, so missing data means "no events".
    this.alarms.push(
      createNotifyingAlarm(
        this,
        'TasksExited',
        {
          alarmName: name('tasks-exited'),
          alarmDescription: `${tasksExitedThreshold} or more ${label} tasks stopped because their essential container exited within ${tasksExitedWindow.toMinutes()} minutes`,
          metric: triggeredRules(this.tasksExitedRule, tasksExitedWindow),
          threshold: tasksExitedThreshold,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        },
        notifications,
      ),
      createNotifyingAlarm(
        this,
        'ServiceActionProblem',
        {
          alarmName: name('service-action-problem'),
          alarmDescription: `ECS reported a WARN or ERROR event for the ${label} service (e.g. tasks cannot be placed or fail to start)`,
          metric: triggeredRules(this.serviceProblemRule, minute),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        },
        notifications,
      ),
    );

    if (minimumRunningTasks > 0) {
      this.alarms.push(
        createNotifyingAlarm(
          this,
          'RunningTasks',
          {
            alarmName: name('running-tasks'),
            alarmDescription: `Fewer than ${minimumRunningTasks} ${label} tasks are running`,
            metric: new cloudwatch.Metric({
              namespace: 'ECS/ContainerInsights',
              metricName: 'RunningTaskCount',
              dimensionsMap: { ClusterName: service.cluster.clusterName, ServiceName: service.serviceName },
              statistic: cloudwatch.Stats.MINIMUM,
              period: minute,
            }),
            threshold: minimumRunningTasks,
            comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            evaluationPeriods: 1,
          },
          notifications,
        ),
      );
    }
  }
}

function triggeredRules(rule: events.Rule, period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Events',
    metricName: 'TriggeredRules',
    dimensionsMap: { RuleName: rule.ruleName },
    statistic: cloudwatch.Stats.SUM,
    period,
  });
}

function assertPercent(scope: IConstruct, propName: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0 && value <= 100)) {
    throw propsError(scope, `${propName} must be above 0 and at most 100, got ${value}: give a utilisation percentage such as 80`);
  }
}

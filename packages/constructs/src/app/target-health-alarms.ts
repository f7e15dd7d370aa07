import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { propsError } from '../shared/errors';
import { type AlarmNotificationOptions, createNotifyingAlarm } from '../shared/notifying-alarm';

/** Props for {@link TargetHealthAlarms}. */
export interface TargetHealthAlarmsProps {
  /** Target group to watch; it must be attached to a listener. */
  readonly targetGroup: elbv2.ApplicationTargetGroup;

  /** Prefix of every alarm name, e.g. `core-prod` gives `core-prod-no-healthy-hosts`. */
  readonly alarmNamePrefix: string;

  /** Where the alarms notify and how they treat missing data. */
  readonly notifications: AlarmNotificationOptions;

  /**
   * Alarm when fewer healthy targets than this are registered. 0 creates no such alarm (the
   * no-healthy-hosts alarm still exists).
   *
   * @default 0
   */
  readonly minimumHealthyHosts?: number;
}

/**
 * Load balancer target-health alarms for the app: fewer healthy hosts than expected, no
 * healthy hosts at all, and any unhealthy host.
 */
export class TargetHealthAlarms extends Construct {
  /** Every alarm created, in creation order. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  /** Healthy-host count below which the healthy-hosts alarm fires (0 when there is no such alarm). */
  public readonly minimumHealthyHosts: number;

  constructor(scope: Construct, id: string, props: TargetHealthAlarmsProps) {
    super(scope, id);

    this.minimumHealthyHosts = props.minimumHealthyHosts ?? 0;
    if (!Number.isInteger(this.minimumHealthyHosts) || this.minimumHealthyHosts < 0) {
      throw propsError(this, `minimumHealthyHosts must be a whole number of at least 0, got ${this.minimumHealthyHosts}: use the lowest number of app tasks the service runs`);
    }

    const { targetGroup, notifications } = props;
    const name = (suffix: string) => `${props.alarmNamePrefix}-${suffix}`;
    const period = Duration.minutes(1);
    const healthyMinimum = targetGroup.metrics.healthyHostCount({ statistic: cloudwatch.Stats.MINIMUM, period });

    if (this.minimumHealthyHosts > 0) {
      this.alarms.push(
        createNotifyingAlarm(
          this,
          'HealthyHosts',
          {
            alarmName: name('healthy-hosts-count'),
            alarmDescription: `Fewer than ${this.minimumHealthyHosts} app tasks pass the load balancer health check`,
            metric: healthyMinimum,
            threshold: this.minimumHealthyHosts,
            comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            evaluationPeriods: 1,
          },
          notifications,
        ),
      );
    }
    this.alarms.push(
      createNotifyingAlarm(
        this,
        'NoHealthyHosts',
        {
          alarmName: name('no-healthy-hosts'),
          alarmDescription: 'No app task passes the load balancer health check: the service is down',
          metric: healthyMinimum,
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
        },
        notifications,
      ),
      createNotifyingAlarm(
        this,
        'UnhealthyHosts',
        {
          alarmName: name('unhealthy-hosts-count'),
          alarmDescription: 'At least one app task fails the load balancer health check',
          metric: targetGroup.metrics.unhealthyHostCount({ statistic: cloudwatch.Stats.MAXIMUM, period }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
        },
        notifications,
      ),
    );
  }
}

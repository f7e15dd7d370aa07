import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/** Where an alarm notifies and how it behaves when its metric has no data. */
export interface AlarmNotificationOptions {
  /** Topic notified when an alarm fires (and, unless {@link suppressOkNotifications}, when it recovers). */
  readonly topic: sns.ITopic;

  /**
   * Do not notify when an alarm returns to OK. Review apps set this: they scale to zero every
   * night, and a recovery message every morning is noise.
   *
   * @default false
   */
  readonly suppressOkNotifications?: boolean;

  /**
   * How alarms on resource metrics (CPU, memory, host counts) treat periods without data.
   *
   * @default cloudwatch.TreatMissingData.BREACHING - a service that stops reporting is a problem
   */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
}

/** Props of one alarm, minus the notification settings that {@link createNotifyingAlarm} applies. */
export type NotifyingAlarmProps = Omit<cloudwatch.AlarmProps, 'actionsEnabled'>;

/**
 * Creates an alarm that notifies the topic on ALARM and, unless suppressed, on OK. The
 * alarm's own `treatMissingData` wins over the shared default, for metrics (such as event
 * counts) where no data always means nothing happened.
 *
 * @param scope construct scope
 * @param id construct id of the alarm
 * @param props the alarm
 * @param notifications where and how it notifies
 */
export function createNotifyingAlarm(scope: Construct, id: string, props: NotifyingAlarmProps, notifications: AlarmNotificationOptions): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    ...props,
    treatMissingData: props.treatMissingData ?? notifications.treatMissingData ?? cloudwatch.TreatMissingData.BREACHING,
  });
  addAlarmNotifications(alarm, notifications);
  return alarm;
}

/**
 * Makes an alarm built elsewhere (an anomaly-detection alarm, say) notify like one from
 * {@link createNotifyingAlarm}: the topic on ALARM and, unless suppressed, on OK. Its
 * `treatMissingData` is the caller's to set.
 *
 * @param alarm the alarm
 * @param notifications where and how it notifies
 */
export function addAlarmNotifications(alarm: cloudwatch.Alarm, notifications: AlarmNotificationOptions): void {
  const action = new cloudwatchActions.SnsAction(notifications.topic);
  alarm.addAlarmAction(action);
  if (!notifications.suppressOkNotifications) {
    alarm.addOkAction(action);
  }
}

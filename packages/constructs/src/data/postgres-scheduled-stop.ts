import { type RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct, IConstruct } from 'constructs';
import { EncryptionKey } from '../security/encryption-key';
import { parseClockTime } from '../shared/clock-time';
import { propsError } from '../shared/errors';
import { retainUnlessEphemeral } from '../shared/removal';
import type { PostgresScheduledStop } from './postgres-database-props';

/** A {@link PostgresScheduledStop} with every default filled in. */
export type ResolvedScheduledStop = Required<PostgresScheduledStop>;

/**
 * Fills in the defaults of a database's scheduled stop and checks its times, before any resource
 * is created. Times are checked even when the stop is disabled: a malformed value is wrong
 * wherever it is.
 *
 * @param scope the database, named in errors
 * @param scheduledStop the `scheduledStop` prop
 * @returns the schedule with defaults filled in; `enabled` is false when the prop is absent
 * @throws a {@link propsError} when a time is not `HH:MM` or an enabled schedule starts at or after it stops
 */
export function resolveScheduledStop(scope: IConstruct, scheduledStop: PostgresScheduledStop | undefined): ResolvedScheduledStop {
  const resolved: ResolvedScheduledStop = {
    enabled: scheduledStop?.enabled ?? false,
    start: scheduledStop?.start ?? '07:30',
    stop: scheduledStop?.stop ?? '20:00',
    timeZone: scheduledStop?.timeZone ?? 'Europe/London',
  };
  const start = parseClockTime(scope, 'scheduledStop.start', resolved.start);
  const stop = parseClockTime(scope, 'scheduledStop.stop', resolved.stop);
  if (resolved.enabled && start.hour * 60 + start.minute >= stop.hour * 60 + stop.minute) {
    throw propsError(
      scope,
      `scheduledStop.start (${resolved.start}) must be earlier than scheduledStop.stop (${resolved.stop}): the instance runs between the two on working days`,
    );
  }
  return resolved;
}

/** What {@link addScheduledStop} needs to know about the database. */
export interface ScheduledStopTarget {
  /** The instance to stop and start. */
  readonly instance: rds.DatabaseInstance;
  /** Its identifier as written in props, for descriptions. */
  readonly instanceIdentifier: string;
  /** Removal policy of the instance; the schedule key follows it. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Stops and starts an instance on working days with two EventBridge Scheduler schedules,
 * encrypted with their own key, under a role that may only start and stop that instance. The
 * key, role and schedules are children of `scope` itself (ids `ScheduleKey`, `SchedulerRole`,
 * `StartSchedule`, `StopSchedule`), so they keep their place in the construct tree.
 *
 * @param scope the database construct
 * @param target the instance and how it is named and removed
 * @param schedule when it runs, from {@link resolveScheduledStop}
 */
export function addScheduledStop(scope: Construct, target: ScheduledStopTarget, schedule: ResolvedScheduledStop): void {
  const scheduleKey = new EncryptionKey(scope, 'ScheduleKey', {
    description: `Encrypts the stop/start schedules of ${target.instanceIdentifier}`,
    removalPolicy: retainUnlessEphemeral(target.removalPolicy),
  });
  const role = new iam.Role(scope, 'SchedulerRole', {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
    description: `Stops and starts ${target.instanceIdentifier} out of hours`,
  });
  scheduleKey.grantDecrypt(role);
  // One ARN token for both statements, so IAM merges them into one.
  const instanceArn = target.instance.instanceArn;

  const actions = [
    { id: 'StartSchedule', verb: 'Start', action: 'startDBInstance', time: schedule.start },
    { id: 'StopSchedule', verb: 'Stop', action: 'stopDBInstance', time: schedule.stop },
  ] as const;
  for (const { id, verb, action, time } of actions) {
    const { hour, minute } = parseClockTime(scope, `scheduledStop.${verb.toLowerCase()}`, time);
    new scheduler.Schedule(scope, id, {
      description: `${verb} ${target.instanceIdentifier} at ${time} ${schedule.timeZone}, Monday to Friday`,
      schedule: scheduler.ScheduleExpression.cron({
        minute: String(minute),
        hour: String(hour),
        weekDay: 'MON-FRI',
        timeZone: TimeZone.of(schedule.timeZone),
      }),
      key: scheduleKey.key,
      target: new schedulerTargets.Universal({
        service: 'rds',
        action,
        role,
        input: scheduler.ScheduleTargetInput.fromObject({ DbInstanceIdentifier: target.instance.instanceIdentifier }),
        policyStatements: [new iam.PolicyStatement({ actions: [`rds:${verb}DBInstance`], resources: [instanceArn] })],
        retryAttempts: 3,
      }),
    });
  }
}

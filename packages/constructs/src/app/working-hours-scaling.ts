import { Duration, TimeZone } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';

/** Props for {@link WorkingHoursScaling}. */
export interface WorkingHoursScalingProps {
  /** The service to scale. */
  readonly service: ecs.FargateService;

  /** Name of the service in error messages, e.g. `app` (props are named `<label>DesiredCount` and so on). */
  readonly label: string;

  /** Tasks to run during working hours (and all the time when there is no out-of-hours schedule). */
  readonly workingHoursCount: number;

  /**
   * Most tasks CPU target tracking may run.
   *
   * @default - {@link workingHoursCount}: no scaling above the working-hours count
   */
  readonly maximumCount?: number;

  /**
   * Average CPU utilisation (percent) that target tracking keeps the service at, scaling
   * between the scheduled minimum and {@link maximumCount}.
   *
   * @default - no CPU target tracking
   */
  readonly cpuTargetUtilizationPercent?: number;

  /**
   * Tasks to run outside working hours (weekday evenings and nights, and weekends). 0 stops
   * the service.
   *
   * @default - no out-of-hours schedule: {@link workingHoursCount} runs all the time
   */
  readonly outOfHoursCount?: number;

  /**
   * When working hours start on weekdays, as `HH:MM` (24-hour) in {@link timeZone}.
   *
   * @default '07:00'
   */
  readonly workingHoursStart?: string;

  /**
   * When working hours end on weekdays, as `HH:MM` (24-hour) in {@link timeZone}.
   *
   * @default '19:30'
   */
  readonly workingHoursEnd?: string;

  /**
   * Time zone of the schedule, so it follows British Summer Time.
   *
   * @default TimeZone.EUROPE_LONDON
   */
  readonly timeZone?: TimeZone;
}

/**
 * Scales an ECS service with Application Auto Scaling: scheduled actions hold the
 * working-hours count from {@link WorkingHoursScalingProps.workingHoursStart} to
 * {@link WorkingHoursScalingProps.workingHoursEnd} Monday to Friday and drop to the
 * out-of-hours count otherwise (the Friday evening action lasts the weekend), and optional
 * CPU target tracking scales above that between the scheduled floor and the maximum.
 */
export class WorkingHoursScaling extends Construct {
  /** The scalable task count of the service. */
  public readonly scalableTaskCount: ecs.ScalableTaskCount;

  /** Tasks during working hours. */
  public readonly workingHoursCount: number;

  /** Upper bound for target tracking. */
  public readonly maximumCount: number;

  /** Tasks outside working hours (equal to {@link workingHoursCount} without a schedule). */
  public readonly outOfHoursCount: number;

  /** Working-hours start in force, `HH:MM`. */
  public readonly workingHoursStart: string;

  /** Working-hours end in force, `HH:MM`. */
  public readonly workingHoursEnd: string;

  constructor(scope: Construct, id: string, props: WorkingHoursScalingProps) {
    super(scope, id);

    const { label } = props;
    this.workingHoursCount = props.workingHoursCount;
    this.maximumCount = props.maximumCount ?? props.workingHoursCount;
    this.outOfHoursCount = props.outOfHoursCount ?? props.workingHoursCount;
    this.workingHoursStart = props.workingHoursStart ?? '07:00';
    this.workingHoursEnd = props.workingHoursEnd ?? '19:30';
    const timeZone = props.timeZone ?? TimeZone.EUROPE_LONDON;

    assertCount(`${label}DesiredCount`, this.workingHoursCount);
    assertCount(`${label}MaxCount`, this.maximumCount);
    assertCount(`outOfHours${capitalise(label)}Count`, this.outOfHoursCount);
    if (this.maximumCount < this.workingHoursCount) {
      throw new Error(`${label}MaxCount (${this.maximumCount}) is below ${label}DesiredCount (${this.workingHoursCount}): raise ${label}MaxCount or lower ${label}DesiredCount`);
    }
    if (this.outOfHoursCount > this.workingHoursCount) {
      throw new Error(
        `outOfHours${capitalise(label)}Count (${this.outOfHoursCount}) is above ${label}DesiredCount (${this.workingHoursCount}): out-of-hours scaling only scales down; lower outOfHours${capitalise(label)}Count`,
      );
    }
    if (props.cpuTargetUtilizationPercent !== undefined) {
      const target = props.cpuTargetUtilizationPercent;
      if (!(Number.isFinite(target) && target >= 10 && target <= 90)) {
        throw new Error(`${label}CpuTargetUtilizationPercent must be between 10 and 90, got ${target}: a typical target is 60`);
      }
      if (this.maximumCount === this.workingHoursCount) {
        throw new Error(
          `${label}CpuTargetUtilizationPercent is set but ${label}MaxCount equals ${label}DesiredCount (${this.workingHoursCount}), so target tracking could never add a task: raise ${label}MaxCount`,
        );
      }
    }
    const start = parseTime('workingHoursStart', this.workingHoursStart);
    const end = parseTime('workingHoursEnd', this.workingHoursEnd);
    if (start.hour * 60 + start.minute >= end.hour * 60 + end.minute) {
      throw new Error(`workingHoursStart (${this.workingHoursStart}) must be earlier than workingHoursEnd (${this.workingHoursEnd}): working hours cannot cross midnight`);
    }

    this.scalableTaskCount = props.service.autoScaleTaskCount({ minCapacity: this.workingHoursCount, maxCapacity: this.maximumCount });

    if (props.outOfHoursCount !== undefined) {
      this.scalableTaskCount.scaleOnSchedule('WorkingHoursStart', {
        schedule: appscaling.Schedule.cron({ minute: String(start.minute), hour: String(start.hour), weekDay: 'MON-FRI' }),
        timeZone,
        minCapacity: this.workingHoursCount,
        maxCapacity: this.maximumCount,
      });
      this.scalableTaskCount.scaleOnSchedule('WorkingHoursEnd', {
        schedule: appscaling.Schedule.cron({ minute: String(end.minute), hour: String(end.hour), weekDay: 'MON-FRI' }),
        timeZone,
        minCapacity: this.outOfHoursCount,
        // Without target tracking nothing would move the task count down to a lower minimum,
        // so the maximum has to come down too.
        maxCapacity: props.cpuTargetUtilizationPercent === undefined ? this.outOfHoursCount : this.maximumCount,
      });
    }

    if (props.cpuTargetUtilizationPercent !== undefined) {
      this.scalableTaskCount.scaleOnCpuUtilization('CpuTargetTracking', {
        targetUtilizationPercent: props.cpuTargetUtilizationPercent,
        scaleOutCooldown: Duration.minutes(1),
        scaleInCooldown: Duration.minutes(5),
      });
    }
  }
}

function parseTime(propName: string, value: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (match === null) {
    throw new Error(`${propName} must be a 24-hour time HH:MM, got "${value}": write it like "07:00" or "19:30"`);
  }
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

function assertCount(propName: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${propName} must be a whole number of tasks (0 or more), got ${value}`);
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

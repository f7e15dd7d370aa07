import { Duration, TimeZone } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct, type IConstruct } from 'constructs';
import { type ClockTime, parseClockTime } from '../shared/clock-time';
import { propsError } from '../shared/errors';

/** How a service is scaled, without the service: what {@link resolveWorkingHoursScaling} checks. */
export interface WorkingHoursScalingOptions {
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
  readonly workdayStart?: string;

  /**
   * When working hours end on weekdays, as `HH:MM` (24-hour) in {@link timeZone}.
   *
   * @default '19:30'
   */
  readonly workdayEnd?: string;

  /**
   * Time zone of the schedule, so it follows British Summer Time.
   *
   * @default TimeZone.EUROPE_LONDON
   */
  readonly timeZone?: TimeZone;
}

/** Props for {@link WorkingHoursScaling}. */
export interface WorkingHoursScalingProps extends WorkingHoursScalingOptions {
  /** The service to scale. */
  readonly service: ecs.FargateService;
}

/**
 * What the error messages of {@link resolveWorkingHoursScaling} call each option, so that a
 * construct passing its own props through names those props (e.g. `web.desiredCount` for
 * `workingHoursCount`).
 */
export type WorkingHoursScalingPropNames = { readonly [Option in keyof Omit<WorkingHoursScalingOptions, 'timeZone'>]?: string };

/** Scaling options checked and with their defaults applied. */
export interface ResolvedWorkingHoursScaling {
  /** Tasks during working hours. */
  readonly workingHoursCount: number;
  /** Upper bound for target tracking ({@link workingHoursCount} without it). */
  readonly maximumCount: number;
  /** Tasks outside working hours ({@link workingHoursCount} without an out-of-hours schedule). */
  readonly outOfHoursCount: number;
  /** Whether an out-of-hours schedule runs. */
  readonly scheduled: boolean;
  /** Target of CPU target tracking, if any. */
  readonly cpuTargetUtilizationPercent?: number;
  /** Start of working hours, `HH:MM`. */
  readonly workdayStart: string;
  /** End of working hours, `HH:MM`. */
  readonly workdayEnd: string;
  /** {@link workdayStart} read as hour and minute. */
  readonly workdayStartTime: ClockTime;
  /** {@link workdayEnd} read as hour and minute. */
  readonly workdayEndTime: ClockTime;
  /** Time zone of the schedule. */
  readonly timeZone: TimeZone;
}

/**
 * Applies the defaults of {@link WorkingHoursScalingOptions} and checks them, creating nothing,
 * so a construct can reject bad scaling props before it creates its first resource.
 *
 * @param scope the construct whose props these are, named in the error
 * @param options the scaling options
 * @param propNames what the errors call each option, when the caller's props name them differently
 * @returns the options in force
 * @throws a {@link propsError} naming the prop and the fix when a count, time or target is invalid
 */
export function resolveWorkingHoursScaling(scope: IConstruct, options: WorkingHoursScalingOptions, propNames: WorkingHoursScalingPropNames = {}): ResolvedWorkingHoursScaling {
  const names: Required<WorkingHoursScalingPropNames> = {
    workingHoursCount: 'workingHoursCount',
    maximumCount: 'maximumCount',
    cpuTargetUtilizationPercent: 'cpuTargetUtilizationPercent',
    outOfHoursCount: 'outOfHoursCount',
    workdayStart: 'workdayStart',
    workdayEnd: 'workdayEnd',
    ...propNames,
  };
  const workdayStart = options.workdayStart ?? '07:00';
  const workdayEnd = options.workdayEnd ?? '19:30';
  const resolved: ResolvedWorkingHoursScaling = {
    workingHoursCount: options.workingHoursCount,
    maximumCount: options.maximumCount ?? options.workingHoursCount,
    outOfHoursCount: options.outOfHoursCount ?? options.workingHoursCount,
    scheduled: options.outOfHoursCount !== undefined,
    cpuTargetUtilizationPercent: options.cpuTargetUtilizationPercent,
    workdayStart,
    workdayEnd,
    workdayStartTime: parseClockTime(scope, names.workdayStart, workdayStart),
    workdayEndTime: parseClockTime(scope, names.workdayEnd, workdayEnd),
    timeZone: options.timeZone ?? TimeZone.EUROPE_LONDON,
  };
  const { workingHoursCount, maximumCount, outOfHoursCount, cpuTargetUtilizationPercent: target } = resolved;

  const assertCount = (propName: string, value: number) => {
    if (!Number.isInteger(value) || value < 0) throw propsError(scope, `${propName} must be a whole number of tasks (0 or more), got ${value}`);
  };
  assertCount(names.workingHoursCount, workingHoursCount);
  assertCount(names.maximumCount, maximumCount);
  assertCount(names.outOfHoursCount, outOfHoursCount);
  if (maximumCount < workingHoursCount) {
    throw propsError(scope, `${names.maximumCount} (${maximumCount}) is below ${names.workingHoursCount} (${workingHoursCount}): raise ${names.maximumCount} or lower ${names.workingHoursCount}`);
  }
  if (outOfHoursCount > workingHoursCount) {
    throw propsError(
      scope,
      `${names.outOfHoursCount} (${outOfHoursCount}) is above ${names.workingHoursCount} (${workingHoursCount}): out-of-hours scaling only scales down; lower ${names.outOfHoursCount}`,
    );
  }
  if (target !== undefined) {
    if (!(Number.isFinite(target) && target >= 10 && target <= 90)) {
      throw propsError(scope, `${names.cpuTargetUtilizationPercent} must be between 10 and 90, got ${target}: a typical target is 60`);
    }
    if (maximumCount === workingHoursCount) {
      throw propsError(
        scope,
        `${names.cpuTargetUtilizationPercent} is set but ${names.maximumCount} equals ${names.workingHoursCount} (${workingHoursCount}), so target tracking could never add a task: raise ${names.maximumCount}`,
      );
    }
  }
  if (minutesOfDay(resolved.workdayStartTime) >= minutesOfDay(resolved.workdayEndTime)) {
    throw propsError(scope, `${names.workdayStart} (${workdayStart}) must be earlier than ${names.workdayEnd} (${workdayEnd}): working hours cannot cross midnight`);
  }
  return resolved;
}

/**
 * Scales an ECS service with Application Auto Scaling: scheduled actions hold the
 * working-hours count from {@link WorkingHoursScalingOptions.workdayStart} to
 * {@link WorkingHoursScalingOptions.workdayEnd} Monday to Friday and drop to the
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

  /** Start of working hours in force, `HH:MM`. */
  public readonly workdayStart: string;

  /** End of working hours in force, `HH:MM`. */
  public readonly workdayEnd: string;

  constructor(scope: Construct, id: string, props: WorkingHoursScalingProps) {
    super(scope, id);

    const settings = resolveWorkingHoursScaling(this, props);
    const { timeZone, cpuTargetUtilizationPercent } = settings;
    this.workingHoursCount = settings.workingHoursCount;
    this.maximumCount = settings.maximumCount;
    this.outOfHoursCount = settings.outOfHoursCount;
    this.workdayStart = settings.workdayStart;
    this.workdayEnd = settings.workdayEnd;

    this.scalableTaskCount = props.service.autoScaleTaskCount({ minCapacity: this.workingHoursCount, maxCapacity: this.maximumCount });

    if (settings.scheduled) {
      // The ids name the scheduled actions in the template, so they keep their first names.
      this.scalableTaskCount.scaleOnSchedule('WorkingHoursStart', {
        schedule: weekdaysAt(settings.workdayStartTime),
        timeZone,
        minCapacity: this.workingHoursCount,
        maxCapacity: this.maximumCount,
      });
      this.scalableTaskCount.scaleOnSchedule('WorkingHoursEnd', {
        schedule: weekdaysAt(settings.workdayEndTime),
        timeZone,
        minCapacity: this.outOfHoursCount,
        // Without target tracking nothing would move the task count down to a lower minimum,
        // so the maximum has to come down too.
        maxCapacity: cpuTargetUtilizationPercent === undefined ? this.outOfHoursCount : this.maximumCount,
      });
    }

    if (cpuTargetUtilizationPercent !== undefined) {
      this.scalableTaskCount.scaleOnCpuUtilization('CpuTargetTracking', {
        targetUtilizationPercent: cpuTargetUtilizationPercent,
        scaleOutCooldown: Duration.minutes(1),
        scaleInCooldown: Duration.minutes(5),
      });
    }
  }
}

function weekdaysAt(time: ClockTime): appscaling.Schedule {
  return appscaling.Schedule.cron({ minute: String(time.minute), hour: String(time.hour), weekDay: 'MON-FRI' });
}

function minutesOfDay(time: ClockTime): number {
  return time.hour * 60 + time.minute;
}

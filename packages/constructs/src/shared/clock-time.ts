import type { IConstruct } from 'constructs';
import { propsError } from './errors';

/** A time of day on the 24-hour clock. */
export interface ClockTime {
  /** Hour, 0 to 23. */
  readonly hour: number;
  /** Minute, 0 to 59. */
  readonly minute: number;
}

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Reads a 24-hour `HH:MM` time, the form every schedule prop of these constructs takes.
 *
 * @param scope the construct whose prop it is, named in the error
 * @param propName the prop, named in the error
 * @param value the text to read
 * @returns the hour and minute
 * @throws a {@link propsError} naming the prop and the value when it is not `HH:MM`
 */
export function parseClockTime(scope: IConstruct, propName: string, value: string): ClockTime {
  const match = CLOCK_TIME.exec(value);
  if (match === null) {
    throw propsError(scope, `${propName} must be a 24-hour time HH:MM, got "${value}": write it like "07:00" or "19:30"`);
  }
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

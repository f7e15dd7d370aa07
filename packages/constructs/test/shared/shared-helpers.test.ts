import { App, Errors, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { parseClockTime } from '../../src/shared/clock-time';
import { propsError } from '../../src/shared/errors';
import { retainUnlessEphemeral } from '../../src/shared/removal';

describe('shared construct helpers', () => {
  const scope = new Construct(new Stack(new App(), 'Data'), 'Database');

  test('propsError is a CDK ValidationError whose message starts with the construct path', () => {
    // WHEN
    const error = propsError(scope, 'backupRetention must be 1 to 35 days, got 40');

    // THEN
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error.message).toBe('Data/Database: backupRetention must be 1 to 35 days, got 40');
  });

  test.each([
    ['07:00', { hour: 7, minute: 0 }],
    ['23:59', { hour: 23, minute: 59 }],
    ['00:30', { hour: 0, minute: 30 }],
  ])('parseClockTime reads %s', (text, expected) => {
    expect(parseClockTime(scope, 'stopAt', text)).toEqual(expected);
  });

  test.each(['7:00', '24:00', '12:60', '07:00 ', 'noon'])('parseClockTime refuses %j, naming the prop and the value', (text) => {
    expect(() => parseClockTime(scope, 'stopAt', text)).toThrow(`Data/Database: stopAt must be a 24-hour time HH:MM, got "${text}"`);
  });

  test.each([
    [RemovalPolicy.DESTROY, RemovalPolicy.DESTROY],
    [RemovalPolicy.SNAPSHOT, RemovalPolicy.RETAIN],
    [RemovalPolicy.RETAIN, RemovalPolicy.RETAIN],
    [RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, RemovalPolicy.RETAIN],
  ])('retainUnlessEphemeral maps %s to %s', (resourcePolicy, expected) => {
    expect(retainUnlessEphemeral(resourcePolicy)).toBe(expected);
  });
});

import { type Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { createTestStack } from '@core-infra/testing';
import { RedisConnection } from '../../src/app/redis-connection';
import { type WebApplicationProps } from '../../src/app/web-application-props';
import { resolveWebApplicationSettings, type WebApplicationSettings } from '../../src/app/web-application-settings';
import { importedDependencies } from './fixtures';

function resolve(overrides: (stack: Stack) => Partial<WebApplicationProps> = () => ({})): WebApplicationSettings {
  const stack = createTestStack();
  const scope = new Construct(stack, 'Web');
  return resolveWebApplicationSettings(scope, { ...importedDependencies(stack), ...overrides(stack) });
}

function redisSecret(stack: Stack): ecs.Secret {
  return ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretCompleteArn(stack, 'RedisConfig', 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:core-test/redis-config-AbCdEf'));
}

describe('resolveWebApplicationSettings', () => {
  describe('GIVEN default props', () => {
    test('THEN the services get their default sizes and scale to half out of hours, 07:00 to 19:30', () => {
      const settings = resolve();
      expect(settings.web).toEqual({ cpu: 512, memoryMiB: 1024, desiredCount: 2 });
      expect(settings.worker).toEqual({ cpu: 512, memoryMiB: 1024, desiredCount: 1, command: ['bundle', 'exec', 'sidekiq', '-t', '3'] });
      expect(settings.adHoc).toEqual({ cpu: 512, memoryMiB: 4096 });
      expect(settings.outOfHours).toEqual({ enabled: true, workdayStart: '07:00', workdayEnd: '19:30', webCount: 1, workerCount: 1 });
      expect(settings.webScaling).toMatchObject({ workingHoursCount: 2, outOfHoursCount: 1, maximumCount: undefined, cpuTargetUtilizationPercent: undefined });
      expect(settings.alarmTreatMissingData).toBe(cloudwatch.TreatMissingData.BREACHING);
    });
  });

  describe('GIVEN out-of-hours scaling switched off with its settings kept, as a config section can be', () => {
    test('THEN nothing scales and the out-of-hours counts are the desired counts', () => {
      const settings = resolve(() => ({ outOfHours: { enabled: false, workdayStart: '08:00', workdayEnd: '18:00', webCount: 0, workerCount: 0 } }));
      expect(settings.outOfHours).toMatchObject({ enabled: false, webCount: 2, workerCount: 1 });
      expect(settings.webScaling).toBeUndefined();
      expect(settings.workerScaling).toBeUndefined();
      expect(settings.alarmTreatMissingData).toBe(cloudwatch.TreatMissingData.BREACHING);
    });
  });

  describe('GIVEN CPU target tracking switched off with its settings kept', () => {
    test('THEN the web service scales on its schedule only', () => {
      const settings = resolve(() => ({ cpuTargetTracking: { enabled: false, targetPercent: 60, maxCount: 8 } }));
      expect(settings.webScaling).toMatchObject({ maximumCount: undefined, cpuTargetUtilizationPercent: undefined });
    });
  });

  describe('GIVEN Redis reached through a secret', () => {
    test('THEN REDIS_CONFIG joins the secrets after the caller\'s and stays out of the environment', () => {
      const settings = resolve((stack) => ({ redis: RedisConnection.fromSecret(redisSecret(stack)) }));
      expect(Object.keys(settings.secrets)).toEqual(['DATABASE_URL', 'RAILS_MASTER_KEY', 'GOVUK_NOTIFY_API_KEY', 'REDIS_CONFIG']);
      expect(settings.environment.REDIS_CONFIG).toBeUndefined();
    });
  });

  describe('GIVEN wrong props', () => {
    const expectFailure = (overrides: (stack: Stack) => Partial<WebApplicationProps>, message: RegExp) => {
      expect(() => resolve(overrides)).toThrow(message);
    };

    test('errors name the construct path first', () => {
      expectFailure(() => ({ healthCheckPath: 'health' }), /^TestStack\/Web: healthCheckPath/);
    });

    test('fails when the health-check path has no leading slash', () => {
      expectFailure(() => ({ healthCheckPath: 'health' }), /healthCheckPath must start with "\/", got "health"/);
    });

    test('fails when the relative root has no leading slash', () => {
      expectFailure(() => ({ relativeUrlRoot: '1234' }), /relativeUrlRoot must start with "\/" and have no trailing slash, got "1234"/);
    });

    test('fails when the relative root ends with a slash', () => {
      expectFailure(() => ({ relativeUrlRoot: '/1234/' }), /relativeUrlRoot must start with "\/" and have no trailing slash, got "\/1234\/"/);
    });

    test('fails when an out-of-hours count is above the working-hours count', () => {
      expectFailure(() => ({ web: { desiredCount: 2 }, outOfHours: { webCount: 3 } }), /outOfHours.webCount \(3\) is above web.desiredCount \(2\)/);
    });

    test('fails when the out-of-hours worker count is above the working-hours count', () => {
      expectFailure(() => ({ worker: { desiredCount: 1 }, outOfHours: { workerCount: 2 } }), /outOfHours.workerCount \(2\) is above worker.desiredCount \(1\)/);
    });

    test('fails when the CPU and memory are not a Fargate pair', () => {
      expectFailure(() => ({ web: { cpu: 1024, memoryMiB: 1024 } }), /web.memoryMiB 1024 is not a valid Fargate size for web.cpu 1024: use one of 2048 to 8192 in steps of 1024 MiB/);
    });

    test('fails when the CPU size does not exist on Fargate', () => {
      expectFailure(() => ({ worker: { cpu: 768 } }), /worker.cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384/);
    });

    test('fails when working hours are not HH:MM', () => {
      expectFailure(() => ({ outOfHours: { workdayStart: '7am' } }), /outOfHours.workdayStart must be a 24-hour time HH:MM, got "7am"/);
    });

    test('fails when working hours end before they start', () => {
      expectFailure(() => ({ outOfHours: { workdayStart: '19:00', workdayEnd: '07:00' } }), /outOfHours.workdayStart \(19:00\) must be earlier than outOfHours.workdayEnd \(07:00\)/);
    });

    test('fails when alarms treat missing data as breaching while a service scales to zero', () => {
      expectFailure(() => ({ outOfHours: { webCount: 0 }, alarmTreatMissingData: cloudwatch.TreatMissingData.BREACHING }), /alarmTreatMissingData is BREACHING but a service scales to zero/);
    });

    test('fails when CPU target tracking has no room above the desired count', () => {
      expectFailure(() => ({ cpuTargetTracking: { maxCount: 2 } }), /cpuTargetTracking.targetPercent is set but cpuTargetTracking.maxCount equals web.desiredCount/);
    });

    test('fails when the maximum is below the desired count', () => {
      expectFailure(() => ({ web: { desiredCount: 4 }, cpuTargetTracking: { maxCount: 2 } }), /cpuTargetTracking.maxCount \(2\) is below web.desiredCount \(4\)/);
    });

    test('fails when the CPU target is out of range', () => {
      expectFailure(() => ({ cpuTargetTracking: { maxCount: 4, targetPercent: 95 } }), /cpuTargetTracking.targetPercent must be between 10 and 90, got 95/);
    });

    test('fails when the listener rule priority is out of range', () => {
      expectFailure(() => ({ listenerRulePriority: 0 }), /listenerRulePriority must be a whole number from 1 to 50000, got 0/);
    });

    test('fails when the image tag is mutable', () => {
      expectFailure(() => ({ imageTag: 'latest' }), /imageTag must be an immutable image tag such as a commit SHA, got "latest"/);
    });

    test('fails when Redis is reached without TLS', () => {
      expectFailure(() => ({ redis: RedisConnection.fromUrl('redis://core-test.cache.amazonaws.com:6379') }), /redis URL must use TLS \(rediss:\/\/\)/);
    });

    test('fails when the Redis URL carries credentials', () => {
      expectFailure(() => ({ redis: RedisConnection.fromUrl('rediss://default:s3cret@core-test.cache.amazonaws.com:6379') }), /redis URL contains credentials/);
    });

    test('fails when the secrets give REDIS_CONFIG as well', () => {
      expectFailure((stack) => ({ secrets: { REDIS_CONFIG: redisSecret(stack) } }), /secrets has REDIS_CONFIG: pass it as redis: RedisConnection.fromSecret/);
    });

    test('fails when a credential is passed as a plain environment variable', () => {
      expectFailure(() => ({ environment: { OS_DATA_KEY: 'abc' } }), /environment has "OS_DATA_KEY", which looks like a credential/);
    });

    test('fails when the environment overrides a variable the construct sets', () => {
      expectFailure(() => ({ environment: { RAILS_ENV: 'development' } }), /environment sets "RAILS_ENV", which the construct already sets/);
    });

    test('fails when a writable directory is not an absolute path', () => {
      expectFailure(() => ({ writableDirectories: ['tmp'] }), /writableDirectories must hold absolute container paths such as "\/app\/tmp", got "tmp"/);
    });

    test('fails when a desired count is zero', () => {
      expectFailure(() => ({ worker: { desiredCount: 0 } }), /worker.desiredCount must be a whole number of at least 1, got 0/);
    });

    test('fails a resourceNamePrefix that is not a lower-case name', () => {
      expectFailure(() => ({ resourceNamePrefix: 'Core_Staging' }), /resourceNamePrefix must be lower-case letters.*got "Core_Staging"/);
    });
  });
});

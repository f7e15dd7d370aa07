import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { propsError } from '../shared/errors';
import { assertFargateTaskSize } from './fargate-task-size';
import { SIDEKIQ_COMMAND } from './rails-task-definition';
import { railsEnvironment } from './rails-environment';
import type { FargateServiceSize, FargateTaskSize, OutOfHoursScaling, WebApplicationProps, WorkerServiceOptions } from './web-application-props';
import { resolveWorkingHoursScaling, type WorkingHoursScalingOptions } from './working-hours-scaling';

/** Environment variable names that must never carry a plain value: they hold credentials. */
const SECRET_LOOKING_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE|_KEY$|^DATABASE_URL$|_DSN$)/i;

/** The settings of a {@link WebApplication} in force: its props checked, with the defaults applied. */
export interface WebApplicationSettings {
  /** URL prefix (empty string at the root). */
  readonly relativeUrlRoot: string;
  /** Path of the load balancer's health check. */
  readonly healthCheckPath: string;
  /** Priority of the listener rule. */
  readonly listenerRulePriority: number;
  /** Subnets of the tasks. */
  readonly vpcSubnets: ec2.SubnetSelection;
  /** Size and working-hours count of the web service. */
  readonly web: Required<FargateServiceSize>;
  /** Size, working-hours count and command of the worker service. */
  readonly worker: Required<WorkerServiceOptions>;
  /** Size of the ad-hoc task. */
  readonly adHoc: Required<FargateTaskSize>;
  /** Out-of-hours scaling; when it is off, the out-of-hours counts equal the desired counts. */
  readonly outOfHours: Required<OutOfHoursScaling>;
  /** Scaling of the web service (schedule and CPU target tracking), if it scales. */
  readonly webScaling?: WorkingHoursScalingOptions;
  /** Scaling of the worker service (schedule only), if it scales. */
  readonly workerScaling?: WorkingHoursScalingOptions;
  /** Plain environment of every container. */
  readonly environment: Readonly<Record<string, string>>;
  /** Secrets of every container, `REDIS_CONFIG` included when Redis is reached through a secret. */
  readonly secrets: Readonly<Record<string, ecs.Secret>>;
  /** Keys the execution role may decrypt the secrets with. */
  readonly secretsKeys: readonly kms.IKey[];
  /** Writable directories of every container. */
  readonly writableDirectories: readonly string[];
  /** Whether the services are redeployed on 1 April. */
  readonly collectionRolloverRedeploy: boolean;
  /** Prefix of every alarm name. */
  readonly alarmNamePrefix: string;
  /** Whether alarms stay silent when they recover. */
  readonly suppressOkNotifications: boolean;
  /** Missing-data behaviour of resource alarms. */
  readonly alarmTreatMissingData: cloudwatch.TreatMissingData;
  /** Retention of the log group. */
  readonly logRetention: logs.RetentionDays;
  /** Removal policy of the log group and of the key this construct creates. */
  readonly removalPolicy: RemovalPolicy;
  /** Container Insights mode of the cluster. */
  readonly containerInsights: ecs.ContainerInsights;
  /** Health check grace period of the web service. */
  readonly healthCheckGracePeriod: Duration;
  /** Physical name of the cluster, if not generated. */
  readonly clusterName?: string;
  /** Prefix of the physical names, if not generated. */
  readonly resourceNamePrefix?: string;
}

/**
 * Checks every prop of a {@link WebApplication} and applies the defaults, creating nothing, so
 * the construct rejects bad props before its first resource exists.
 *
 * @param scope the construct the props belong to, named in errors (and whose stack names the alarms by default)
 * @param props the props
 * @returns the settings in force
 * @throws a {@link propsError} naming the prop and the fix for the first problem found
 */
export function resolveWebApplicationSettings(scope: IConstruct, props: WebApplicationProps): WebApplicationSettings {
  const relativeUrlRoot = props.relativeUrlRoot ?? '';
  if (props.relativeUrlRoot !== undefined && !/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(props.relativeUrlRoot)) {
    throw propsError(scope, `relativeUrlRoot must start with "/" and have no trailing slash, got "${props.relativeUrlRoot}": use a prefix such as "/1234"`);
  }
  const healthCheckPath = props.healthCheckPath ?? `${relativeUrlRoot}/health`;
  if (!healthCheckPath.startsWith('/')) {
    throw propsError(scope, `healthCheckPath must start with "/", got "${healthCheckPath}": use a path such as "/health"`);
  }
  const priority = props.listenerRulePriority;
  if (!Number.isInteger(priority) || priority < 1 || priority > 50000) {
    throw propsError(scope, `listenerRulePriority must be a whole number from 1 to 50000, got ${priority}: choose a priority unique on the listener`);
  }
  if (!Token.isUnresolved(props.imageTag) && (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(props.imageTag) || props.imageTag === 'latest')) {
    throw propsError(scope, `imageTag must be an immutable image tag such as a commit SHA, got "${props.imageTag}": pass the tag the pipeline pushed`);
  }
  const namePrefix = props.resourceNamePrefix;
  if (namePrefix !== undefined && !/^[a-z][a-z0-9-]{0,39}$/.test(namePrefix)) {
    throw propsError(scope, `resourceNamePrefix must be lower-case letters, digits and "-", starting with a letter, at most 40 characters, got "${namePrefix}": use e.g. "core-prod"`);
  }

  const web = { cpu: props.web?.cpu ?? 512, memoryMiB: props.web?.memoryMiB ?? 1024, desiredCount: props.web?.desiredCount ?? 2 };
  const worker = {
    cpu: props.worker?.cpu ?? 512,
    memoryMiB: props.worker?.memoryMiB ?? 1024,
    desiredCount: props.worker?.desiredCount ?? 1,
    command: props.worker?.command ?? SIDEKIQ_COMMAND,
  };
  const adHoc = { cpu: props.adHoc?.cpu ?? 512, memoryMiB: props.adHoc?.memoryMiB ?? 4096 };
  assertFargateTaskSize(scope, 'web', web.cpu, web.memoryMiB);
  assertFargateTaskSize(scope, 'worker', worker.cpu, worker.memoryMiB);
  assertFargateTaskSize(scope, 'adHoc', adHoc.cpu, adHoc.memoryMiB);
  assertAtLeastOne(scope, 'web.desiredCount', web.desiredCount);
  assertAtLeastOne(scope, 'worker.desiredCount', worker.desiredCount);

  const { outOfHours, webScaling, workerScaling } = resolveScaling(scope, props, web.desiredCount, worker.desiredCount);
  const scalesToZero = outOfHours.webCount === 0 || outOfHours.workerCount === 0;
  const alarmTreatMissingData = props.alarmTreatMissingData ?? (scalesToZero ? cloudwatch.TreatMissingData.NOT_BREACHING : cloudwatch.TreatMissingData.BREACHING);
  if (scalesToZero && alarmTreatMissingData === cloudwatch.TreatMissingData.BREACHING) {
    throw propsError(
      scope,
      'alarmTreatMissingData is BREACHING but a service scales to zero out of hours, so every alarm would fire each night: use NOT_BREACHING (the default when scaling to zero)',
    );
  }

  const writableDirectories = props.writableDirectories ?? [];
  for (const directory of writableDirectories) {
    if (!/^\/[A-Za-z0-9._/-]*[A-Za-z0-9._-]$/.test(directory) || directory.split('/').includes('..')) {
      throw propsError(scope, `writableDirectories must hold absolute container paths such as "/app/tmp", got "${directory}"`);
    }
  }
  if (new Set(writableDirectories).size !== writableDirectories.length) {
    throw propsError(scope, `writableDirectories lists a directory more than once (${writableDirectories.join(', ')}): list each once`);
  }

  const stack = Stack.of(scope);
  return {
    relativeUrlRoot,
    healthCheckPath,
    listenerRulePriority: priority,
    vpcSubnets: props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    web,
    worker,
    adHoc,
    outOfHours,
    webScaling,
    workerScaling,
    ...resolveContainerEnvironment(scope, props),
    secretsKeys: props.secretsKeys ?? [],
    writableDirectories,
    collectionRolloverRedeploy: props.collectionRolloverRedeploy ?? true,
    alarmNamePrefix: props.alarmNamePrefix ?? (Token.isUnresolved(stack.stackName) ? scope.node.id : stack.stackName),
    suppressOkNotifications: props.suppressOkNotifications ?? false,
    alarmTreatMissingData,
    logRetention: props.logRetention ?? logs.RetentionDays.TWO_MONTHS,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    containerInsights: props.containerInsights ?? ecs.ContainerInsights.ENABLED,
    healthCheckGracePeriod: props.healthCheckGracePeriod ?? Duration.seconds(60),
    clusterName: props.clusterName ?? (namePrefix === undefined ? undefined : `${namePrefix}-app`),
    resourceNamePrefix: namePrefix,
  };
}

/**
 * The out-of-hours counts in force and the scaling of each service: the web service scales when
 * it has a schedule or CPU target tracking, the worker only on a schedule.
 */
function resolveScaling(
  scope: IConstruct,
  props: WebApplicationProps,
  webDesiredCount: number,
  workerDesiredCount: number,
): Pick<WebApplicationSettings, 'outOfHours' | 'webScaling' | 'workerScaling'> {
  const scheduled = props.outOfHours?.enabled ?? true;
  const given = scheduled ? (props.outOfHours ?? {}) : {};
  const outOfHours = {
    enabled: scheduled,
    workdayStart: given.workdayStart ?? '07:00',
    workdayEnd: given.workdayEnd ?? '19:30',
    webCount: scheduled ? (given.webCount ?? Math.ceil(webDesiredCount / 2)) : webDesiredCount,
    workerCount: scheduled ? (given.workerCount ?? Math.ceil(workerDesiredCount / 2)) : workerDesiredCount,
  };
  const cpu = props.cpuTargetTracking;
  const tracking = cpu !== undefined && (cpu.enabled ?? true) ? { maxCount: cpu.maxCount, targetPercent: cpu.targetPercent ?? 60 } : undefined;
  const schedule = { workdayStart: outOfHours.workdayStart, workdayEnd: outOfHours.workdayEnd };
  const scheduleNames = { workdayStart: 'outOfHours.workdayStart', workdayEnd: 'outOfHours.workdayEnd' };

  let webScaling: WorkingHoursScalingOptions | undefined;
  if (scheduled || tracking !== undefined) {
    webScaling = {
      workingHoursCount: webDesiredCount,
      maximumCount: tracking?.maxCount,
      cpuTargetUtilizationPercent: tracking?.targetPercent,
      outOfHoursCount: scheduled ? outOfHours.webCount : undefined,
      ...schedule,
    };
    resolveWorkingHoursScaling(scope, webScaling, {
      ...scheduleNames,
      workingHoursCount: 'web.desiredCount',
      maximumCount: 'cpuTargetTracking.maxCount',
      cpuTargetUtilizationPercent: 'cpuTargetTracking.targetPercent',
      outOfHoursCount: 'outOfHours.webCount',
    });
  }
  let workerScaling: WorkingHoursScalingOptions | undefined;
  if (scheduled) {
    workerScaling = { workingHoursCount: workerDesiredCount, outOfHoursCount: outOfHours.workerCount, ...schedule };
    resolveWorkingHoursScaling(scope, workerScaling, { ...scheduleNames, workingHoursCount: 'worker.desiredCount', outOfHoursCount: 'outOfHours.workerCount' });
  }
  return { outOfHours, webScaling, workerScaling };
}

/**
 * The containers' plain environment and secrets: the Rails settings, Redis and the caller's
 * additions, refusing anything that would put a credential in plain text or set a variable twice.
 */
function resolveContainerEnvironment(scope: IConstruct, props: WebApplicationProps): Pick<WebApplicationSettings, 'environment' | 'secrets'> {
  const { url: redisUrl, secret: redisSecret } = props.redis;
  const callerSecrets = props.secrets ?? {};
  if ('REDIS_CONFIG' in callerSecrets) {
    throw propsError(scope, 'secrets has REDIS_CONFIG: pass it as redis: RedisConnection.fromSecret(...) instead, so Redis is given in one place');
  }
  if (redisUrl !== undefined && !Token.isUnresolved(redisUrl)) {
    if (!redisUrl.startsWith('rediss://')) {
      throw propsError(scope, `redis URL must use TLS (rediss://), got "${redisUrl}": enable in-transit encryption on Redis and use its rediss:// URL`);
    }
    if (/^rediss:\/\/[^/]*@/.test(redisUrl)) {
      throw propsError(scope, 'redis URL contains credentials: pass a URL with an AUTH token with RedisConnection.fromSecret instead, so it never appears in the task definition');
    }
  }
  const secrets = { ...callerSecrets, ...(redisSecret === undefined ? {} : { REDIS_CONFIG: redisSecret }) };
  for (const name of Object.keys(secrets)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw propsError(scope, `secrets has an invalid environment variable name "${name}": use letters, digits and underscores, not starting with a digit`);
    }
  }

  const environment = railsEnvironment(scope, {
    appHost: props.appHost,
    railsEnv: props.railsEnv,
    bulkUploadBucket: props.bulkUploadBucket,
    collectionResourcesBucket: props.collectionResourcesBucket,
    exportBucket: props.exportBucket,
    redisUrl,
    relativeUrlRoot: props.relativeUrlRoot,
  });
  for (const [name, value] of Object.entries(props.environment ?? {})) {
    if (SECRET_LOOKING_NAME.test(name)) {
      throw propsError(scope, `environment has "${name}", which looks like a credential: pass it in secrets (Secrets Manager or SSM SecureString) so it never appears in plain text`);
    }
    if (name in environment) {
      throw propsError(scope, `environment sets "${name}", which the construct already sets from its props: remove it from environment and use the matching prop`);
    }
    environment[name] = value;
  }
  for (const name of Object.keys(secrets)) {
    if (name in environment) {
      throw propsError(scope, `"${name}" is both a secret and a plain environment variable: keep it only in secrets`);
    }
  }
  return { environment, secrets };
}

function assertAtLeastOne(scope: IConstruct, propName: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw propsError(scope, `${propName} must be a whole number of at least 1, got ${value}: use out-of-hours scaling to run fewer tasks at night`);
  }
}

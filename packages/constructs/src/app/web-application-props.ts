import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { EncryptionKey } from '../security/encryption-key';
import type { RedisConnection } from './redis-connection';

/** The size of a Fargate task: CPU and memory, which must be a pair Fargate runs. */
export interface FargateTaskSize {
  /**
   * CPU units (1024 = 1 vCPU).
   *
   * @default 512
   */
  readonly cpu?: number;

  /**
   * Memory in MiB; a valid Fargate size for {@link cpu}.
   *
   * @default - 1024 for the web and worker services, 4096 for the ad-hoc task
   */
  readonly memoryMiB?: number;
}

/** The size of a Fargate service's tasks and how many run during working hours. */
export interface FargateServiceSize extends FargateTaskSize {
  /**
   * Tasks during working hours (all the time without out-of-hours scaling); at least 1.
   *
   * @default - 2 web tasks, 1 worker task
   */
  readonly desiredCount?: number;
}

/** The Sidekiq worker service: its size and its command. */
export interface WorkerServiceOptions extends FargateServiceSize {
  /**
   * Command of the worker container.
   *
   * @default {@link SIDEKIQ_COMMAND} - `bundle exec sidekiq -t 3`
   */
  readonly command?: readonly string[];
}

/**
 * Scaling the web and worker services down outside working hours: Monday to Friday from
 * {@link workdayStart} to {@link workdayEnd} (Europe/London) they run their desired counts,
 * otherwise these counts. The fields mirror the environment config's `app.outOfHours`.
 */
export interface OutOfHoursScaling {
  /**
   * Whether the services scale down out of hours. `false` switches the schedule off and leaves
   * the other settings unused, so a config can switch it off without deleting them.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Start of working hours, `HH:MM` Europe/London.
   *
   * @default '07:00'
   */
  readonly workdayStart?: string;

  /**
   * End of working hours, `HH:MM` Europe/London; later than {@link workdayStart}.
   *
   * @default '19:30'
   */
  readonly workdayEnd?: string;

  /**
   * Web tasks outside working hours; 0 stops the web service (review apps).
   *
   * @default - half of the web service's desired count, rounded up
   */
  readonly webCount?: number;

  /**
   * Worker tasks outside working hours; 0 stops the worker (review apps).
   *
   * @default - half of the worker service's desired count, rounded up
   */
  readonly workerCount?: number;
}

/**
 * CPU target tracking of the web service, which adds tasks above the scheduled count up to
 * {@link maxCount}. The fields mirror the environment config's `app.cpuTargetTracking`.
 */
export interface CpuTargetTracking {
  /**
   * Whether the web service scales on CPU. `false` switches target tracking off and leaves the
   * other settings unused.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Average CPU utilisation (percent, 10 to 90) that target tracking keeps the web service at.
   *
   * @default 60
   */
  readonly targetPercent?: number;

  /** Most web tasks target tracking may run; above the web service's desired count. */
  readonly maxCount: number;
}

/** Props for {@link WebApplication}. */
export interface WebApplicationProps {
  /** VPC the tasks run in. */
  readonly vpc: ec2.IVpc;

  /**
   * Subnets the tasks run in; tasks never get public IP addresses.
   *
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security group of every task (web, worker and ad-hoc). Reach the database and Redis by
   * allowing this construct's {@link WebApplication.connections} on their side.
   *
   * @default - a new group that admits only the load balancer on 8080 and sends only HTTPS and HTTP out
   */
  readonly securityGroup?: ec2.ISecurityGroup;

  /** HTTPS listener of the load balancer the web service is registered with. */
  readonly listener: elbv2.IApplicationListener;

  /** Priority of the web service's rule on the listener (1 to 50000, unique on the listener; lower wins). */
  readonly listenerRulePriority: number;

  /**
   * Secret whose value CloudFront sends in the `X-CLOUDFRONT-HEADER` origin header. The
   * listener rule forwards only requests carrying it; the value reaches the rule through a
   * CloudFormation dynamic reference, never through the template.
   */
  readonly originVerifySecret: secretsmanager.ISecret;

  /**
   * URL prefix the app is served under, for review apps sharing one load balancer, e.g.
   * `/1234`. Adds `/1234` and `/1234/*` path conditions to the listener rule, sets
   * `RAILS_RELATIVE_URL_ROOT` and moves the health check under it.
   *
   * @default - the app is served at the root
   */
  readonly relativeUrlRoot?: string;

  /**
   * Path of the health check the load balancer calls; the app answers 204.
   *
   * @default - `<relativeUrlRoot>/health`
   */
  readonly healthCheckPath?: string;

  /** ECR repository of the application image. */
  readonly repository: ecr.IRepository;

  /** Image tag to run, supplied at synth by the pipeline that built the image (e.g. the commit SHA). */
  readonly imageTag: string;

  /** Public hostname of the service (`APP_HOST`). */
  readonly appHost: string;

  /** Rails environment (`RAILS_ENV`): `production`, `staging` or `review`. */
  readonly railsEnv: string;

  /** Bucket of CSV bulk uploads; the task role may read, write and delete objects. */
  readonly bulkUploadBucket: s3.IBucket;

  /** Bucket of collection resources; the task role may read, write and delete objects. */
  readonly collectionResourcesBucket: s3.IBucket;

  /** Bucket of the CDS export; the task role may list, write and delete but not read objects. */
  readonly exportBucket: s3.IBucket;

  /** How the app reaches Redis: {@link RedisConnection.fromUrl} or {@link RedisConnection.fromSecret}. */
  readonly redis: RedisConnection;

  /**
   * Secrets injected as environment variables by ECS at task start (`DATABASE_URL`,
   * `RAILS_MASTER_KEY`, `GOVUK_NOTIFY_API_KEY`, ...), from Secrets Manager or SSM SecureString.
   * The execution role is granted read access to each. `REDIS_CONFIG` comes from {@link redis}.
   *
   * @default - none
   */
  readonly secrets?: Readonly<Record<string, ecs.Secret>>;

  /**
   * Customer-managed keys that encrypt the secrets and SecureString parameters in
   * {@link secrets}. The execution role may decrypt with them, only through Secrets Manager
   * and SSM.
   *
   * @default - none: the secrets use keys whose policies already admit the execution role
   */
  readonly secretsKeys?: readonly kms.IKey[];

  /**
   * Extra plain environment variables. Names that look like credentials are refused: pass
   * those through {@link secrets}.
   *
   * @default - only the variables the construct sets
   */
  readonly environment?: Readonly<Record<string, string>>;

  /**
   * Directories the app writes to (absolute paths in the container, e.g. `/app/tmp`,
   * `/app/log`, `/tmp`). When given, every container's root filesystem becomes read-only and
   * each directory is an ephemeral task volume. The directories should exist in the image,
   * owned by `nonroot`, so the volumes start with their content and ownership.
   *
   * @default - the root filesystem stays writable, because the app writes under `tmp/` and `log/`
   */
  readonly writableDirectories?: readonly string[];

  /**
   * The web (Puma) service behind the load balancer.
   *
   * @default - 512 CPU units, 1024 MiB, 2 tasks
   */
  readonly web?: FargateServiceSize;

  /**
   * The Sidekiq worker service.
   *
   * @default - 512 CPU units, 1024 MiB, 1 task, {@link SIDEKIQ_COMMAND}
   */
  readonly worker?: WorkerServiceOptions;

  /**
   * The ad-hoc task definition (migrations and one-off jobs).
   *
   * @default - 512 CPU units, 4096 MiB
   */
  readonly adHoc?: FargateTaskSize;

  /**
   * Scaling the web and worker services down outside working hours.
   *
   * @default - enabled: half the tasks (rounded up) outside 07:00 to 19:30 on weekdays
   */
  readonly outOfHours?: OutOfHoursScaling;

  /**
   * CPU target tracking of the web service.
   *
   * @default - none: the web service runs its scheduled count
   */
  readonly cpuTargetTracking?: CpuTargetTracking;

  /**
   * Force a new deployment of the web and worker services at 00:00 UTC on 1 April, when the
   * new collection year starts.
   *
   * @default true
   */
  readonly collectionRolloverRedeploy?: boolean;

  /** Topic the alarms notify. */
  readonly alarmTopic: sns.ITopic;

  /**
   * Prefix of every alarm name, e.g. `core-prod` gives `core-prod-app-average-cpu`.
   *
   * @default - the stack name
   */
  readonly alarmNamePrefix?: string;

  /**
   * Do not notify when alarms return to OK (review apps).
   *
   * @default false
   */
  readonly suppressOkNotifications?: boolean;

  /**
   * How CPU, memory, running-task and host-count alarms treat missing data. Must be
   * NOT_BREACHING or IGNORE when anything scales to zero, because a stopped service reports nothing.
   *
   * @default - NOT_BREACHING when an out-of-hours count is 0, otherwise BREACHING
   */
  readonly alarmTreatMissingData?: cloudwatch.TreatMissingData;

  /**
   * How long container logs (and ECS Exec session logs) are kept.
   *
   * @default logs.RetentionDays.TWO_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Customer-managed key for the log group, ECS Exec sessions and the redeploy schedules.
   *
   * @default - a new key with yearly rotation, kept or destroyed with {@link removalPolicy}
   */
  readonly encryptionKey?: EncryptionKey;

  /**
   * What happens to the log group (and the key this construct creates) when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Container Insights mode of the cluster. ENHANCED adds per-task and per-container metrics
   * at a higher CloudWatch cost.
   *
   * @default ecs.ContainerInsights.ENABLED
   */
  readonly containerInsights?: ecs.ContainerInsights;

  /**
   * How long ECS ignores failing load balancer health checks of a new web task while Rails boots.
   *
   * @default Duration.seconds(60)
   */
  readonly healthCheckGracePeriod?: Duration;

  /**
   * Physical name of the cluster, e.g. `core-prod-app`.
   *
   * @default - `<resourceNamePrefix>-app` when {@link resourceNamePrefix} is set, else generated by CloudFormation
   */
  readonly clusterName?: string;

  /**
   * Prefix of the physical names other accounts and tools rely on: the roles
   * `<prefix>-task` and `<prefix>-task-execution` (the registry lets the execution role pull),
   * the services `<prefix>-app` (web) and `<prefix>-sidekiq`, and the task-definition families
   * `<prefix>-app`, `<prefix>-sidekiq` and `<prefix>-ad-hoc` (CI deploys and runs them by name).
   * At most 40 characters so every derived name fits its AWS limit.
   *
   * @default - names generated by CloudFormation
   */
  readonly resourceNamePrefix?: string;
}

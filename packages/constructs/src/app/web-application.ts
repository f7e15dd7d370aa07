import { Duration, RemovalPolicy, Size, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER_NAME } from '../edge/origin-header';
import { EncryptionKey } from '../security/encryption-key';
import { type AlarmNotificationOptions } from '../shared/notifying-alarm';
import { assertFargateTaskSize } from './fargate-task-size';
import { FargateServiceAlarms } from './fargate-service-alarms';
import { railsEnvironment } from './rails-environment';
import { ServiceRedeploySchedule } from './service-redeploy-schedule';
import { TargetHealthAlarms } from './target-health-alarms';
import { WorkingHoursScaling } from './working-hours-scaling';

/** Port the Rails app (Puma) listens on inside the container. */
export const APP_CONTAINER_PORT = 8080;

/** The worker's command: Sidekiq with a 3-second shutdown timeout. */
export const SIDEKIQ_COMMAND: readonly string[] = ['bundle', 'exec', 'sidekiq', '-t', '3'];

/** Environment variable names that must never carry a plain value: they hold credentials. */
const SECRET_LOOKING_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE|_KEY$|^DATABASE_URL$|_DSN$)/i;

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
   * Security group of every task (app, worker and ad-hoc). Reach the database and Redis by
   * allowing this construct's {@link WebApplication.connections} on their side.
   *
   * @default - a new group that admits only the load balancer on 8080 and sends only HTTPS and HTTP out
   */
  readonly securityGroup?: ec2.ISecurityGroup;

  /** HTTPS listener of the load balancer the app service is registered with. */
  readonly listener: elbv2.IApplicationListener;

  /** Priority of the app's rule on the listener (1 to 50000, unique on the listener; lower wins). */
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

  /**
   * `rediss://` URL of Redis, passed in `REDIS_CONFIG`. Must not contain credentials: a URL
   * with an AUTH token belongs in {@link secrets} as a `REDIS_CONFIG` document instead.
   *
   * @default - none; then `secrets` must provide `REDIS_CONFIG`
   */
  readonly redisUrl?: string;

  /**
   * Secrets injected as environment variables by ECS at task start (`DATABASE_URL`,
   * `RAILS_MASTER_KEY`, `GOVUK_NOTIFY_API_KEY`, ...), from Secrets Manager or SSM SecureString.
   * The execution role is granted read access to each.
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
   * CPU units of an app task (1024 = 1 vCPU).
   *
   * @default 512
   */
  readonly appCpu?: number;

  /**
   * Memory of an app task in MiB; must be a valid Fargate size for {@link appCpu}.
   *
   * @default 1024
   */
  readonly appMemoryMiB?: number;

  /**
   * App tasks during working hours (all the time without out-of-hours scaling).
   *
   * @default 2
   */
  readonly appDesiredCount?: number;

  /**
   * Most app tasks CPU target tracking may run.
   *
   * @default - {@link appDesiredCount}: no CPU target tracking
   */
  readonly appMaxCount?: number;

  /**
   * Average CPU (percent) that target tracking keeps the app service at; needs
   * {@link appMaxCount} above {@link appDesiredCount}.
   *
   * @default - no CPU target tracking
   */
  readonly appCpuTargetUtilizationPercent?: number;

  /**
   * CPU units of a worker task.
   *
   * @default 512
   */
  readonly workerCpu?: number;

  /**
   * Memory of a worker task in MiB.
   *
   * @default 1024
   */
  readonly workerMemoryMiB?: number;

  /**
   * Worker tasks during working hours.
   *
   * @default 1
   */
  readonly workerDesiredCount?: number;

  /**
   * Command of the worker container.
   *
   * @default {@link SIDEKIQ_COMMAND} - `bundle exec sidekiq -t 3`
   */
  readonly workerCommand?: readonly string[];

  /**
   * CPU units of the ad-hoc task (migrations and one-off jobs).
   *
   * @default 512
   */
  readonly adHocCpu?: number;

  /**
   * Memory of the ad-hoc task in MiB.
   *
   * @default 4096
   */
  readonly adHocMemoryMiB?: number;

  /**
   * Scale the app and worker down outside working hours (Monday to Friday,
   * {@link workingHoursStart} to {@link workingHoursEnd}, Europe/London).
   *
   * @default true
   */
  readonly scaleOutOfHours?: boolean;

  /**
   * Start of working hours, `HH:MM` Europe/London.
   *
   * @default '07:00'
   */
  readonly workingHoursStart?: string;

  /**
   * End of working hours, `HH:MM` Europe/London.
   *
   * @default '19:30'
   */
  readonly workingHoursEnd?: string;

  /**
   * App tasks outside working hours; 0 stops the app (review apps).
   *
   * @default - half of {@link appDesiredCount}, rounded up
   */
  readonly outOfHoursAppCount?: number;

  /**
   * Worker tasks outside working hours; 0 stops the worker (review apps).
   *
   * @default - half of {@link workerDesiredCount}, rounded up
   */
  readonly outOfHoursWorkerCount?: number;

  /**
   * Force a new deployment of the app and worker at 00:00 UTC on 1 April, when the new
   * collection year starts.
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
   * How long ECS ignores failing load balancer health checks of a new app task while Rails boots.
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
   * the services `<prefix>-app` and `<prefix>-sidekiq`, and the task-definition families
   * `<prefix>-app`, `<prefix>-sidekiq` and `<prefix>-ad-hoc` (CI deploys and runs them by name).
   * At most 40 characters so every derived name fits its AWS limit.
   *
   * @default - names generated by CloudFormation
   */
  readonly resourceNamePrefix?: string;
}

/**
 * CORE's Rails application on ECS Fargate: an app service behind the load balancer, a
 * Sidekiq worker service and an ad-hoc task definition for migrations and one-off jobs, with
 * scaling schedules, alarms and the collection-rollover redeploy.
 *
 * - The cluster runs Container Insights and encrypts ECS Exec sessions with the key, logging
 *   them to the encrypted log group.
 * - Every container runs the same image (repository + tag from synth) as user `nonroot` on
 *   Linux/X86_64 and logs through `awslogs` in non-blocking mode (4 MiB buffer).
 * - Secrets reach containers only through ECS `secrets`; the execution role may read exactly
 *   those, pull the image and write logs. The task role may use the three buckets as
 *   described on their props and open ECS Exec channels, nothing else.
 * - The app service is registered with an IP target group (HTTP 8080, least outstanding
 *   requests, health check expecting 204), reached through a listener rule that requires the
 *   CloudFront origin header (and the path prefix of a review app).
 * - Deployments are rolling (100 % / 200 %) with the circuit breaker rolling back failures.
 *
 * @example
 * const app = new WebApplication(stack, 'Application', {
 *   vpc: network.vpc,
 *   listener: frontDoor.httpsListener,
 *   listenerRulePriority: 100,
 *   originVerifySecret: frontDoor.originHeaderSecret,
 *   repository,
 *   imageTag: 'staging-20260301T1200',
 *   appHost: 'staging.submit-social-housing-data.communities.gov.uk',
 *   railsEnv: 'staging',
 *   bulkUploadBucket: buckets.bulkUpload.bucket,
 *   collectionResourcesBucket: buckets.collectionResources.bucket,
 *   exportBucket: buckets.export.bucket,
 *   secrets: { DATABASE_URL: ecs.Secret.fromSecretsManager(database.databaseUrlSecret), REDIS_CONFIG: ecs.Secret.fromSecretsManager(redisConfig) },
 *   alarmTopic: alerts.topic,
 *   resourceNamePrefix: 'core-staging',
 * });
 */
export class WebApplication extends Construct implements ec2.IConnectable {
  /** The ECS cluster. */
  public readonly cluster: ecs.Cluster;

  /** The app (web) service. */
  public readonly appService: ecs.FargateService;

  /** The Sidekiq worker service. */
  public readonly workerService: ecs.FargateService;

  /** Task definition of the app service. */
  public readonly appTaskDefinition: ecs.FargateTaskDefinition;

  /** Task definition of the worker service. */
  public readonly workerTaskDefinition: ecs.FargateTaskDefinition;

  /** Task definition for migrations and one-off jobs (run with a command override). */
  public readonly adHocTaskDefinition: ecs.FargateTaskDefinition;

  /** Role of the running containers (the app's AWS credentials). */
  public readonly taskRole: iam.Role;

  /** Role ECS uses to pull the image, write logs and fetch secrets. */
  public readonly executionRole: iam.Role;

  /** Log group of every container and of ECS Exec sessions. */
  public readonly logGroup: logs.LogGroup;

  /** Key of the log group, ECS Exec sessions and schedules. */
  public readonly encryptionKey: EncryptionKey;

  /** Security group of the tasks. */
  public readonly securityGroup: ec2.ISecurityGroup;

  /** Network connections of the tasks, for allowing them into the database and Redis. */
  public readonly connections: ec2.Connections;

  /** Target group of the app service. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;

  /** Listener rule that forwards CloudFront traffic to the app. */
  public readonly listenerRule: elbv2.ApplicationListenerRule;

  /** Every alarm of the application. */
  public readonly alarms: cloudwatch.Alarm[];

  /** Scheduled (and CPU) scaling of the app service, if any. */
  public readonly appScaling?: WorkingHoursScaling;

  /** Scheduled scaling of the worker service, if any. */
  public readonly workerScaling?: WorkingHoursScaling;

  /** The collection-rollover redeploy schedules, if enabled. */
  public readonly collectionRollover?: ServiceRedeploySchedule;

  /** URL prefix in force (empty string at the root). */
  public readonly relativeUrlRoot: string;

  /** Health check path in force. */
  public readonly healthCheckPath: string;

  /** App tasks during working hours. */
  public readonly appDesiredCount: number;

  /** App tasks outside working hours (equal to {@link appDesiredCount} without out-of-hours scaling). */
  public readonly outOfHoursAppCount: number;

  /** Worker tasks during working hours. */
  public readonly workerDesiredCount: number;

  /** Worker tasks outside working hours. */
  public readonly outOfHoursWorkerCount: number;

  /** Missing-data behaviour of resource alarms in force. */
  public readonly alarmTreatMissingData: cloudwatch.TreatMissingData;

  /** Log retention in force. */
  public readonly logRetention: logs.RetentionDays;

  /** Removal policy in force for the log group. */
  public readonly removalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, props: WebApplicationProps) {
    super(scope, id);

    const stack = Stack.of(this);

    // Resolve and check the settings this construct owns before creating anything; the
    // scaling settings are checked by WorkingHoursScaling.
    this.relativeUrlRoot = props.relativeUrlRoot ?? '';
    if (props.relativeUrlRoot !== undefined && !/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(props.relativeUrlRoot)) {
      throw new Error(`relativeUrlRoot must start with "/" and have no trailing slash, got "${props.relativeUrlRoot}": use a prefix such as "/1234"`);
    }
    this.healthCheckPath = props.healthCheckPath ?? `${this.relativeUrlRoot}/health`;
    if (!this.healthCheckPath.startsWith('/')) {
      throw new Error(`healthCheckPath must start with "/", got "${this.healthCheckPath}": use a path such as "/health"`);
    }
    const priority = props.listenerRulePriority;
    if (!Number.isInteger(priority) || priority < 1 || priority > 50000) {
      throw new Error(`listenerRulePriority must be a whole number from 1 to 50000, got ${priority}: choose a priority unique on the listener`);
    }
    if (!Token.isUnresolved(props.imageTag) && (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(props.imageTag) || props.imageTag === 'latest')) {
      throw new Error(`imageTag must be an immutable image tag such as a commit SHA, got "${props.imageTag}": pass the tag the pipeline pushed`);
    }

    const appCpu = props.appCpu ?? 512;
    const appMemoryMiB = props.appMemoryMiB ?? 1024;
    const workerCpu = props.workerCpu ?? 512;
    const workerMemoryMiB = props.workerMemoryMiB ?? 1024;
    const adHocCpu = props.adHocCpu ?? 512;
    const adHocMemoryMiB = props.adHocMemoryMiB ?? 4096;
    assertFargateTaskSize('app', appCpu, appMemoryMiB);
    assertFargateTaskSize('worker', workerCpu, workerMemoryMiB);
    assertFargateTaskSize('adHoc', adHocCpu, adHocMemoryMiB);

    this.appDesiredCount = props.appDesiredCount ?? 2;
    this.workerDesiredCount = props.workerDesiredCount ?? 1;
    assertAtLeastOne('appDesiredCount', this.appDesiredCount);
    assertAtLeastOne('workerDesiredCount', this.workerDesiredCount);

    const scaleOutOfHours = props.scaleOutOfHours ?? true;
    if (!scaleOutOfHours) {
      for (const [name, value] of Object.entries({
        outOfHoursAppCount: props.outOfHoursAppCount,
        outOfHoursWorkerCount: props.outOfHoursWorkerCount,
        workingHoursStart: props.workingHoursStart,
        workingHoursEnd: props.workingHoursEnd,
      })) {
        if (value !== undefined) {
          throw new Error(`${name} is ${value} but scaleOutOfHours is false: remove ${name} or set scaleOutOfHours to true`);
        }
      }
    }
    this.outOfHoursAppCount = scaleOutOfHours ? (props.outOfHoursAppCount ?? Math.ceil(this.appDesiredCount / 2)) : this.appDesiredCount;
    this.outOfHoursWorkerCount = scaleOutOfHours ? (props.outOfHoursWorkerCount ?? Math.ceil(this.workerDesiredCount / 2)) : this.workerDesiredCount;

    const scalesToZero = this.outOfHoursAppCount === 0 || this.outOfHoursWorkerCount === 0;
    this.alarmTreatMissingData = props.alarmTreatMissingData ?? (scalesToZero ? cloudwatch.TreatMissingData.NOT_BREACHING : cloudwatch.TreatMissingData.BREACHING);
    if (scalesToZero && this.alarmTreatMissingData === cloudwatch.TreatMissingData.BREACHING) {
      throw new Error(
        'alarmTreatMissingData is BREACHING but a service scales to zero out of hours, so every alarm would fire each night: use NOT_BREACHING (the default when scaling to zero)',
      );
    }

    const environment = this.buildEnvironment(props);
    const writableDirectories = props.writableDirectories ?? [];
    for (const directory of writableDirectories) {
      if (!/^\/[A-Za-z0-9._/-]*[A-Za-z0-9._-]$/.test(directory) || directory.split('/').includes('..')) {
        throw new Error(`writableDirectories must hold absolute container paths such as "/app/tmp", got "${directory}"`);
      }
    }
    if (new Set(writableDirectories).size !== writableDirectories.length) {
      throw new Error(`writableDirectories lists a directory more than once (${writableDirectories.join(', ')}): list each once`);
    }

    this.logRetention = props.logRetention ?? logs.RetentionDays.TWO_MONTHS;
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // Shared resources: key, logs, cluster, roles, network.
    this.encryptionKey =
      props.encryptionKey ?? new EncryptionKey(this, 'Key', { description: 'Encrypts the CORE application logs, ECS Exec sessions and schedules', removalPolicy: this.removalPolicy });
    this.encryptionKey.allowCloudWatchLogs();

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: this.encryptionKey.key,
      retention: this.logRetention,
      removalPolicy: this.removalPolicy,
    });

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      clusterName: props.clusterName ?? (props.resourceNamePrefix === undefined ? undefined : `${props.resourceNamePrefix}-app`),
      containerInsightsV2: props.containerInsights ?? ecs.ContainerInsights.ENABLED,
      executeCommandConfiguration: {
        kmsKey: this.encryptionKey.key,
        logging: ecs.ExecuteCommandLogging.OVERRIDE,
        logConfiguration: { cloudWatchLogGroup: this.logGroup, cloudWatchEncryptionEnabled: true },
      },
    });

    const ecsTasksPrincipal = new iam.ServicePrincipal('ecs-tasks.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:ecs:${stack.region}:${stack.account}:*` },
    });
    const namePrefix = props.resourceNamePrefix;
    if (namePrefix !== undefined && !/^[a-z][a-z0-9-]{0,39}$/.test(namePrefix)) {
      throw new Error(`resourceNamePrefix must be lower-case letters, digits and "-", starting with a letter, at most 40 characters, got "${namePrefix}": use e.g. "core-prod"`);
    }
    const named = (suffix: string): string | undefined => (namePrefix === undefined ? undefined : `${namePrefix}-${suffix}`);
    this.taskRole = new iam.Role(this, 'TaskRole', { roleName: named('task'), assumedBy: ecsTasksPrincipal, description: 'Credentials of the CORE application containers' });
    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: named('task-execution'),
      assumedBy: ecsTasksPrincipal,
      description: 'Lets ECS pull the CORE image, write its logs and fetch its secrets',
    });

    const secretsKeys = props.secretsKeys ?? [];
    if (secretsKeys.length > 0) {
      this.executionRole.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: secretsKeys.map((key) => key.keyArn),
          conditions: { StringEquals: { 'kms:ViaService': [`secretsmanager.${stack.region}.amazonaws.com`, `ssm.${stack.region}.amazonaws.com`] } },
        }),
      );
    }

    props.bulkUploadBucket.grantReadWrite(this.taskRole);
    props.collectionResourcesBucket.grantReadWrite(this.taskRole);
    props.exportBucket.grantPut(this.taskRole);
    props.exportBucket.grantDelete(this.taskRole);
    this.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.exportBucket.bucketArn] }));

    this.securityGroup = props.securityGroup ?? this.createSecurityGroup(props.vpc);
    this.connections = new ec2.Connections({ securityGroups: [this.securityGroup] });

    // Task definitions.
    const image = ecs.ContainerImage.fromEcrRepository(props.repository, props.imageTag);
    const logging = ecs.LogDrivers.awsLogs({
      logGroup: this.logGroup,
      streamPrefix: 'core',
      mode: ecs.AwsLogDriverMode.NON_BLOCKING,
      maxBufferSize: Size.mebibytes(4),
    });
    const secrets = { ...(props.secrets ?? {}) };
    const taskDefinition = (taskId: string, cpu: number, memoryLimitMiB: number, family?: string) =>
      new ecs.FargateTaskDefinition(this, taskId, {
        family,
        cpu,
        memoryLimitMiB,
        taskRole: this.taskRole,
        executionRole: this.executionRole,
        runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      });
    const addContainer = (definition: ecs.FargateTaskDefinition, name: string, memoryMiB: number, options: { command?: string[]; port?: number }) => {
      const container = definition.addContainer(name, {
        image,
        user: 'nonroot',
        environment,
        secrets,
        command: options.command,
        // A hard limit equal to the task's memory: the only container may use all of it.
        memoryLimitMiB: memoryMiB,
        portMappings: options.port === undefined ? undefined : [{ containerPort: options.port, protocol: ecs.Protocol.TCP }],
        logging,
        essential: true,
        // Without writable volumes the app needs a writable root: it keeps pids, caches and logs under tmp/ and log/.
        readonlyRootFilesystem: writableDirectories.length > 0,
        // An init process reaps the shells that ECS Exec sessions leave behind.
        linuxParameters: new ecs.LinuxParameters(definition, `${name}LinuxParameters`, { initProcessEnabled: true }),
      });
      writableDirectories.forEach((containerPath, index) => {
        const sourceVolume = `writable-${index}`;
        definition.addVolume({ name: sourceVolume });
        container.addMountPoints({ containerPath, sourceVolume, readOnly: false });
      });
      return container;
    };

    this.appTaskDefinition = taskDefinition('AppTaskDefinition', appCpu, appMemoryMiB, named('app'));
    addContainer(this.appTaskDefinition, 'app', appMemoryMiB, { port: APP_CONTAINER_PORT });
    this.workerTaskDefinition = taskDefinition('WorkerTaskDefinition', workerCpu, workerMemoryMiB, named('sidekiq'));
    addContainer(this.workerTaskDefinition, 'sidekiq', workerMemoryMiB, { command: [...(props.workerCommand ?? SIDEKIQ_COMMAND)] });
    this.adHocTaskDefinition = taskDefinition('AdHocTaskDefinition', adHocCpu, adHocMemoryMiB, named('ad-hoc'));
    addContainer(this.adHocTaskDefinition, 'app', adHocMemoryMiB, { port: APP_CONTAINER_PORT });

    // Services.
    const serviceDefaults = {
      cluster: this.cluster,
      vpcSubnets: props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      assignPublicIp: false,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      enableExecuteCommand: true,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      platformVersion: ecs.FargatePlatformVersion.LATEST,
    } satisfies Partial<ecs.FargateServiceProps>;
    this.appService = new ecs.FargateService(this, 'AppService', {
      ...serviceDefaults,
      serviceName: named('app'),
      taskDefinition: this.appTaskDefinition,
      desiredCount: this.appDesiredCount,
      healthCheckGracePeriod: props.healthCheckGracePeriod ?? Duration.seconds(60),
    });
    this.workerService = new ecs.FargateService(this, 'WorkerService', {
      ...serviceDefaults,
      serviceName: named('sidekiq'),
      taskDefinition: this.workerTaskDefinition,
      desiredCount: this.workerDesiredCount,
    });

    // Load balancing.
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: props.vpc,
      port: APP_CONTAINER_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      loadBalancingAlgorithmType: elbv2.TargetGroupLoadBalancingAlgorithmType.LEAST_OUTSTANDING_REQUESTS,
      healthCheck: {
        path: this.healthCheckPath,
        healthyHttpCodes: '204',
        interval: Duration.seconds(30),
        timeout: Duration.seconds(3),
        healthyThresholdCount: 3,
        unhealthyThresholdCount: 2,
      },
      targets: [this.appService.loadBalancerTarget({ containerName: 'app', containerPort: APP_CONTAINER_PORT })],
    });
    const conditions = [elbv2.ListenerCondition.httpHeader(ORIGIN_VERIFY_HEADER_NAME, [props.originVerifySecret.secretValue.unsafeUnwrap()])];
    if (this.relativeUrlRoot !== '') {
      conditions.push(elbv2.ListenerCondition.pathPatterns([this.relativeUrlRoot, `${this.relativeUrlRoot}/*`]));
    }
    this.listenerRule = new elbv2.ApplicationListenerRule(this, 'ListenerRule', {
      listener: props.listener,
      priority,
      conditions,
      action: elbv2.ListenerAction.forward([this.targetGroup]),
    });

    // Scaling.
    const needsAppScaling = scaleOutOfHours || props.appMaxCount !== undefined || props.appCpuTargetUtilizationPercent !== undefined;
    if (needsAppScaling) {
      this.appScaling = new WorkingHoursScaling(this, 'AppScaling', {
        service: this.appService,
        label: 'app',
        workingHoursCount: this.appDesiredCount,
        maximumCount: props.appMaxCount,
        cpuTargetUtilizationPercent: props.appCpuTargetUtilizationPercent,
        outOfHoursCount: scaleOutOfHours ? this.outOfHoursAppCount : undefined,
        workingHoursStart: props.workingHoursStart,
        workingHoursEnd: props.workingHoursEnd,
      });
    }
    if (scaleOutOfHours) {
      this.workerScaling = new WorkingHoursScaling(this, 'WorkerScaling', {
        service: this.workerService,
        label: 'worker',
        workingHoursCount: this.workerDesiredCount,
        outOfHoursCount: this.outOfHoursWorkerCount,
        workingHoursStart: props.workingHoursStart,
        workingHoursEnd: props.workingHoursEnd,
      });
    }

    if (props.collectionRolloverRedeploy ?? true) {
      this.collectionRollover = new ServiceRedeploySchedule(this, 'CollectionRollover', {
        services: [this.appService, this.workerService],
        encryptionKey: this.encryptionKey.key,
      });
    }

    // Alarms.
    const notifications: AlarmNotificationOptions = {
      topic: props.alarmTopic,
      suppressOkNotifications: props.suppressOkNotifications ?? false,
      treatMissingData: this.alarmTreatMissingData,
    };
    const alarmNamePrefix = props.alarmNamePrefix ?? (Token.isUnresolved(stack.stackName) ? this.node.id : stack.stackName);
    const appAlarms = new FargateServiceAlarms(this, 'AppAlarms', {
      service: this.appService,
      label: 'app',
      alarmNamePrefix,
      notifications,
      cpuThresholdPercent: 80,
      memoryThresholdPercent: 80,
      tasksExitedThreshold: 2 * this.appDesiredCount,
      tasksExitedWindow: Duration.minutes(8),
    });
    const workerAlarms = new FargateServiceAlarms(this, 'WorkerAlarms', {
      service: this.workerService,
      label: 'sidekiq',
      alarmNamePrefix,
      notifications,
      cpuThresholdPercent: 90,
      memoryThresholdPercent: 90,
      tasksExitedThreshold: 2 * this.workerDesiredCount,
      tasksExitedWindow: Duration.minutes(3),
      minimumRunningTasks: this.outOfHoursWorkerCount,
    });
    const hostAlarms = new TargetHealthAlarms(this, 'TargetHealthAlarms', {
      targetGroup: this.targetGroup,
      alarmNamePrefix,
      notifications,
      minimumHealthyHosts: this.outOfHoursAppCount,
    });
    this.alarms = [...appAlarms.alarms, ...workerAlarms.alarms, ...hostAlarms.alarms];
  }

  /**
   * Lets a principal (e.g. the deployment pipeline) run the ad-hoc task definition, passing
   * the two task roles, and follow the tasks it started.
   *
   * @param grantee who runs migrations and one-off jobs
   */
  public grantRunAdHocTask(grantee: iam.IGrantable): iam.Grant {
    const grant = this.adHocTaskDefinition.grantRun(grantee);
    iam.Grant.addToPrincipal({ grantee, actions: ['ecs:DescribeTasks', 'ecs:StopTask'], resourceArns: [this.taskArnPattern()] });
    return grant;
  }

  /**
   * Lets a principal open ECS Exec sessions into the application's tasks, with the key that
   * encrypts the session.
   *
   * @param grantee an operator role
   */
  public grantExecuteCommand(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({ grantee, actions: ['ecs:ExecuteCommand', 'ecs:DescribeTasks'], resourceArns: [this.cluster.clusterArn, this.taskArnPattern()] });
    this.encryptionKey.grant(grantee, ['kms:GenerateDataKey']);
    return grant;
  }

  private taskArnPattern(): string {
    const stack = Stack.of(this);
    return `arn:${stack.partition}:ecs:${stack.region}:${stack.account}:task/${this.cluster.clusterName}/*`;
  }

  private createSecurityGroup(vpc: ec2.IVpc): ec2.SecurityGroup {
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      allowAllOutbound: false,
      description: 'CORE application tasks: 8080 from the load balancer only; HTTPS and HTTP out to AWS APIs and third-party services',
    });
    // Notify, OS Places, Sentry, OpenAI and the AWS APIs are reached through the NAT gateways.
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs and third-party services');
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP to third-party services');
    return securityGroup;
  }

  private buildEnvironment(props: WebApplicationProps): Record<string, string> {
    const secretNames = Object.keys(props.secrets ?? {});
    const hasRedisSecret = secretNames.includes('REDIS_CONFIG');
    if (props.redisUrl !== undefined && hasRedisSecret) {
      throw new Error('redisUrl is set and secrets also provides REDIS_CONFIG: give Redis either as redisUrl or as the REDIS_CONFIG secret, not both');
    }
    if (props.redisUrl === undefined && !hasRedisSecret) {
      throw new Error('redisUrl is missing and secrets has no REDIS_CONFIG: the app needs Redis; pass redisUrl (rediss://host:6379) or a REDIS_CONFIG secret');
    }
    if (props.redisUrl !== undefined && !Token.isUnresolved(props.redisUrl)) {
      if (!props.redisUrl.startsWith('rediss://')) {
        throw new Error(`redisUrl must use TLS (rediss://), got "${props.redisUrl}": enable in-transit encryption on Redis and use its rediss:// URL`);
      }
      if (/^rediss:\/\/[^/]*@/.test(props.redisUrl)) {
        throw new Error('redisUrl contains credentials: pass a URL with an AUTH token as the REDIS_CONFIG secret instead, so it never appears in the task definition');
      }
    }
    for (const name of secretNames) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new Error(`secrets has an invalid environment variable name "${name}": use letters, digits and underscores, not starting with a digit`);
      }
    }

    const environment = {
      ...railsEnvironment(this, {
        appHost: props.appHost,
        railsEnv: props.railsEnv,
        bulkUploadBucket: props.bulkUploadBucket,
        collectionResourcesBucket: props.collectionResourcesBucket,
        exportBucket: props.exportBucket,
        redisUrl: props.redisUrl,
        relativeUrlRoot: props.relativeUrlRoot,
      }),
    };
    for (const [name, value] of Object.entries(props.environment ?? {})) {
      if (SECRET_LOOKING_NAME.test(name)) {
        throw new Error(`environment has "${name}", which looks like a credential: pass it in secrets (Secrets Manager or SSM SecureString) so it never appears in plain text`);
      }
      if (name in environment) {
        throw new Error(`environment sets "${name}", which the construct already sets from its props: remove it from environment and use the matching prop`);
      }
      environment[name] = value;
    }
    for (const name of secretNames) {
      if (name in environment) {
        throw new Error(`"${name}" is both a secret and a plain environment variable: keep it only in secrets`);
      }
    }
    return environment;
  }
}

function assertAtLeastOne(propName: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${propName} must be a whole number of at least 1, got ${value}: use out-of-hours scaling to run fewer tasks at night`);
  }
}

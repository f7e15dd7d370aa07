import { Duration, Size, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER_NAME } from '../edge/origin-header';
import { EncryptionKey } from '../security/encryption-key';
import { type AlarmNotificationOptions } from '../shared/notifying-alarm';
import { FargateServiceAlarms } from './fargate-service-alarms';
import { addRailsTaskDefinition, APP_CONTAINER_PORT, type RailsContainerSettings } from './rails-task-definition';
import { ServiceRedeploySchedule } from './service-redeploy-schedule';
import { TargetHealthAlarms } from './target-health-alarms';
import type { WebApplicationProps } from './web-application-props';
import { resolveWebApplicationSettings, type WebApplicationSettings } from './web-application-settings';
import { WorkingHoursScaling } from './working-hours-scaling';

/**
 * CORE's Rails application on ECS Fargate: a web service behind the load balancer, a
 * Sidekiq worker service and an ad-hoc task definition for migrations and one-off jobs, with
 * scaling schedules, alarms and the collection-rollover redeploy.
 *
 * - Every prop is checked before the first resource is created
 *   ({@link resolveWebApplicationSettings}); the result is {@link settings}.
 * - The cluster runs Container Insights and encrypts ECS Exec sessions with the key, logging
 *   them to the encrypted log group.
 * - Every container runs the same image (repository + tag from synth) as user `nonroot` on
 *   Linux/X86_64 and logs through `awslogs` in non-blocking mode (4 MiB buffer).
 * - Secrets reach containers only through ECS `secrets`; the execution role may read exactly
 *   those, pull the image and write logs. The task role may use the three buckets as
 *   described on their props and open ECS Exec channels, nothing else.
 * - The web service is registered with an IP target group (HTTP 8080, least outstanding
 *   requests, health check expecting 204), reached through a listener rule that requires the
 *   CloudFront origin header (and the path prefix of a review app).
 * - Deployments are rolling (100 % / 200 %) with the circuit breaker rolling back failures.
 *
 * The web service was first called `app`: its construct ids (`AppService`,
 * `AppTaskDefinition`, `AppScaling`, `AppAlarms`), its container, service and task family
 * names and its alarm names keep that name, because renaming them would replace deployed
 * resources.
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
 *   secrets: { DATABASE_URL: ecs.Secret.fromSecretsManager(database.databaseUrlSecret) },
 *   redis: RedisConnection.fromSecret(ecs.Secret.fromSecretsManager(redisConfig)),
 *   web: { cpu: 1024, memoryMiB: 2048, desiredCount: 4 },
 *   outOfHours: { workdayStart: '07:00', workdayEnd: '19:30', webCount: 2 },
 *   alarmTopic: alerts.topic,
 *   resourceNamePrefix: 'core-staging',
 * });
 */
export class WebApplication extends Construct implements ec2.IConnectable {
  /** The settings in force: the props checked, with every default applied. */
  public readonly settings: WebApplicationSettings;

  /** The ECS cluster. */
  public readonly cluster: ecs.Cluster;

  /** The web (Puma) service behind the load balancer. */
  public readonly webService: ecs.FargateService;

  /** The Sidekiq worker service. */
  public readonly workerService: ecs.FargateService;

  /** Task definition of the web service. */
  public readonly webTaskDefinition: ecs.FargateTaskDefinition;

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

  /** Target group of the web service. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;

  /** Listener rule that forwards CloudFront traffic to the web service. */
  public readonly listenerRule: elbv2.ApplicationListenerRule;

  /** Every alarm of the application. */
  public readonly alarms: cloudwatch.Alarm[];

  /** Scheduled (and CPU) scaling of the web service, if any. */
  public readonly webScaling?: WorkingHoursScaling;

  /** Scheduled scaling of the worker service, if any. */
  public readonly workerScaling?: WorkingHoursScaling;

  /** The collection-rollover redeploy schedules, if enabled. */
  public readonly collectionRollover?: ServiceRedeploySchedule;

  constructor(scope: Construct, id: string, props: WebApplicationProps) {
    super(scope, id);
    const settings = resolveWebApplicationSettings(this, props);
    this.settings = settings;
    const stack = Stack.of(this);
    const named = (suffix: string): string | undefined => (settings.resourceNamePrefix === undefined ? undefined : `${settings.resourceNamePrefix}-${suffix}`);

    // Shared resources: key, logs, cluster, roles, network.
    this.encryptionKey =
      props.encryptionKey ?? new EncryptionKey(this, 'Key', { description: 'Encrypts the CORE application logs, ECS Exec sessions and schedules', removalPolicy: settings.removalPolicy });
    this.encryptionKey.allowCloudWatchLogs();

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: this.encryptionKey.key,
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      clusterName: settings.clusterName,
      containerInsightsV2: settings.containerInsights,
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
    this.taskRole = new iam.Role(this, 'TaskRole', { roleName: named('task'), assumedBy: ecsTasksPrincipal, description: 'Credentials of the CORE application containers' });
    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: named('task-execution'),
      assumedBy: ecsTasksPrincipal,
      description: 'Lets ECS pull the CORE image, write its logs and fetch its secrets',
    });
    if (settings.secretsKeys.length > 0) {
      this.executionRole.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: settings.secretsKeys.map((key) => key.keyArn),
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
    const containers: RailsContainerSettings = {
      image: ecs.ContainerImage.fromEcrRepository(props.repository, props.imageTag),
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'core', mode: ecs.AwsLogDriverMode.NON_BLOCKING, maxBufferSize: Size.mebibytes(4) }),
      environment: settings.environment,
      secrets: settings.secrets,
      writableDirectories: settings.writableDirectories,
      taskRole: this.taskRole,
      executionRole: this.executionRole,
    };
    const { web, worker, adHoc } = settings;
    this.webTaskDefinition = addRailsTaskDefinition(this, 'AppTaskDefinition', containers, { family: named('app'), ...web, containerName: 'app', port: APP_CONTAINER_PORT });
    this.workerTaskDefinition = addRailsTaskDefinition(this, 'WorkerTaskDefinition', containers, { family: named('sidekiq'), ...worker, containerName: 'sidekiq' });
    this.adHocTaskDefinition = addRailsTaskDefinition(this, 'AdHocTaskDefinition', containers, { family: named('ad-hoc'), ...adHoc, containerName: 'app', port: APP_CONTAINER_PORT });

    // Services.
    const serviceDefaults = {
      cluster: this.cluster,
      vpcSubnets: settings.vpcSubnets,
      securityGroups: [this.securityGroup],
      assignPublicIp: false,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      enableExecuteCommand: true,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      platformVersion: ecs.FargatePlatformVersion.LATEST,
    } satisfies Partial<ecs.FargateServiceProps>;
    this.webService = new ecs.FargateService(this, 'AppService', {
      ...serviceDefaults,
      serviceName: named('app'),
      taskDefinition: this.webTaskDefinition,
      desiredCount: web.desiredCount,
      healthCheckGracePeriod: settings.healthCheckGracePeriod,
    });
    this.workerService = new ecs.FargateService(this, 'WorkerService', {
      ...serviceDefaults,
      serviceName: named('sidekiq'),
      taskDefinition: this.workerTaskDefinition,
      desiredCount: worker.desiredCount,
    });

    // Load balancing.
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: props.vpc,
      port: APP_CONTAINER_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      loadBalancingAlgorithmType: elbv2.TargetGroupLoadBalancingAlgorithmType.LEAST_OUTSTANDING_REQUESTS,
      healthCheck: {
        path: settings.healthCheckPath,
        healthyHttpCodes: '204',
        interval: Duration.seconds(30),
        timeout: Duration.seconds(3),
        healthyThresholdCount: 3,
        unhealthyThresholdCount: 2,
      },
      targets: [this.webService.loadBalancerTarget({ containerName: 'app', containerPort: APP_CONTAINER_PORT })],
    });
    const conditions = [elbv2.ListenerCondition.httpHeader(ORIGIN_VERIFY_HEADER_NAME, [props.originVerifySecret.secretValue.unsafeUnwrap()])];
    if (settings.relativeUrlRoot !== '') {
      conditions.push(elbv2.ListenerCondition.pathPatterns([settings.relativeUrlRoot, `${settings.relativeUrlRoot}/*`]));
    }
    this.listenerRule = new elbv2.ApplicationListenerRule(this, 'ListenerRule', {
      listener: props.listener,
      priority: settings.listenerRulePriority,
      conditions,
      action: elbv2.ListenerAction.forward([this.targetGroup]),
    });

    // Scaling.
    if (settings.webScaling) this.webScaling = new WorkingHoursScaling(this, 'AppScaling', { service: this.webService, ...settings.webScaling });
    if (settings.workerScaling) this.workerScaling = new WorkingHoursScaling(this, 'WorkerScaling', { service: this.workerService, ...settings.workerScaling });
    if (settings.collectionRolloverRedeploy) {
      this.collectionRollover = new ServiceRedeploySchedule(this, 'CollectionRollover', {
        services: [this.webService, this.workerService],
        encryptionKey: this.encryptionKey.key,
      });
    }

    // Alarms.
    const notifications: AlarmNotificationOptions = {
      topic: props.alarmTopic,
      suppressOkNotifications: settings.suppressOkNotifications,
      treatMissingData: settings.alarmTreatMissingData,
    };
    const { alarmNamePrefix, outOfHours } = settings;
    const webAlarms = new FargateServiceAlarms(this, 'AppAlarms', {
      service: this.webService,
      label: 'app',
      alarmNamePrefix,
      notifications,
      cpuThresholdPercent: 80,
      memoryThresholdPercent: 80,
      tasksExitedThreshold: 2 * web.desiredCount,
      tasksExitedWindow: Duration.minutes(8),
    });
    const workerAlarms = new FargateServiceAlarms(this, 'WorkerAlarms', {
      service: this.workerService,
      label: 'sidekiq',
      alarmNamePrefix,
      notifications,
      cpuThresholdPercent: 90,
      memoryThresholdPercent: 90,
      tasksExitedThreshold: 2 * worker.desiredCount,
      tasksExitedWindow: Duration.minutes(3),
      minimumRunningTasks: outOfHours.workerCount,
    });
    const hostAlarms = new TargetHealthAlarms(this, 'TargetHealthAlarms', {
      targetGroup: this.targetGroup,
      alarmNamePrefix,
      notifications,
      minimumHealthyHosts: outOfHours.webCount,
    });
    this.alarms = [...webAlarms.alarms, ...workerAlarms.alarms, ...hostAlarms.alarms];
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
}

import { Annotations, Fn, RemovalPolicy, Stack, Stage, type StageProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { createDatabaseUrlSecret, RedisCache, RedisConnection, WebApplication } from '@core-infra/constructs';
import { declareEphemeralStack } from '@core-infra/policies';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/schema';
import { REVIEW_APP_NAME_PATTERN, reviewAppPrefix, taskExecutionRoleName, taskRoleName } from '../naming';
import { APP_SECRET_NAMES, appSecretName, PERFORMANCE_TEST_SECRET_NAMES } from '../wiring/app-secrets';
import { originHeaderSecretName, registryRepository } from '../stacks/app-stack';
import { DeploymentAccessStack } from '../stacks/deployment-access-stack';
import { allowClientToServer } from '../wiring/allow-client';
import { availabilityZones } from '../stacks/network-stack';
import { redisConfigSecret } from '../wiring/redis-config-secret';
import { redisProps } from '../wiring/redis-props';
import { publishSharedParameters, readSharedList, readSharedParameter, type SharedParameter } from './shared-parameters';
import { addWorkloadStacks, type WorkloadStacks } from './workload-stacks';
import { useBootstrapQualifier } from './bootstrap-qualifier';
import { BOOTSTRAP_PERMISSIONS_BOUNDARY } from './permissions-boundary';

/** Props of {@link DevStage}. */
export interface DevStageProps extends StageProps {
  /** The validated dev config. */
  readonly config: EnvironmentConfig;
  /**
   * Dev's first deployment: no app and edge stacks yet, so no load balancer parameters for
   * review apps (see `FIRST_DEPLOY_CONTEXT`).
   *
   * @default false
   */
  readonly firstDeploy?: boolean;
}

/**
 * The dev account's shared infrastructure: network, load balancer, CloudFront and WAF, the shared
 * database and buckets, monitoring and deployment roles. It publishes what review apps need as
 * SSM parameters.
 */
export class DevStage extends Stage {
  /** The shared stacks. */
  public readonly stacks: WorkloadStacks;
  /** The deployment roles, scoped to review-app resources. */
  public readonly deploymentAccess: DeploymentAccessStack;

  constructor(scope: Construct, id: string, props: DevStageProps) {
    super(scope, id, { permissionsBoundary: BOOTSTRAP_PERMISSIONS_BOUNDARY, ...props });
    useBootstrapQualifier(this, props.config.bootstrapQualifier);
    const { config } = props;
    this.stacks = addWorkloadStacks(this, config, { withApplication: false, firstDeploy: props.firstDeploy });
    const { network, app, data } = this.stacks;
    const privateSubnets = network.network.privateSubnets;
    publishSharedParameters(network, config.prefix, {
      vpcId: network.network.vpcId,
      privateSubnetIds: Fn.join(',', privateSubnets.map((s) => s.subnetId)),
    });
    if (app) {
      publishSharedParameters(app, config.prefix, {
        httpsListenerArn: app.frontDoor.httpsListener.listenerArn,
        loadBalancerSecurityGroupId: app.frontDoor.securityGroup.securityGroupId,
      });
    }
    const keyArn = (bucket: s3.IBucket) => {
      if (!bucket.encryptionKey) throw new Error(`${bucket.node.path} has no customer-managed key; review apps need it to read and write`);
      return bucket.encryptionKey.keyArn;
    };
    publishSharedParameters(data, config.prefix, {
      databaseSecurityGroupId: data.database.securityGroup.securityGroupId,
      databaseSecretArn: data.database.secret.secretArn,
      databaseAddress: data.database.instance.dbInstanceEndpointAddress,
      databasePort: data.database.instance.dbInstanceEndpointPort,
      databaseUsername: data.database.masterUsername,
      databaseKeyArn: data.database.encryptionKey.key.keyArn,
      appSecretsKeyArn: data.appSecrets.encryptionKey.key.keyArn,
      bulkUploadBucketName: data.bulkUploadBucket.bucketName,
      bulkUploadKeyArn: keyArn(data.bulkUploadBucket.bucket),
      exportBucketName: data.exportBucket.bucketName,
      exportKeyArn: keyArn(data.exportBucket.bucket),
      collectionResourcesBucketName: data.collectionResourcesBucket.bucketName,
      collectionResourcesKeyArn: keyArn(data.collectionResourcesBucket.bucket),
    });
    this.deploymentAccess = new DeploymentAccessStack(this, 'deployment-access', {
      env: { account: config.account, region: config.region },
      config,
      application: {
        clusterName: REVIEW_APP_NAME_PATTERN,
        serviceNames: [REVIEW_APP_NAME_PATTERN],
        runTaskDefinitionFamilies: [REVIEW_APP_NAME_PATTERN],
        taskRoleName: taskRoleName(REVIEW_APP_NAME_PATTERN),
        executionRoleName: taskExecutionRoleName(REVIEW_APP_NAME_PATTERN),
      },
    });
  }
}

/** Props of {@link ReviewAppStage}. */
export interface ReviewAppStageProps extends StageProps {
  /** The validated dev config. */
  readonly config: EnvironmentConfig;
  /** The review app's number (its pull request). */
  readonly reviewApp: number;
}

/**
 * One review app: its own ECS cluster, services and Redis, its own database URL on the shared
 * instance, and a listener rule on the shared load balancer for the path `/<N>`. It reads the
 * shared infrastructure from SSM parameters, scales to zero out of hours, and is declared
 * ephemeral: everything in it is destroyed when the pull request closes.
 */
export class ReviewAppStage extends Stage {
  /** The review app's only stack. */
  public readonly stack: Stack;
  /** The application. */
  public readonly application: WebApplication;

  constructor(scope: Construct, id: string, props: ReviewAppStageProps) {
    super(scope, id, { permissionsBoundary: BOOTSTRAP_PERMISSIONS_BOUNDARY, ...props });
    useBootstrapQualifier(this, props.config.bootstrapQualifier);
    const { config, reviewApp } = props;
    const prefix = reviewAppPrefix(reviewApp);
    this.stack = new Stack(this, 'app', { env: { account: config.account, region: config.region }, tags: { ...config.tags, Environment: prefix } });
    const stack = this.stack;
    declareEphemeralStack(stack, `review app ${reviewApp}: destroyed when its pull request closes; its database on the shared instance is not in this stack (drop it with rake db:drop on the ad-hoc task before teardown)`);
    const read = (parameter: SharedParameter) => readSharedParameter(stack, config.prefix, parameter);
    const azs = availabilityZones(config);
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: read('vpcId'),
      availabilityZones: azs,
      privateSubnetIds: readSharedList(stack, config.prefix, 'privateSubnetIds', azs.length),
    });
    // Review apps never touch routing (the shared network stack owns it), so no route tables are imported.
    Annotations.of(vpc).acknowledgeWarning('@aws-cdk/aws-ec2:noSubnetRouteTableId', 'review apps only place tasks in the shared subnets; routing belongs to the shared network stack');
    const listener = elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'Listener', {
      listenerArn: read('httpsListenerArn'),
      securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'LoadBalancerSecurityGroup', read('loadBalancerSecurityGroupId')),
    });
    const key = (keyId: string, parameter: SharedParameter) => kms.Key.fromKeyArn(stack, keyId, read(parameter));
    const bucket = (bucketId: string, name: SharedParameter, keyParameter: SharedParameter) =>
      s3.Bucket.fromBucketAttributes(stack, bucketId, { bucketName: read(name), encryptionKey: key(`${bucketId}Key`, keyParameter) });

    const redis = new RedisCache(stack, 'Redis', redisProps({ vpc, prefix, nodeType: config.reviewApps?.redisNodeType ?? config.redis.nodeType, highlyAvailable: false, snapshotRetentionDays: 0 }));
    const databaseKey = key('DatabaseKey', 'databaseKeyArn');
    const databaseUrl = createDatabaseUrlSecret(stack, 'DatabaseUrl', {
      masterSecretArn: read('databaseSecretArn'),
      masterUsername: read('databaseUsername'),
      endpointAddress: read('databaseAddress'),
      endpointPort: read('databasePort'),
      databaseName: prefix,
      encryptionKey: databaseKey,
      removalPolicy: RemovalPolicy.DESTROY,
      instanceDescription: `the shared ${config.prefix} instance`,
    });
    const appSecretsKey = key('AppSecretsKey', 'appSecretsKeyArn');
    const secretNames = [...APP_SECRET_NAMES, ...(config.app.performanceTestSecrets ? PERFORMANCE_TEST_SECRET_NAMES : [])];
    const appSecrets = Object.fromEntries(
      secretNames.map((name) => [name, ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(stack, name, appSecretName(config.prefix, name)))]),
    );
    this.application = new WebApplication(stack, 'Application', {
      vpc,
      listener,
      listenerRulePriority: reviewApp,
      originVerifySecret: secretsmanager.Secret.fromSecretNameV2(stack, 'OriginHeader', originHeaderSecretName(config.prefix)),
      relativeUrlRoot: `/${reviewApp}`,
      repository: registryRepository(stack, config),
      imageTag: config.app.imageTag,
      appHost: config.hostnames.app,
      railsEnv: config.app.railsEnv,
      bulkUploadBucket: bucket('BulkUploadBucket', 'bulkUploadBucketName', 'bulkUploadKeyArn'),
      exportBucket: bucket('ExportBucket', 'exportBucketName', 'exportKeyArn'),
      collectionResourcesBucket: bucket('CollectionResourcesBucket', 'collectionResourcesBucketName', 'collectionResourcesKeyArn'),
      secrets: { ...appSecrets, DATABASE_URL: ecs.Secret.fromSecretsManager(databaseUrl) },
      redis: RedisConnection.fromSecret(ecs.Secret.fromSecretsManager(redisConfigSecret(stack, 'RedisConfig', redis))),
      secretsKeys: [appSecretsKey],
      web: config.reviewApps?.web ?? config.app.web,
      worker: config.app.worker,
      adHoc: config.app.adHoc,
      outOfHours: config.app.outOfHours,
      collectionRolloverRedeploy: false,
      alarmTopic: sns.Topic.fromTopicArn(stack, 'AlertTopic', `arn:aws:sns:${config.region}:${config.account}:${config.prefix}-alerts`),
      alarmNamePrefix: prefix,
      suppressOkNotifications: config.app.suppressOkNotifications,
      alarmTreatMissingData: config.app.missingDataNotBreaching ? cloudwatch.TreatMissingData.NOT_BREACHING : cloudwatch.TreatMissingData.BREACHING,
      removalPolicy: RemovalPolicy.DESTROY,
      resourceNamePrefix: prefix,
    });
    redis.allowFrom(this.application);
    const databaseSecurityGroup = ec2.SecurityGroup.fromSecurityGroupId(stack, 'DatabaseSecurityGroup', read('databaseSecurityGroupId'), { allowAllOutbound: false });
    allowClientToServer(this.application.securityGroup, databaseSecurityGroup, ec2.Port.tcp(5432), `review app ${reviewApp} to the shared PostgreSQL`);
  }
}

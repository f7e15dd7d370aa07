import { Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as shield from 'aws-cdk-lib/aws-shield';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AccessLogBucket, CloudFrontOnlyLoadBalancer, RedisCache, RedisConnection, WebApplication, type CoreNetwork } from '@core-infra/constructs';
import { allowClientToServer } from '../wiring/allow-client';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/schema';
import type { DataStack } from './data-stack';

/** Listener rule priority of the environment's own application (review apps use their number). */
export const ENVIRONMENT_APP_RULE_PRIORITY = 50_000;

/** Props of {@link AppStack}. */
export interface AppStackProps extends StackProps {
  /** The environment's config. */
  readonly config: EnvironmentConfig;
  /** The network. */
  readonly network: CoreNetwork;
  /** The stateful resources the application uses. */
  readonly data: DataStack;
  /** Where alarms notify. */
  readonly alarmTopic: sns.ITopic;
  /** Whether the environment runs its own application (dev runs only review apps). */
  readonly withApplication: boolean;
}

/**
 * The request path inside the region: the load balancer that admits only CloudFront and, unless
 * the environment only hosts review apps, the ECS Fargate application behind it.
 */
export class AppStack extends Stack {
  /** The CloudFront-only load balancer. */
  public readonly frontDoor: CloudFrontOnlyLoadBalancer;
  /** The application, when the environment runs one. */
  public readonly application?: WebApplication;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    // Declared up front so that security-group rules between the application and the data tier
    // are created here (the dependent stack) rather than in the data stack.
    this.addStackDependency(data, 'the application uses the data tier');
    const logs = new AccessLogBucket(this, 'LoadBalancerLogs', { bucketName: `${config.prefix}-load-balancer-logs-${config.account}`, elbLogDelivery: true });
    this.frontDoor = new CloudFrontOnlyLoadBalancer(this, 'FrontDoor', {
      vpc: props.network.vpc,
      domainName: config.hostnames.loadBalancer,
      accessLogBucket: logs,
      originHeaderSecretName: originHeaderSecretName(config.prefix),
      loadBalancerName: config.prefix,
    });
    if (config.edge.shield) {
      // The distribution's protection and the protection group live in the edge stack; the load
      // balancer's protection sits beside it here, so no ARN has to cross regions.
      new shield.CfnProtection(this, 'LoadBalancerProtection', { name: `${config.prefix}-load-balancer`, resourceArn: this.frontDoor.loadBalancer.loadBalancerArn });
    }
    if (!props.withApplication) return;

    const app = config.app;
    const { redis, redisConfig } = data;
    if (!redis || !redisConfig) throw new Error(`${config.prefix}: the application needs the data stack's Redis`);
    this.application = new WebApplication(this, 'Application', {
      vpc: props.network.vpc,
      listener: this.frontDoor.httpsListener,
      listenerRulePriority: ENVIRONMENT_APP_RULE_PRIORITY,
      originVerifySecret: this.frontDoor.originHeaderSecret,
      repository: registryRepository(this, config),
      imageTag: app.imageTag,
      appHost: config.hostnames.app,
      railsEnv: app.railsEnv,
      bulkUploadBucket: data.bulkUploadBucket.bucket,
      collectionResourcesBucket: data.collectionResourcesBucket.bucket,
      exportBucket: data.exportBucket.bucket,
      // Secrets from the data stack are imported by ARN and their keys granted to the execution
      // role's own policy: granting the objects would write this stack's roles into the data
      // stack's key policies and make the two stacks depend on each other.
      secrets: {
        ...Object.fromEntries(Object.entries(data.appSecrets.secrets).map(([name, secret]) => [name, ecs.Secret.fromSecretsManager(importSecret(this, name, secret))])),
        DATABASE_URL: ecs.Secret.fromSecretsManager(importSecret(this, 'DatabaseUrl', data.database.databaseUrlSecret)),
      },
      redis: RedisConnection.fromSecret(ecs.Secret.fromSecretsManager(importSecret(this, 'RedisConfigSecret', redisConfig))),
      secretsKeys: [data.appSecrets.encryptionKey.key, data.database.encryptionKey.key, redis.encryptionKey.key],
      web: app.web,
      worker: app.worker,
      adHoc: app.adHoc,
      writableDirectories: app.writableDirectories,
      outOfHours: app.outOfHours,
      cpuTargetTracking: app.cpuTargetTracking,
      collectionRolloverRedeploy: app.collectionRolloverRedeploy,
      alarmTopic: props.alarmTopic,
      alarmNamePrefix: config.prefix,
      suppressOkNotifications: app.suppressOkNotifications,
      alarmTreatMissingData: app.missingDataNotBreaching ? cloudwatch.TreatMissingData.NOT_BREACHING : cloudwatch.TreatMissingData.BREACHING,
      resourceNamePrefix: config.prefix,
    });
    allowClientToServer(this.application.securityGroup, data.database.securityGroup, ec2.Port.tcp(5432), 'application to PostgreSQL');
    allowClientToServer(this.application.securityGroup, redis.securityGroup, ec2.Port.tcp(RedisCache.PORT), 'application to Redis');
  }
}

/** A secret of another stack, seen by ARN only (see the comment where it is used). */
function importSecret(scope: Construct, id: string, secret: secretsmanager.ISecret): secretsmanager.ISecret {
  return secretsmanager.Secret.fromSecretCompleteArn(scope, `${id}Import`, secret.secretArn);
}

/** Name of the secret holding the header CloudFront sends to the load balancer. */
export function originHeaderSecretName(prefix: string): string {
  return `${prefix}/cloudfront-origin-header`;
}

/** The application's image repository in the registry account. */
export function registryRepository(scope: Construct, config: EnvironmentConfig): ecr.IRepository {
  const { account, region, repository } = config.registry;
  return ecr.Repository.fromRepositoryAttributes(scope, 'Repository', {
    repositoryArn: `arn:aws:ecr:${region}:${account}:repository/${repository}`,
    repositoryName: repository,
  });
}

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { createTestApp, TEST_ENV } from '@core-infra/testing';
import { listAssemblyStacks } from '../../src/engine/assembly';

/** The knobs a test turns to make one variant of the small CORE-like app. */
export interface GateAppVariant {
  /** Construct id of the RDS instance. */
  readonly databaseId?: string;
  /** Physical name of the uploads bucket (setting it forces a replacement). */
  readonly uploadsBucketName?: string;
  /** Whether the data stack keeps its two buckets. */
  readonly withBuckets?: boolean;
  /** Subnet group of the Redis replication group (changing it forces a replacement). */
  readonly redisSubnetGroupName?: string;
  /** Threshold of the CPU alarm. */
  readonly alarmThreshold?: number;
  /** CPU units of the worker task. */
  readonly taskCpu?: number;
  /** Whether the `Prod` Stage (with its `Store` stack) is in the app. */
  readonly withProdStage?: boolean;
  /** Physical name of the bucket in the Stage's stack. */
  readonly archiveBucketName?: string;
  /** Whether a stack `Extra` holding an archive bucket is in the app. */
  readonly withExtraStack?: boolean;
  /** Physical name of the review app's bucket. */
  readonly reviewBucketName?: string;
  /** Days of automated backups the database keeps; 7 by default, like staging. */
  readonly backupRetentionDays?: number;
  /** Length of the generated Rails master key, in the app stack and the review app (changing it regenerates the value). */
  readonly masterKeyLength?: number;
}

/** Reason the review-app stack declares for being ephemeral. */
export const REVIEW_REASON = 'Review app for pull request 1234, destroyed when the pull request closes';

/**
 * Synthesizes one variant of a small app shaped like a CORE environment: a data stack (VPC,
 * PostgreSQL, Redis, two buckets), an app stack (alarm, task definition, Rails master key), a
 * Stage with one stack, and an ephemeral review-app stack with its own master key.
 *
 * @returns the cloud assembly folder
 */
export function synthGateApp(variant: GateAppVariant = {}): string {
  const app = createTestApp();
  const data = new Stack(app, 'Data', { env: TEST_ENV });
  const vpc = new ec2.Vpc(data, 'Network', {
    maxAzs: 2,
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  new rds.DatabaseInstance(data, variant.databaseId ?? 'Database', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    storageEncrypted: true,
    backupRetention: Duration.days(variant.backupRetentionDays ?? 7),
  });
  new elasticache.CfnReplicationGroup(data, 'Redis', {
    replicationGroupDescription: 'Sidekiq queues and sessions',
    engine: 'redis',
    cacheNodeType: 'cache.t4g.micro',
    numCacheClusters: 1,
    cacheSubnetGroupName: variant.redisSubnetGroupName ?? 'core-redis-a',
  });
  if (variant.withBuckets ?? true) {
    new s3.Bucket(data, 'Uploads', { bucketName: variant.uploadsBucketName });
    new s3.Bucket(data, 'Exports', { removalPolicy: RemovalPolicy.DESTROY });
  }

  const appStack = new Stack(app, 'App', { env: TEST_ENV });
  new cloudwatch.Alarm(appStack, 'HighCpu', {
    metric: new cloudwatch.Metric({ namespace: 'AWS/ECS', metricName: 'CPUUtilization', period: Duration.minutes(5) }),
    threshold: variant.alarmThreshold ?? 80,
    evaluationPeriods: 3,
  });
  const task = new ecs.FargateTaskDefinition(appStack, 'Worker', { cpu: variant.taskCpu ?? 256, memoryLimitMiB: 1024 });
  task.addContainer('worker', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/ruby:3.3') });
  // Generated on the first deploy, then replaced by hand with the key that encrypts credentials.yml.enc.
  new secretsmanager.Secret(appStack, 'RailsMasterKey', { generateSecretString: masterKeyOptions(variant) });

  if (variant.withProdStage ?? true) {
    const prod = new Stage(app, 'Prod', { env: TEST_ENV });
    const store = new Stack(prod, 'Store', { env: TEST_ENV });
    new s3.Bucket(store, 'Archive', { bucketName: variant.archiveBucketName });
  }

  if (variant.withExtraStack) {
    const extra = new Stack(app, 'Extra', { env: TEST_ENV });
    new s3.Bucket(extra, 'Archive');
  }

  const review = new Stack(app, 'Review1234', { env: TEST_ENV });
  review.templateOptions.metadata = { CoreInfra: { Lifecycle: 'ephemeral', Reason: REVIEW_REASON } };
  new s3.Bucket(review, 'Uploads', { bucketName: variant.reviewBucketName, removalPolicy: RemovalPolicy.DESTROY });
  new secretsmanager.Secret(review, 'RailsMasterKey', { generateSecretString: masterKeyOptions(variant) });

  return app.synth().directory;
}

function masterKeyOptions(variant: GateAppVariant): secretsmanager.SecretStringGenerator {
  return { passwordLength: variant.masterKeyLength ?? 32, excludePunctuation: true };
}

/** A scratch folder that {@link removeScratch} deletes. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `gate-${prefix}-`));
}

/** Deletes folders created by a test. */
export function removeScratch(...dirs: readonly (string | undefined)[]): void {
  for (const dir of dirs) {
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Copies an assembly so a test can edit its templates without touching the shared one. */
export function copyAssembly(assemblyDir: string): string {
  const copy = scratchDir('assembly');
  cpSync(assemblyDir, copy, { recursive: true });
  return copy;
}

/** The artifact id of the stack with this display name (e.g. `Prod/Store`). */
export function artifactIdOf(assemblyDir: string, displayName: string): string {
  const stack = listAssemblyStacks(assemblyDir).find((candidate) => candidate.displayName === displayName);
  if (!stack) {
    throw new Error(`no stack ${displayName} in ${assemblyDir}`);
  }
  return stack.artifactId;
}

/** The template file of the stack with this display name. */
export function templateFileOf(assemblyDir: string, displayName: string): string {
  const stack = listAssemblyStacks(assemblyDir).find((candidate) => candidate.displayName === displayName);
  if (!stack) {
    throw new Error(`no stack ${displayName} in ${assemblyDir}`);
  }
  return stack.templatePath;
}

/** The logical ids of the resources of a type in a stack, optionally only those whose id starts with a prefix. */
export function logicalIdsOf(assemblyDir: string, displayName: string, type: string, prefix = ''): string[] {
  const template = JSON.parse(readFileSync(templateFileOf(assemblyDir, displayName), 'utf8')) as {
    Resources: Record<string, { Type: string }>;
  };
  return Object.entries(template.Resources)
    .filter(([logicalId, resource]) => resource.Type === type && logicalId.startsWith(prefix))
    .map(([logicalId]) => logicalId);
}

/** Rewrites a stack's template in place. */
export function editTemplate(assemblyDir: string, displayName: string, edit: (template: Record<string, unknown>) => void): void {
  const file = templateFileOf(assemblyDir, displayName);
  const template = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(template);
  writeFileSync(file, JSON.stringify(template, null, 1));
}

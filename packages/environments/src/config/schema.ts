import { z } from 'zod';
import { describeFargateMemory, isValidFargateTaskSize } from '@core-infra/constructs';

/** Application Load Balancer limit on rules per listener (the default quota); one per review app. */
export const LISTENER_RULE_QUOTA = 100;

/**
 * Largest review-app number. The number is also the review app's listener rule priority, which
 * ALB caps at 50000, and it keeps names such as `core-review-<N>-app` inside the 32 characters of
 * a target group name.
 */
export const MAX_REVIEW_APP_NUMBER = 49_999;

const accountId = z.string().regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id, e.g. "123456789012"' });
const region = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: 'must be an AWS region code, e.g. "eu-west-2"' });
const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { error: 'must be a lower-case DNS hostname, e.g. "staging.example.gov.uk"' });
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a 24-hour time "HH:MM", e.g. "07:30"' });
const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, { error: 'must be an IAM role ARN, e.g. "arn:aws:iam::123456789012:role/reader"' });
const count = (max: number) => z.number().int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 or more' }).max(max, { error: `must be at most ${max}` });
const githubName = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, { error: 'must be a GitHub owner or repository name (letters, digits, "-", "_", "."; no wildcards)' });

function checkFargateSize(ctx: { value: { cpu: number; memoryMiB: number }; issues: unknown[] }): void {
  const { cpu, memoryMiB } = ctx.value;
  if (!isValidFargateTaskSize(cpu, memoryMiB)) {
    ctx.issues.push({ code: 'custom', input: memoryMiB, path: ['memoryMiB'], message: `cpu ${cpu} with memoryMiB ${memoryMiB} is not a Fargate task size: ${describeFargateMemory(cpu)}` });
  }
}

const cpu = z.number().int().describe('CPU units (1024 = 1 vCPU)');
const memoryMiB = z.number().int().describe('memory in MiB');

/** A Fargate task size: CPU units and memory, which must be a pair Fargate accepts. */
export const taskSizeSchema = z.strictObject({ cpu, memoryMiB }).check(checkFargateSize);

/** A Fargate service: a valid task size and its working-hours task count. */
export const serviceSizeSchema = z.strictObject({ cpu, memoryMiB, desiredCount: count(50).describe('tasks during working hours') }).check(checkFargateSize);

/** Settings of one workload environment (dev, staging or production). */
export const environmentConfigSchema = z
  .strictObject({
    stage: z.enum(['dev', 'staging', 'production']).describe('which environment this is'),
    prefix: z.string().regex(/^[a-z][a-z0-9-]{1,20}$/, { error: 'must be lower-case letters, digits and "-", 2–21 characters, e.g. "core-staging"' }).describe('prefix of every resource name'),
    account: accountId.describe('AWS account id of the environment'),
    policyProfile: z.enum(['baseline', 'production']).default('baseline').describe('policy rules the environment must pass'),
    region: region.default('eu-west-2').describe('primary region'),
    registry: z
      .strictObject({
        account: accountId.describe('account of the container registry (the meta account)'),
        region: region.default('eu-west-2'),
        repository: z.string().regex(/^[a-z0-9][a-z0-9._/-]{1,255}$/).default('core'),
      })
      .describe('where the application image comes from'),
    ci: z
      .strictObject({
        scope: z.enum(['nonprod', 'prod']).describe('which CI role of the meta account deploys here'),
        infrastructureRepository: githubName.default('core-infra'),
        applicationRepository: githubName.default('submit-social-housing-lettings-and-sales-data'),
      })
      .describe('the GitHub repositories whose CI roles (in the registry account) may deploy here'),
    hostnames: z.strictObject({
      app: hostname.describe('public hostname served by CloudFront'),
      loadBalancer: hostname.describe('hostname of the load balancer, used as the CloudFront origin'),
    }),
    network: z.strictObject({
      cidr: z.cidrv4({ error: 'must be an IPv4 CIDR block, e.g. "10.0.0.0/16"' }).default('10.0.0.0/16'),
      azCount: z.number().int().min(2, { error: 'must be at least 2: the load balancer and Multi-AZ databases need two zones' }).max(3, { error: 'must be at most 3' }).default(3),
      natGateways: z.number().int().min(1, { error: 'must be at least 1: private tasks reach the internet through NAT' }).default(3),
      flowLogRetentionDays: z.number().int().positive().default(60),
      vpcEndpoints: z.boolean().default(true).describe('interface and gateway endpoints so AWS traffic need not cross NAT'),
    }),
    app: z.strictObject({
      railsEnv: z.string().min(1),
      imageTag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: 'must be a Docker image tag' }).default('latest-deployed').describe('image tag at synth; CI owns the deployed tag'),
      web: serviceSizeSchema,
      worker: serviceSizeSchema,
      adHoc: taskSizeSchema,
      outOfHours: z.strictObject({
        enabled: z.boolean(),
        workdayStart: clockTime,
        workdayEnd: clockTime,
        webCount: count(50),
        workerCount: count(50),
      }),
      cpuTargetTracking: z.strictObject({ enabled: z.boolean(), targetPercent: z.number().min(10).max(90).default(60), maxCount: count(50).default(8) }).default({ enabled: false, targetPercent: 60, maxCount: 8 }),
      collectionRolloverRedeploy: z.boolean().describe('force a redeploy at 00:00 UTC on 1 April'),
      suppressOkNotifications: z.boolean(),
      missingDataNotBreaching: z.boolean().describe('treat missing alarm data as OK (services that scale to zero)'),
      performanceTestSecrets: z.boolean().describe('inject the staging performance-test secrets'),
    }),
    database: z.strictObject({
      instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be an RDS instance class, e.g. "db.t3.small"' }),
      allocatedStorageGiB: z.number().int().min(20).max(65536),
      maxAllocatedStorageGiB: z.number().int().max(65536),
      multiAz: z.boolean(),
      backupRetentionDays: z.number().int().min(0, { error: 'must be 0–35' }).max(35, { error: 'must be 0–35' }),
      deletionProtection: z.boolean(),
      readReplica: z.boolean(),
      scheduledStop: z.strictObject({ enabled: z.boolean(), start: clockTime.default('07:30'), stop: clockTime.default('20:00') }),
      databaseName: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'must be a PostgreSQL identifier, e.g. "data_collector"' }),
      removal: z.enum(['snapshot', 'destroy']).default('snapshot').describe('what happens to the instance when it leaves the template'),
    }),
    redis: z.strictObject({
      nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be an ElastiCache node type, e.g. "cache.t4g.micro"' }),
      highlyAvailable: z.boolean(),
      snapshotRetentionDays: z.number().int().min(0).max(35),
    }),
    edge: z.strictObject({
      geoRestriction: z.boolean().describe('block traffic that is neither from GB nor on the allowlist'),
      allowlist: z.array(z.cidrv4({ error: 'must be an IPv4 CIDR block, e.g. "203.0.113.7/32"' })).default([]),
      shield: z.boolean().describe('Shield Advanced protections (needs a subscription)'),
    }),
    storage: z.strictObject({
      exportBucketSuffix: z.string().regex(/^(-[a-z0-9]+)?$/, { error: 'must be empty or start with "-", e.g. "-cds"' }).default(''),
      cdsConsumerRoleArns: z.array(roleArn).default([]).describe('roles of the CDS team allowed to read exports; empty means no CDS role'),
      removal: z.enum(['retain', 'destroy']).default('retain'),
    }),
    monitoring: z.strictObject({
      budgetUsd: z.number().positive(),
      alertEmail: z.email({ error: 'must be an email address' }),
    }),
    reviewApps: z
      .strictObject({
        sample: z.array(z.number().int().positive().max(MAX_REVIEW_APP_NUMBER)).default([]).describe('review apps synthesized when none are named, so CI always validates the per-review-app stacks'),
        redisNodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/).default('cache.t3.micro'),
        web: serviceSizeSchema.optional(),
      })
      .optional()
      .describe('dev only: per-review-app settings'),
    tags: z.record(z.string(), z.string()).default({}),
  })
  .check((ctx) => {
    const c = ctx.value;
    const issue = (path: (string | number)[], message: string, input: unknown) => ctx.issues.push({ code: 'custom', path, message, input });
    if (c.network.natGateways > c.network.azCount) {
      issue(['network', 'natGateways'], `${c.network.natGateways} NAT gateways need as many AZs, but azCount is ${c.network.azCount}: lower natGateways or raise azCount`, c.network.natGateways);
    }
    if (c.database.maxAllocatedStorageGiB < c.database.allocatedStorageGiB) {
      issue(['database', 'maxAllocatedStorageGiB'], `must be at least allocatedStorageGiB (${c.database.allocatedStorageGiB})`, c.database.maxAllocatedStorageGiB);
    }
    if (c.database.readReplica && c.database.backupRetentionDays === 0) {
      issue(['database', 'readReplica'], 'a read replica needs automated backups: set backupRetentionDays to at least 1', c.database.readReplica);
    }
    if (c.app.outOfHours.webCount > c.app.web.desiredCount) {
      issue(['app', 'outOfHours', 'webCount'], `off-hours count ${c.app.outOfHours.webCount} is above the working-hours count ${c.app.web.desiredCount}`, c.app.outOfHours.webCount);
    }
    if (c.app.outOfHours.workerCount > c.app.worker.desiredCount) {
      issue(['app', 'outOfHours', 'workerCount'], `off-hours count ${c.app.outOfHours.workerCount} is above the working-hours count ${c.app.worker.desiredCount}`, c.app.outOfHours.workerCount);
    }
    if (c.app.outOfHours.enabled && c.app.outOfHours.workdayStart >= c.app.outOfHours.workdayEnd) {
      issue(['app', 'outOfHours', 'workdayEnd'], `must be later than workdayStart (${c.app.outOfHours.workdayStart})`, c.app.outOfHours.workdayEnd);
    }
    if (c.database.scheduledStop.enabled && c.database.scheduledStop.start >= c.database.scheduledStop.stop) {
      issue(['database', 'scheduledStop', 'stop'], `must be later than start (${c.database.scheduledStop.start})`, c.database.scheduledStop.stop);
    }
    if (c.stage === 'production') {
      if (c.ci.scope !== 'prod') issue(['ci', 'scope'], 'production is deployed only by the prod CI role: set scope to "prod"', c.ci.scope);
      if (c.policyProfile !== 'production') issue(['policyProfile'], 'production must be validated with the production policy profile', c.policyProfile);
      if (!c.database.multiAz) issue(['database', 'multiAz'], 'production must run Multi-AZ: set multiAz to true', c.database.multiAz);
      if (c.database.backupRetentionDays < 7) issue(['database', 'backupRetentionDays'], `production must keep at least 7 days of backups, got ${c.database.backupRetentionDays}`, c.database.backupRetentionDays);
      if (!c.database.deletionProtection) issue(['database', 'deletionProtection'], 'production must enable deletion protection', c.database.deletionProtection);
      if (c.database.scheduledStop.enabled) issue(['database', 'scheduledStop', 'enabled'], 'production databases must not stop on a schedule', true);
      if (c.database.removal === 'destroy') issue(['database', 'removal'], 'production databases must be snapshotted on removal, not destroyed', c.database.removal);
      if (c.storage.removal === 'destroy') issue(['storage', 'removal'], 'production buckets must be retained on removal', c.storage.removal);
      if (!c.redis.highlyAvailable) issue(['redis', 'highlyAvailable'], 'production Redis must be highly available (2 nodes with automatic failover)', c.redis.highlyAvailable);
    }
    if (!c.edge.geoRestriction && c.edge.allowlist.length > 0) {
      issue(['edge', 'allowlist'], 'the allowlist only takes effect with geoRestriction: set geoRestriction to true or empty the allowlist', c.edge.allowlist);
    }
    if (c.stage !== 'dev' && c.reviewApps !== undefined) {
      issue(['reviewApps'], `review apps run only in the dev environment, not in ${c.stage}: remove reviewApps`, c.reviewApps);
    }
    if (c.stage === 'dev' && c.reviewApps && c.reviewApps.sample.length > LISTENER_RULE_QUOTA) {
      issue(['reviewApps', 'sample'], `at most ${LISTENER_RULE_QUOTA} review apps fit the shared listener's rule quota`, c.reviewApps.sample.length);
    }
  });

/** Validated settings of a workload environment. */
export type EnvironmentConfig = z.output<typeof environmentConfigSchema>;

/** Settings of the meta account: registry, deployment state and CI access. */
export const metaConfigSchema = z.strictObject({
  stage: z.literal('meta'),
  prefix: z.string().regex(/^[a-z][a-z0-9-]{1,20}$/).default('core-meta'),
  account: accountId,
  region: region.default('eu-west-2'),
  replicaRegion: region.default('eu-west-1').describe('region of the deployment-state replicas'),
  github: z.strictObject({
    owner: githubName,
    repositories: z
      .array(
        z.strictObject({
          name: githubName,
          deploys: z.enum(['application', 'infrastructure']).describe('what the repository deploys: application images and task definitions, or CDK stacks'),
          refs: z.array(z.string().regex(/^refs\/(heads|tags)\/[A-Za-z0-9._/-]+$/, { error: 'must be a full git ref without wildcards, e.g. "refs/heads/main"' })).default([]),
          environments: z.array(z.string().regex(/^[A-Za-z0-9._-]{1,255}$/, { error: 'must be a GitHub environment name without wildcards' })).default([]),
        }),
      )
      .min(1),
    productionEnvironments: z.array(z.string()).default(['production', 'meta']).describe('GitHub environments whose jobs get the production CI role; every other ref or environment gets the non-production role'),
  }),
  workloads: z.strictObject({
    dev: z.strictObject({ account: accountId, prefix: z.string().default('core-dev') }),
    staging: z.strictObject({ account: accountId, prefix: z.string().default('core-staging') }),
    production: z.strictObject({ account: accountId, prefix: z.string().default('core-prod') }),
  }),
  migrationRepositories: z.boolean().describe('create the db-migration and s3-migration repositories'),
  reviewImageRetentionDays: z.number().int().positive().default(30),
  keepProductionImages: z.number().int().positive().default(3),
  keepStagingImages: z.number().int().positive().default(10),
  monitoring: z.strictObject({ budgetUsd: z.number().positive(), alertEmail: z.email({ error: 'must be an email address' }) }),
  tags: z.record(z.string(), z.string()).default({}),
});

/** Validated settings of the meta account. */
export type MetaConfig = z.output<typeof metaConfigSchema>;

/** Input shape of a workload environment config (before defaults). */
export type EnvironmentConfigInput = z.input<typeof environmentConfigSchema>;

/** Input shape of the meta config (before defaults). */
export type MetaConfigInput = z.input<typeof metaConfigSchema>;

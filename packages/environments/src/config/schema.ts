import { z } from 'zod';
import { describeFargateMemory, isValidFargateTaskSize } from '@core-infra/constructs';
import { allowlistCidr, writtenReason, logRetentionDays, tagsSchema, vpcCidr } from './fields';

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
/** Name of an environment: its Nx project, app folder and GitHub environment. */
export const environmentNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]{1,15}$/, { error: 'must be 2–16 lower-case letters and digits, starting with a letter, e.g. "preprod"' })
  .refine((name) => name !== 'meta', { error: '"meta" is the meta account, not a workload environment' });

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
export const taskSizeSchema = z
  .strictObject({
    /** CPU units (1024 = 1 vCPU). */
    cpu,
    /** Memory in MiB. */
    memoryMiB,
  })
  .check(checkFargateSize);

/** A Fargate service: a valid task size and its working-hours task count. */
export const serviceSizeSchema = z
  .strictObject({
    /** CPU units (1024 = 1 vCPU). */
    cpu,
    /** Memory in MiB. */
    memoryMiB,
    /** Tasks during working hours. */
    desiredCount: count(50).describe('tasks during working hours'),
  })
  .check(checkFargateSize);

/** Accounts beyond those a config names that resource policies may name, each with the reason. */
const trustedAccountsSchema = z
  .array(
    z.strictObject({
      /** Account id. */
      account: accountId,
      /** Why principals of that account may be granted access, as long as a policy acknowledgement's reason. */
      reason: writtenReason,
    }),
  )
  .default([])
  .describe('further AWS accounts resource policies may name, each with the reason');

/** Settings of one workload environment (dev, staging or production). */
export const environmentConfigSchema = z
  .strictObject({
    /** Which environment this is. */
    stage: environmentNameSchema.describe('which environment this is: its app folder and Nx project name'),
    /** Prefix of every resource name, e.g. `core-staging`. */
    prefix: z.string().regex(/^[a-z][a-z0-9-]{1,20}$/, { error: 'must be lower-case letters, digits and "-", 2–21 characters, e.g. "core-staging"' }).describe('prefix of every resource name'),
    /** AWS account id. */
    account: accountId.describe('AWS account id of the environment'),
    /**
     * Further AWS accounts that resource policies and role trusts may name, each with the reason.
     * The environment's own account and the accounts named elsewhere in this config are trusted
     * already (CORE.RESPOL.2).
     */
    trustedAccounts: trustedAccountsSchema,
    /** Policy rules the environment must pass: `production` adds the production-only rules. */
    policyProfile: z.enum(['baseline', 'production']).default('baseline').describe('policy rules the environment must pass'),
    /** Primary region. */
    region: region.default('eu-west-2').describe('primary region'),
    /** Where the application image comes from. */
    registry: z
      .strictObject({
        /** Account of the container registry (the meta account). */
        account: accountId.describe('account of the container registry (the meta account)'),
        /** Region of the container registry. */
        region: region.default('eu-west-2'),
        /** Name of the application repository. */
        repository: z.string().regex(/^[a-z0-9][a-z0-9._/-]{1,255}$/).default('core'),
      })
      .describe('where the application image comes from'),
    /** The GitHub repositories whose CI roles (in the registry account) may deploy here. */
    ci: z
      .strictObject({
        /** Which CI role of the meta account deploys here: `prod` only for production. */
        scope: z.enum(['nonprod', 'prod']).describe('which CI role of the meta account deploys here'),
        /** Repository whose CI deploys the CDK stacks. */
        infrastructureRepository: githubName.default('core-infra'),
        /** Repository whose CI deploys application images. */
        applicationRepository: githubName.default('submit-social-housing-lettings-and-sales-data'),
      })
      .describe('the GitHub repositories whose CI roles (in the registry account) may deploy here'),
    /** Public hostnames. */
    hostnames: z.strictObject({
      /** Hostname served by CloudFront. */
      app: hostname.describe('public hostname served by CloudFront'),
      /** Hostname of the load balancer, used as the CloudFront origin. */
      loadBalancer: hostname.describe('hostname of the load balancer, used as the CloudFront origin'),
    }),
    /** The VPC. */
    network: z.strictObject({
      /** IPv4 range of the VPC. */
      cidr: vpcCidr.default('10.0.0.0/16'),
      /** Availability zones the VPC spans (2 or 3). */
      azCount: z.number().int().min(2, { error: 'must be at least 2: the load balancer and Multi-AZ databases need two zones' }).max(3, { error: 'must be at most 3' }).default(3),
      /** NAT gateways (at most one per zone). */
      natGateways: z.number().int().min(1, { error: 'must be at least 1: private tasks reach the internet through NAT' }).max(3, { error: 'must be at most 3, one per zone' }).default(3),
      /** Days the VPC flow logs are kept. */
      flowLogRetentionDays: logRetentionDays.default(60),
      /** Whether interface and gateway endpoints keep AWS traffic off NAT. */
      vpcEndpoints: z.boolean().default(true).describe('interface and gateway endpoints so AWS traffic need not cross NAT'),
    }),
    /** The ECS Fargate application. */
    app: z.strictObject({
      /** `RAILS_ENV` of the containers. */
      railsEnv: z.string().min(1),
      /** Image tag at synthesis; CI owns the tag that runs. */
      imageTag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: 'must be a Docker image tag' }).default('latest-deployed').describe('image tag at synth; CI owns the deployed tag'),
      /** Size and working-hours count of the web service. */
      web: serviceSizeSchema,
      /** Size and working-hours count of the sidekiq worker. */
      worker: serviceSizeSchema,
      /** Size of the ad-hoc task (migrations, one-off jobs). */
      adHoc: taskSizeSchema,
      /**
       * Container directories the app writes to. When set, every container gets a read-only root
       * filesystem with a writable volume at each of these paths (CORE.CONTAINER.3 requires that in
       * the production profile).
       */
      writableDirectories: z
        .array(z.string().regex(/^\/[A-Za-z0-9._/-]+$/, { error: 'must be an absolute container path such as "/app/tmp"' }))
        .default([])
        .describe('container directories the app writes to; set, the root filesystem becomes read-only'),
      /** Scheduled scaling outside working hours (Mon–Fri, Europe/London). */
      outOfHours: z.strictObject({
        /** Whether services scale down out of hours. */
        enabled: z.boolean(),
        /** When working hours start, `HH:MM`. */
        workdayStart: clockTime,
        /** When working hours end, `HH:MM`. */
        workdayEnd: clockTime,
        /** Web tasks out of hours. */
        webCount: count(50),
        /** Worker tasks out of hours. */
        workerCount: count(50),
      }),
      /** Optional CPU target tracking of the web service. */
      cpuTargetTracking: z
        .strictObject({
          /** Whether the web service scales on CPU. */
          enabled: z.boolean(),
          /** CPU utilisation to keep. */
          targetPercent: z.number().min(10).max(90).default(60),
          /** Most web tasks CPU scaling may run. */
          maxCount: count(50).default(8),
        })
        .default({ enabled: false, targetPercent: 60, maxCount: 8 }),
      /** Whether app and worker are redeployed at 00:00 UTC on 1 April. */
      collectionRolloverRedeploy: z.boolean().describe('force a redeploy at 00:00 UTC on 1 April'),
      /** Whether alarms stay silent when they recover. */
      suppressOkNotifications: z.boolean(),
      /** Whether missing alarm data counts as OK (services that scale to zero). */
      missingDataNotBreaching: z.boolean().describe('treat missing alarm data as OK (services that scale to zero)'),
      /** Whether the staging performance-test secrets are injected. */
      performanceTestSecrets: z.boolean().describe('inject the staging performance-test secrets'),
    }),
    /** The PostgreSQL instance. */
    database: z.strictObject({
      /** RDS instance class, e.g. `db.t3.small`. */
      instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be an RDS instance class, e.g. "db.t3.small"' }),
      /** Storage allocated at creation, GiB. */
      allocatedStorageGiB: z.number().int().min(20).max(65536),
      /** Ceiling of storage autoscaling, GiB. */
      maxAllocatedStorageGiB: z.number().int().max(65536),
      /** Whether a standby runs in a second zone. */
      multiAz: z.boolean(),
      /** Days of automated backups (0–35). */
      backupRetentionDays: z.number().int().min(0, { error: 'must be 0–35' }).max(35, { error: 'must be 0–35' }),
      /** Whether RDS refuses to delete the instance. */
      deletionProtection: z.boolean(),
      /** Whether a Multi-AZ read replica runs. */
      readReplica: z.boolean(),
      /** Weekday stop and start of the instance (dev). */
      scheduledStop: z.strictObject({
        /** Whether the instance stops out of hours. */
        enabled: z.boolean(),
        /** Weekday start time, `HH:MM` Europe/London. */
        start: clockTime.default('07:30'),
        /** Weekday stop time, `HH:MM` Europe/London. */
        stop: clockTime.default('20:00'),
      }),
      /** Name of the application database. */
      databaseName: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'must be a PostgreSQL identifier, e.g. "data_collector"' }),
      /** What happens when the instance leaves the template: a final snapshot, or nothing kept. */
      removal: z.enum(['snapshot', 'destroy']).default('snapshot').describe('what happens to the instance when it leaves the template'),
    }),
    /** The shared Redis (staging and production). */
    redis: z.strictObject({
      /** ElastiCache node type. */
      nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be an ElastiCache node type, e.g. "cache.t4g.micro"' }),
      /** Two nodes with Multi-AZ failover, or one. */
      highlyAvailable: z.boolean(),
      /** Days of snapshots kept. */
      snapshotRetentionDays: z.number().int().min(0).max(35),
    }),
    /** CloudFront, WAF and Shield. */
    edge: z.strictObject({
      /** Whether traffic that is neither from GB nor on the allowlist is blocked. */
      geoRestriction: z.boolean().describe('block traffic that is neither from GB nor on the allowlist'),
      /** IPv4 ranges admitted from anywhere when geo restriction is on. */
      allowlist: z.array(allowlistCidr).max(1000, { error: 'at most 1000 entries fit the WAF IP set' }).default([]),
      /** Whether Shield Advanced protects the distribution and the load balancer. */
      shield: z.boolean().describe('Shield Advanced protections (needs a subscription)'),
    }),
    /** The data buckets. */
    storage: z.strictObject({
      /** Suffix of the CDS export bucket name, e.g. `-cds`. */
      exportBucketSuffix: z.string().regex(/^(-[a-z0-9]+)?$/, { error: 'must be empty or start with "-", e.g. "-cds"' }).default(''),
      /** Roles of the CDS team allowed to read exports; empty means no CDS role. */
      cdsConsumerRoleArns: z.array(roleArn).default([]).describe('roles of the CDS team allowed to read exports; empty means no CDS role'),
      /** What happens to the buckets when they leave the template. */
      removal: z.enum(['retain', 'destroy']).default('retain'),
    }),
    /** Alerting and cost. */
    monitoring: z.strictObject({
      /** Monthly budget of the account, USD. */
      budgetUsd: z.number().positive().max(1_000_000, { error: 'must be at most 1000000: a budget is a monthly amount in USD' }),
      /** Mailbox that receives alerts Slack did not take. */
      alertEmail: z.email({ error: 'must be an email address' }),
    }),
    /** Per-review-app settings (dev only). */
    reviewApps: z
      .strictObject({
        /** Review apps synthesized when none are named, so CI always validates the review-app stage. */
        sample: z.array(z.number().int().positive().max(MAX_REVIEW_APP_NUMBER)).default([]).describe('review apps synthesized when none are named, so CI always validates the per-review-app stacks'),
        /** Node type of each review app's Redis. */
        redisNodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/).default('cache.t3.micro'),
        /** Size of review-app web tasks (default: the environment's). */
        web: serviceSizeSchema.optional(),
      })
      .optional()
      .describe('dev only: per-review-app settings'),
    /** Tags added to every stack. */
    tags: tagsSchema,
    /**
     * Written reasons for not meeting a production-profile setting: geo restriction, Shield, a NAT
     * gateway per zone, VPC endpoints, flow logs kept at least 60 days. Only the production
     * profile reads them, and one without a shortfall to explain is an error.
     */
    profileExceptions: z
      .strictObject({
        /** Why the distribution admits every country. */
        geoRestriction: writtenReason.optional(),
        /** Why Shield Advanced is off. */
        shield: writtenReason.optional(),
        /** Why fewer NAT gateways than zones run. */
        natPerAz: writtenReason.optional(),
        /** Why the VPC has no endpoints. */
        vpcEndpoints: writtenReason.optional(),
        /** Why flow logs are kept under 60 days. */
        flowLogRetention: writtenReason.optional(),
      })
      .default({})
      .describe('written reasons for not meeting a production-profile setting'),
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
    checkProfileExceptions(c, issue);
    if (c.account === c.registry.account) {
      issue(['account'], `is the registry's (meta) account: ${c.stage} needs an account of its own, apart from the meta account that holds CI access and deployment state`, c.account);
    }
    if (!c.edge.geoRestriction && c.edge.allowlist.length > 0) {
      issue(['edge', 'allowlist'], 'the allowlist only takes effect with geoRestriction: set geoRestriction to true or empty the allowlist', c.edge.allowlist);
    }
    if (c.stage !== 'dev' && c.reviewApps !== undefined) {
      issue(['reviewApps'], `review apps run only in the dev environment, not in ${c.stage}: remove reviewApps`, c.reviewApps);
    }
    const sample = c.reviewApps?.sample ?? [];
    sample.forEach((reviewApp, index) => {
      if (sample.indexOf(reviewApp) !== index) issue(['reviewApps', 'sample', index], `review app ${reviewApp} is listed twice: name each review app once`, reviewApp);
    });
    if (c.stage === 'dev' && c.reviewApps && c.reviewApps.sample.length > LISTENER_RULE_QUOTA) {
      issue(['reviewApps', 'sample'], `at most ${LISTENER_RULE_QUOTA} review apps fit the shared listener's rule quota`, c.reviewApps.sample.length);
    }
  });

/** Validated settings of a workload environment. */
export type EnvironmentConfig = z.output<typeof environmentConfigSchema>;

type IssueReporter = (path: (string | number)[], message: string, input: unknown) => void;

/** Minimum days of VPC flow logs in the production profile: what the real service keeps. */
export const PRODUCTION_FLOW_LOG_DAYS = 60;

/**
 * The production profile's settings, each of which the config may waive with a written reason
 * in `profileExceptions`; an exception without a shortfall is reported too, so none outlives
 * the reason it was written for.
 */
function checkProfileExceptions(c: EnvironmentConfig, issue: IssueReporter): void {
  const production = c.policyProfile === 'production';
  const shortfalls = {
    geoRestriction: { path: ['edge', 'geoRestriction'], short: !c.edge.geoRestriction, value: c.edge.geoRestriction, fix: 'set edge.geoRestriction to true' },
    shield: { path: ['edge', 'shield'], short: !c.edge.shield, value: c.edge.shield, fix: 'set edge.shield to true (the account needs a Shield Advanced subscription)' },
    natPerAz: { path: ['network', 'natGateways'], short: c.network.natGateways < c.network.azCount, value: c.network.natGateways, fix: `run one NAT gateway per zone (natGateways: ${c.network.azCount})` },
    vpcEndpoints: { path: ['network', 'vpcEndpoints'], short: !c.network.vpcEndpoints, value: c.network.vpcEndpoints, fix: 'set network.vpcEndpoints to true' },
    flowLogRetention: {
      path: ['network', 'flowLogRetentionDays'],
      short: c.network.flowLogRetentionDays < PRODUCTION_FLOW_LOG_DAYS,
      value: c.network.flowLogRetentionDays,
      fix: `keep flow logs at least ${PRODUCTION_FLOW_LOG_DAYS} days`,
    },
  } as const;
  for (const [key, { path, short, value, fix }] of Object.entries(shortfalls)) {
    const reason = c.profileExceptions[key as keyof typeof shortfalls];
    if (production && short && !reason) {
      issue([...path], `the production profile requires it: ${fix}, or write the reason in profileExceptions.${key}`, value);
    } else if (reason && !(production && short)) {
      issue(['profileExceptions', key], production ? `nothing to excuse: ${path.join('.')} meets the production profile; remove the exception` : 'only the production profile takes exceptions: remove it', reason);
    }
  }
}

/** Settings of the meta account: registry, deployment state and CI access. */
export const metaConfigSchema = z.strictObject({
  /** Marks the meta config. */
  stage: z.literal('meta'),
  /** Prefix of every resource name. */
  prefix: z.string().regex(/^[a-z][a-z0-9-]{1,20}$/).default('core-meta'),
  /** AWS account id of the meta account. */
  account: accountId,
  /** Primary region. */
  region: region.default('eu-west-2'),
  /** Region of the deployment-state replicas. */
  replicaRegion: region.default('eu-west-1').describe('region of the deployment-state replicas'),
  /** GitHub Actions access. */
  github: z.strictObject({
    /** GitHub owner (organisation) of the repositories. */
    owner: githubName,
    /** Repositories whose workflows get CI roles. */
    repositories: z
      .array(
        z.strictObject({
          /** Repository name. */
          name: githubName,
          /** What it deploys: application images or CDK stacks. */
          deploys: z.enum(['application', 'infrastructure']).describe('what the repository deploys: application images and task definitions, or CDK stacks'),
          /** Git refs trusted for non-production deploys, e.g. `refs/heads/main`. */
          refs: z.array(z.string().regex(/^refs\/(heads|tags)\/[A-Za-z0-9._/-]+$/, { error: 'must be a full git ref without wildcards, e.g. "refs/heads/main"' })).default([]),
          /** GitHub environments trusted; production ones get the prod role. */
          environments: z.array(z.string().regex(/^[A-Za-z0-9._-]{1,255}$/, { error: 'must be a GitHub environment name without wildcards' })).default([]),
        }),
      )
      .min(1),
    /** GitHub environments whose jobs get the production CI role. */
    productionEnvironments: z
      .array(z.string().regex(/^[A-Za-z0-9._-]{1,255}$/, { error: 'must be a GitHub environment name without wildcards' }))
      .default(['production', 'meta'])
      .describe('GitHub environments whose jobs get the production CI role; every other ref or environment gets the non-production role'),
  }),
  /** CI's shared Nx remote cache (docs/guides/remote-cache.md). */
  nxCache: z
    .strictObject({
      /** Repository, an Nx workspace, whose CI runs use the cache. */
      repository: githubName.default('core-infra').describe('repository, an Nx workspace, whose CI runs use the cache'),
      /** Refs of reviewed code whose runs write the `main` entries that every run may reuse. */
      trustedRefs: z
        .array(z.string().regex(/^refs\/(heads|tags)\/[A-Za-z0-9._/-]+$/, { error: 'must be a full git ref without wildcards, e.g. "refs/heads/main"' }))
        .min(1)
        .default(['refs/heads/main'])
        .describe('refs of reviewed code whose runs write the main entries that every run may reuse'),
      /** GitHub environment a pull-request job names to read the cache and write `pull-requests` entries. */
      pullRequestEnvironment: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,255}$/, { error: 'must be a GitHub environment name without wildcards' })
        .default('nx-cache')
        .describe('GitHub environment a pull-request job names to read the cache and write pull-requests entries'),
      /** Days an entry is kept after it was written. */
      expirationDays: z.number().int().positive().max(365, { error: 'must be at most 365' }).default(30).describe('days an entry is kept after it was written'),
    })
    .prefault({})
    .describe("CI's shared Nx remote cache"),
  /**
   * The workload environments by name, in deployment order (meta always goes first): the set of
   * environments is this map, so adding one is an entry here and an app (`nx g
   * @core-infra/environments:environment`).
   */
  workloads: z
    .record(
      environmentNameSchema,
      z.strictObject({
        /** Account id. */
        account: accountId,
        /** Resource-name prefix, the environment config's `prefix`. */
        prefix: z.string().regex(/^[a-z][a-z0-9-]{1,20}$/, { error: 'must be lower-case letters, digits and "-", 2–21 characters, e.g. "core-staging"' }),
        /** Which CI role deploys it and which deployment state store it uses: `prod` only for production-grade environments. */
        scope: z.enum(['nonprod', 'prod']).default('nonprod').describe('which CI role deploys it and which deployment state store it uses'),
        /** Whether it runs review apps (each with its own task execution role), like dev. */
        reviewApps: z.boolean().default(false).describe('whether it runs review apps, like dev'),
      }),
    )
    .refine((workloads) => Object.keys(workloads).length > 0, { error: 'name at least one workload environment' })
    .describe('the workload environments by name, in deployment order'),
  /**
   * Further AWS accounts that resource policies and role trusts may name, each with the reason.
   * The environment's own account and the accounts named elsewhere in this config are trusted
   * already (CORE.RESPOL.2).
   */
  trustedAccounts: trustedAccountsSchema,
  /** Whether the db-migration and s3-migration repositories exist. */
  migrationRepositories: z.boolean().describe('create the db-migration and s3-migration repositories'),
  /** Days `review-*` images are kept after push. */
  reviewImageRetentionDays: z.number().int().positive().max(365, { error: 'must be at most 365' }).default(30),
  /** How many `production-*` images are kept. */
  keepProductionImages: z.number().int().positive().max(1000, { error: 'must be at most 1000' }).default(3),
  /** How many `staging-*` images are kept. */
  keepStagingImages: z.number().int().positive().max(1000, { error: 'must be at most 1000' }).default(10),
  /** Alerting and cost. */
  monitoring: z.strictObject({
    /** Monthly budget of the meta account, USD. */
    budgetUsd: z.number().positive().max(1_000_000, { error: 'must be at most 1000000: a budget is a monthly amount in USD' }),
    /** Mailbox that receives alerts Slack did not take. */
    alertEmail: z.email({ error: 'must be an email address' }),
  }),
  /** Tags added to every stack. */
  tags: tagsSchema,
}).check((ctx) => {
  // Each account has one role: a workload on the meta account, or two workloads on one account,
  // would let one environment's CI deploy into the other's.
  const { account, workloads } = ctx.value;
  const seen = new Map<string, string>([[account, 'meta']]);
  for (const [name, workload] of Object.entries(workloads)) {
    const other = seen.get(workload.account);
    if (other) {
      const intoProduction = name === 'production' || other === 'production' ? ': a non-production deploy would land in production' : '';
      ctx.issues.push({ code: 'custom', path: ['workloads', name, 'account'], input: workload.account, message: `is also the ${other} account; every environment needs an account of its own${intoProduction}` });
    } else {
      seen.set(workload.account, name);
    }
  }
});

/** Validated settings of the meta account. */
export type MetaConfig = z.output<typeof metaConfigSchema>;

/** Input shape of a workload environment config (before defaults). */
export type EnvironmentConfigInput = z.input<typeof environmentConfigSchema>;

/** Input shape of the meta config (before defaults). */
export type MetaConfigInput = z.input<typeof metaConfigSchema>;

import { z } from 'zod';
import { appConfigSchema, LISTENER_RULE_QUOTA, reviewAppsConfigSchema } from './app-schema';
import { allowlistCidr, writtenReason, logRetentionDays, tagsSchema, vpcCidr } from './fields';
import { accountId, bootstrapQualifier, clockTime, environmentNameSchema, githubName, hostname, region, resourcePrefix, roleArn, trustedAccountsSchema } from './primitives';
import { checkProfileExceptions } from './profile-exceptions';

export { LISTENER_RULE_QUOTA, MAX_REVIEW_APP_NUMBER, serviceSizeSchema, taskSizeSchema } from './app-schema';
export { metaConfigSchema, type MetaConfig, type MetaConfigInput } from './meta-schema';
export { environmentNameSchema } from './primitives';
export { PRODUCTION_FLOW_LOG_DAYS } from './profile-exceptions';

/** Settings of one workload environment (dev, staging or production). */
export const environmentConfigSchema = z
  .strictObject({
    /** Which environment this is. */
    stage: environmentNameSchema.describe('which environment this is: its app folder and Nx project name'),
    /** Prefix of every resource name, e.g. `core-staging`. */
    prefix: resourcePrefix.describe('prefix of every resource name'),
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
    /** Qualifier the environment's accounts are bootstrapped with; CDK's default `hnb659fds` when left out. */
    bootstrapQualifier: bootstrapQualifier.optional(),
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
    app: appConfigSchema,
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
    reviewApps: reviewAppsConfigSchema.optional().describe('dev only: per-review-app settings'),
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

/** Input shape of a workload environment config (before defaults). */
export type EnvironmentConfigInput = z.input<typeof environmentConfigSchema>;

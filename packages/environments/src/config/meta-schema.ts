import { z } from 'zod';
import { tagsSchema } from './fields';
import { accountId, bootstrapQualifier, environmentNameSchema, gitRef, githubEnvironmentName, githubName, region, resourcePrefix, trustedAccountsSchema } from './primitives';

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
  /** Qualifier the meta account is bootstrapped with; CDK's default `hnb659fds` when left out. */
  bootstrapQualifier: bootstrapQualifier.optional(),
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
          refs: z.array(gitRef).default([]),
          /** GitHub environments trusted; production ones get the prod role. */
          environments: z.array(githubEnvironmentName).default([]),
        }),
      )
      .min(1),
    /** GitHub environments whose jobs get the production CI role. */
    productionEnvironments: z
      .array(githubEnvironmentName)
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
        .array(gitRef)
        .min(1)
        .default(['refs/heads/main'])
        .describe('refs of reviewed code whose runs write the main entries that every run may reuse'),
      /** GitHub environment a pull-request job names to read the cache and write `pull-requests` entries. */
      pullRequestEnvironment: githubEnvironmentName
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
        prefix: resourcePrefix,
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

/** Input shape of the meta config (before defaults). */
export type MetaConfigInput = z.input<typeof metaConfigSchema>;

import type { MetaConfigInput } from '../config/schema';
import { PLACEHOLDER_ACCOUNTS } from './accounts';

/**
 * The meta account (§2.12–2.14): the `core` registry with migration repositories, deployment
 * state stores, CI access and CI's shared Nx cache. Unlike the reference, CI roles trust only
 * the main branch and the named GitHub environments, never any ref.
 */
export const metaConfig: MetaConfigInput = {
  stage: 'meta',
  prefix: 'core-meta',
  account: PLACEHOLDER_ACCOUNTS.meta,
  region: 'eu-west-2',
  replicaRegion: 'eu-west-1',
  github: {
    owner: 'communitiesuk',
    repositories: [
      { name: 'submit-social-housing-lettings-and-sales-data', deploys: 'application', refs: ['refs/heads/main'], environments: ['review', 'staging', 'production'] },
      { name: 'core-infra', deploys: 'infrastructure', refs: ['refs/heads/main'], environments: ['meta', 'dev', 'staging', 'production'] },
    ],
  },
  // Main's runs write the entries every run may reuse; pull-request runs share theirs only among
  // themselves (docs/guides/remote-cache.md).
  nxCache: { repository: 'core-infra', trustedRefs: ['refs/heads/main'], pullRequestEnvironment: 'nx-cache', expirationDays: 30 },
  workloads: {
    dev: { account: PLACEHOLDER_ACCOUNTS.dev, prefix: 'core-dev' },
    staging: { account: PLACEHOLDER_ACCOUNTS.staging, prefix: 'core-staging' },
    production: { account: PLACEHOLDER_ACCOUNTS.production, prefix: 'core-prod' },
  },
  migrationRepositories: true,
  monitoring: { budgetUsd: 50, alertEmail: 'core-alerts@example.gov.uk' },
};

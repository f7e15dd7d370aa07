import type { EnvironmentConfigInput } from '../config/schema';
import { PLACEHOLDER_ACCOUNTS } from './accounts';

/** Production as the reference runs it (§3.1): 4 × 1 vCPU/2 GiB web, Multi-AZ RDS with a replica, HA Redis, Shield, no geo restriction. */
export const productionConfig: EnvironmentConfigInput = {
  stage: 'production',
  prefix: 'core-prod',
  account: PLACEHOLDER_ACCOUNTS.production,
  policyProfile: 'production',
  region: 'eu-west-2',
  registry: { account: PLACEHOLDER_ACCOUNTS.meta },
  ci: { scope: 'prod' },
  hostnames: { app: 'submit-social-housing-data.communities.gov.uk', loadBalancer: 'lb.submit-social-housing-data.communities.gov.uk' },
  network: { cidr: '10.0.0.0/16', azCount: 3, natGateways: 3, flowLogRetentionDays: 60, vpcEndpoints: true },
  app: {
    railsEnv: 'production',
    web: { cpu: 1024, memoryMiB: 2048, desiredCount: 4 },
    worker: { cpu: 1024, memoryMiB: 8192, desiredCount: 2 },
    adHoc: { cpu: 1024, memoryMiB: 8192 },
    // Rails writes pids and caches under tmp/, logs under log/, and Ruby uses /tmp; everything else stays read-only.
    writableDirectories: ['/app/tmp', '/app/log', '/tmp'],
    outOfHours: { enabled: true, workdayStart: '07:00', workdayEnd: '19:30', webCount: 2, workerCount: 2 },
    collectionRolloverRedeploy: true,
    suppressOkNotifications: false,
    missingDataNotBreaching: false,
    performanceTestSecrets: false,
  },
  database: {
    instanceClass: 'db.t3.small',
    allocatedStorageGiB: 100,
    maxAllocatedStorageGiB: 200,
    multiAz: true,
    backupRetentionDays: 7,
    deletionProtection: true,
    readReplica: true,
    scheduledStop: { enabled: false },
    databaseName: 'data_collector',
  },
  redis: { nodeType: 'cache.t4g.micro', highlyAvailable: true, snapshotRetentionDays: 5 },
  edge: { geoRestriction: false, shield: true },
  profileExceptions: {
    geoRestriction: 'Production is the public service: housing providers and local authorities submit data from wherever they work, so the WAF admits every country, as the real service does',
  },
  storage: {
    exportBucketSuffix: '-cds',
    cdsConsumerRoleArns: ['arn:aws:iam::100000000009:role/DSQL1', 'arn:aws:iam::100000000009:role/DSQSS'],
  },
  monitoring: { budgetUsd: 775, alertEmail: 'core-alerts@example.gov.uk' },
};

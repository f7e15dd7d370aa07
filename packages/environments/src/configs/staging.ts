import type { EnvironmentConfigInput } from '../config/schema';
import { PLACEHOLDER_ACCOUNTS } from './accounts';

/** Staging as the reference runs it (§3.1): production-like sizes at 0.5 vCPU web, single-node Redis, geo-restricted WAF. */
export const stagingConfig: EnvironmentConfigInput = {
  stage: 'staging',
  prefix: 'core-staging',
  account: PLACEHOLDER_ACCOUNTS.staging,
  region: 'eu-west-2',
  registry: { account: PLACEHOLDER_ACCOUNTS.meta },
  ci: { scope: 'nonprod' },
  hostnames: { app: 'staging.submit-social-housing-data.communities.gov.uk', loadBalancer: 'staging.lb.submit-social-housing-data.communities.gov.uk' },
  network: { cidr: '10.0.0.0/16', azCount: 3, natGateways: 3, flowLogRetentionDays: 60, vpcEndpoints: true },
  app: {
    railsEnv: 'staging',
    web: { cpu: 512, memoryMiB: 1024, desiredCount: 4 },
    worker: { cpu: 1024, memoryMiB: 8192, desiredCount: 2 },
    adHoc: { cpu: 512, memoryMiB: 4096 },
    // Rails writes pids and caches under tmp/, logs under log/, and Ruby uses /tmp; everything else stays read-only.
    writableDirectories: ['/app/tmp', '/app/log', '/tmp'],
    outOfHours: { enabled: true, workdayStart: '07:00', workdayEnd: '19:30', webCount: 2, workerCount: 2 },
    collectionRolloverRedeploy: true,
    suppressOkNotifications: false,
    missingDataNotBreaching: false,
    performanceTestSecrets: true,
  },
  database: {
    instanceClass: 'db.t3.small',
    allocatedStorageGiB: 100,
    maxAllocatedStorageGiB: 200,
    multiAz: true,
    backupRetentionDays: 7,
    deletionProtection: true,
    readReplica: false,
    scheduledStop: { enabled: false },
    databaseName: 'data_collector',
  },
  redis: { nodeType: 'cache.t4g.micro', highlyAvailable: false, snapshotRetentionDays: 5 },
  edge: { geoRestriction: true, allowlist: ['203.0.113.10/32', '203.0.113.11/32'], shield: false },
  storage: { cdsConsumerRoleArns: ['arn:aws:iam::100000000009:role/DSQL1', 'arn:aws:iam::100000000009:role/DSQSS'] },
  monitoring: { budgetUsd: 600, alertEmail: 'core-alerts@example.gov.uk' },
};

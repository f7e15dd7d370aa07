import type { EnvironmentConfigInput } from '../config/schema';
import { PLACEHOLDER_ACCOUNTS } from './accounts';

/**
 * The development account as the reference runs it (§3.1–3.2): shared network, load balancer,
 * CloudFront/WAF, a single-AZ RDS instance without backups that stops out of hours, shared
 * buckets; each review app adds its own cluster, services and Redis and scales to zero at night.
 */
export const devConfig: EnvironmentConfigInput = {
  stage: 'dev',
  prefix: 'core-dev',
  account: PLACEHOLDER_ACCOUNTS.dev,
  region: 'eu-west-2',
  registry: { account: PLACEHOLDER_ACCOUNTS.meta },
  ci: { scope: 'nonprod' },
  hostnames: { app: 'review.submit-social-housing-data.communities.gov.uk', loadBalancer: 'review.lb.submit-social-housing-data.communities.gov.uk' },
  network: { cidr: '10.0.0.0/16', azCount: 3, natGateways: 3, flowLogRetentionDays: 60, vpcEndpoints: true },
  app: {
    railsEnv: 'review',
    web: { cpu: 512, memoryMiB: 1024, desiredCount: 1 },
    worker: { cpu: 512, memoryMiB: 1024, desiredCount: 1 },
    adHoc: { cpu: 512, memoryMiB: 4096 },
    outOfHours: { enabled: true, workdayStart: '08:00', workdayEnd: '19:00', webCount: 0, workerCount: 0 },
    collectionRolloverRedeploy: false,
    suppressOkNotifications: true,
    missingDataNotBreaching: true,
    performanceTestSecrets: true,
  },
  database: {
    instanceClass: 'db.t4g.small',
    allocatedStorageGiB: 50,
    maxAllocatedStorageGiB: 100,
    multiAz: false,
    backupRetentionDays: 0,
    deletionProtection: true,
    readReplica: false,
    scheduledStop: { enabled: true, start: '07:30', stop: '20:00' },
    databaseName: 'core_dev',
  },
  redis: { nodeType: 'cache.t3.micro', highlyAvailable: false, snapshotRetentionDays: 0 },
  edge: { geoRestriction: true, allowlist: ['203.0.113.10/32', '203.0.113.11/32'], shield: false },
  storage: { cdsConsumerRoleArns: [] },
  monitoring: { budgetUsd: 800, alertEmail: 'core-alerts@example.gov.uk' },
  reviewApps: { sample: [1234, 1250], redisNodeType: 'cache.t3.micro' },
};

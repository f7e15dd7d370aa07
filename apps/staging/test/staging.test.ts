import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { buildEnvironmentApp, PLACEHOLDER_ACCOUNTS } from '@core-infra/environments';
import {
  createTestApp,
  describeSynthesizedApp,
  scheduledServiceActions,
  scheduledServiceCapacity,
  serviceDesiredCounts,
  SynthesizedApp,
  taskDefinitionSizes,
  expectGeoRestrictedWebAcl,
  expectNetwork,
  expectMonthlyBudget,
  expectNoShieldProtection,
} from '@core-infra/testing';

// Staging as the reference's §3.1 table runs it: production's shape with 0.5 vCPU web tasks, a
// single Redis node, a geo-restricted WAF, no Shield, and the performance-test secrets.

const CDS_READER_ROLES = ['arn:aws:iam::100000000009:role/DSQL1', 'arn:aws:iam::100000000009:role/DSQSS'];

// One synthesis serves every test in the file: an environment takes seconds to synthesize.
let staging: SynthesizedApp;
beforeAll(() => {
  staging = SynthesizedApp.of(buildEnvironmentApp('staging', { app: createTestApp() }));
});

describe('staging app', () => {
  describeSynthesizedApp(() => staging, {
    baselineDir: path.join(__dirname, '..', 'baseline'),
    stacks: ['core-staging/monitoring', 'core-staging/network', 'core-staging/data', 'core-staging/app', 'core-staging/edge', 'core-staging/deployment-access'],
    terminationProtected: ['core-staging/data'],
  });

  describe('application', () => {
    test('sizes the web, sidekiq and ad-hoc tasks as 512/1024, 1024/8192 and 512/4096', () => {
      expect(taskDefinitionSizes(staging.stack('core-staging/app'))).toEqual({
        'core-staging-app': { cpu: 512, memoryMiB: 1024 },
        'core-staging-sidekiq': { cpu: 1024, memoryMiB: 8192 },
        'core-staging-ad-hoc': { cpu: 512, memoryMiB: 4096 },
      });
    });

    test('runs 4 web and 2 sidekiq tasks', () => {
      expect(serviceDesiredCounts(staging.stack('core-staging/app'))).toEqual({ 'core-staging-app': 4, 'core-staging-sidekiq': 2 });
    });

    test('scales to 2 web and 2 sidekiq tasks outside 07:00–19:30 on weekdays, London time', () => {
      const workingHours = (count: number, outOfHours: number) => [
        { name: 'WorkingHoursStart', schedule: 'cron(0 7 ? * MON-FRI *)', timeZone: 'Europe/London', minCapacity: count, maxCapacity: count },
        { name: 'WorkingHoursEnd', schedule: 'cron(30 19 ? * MON-FRI *)', timeZone: 'Europe/London', minCapacity: outOfHours, maxCapacity: outOfHours },
      ];
      expect(scheduledServiceCapacity(staging.stack('core-staging/app'))).toEqual({
        'core-staging-app': workingHours(4, 2),
        'core-staging-sidekiq': workingHours(2, 2),
      });
    });

    test('redeploys web and sidekiq at 00:00 UTC on 1 April for the collection rollover', () => {
      const rollover = [{ expression: 'cron(0 0 1 4 ? *)', timeZone: 'Etc/UTC' }];
      expect(scheduledServiceActions(staging.stack('core-staging/app'))).toEqual({ 'core-staging-app': rollover, 'core-staging-sidekiq': rollover });
    });

    test('runs Rails as staging with the performance-test secrets', () => {
      staging.stack('core-staging/app').assertions.allResourcesProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [
          Match.objectLike({
            Environment: Match.arrayWith([{ Name: 'RAILS_ENV', Value: 'staging' }]),
            Secrets: Match.arrayWith([
              Match.objectLike({ Name: 'STAGING_PERFORMANCE_TEST_EMAIL' }),
              Match.objectLike({ Name: 'STAGING_PERFORMANCE_TEST_PASSWORD' }),
            ]),
          }),
        ],
      });
      const data = staging.stack('core-staging/data').assertions;
      data.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'core-staging/app/STAGING_PERFORMANCE_TEST_EMAIL' });
      data.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'core-staging/app/STAGING_PERFORMANCE_TEST_PASSWORD' });
    });

    test('alarms notify on recovery and treat missing CPU data as breaching', () => {
      const app = staging.stack('core-staging/app').assertions;
      expect(Object.keys(app.findResources('AWS::CloudWatch::Alarm')).length).toBeGreaterThan(0);
      expect(Object.keys(app.findResources('AWS::CloudWatch::Alarm', { Properties: { OKActions: Match.absent() } }))).toEqual([]);
      app.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'core-staging-app-average-cpu', TreatMissingData: 'breaching' });
    });
  });

  describe('database', () => {
    test('is a Multi-AZ db.t3.small with 100 GiB, 7 days of backups and deletion protection', () => {
      staging.stack('core-staging/data').assertions.hasResourceProperties('AWS::RDS::DBInstance', {
        DBInstanceIdentifier: 'core-staging',
        DBInstanceClass: 'db.t3.small',
        AllocatedStorage: '100',
        MultiAZ: true,
        BackupRetentionPeriod: 7,
        DeletionProtection: true,
        DBName: 'data_collector',
      });
    });

    test('has no read replica', () => {
      staging.stack('core-staging/data').assertions.resourceCountIs('AWS::RDS::DBInstance', 1);
    });

    test('takes a final snapshot on removal', () => {
      const instances = staging.stack('core-staging/data').assertions.findResources('AWS::RDS::DBInstance');
      expect(Object.values(instances).map((r) => [r.DeletionPolicy, r.UpdateReplacePolicy])).toEqual([['Snapshot', 'Snapshot']]);
    });

    test('never stops on a schedule', () => {
      staging.stack('core-staging/data').assertions.resourceCountIs('AWS::Scheduler::Schedule', 0);
    });
  });

  describe('redis', () => {
    test('is one cache.t4g.micro node without failover, keeping 5 days of snapshots', () => {
      const data = staging.stack('core-staging/data').assertions;
      data.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 1);
      data.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        ReplicationGroupId: 'core-staging',
        CacheNodeType: 'cache.t4g.micro',
        NumCacheClusters: 1,
        AutomaticFailoverEnabled: false,
        MultiAZEnabled: false,
        SnapshotRetentionLimit: 5,
      });
    });
  });

  describe('edge', () => {
    test('WAF blocks whatever is neither from GB nor on the allowlist', () => {
      expectGeoRestrictedWebAcl(staging.stack('core-staging/edge'), ['203.0.113.10/32', '203.0.113.11/32']);
    });

    test('has no Shield Advanced protection', () => {
      expectNoShieldProtection([staging.stack('core-staging/app'), staging.stack('core-staging/edge')]);
    });
  });

  describe('storage', () => {
    test('exports to core-staging-export and lets the CDS roles read it', () => {
      const data = staging.stack('core-staging/data').assertions;
      data.hasResourceProperties('AWS::S3::Bucket', { BucketName: `core-staging-export-${PLACEHOLDER_ACCOUNTS.staging}` });
      data.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'core-staging-cds',
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Action: 'sts:AssumeRole', Principal: { AWS: CDS_READER_ROLES } })] },
      });
    });
  });

  describe('account', () => {
    test('budgets 600 USD a month', () => {
      expectMonthlyBudget(staging.stack('core-staging/monitoring'), 600);
    });

    test('runs a 10.0.0.0/16 VPC with 3 NAT gateways and 60 days of flow logs', () => {
      expectNetwork(staging.stack('core-staging/network'), { cidr: '10.0.0.0/16', natGateways: 3, flowLogRetentionDays: [60, 60] });
    });
  });
});

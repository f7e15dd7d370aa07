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
  expectMonthlyBudget,
  expectNetwork,
} from '@core-infra/testing';

// Production as the reference's §3.1 table runs it: 1 vCPU web tasks, a Multi-AZ database with a
// Multi-AZ read replica, highly available Redis, Shield Advanced, and a WAF open to every country.

const CDS_READER_ROLES = ['arn:aws:iam::100000000009:role/DSQL1', 'arn:aws:iam::100000000009:role/DSQSS'];

// One synthesis serves every test in the file: an environment takes seconds to synthesize.
let production: SynthesizedApp;
beforeAll(() => {
  production = SynthesizedApp.of(buildEnvironmentApp('production', { app: createTestApp() }));
});

describe('production app', () => {
  describeSynthesizedApp(() => production, {
    baselineDir: path.join(__dirname, '..', 'baseline'),
    stacks: ['core-prod/monitoring', 'core-prod/network', 'core-prod/data', 'core-prod/app', 'core-prod/edge', 'core-prod/deployment-access'],
    terminationProtected: ['core-prod/data'],
    profile: 'production',
  });

  describe('application', () => {
    test('sizes the web, sidekiq and ad-hoc tasks as 1024/2048, 1024/8192 and 1024/8192', () => {
      expect(taskDefinitionSizes(production.stack('core-prod/app'))).toEqual({
        'core-prod-app': { cpu: 1024, memoryMiB: 2048 },
        'core-prod-sidekiq': { cpu: 1024, memoryMiB: 8192 },
        'core-prod-ad-hoc': { cpu: 1024, memoryMiB: 8192 },
      });
    });

    test('runs 4 web and 2 sidekiq tasks', () => {
      expect(serviceDesiredCounts(production.stack('core-prod/app'))).toEqual({ 'core-prod-app': 4, 'core-prod-sidekiq': 2 });
    });

    test('scales to 2 web and 2 sidekiq tasks outside 07:00–19:30 on weekdays, London time', () => {
      const workingHours = (count: number, outOfHours: number) => [
        { name: 'WorkingHoursStart', schedule: 'cron(0 7 ? * MON-FRI *)', timeZone: 'Europe/London', minCapacity: count, maxCapacity: count },
        { name: 'WorkingHoursEnd', schedule: 'cron(30 19 ? * MON-FRI *)', timeZone: 'Europe/London', minCapacity: outOfHours, maxCapacity: outOfHours },
      ];
      expect(scheduledServiceCapacity(production.stack('core-prod/app'))).toEqual({
        'core-prod-app': workingHours(4, 2),
        'core-prod-sidekiq': workingHours(2, 2),
      });
    });

    test('redeploys web and sidekiq at 00:00 UTC on 1 April for the collection rollover', () => {
      const rollover = [{ expression: 'cron(0 0 1 4 ? *)', timeZone: 'Etc/UTC' }];
      expect(scheduledServiceActions(production.stack('core-prod/app'))).toEqual({ 'core-prod-app': rollover, 'core-prod-sidekiq': rollover });
    });

    test('runs Rails as production without the performance-test secrets', () => {
      production.stack('core-prod/app').assertions.allResourcesProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [
          Match.objectLike({
            Environment: Match.arrayWith([{ Name: 'RAILS_ENV', Value: 'production' }]),
            Secrets: Match.not(Match.arrayWith([Match.objectLike({ Name: Match.stringLikeRegexp('PERFORMANCE_TEST') })])),
          }),
        ],
      });
      const secretNames = Object.values(production.stack('core-prod/data').assertions.findResources('AWS::SecretsManager::Secret')).map((r) => r.Properties.Name as string | undefined);
      expect(secretNames.filter((name) => name?.includes('PERFORMANCE_TEST'))).toEqual([]);
    });

    test('alarms notify on recovery and treat missing CPU data as breaching', () => {
      const app = production.stack('core-prod/app').assertions;
      expect(Object.keys(app.findResources('AWS::CloudWatch::Alarm')).length).toBeGreaterThan(0);
      expect(Object.keys(app.findResources('AWS::CloudWatch::Alarm', { Properties: { OKActions: Match.absent() } }))).toEqual([]);
      app.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'core-prod-app-average-cpu', TreatMissingData: 'breaching' });
    });
  });

  describe('database', () => {
    test('is a Multi-AZ db.t3.small with 100 GiB, 7 days of backups and deletion protection, changed only in the maintenance window', () => {
      production.stack('core-prod/data').assertions.hasResourceProperties('AWS::RDS::DBInstance', {
        DBInstanceIdentifier: 'core-prod',
        DBInstanceClass: 'db.t3.small',
        AllocatedStorage: '100',
        MultiAZ: true,
        BackupRetentionPeriod: 7,
        DeletionProtection: true,
        ApplyImmediately: false,
        DBName: 'data_collector',
      });
    });

    test('has a Multi-AZ, deletion-protected read replica of the primary', () => {
      const data = production.stack('core-prod/data').assertions;
      data.resourceCountIs('AWS::RDS::DBInstance', 2);
      const [primaryId] = Object.keys(data.findResources('AWS::RDS::DBInstance', { Properties: { DBInstanceIdentifier: 'core-prod' } }));
      data.hasResourceProperties('AWS::RDS::DBInstance', {
        DBInstanceIdentifier: 'core-prod-replica',
        SourceDBInstanceIdentifier: { 'Fn::Join': ['', Match.arrayWith([{ Ref: primaryId }])] },
        DBInstanceClass: 'db.t3.small',
        MultiAZ: true,
        DeletionProtection: true,
      });
    });

    test('takes a final snapshot of the primary on removal', () => {
      const data = production.stack('core-prod/data').assertions;
      const primary = Object.values(data.findResources('AWS::RDS::DBInstance', { Properties: { DBInstanceIdentifier: 'core-prod' } }));
      expect(primary.map((r) => [r.DeletionPolicy, r.UpdateReplacePolicy])).toEqual([['Snapshot', 'Snapshot']]);
    });

    test('never stops on a schedule', () => {
      production.stack('core-prod/data').assertions.resourceCountIs('AWS::Scheduler::Schedule', 0);
    });
  });

  describe('redis', () => {
    test('is two cache.t4g.micro nodes with Multi-AZ failover, keeping 5 days of snapshots and notifying the alert topic', () => {
      const data = production.stack('core-prod/data').assertions;
      data.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 1);
      data.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        ReplicationGroupId: 'core-prod',
        CacheNodeType: 'cache.t4g.micro',
        NumCacheClusters: 2,
        AutomaticFailoverEnabled: true,
        MultiAZEnabled: true,
        SnapshotRetentionLimit: 5,
        NotificationTopicArn: Match.anyValue(),
      });
    });
  });

  describe('edge', () => {
    test('WAF has no country or allowlist restriction: the service is public', () => {
      const edge = production.stack('core-prod/edge');
      const [webAcl] = Object.values(edge.assertions.findResources('AWS::WAFv2::WebACL'));
      expect(webAcl).toBeDefined();
      expect(webAcl.Properties.DefaultAction).toEqual({ Allow: {} });
      expect(JSON.stringify(webAcl.Properties.Rules)).not.toContain('GeoMatchStatement');
      edge.assertions.resourceCountIs('AWS::WAFv2::IPSet', 0);
    });

    test('Shield Advanced protects the distribution and the load balancer, grouped', () => {
      const app = production.stack('core-prod/app').assertions;
      const [loadBalancerId] = Object.keys(app.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
      app.resourceCountIs('AWS::Shield::Protection', 1);
      app.hasResourceProperties('AWS::Shield::Protection', { ResourceArn: { Ref: loadBalancerId } });

      const edge = production.stack('core-prod/edge').assertions;
      const [distributionId] = Object.keys(edge.findResources('AWS::CloudFront::Distribution'));
      edge.resourceCountIs('AWS::Shield::Protection', 1);
      edge.hasResourceProperties('AWS::Shield::Protection', { ResourceArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: distributionId }])] } });
      edge.resourceCountIs('AWS::Shield::ProtectionGroup', 1);
    });
  });

  describe('storage', () => {
    test('exports to core-prod-export-cds and lets the CDS roles read it', () => {
      const data = production.stack('core-prod/data').assertions;
      data.hasResourceProperties('AWS::S3::Bucket', { BucketName: `core-prod-export-cds-${PLACEHOLDER_ACCOUNTS.production}` });
      data.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'core-prod-cds',
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Action: 'sts:AssumeRole', Principal: { AWS: CDS_READER_ROLES } })] },
      });
    });
  });

  describe('account', () => {
    test('budgets 775 USD a month', () => {
      expectMonthlyBudget(production.stack('core-prod/monitoring'), 775);
    });

    test('runs a 10.0.0.0/16 VPC with 3 NAT gateways and 60 days of flow logs', () => {
      expectNetwork(production.stack('core-prod/network'), { cidr: '10.0.0.0/16', natGateways: 3, flowLogRetentionDays: [60, 60] });
    });
  });
});

import * as path from 'node:path';
import { Stage } from 'aws-cdk-lib';
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
  expectMonthlyBudget,
  expectNetwork,
  expectNoShieldProtection,
} from '@core-infra/testing';

// The development account as the reference's §3.1 and §3.2 run it: shared network, load balancer,
// edge and a single small database that stops at night, plus one stage per review app with its own
// cluster and Redis that scales to zero out of hours. By default the app synthesizes the config's
// sample review apps, so CI always validates the per-review-app stacks.

const SAMPLE_REVIEW_APPS = [1234, 1250];

// One synthesis serves every test in the file: an environment takes seconds to synthesize.
let dev: SynthesizedApp;
beforeAll(() => {
  dev = SynthesizedApp.of(buildEnvironmentApp('dev', { app: createTestApp() }));
});

describe('dev app', () => {
  describeSynthesizedApp(() => dev, {
    baselineDir: path.join(__dirname, '..', 'baseline'),
    // Review apps are ephemeral: no baseline records them, so their snapshot is their one copy.
    withoutBaseline: ['core-review-1234/app', 'core-review-1250/app'],
    stacks: [
      'core-dev/monitoring',
      'core-dev/network',
      'core-dev/data',
      'core-dev/app',
      'core-dev/edge',
      'core-dev/deployment-access',
      ...SAMPLE_REVIEW_APPS.map((n) => `core-review-${n}/app`),
    ],
    // Review apps are destroyed with their pull request: protecting them would block the teardown.
    terminationProtected: ['core-dev/data'],
  });

  test('builds exactly one review-app stage for each review app named, and no others', () => {
    // Construction alone decides the stages, so this app is never synthesized.
    const app = buildEnvironmentApp('dev', { app: createTestApp(), reviewApps: [7] });
    expect(app.node.children.filter((child) => Stage.isStage(child)).map((stage) => stage.node.id)).toEqual(['core-dev', 'core-review-7']);
  });

  describe('shared stage', () => {
    test('runs no application of its own: the listener refuses whatever no review app claims', () => {
      const app = dev.stack('core-dev/app').assertions;
      app.resourceCountIs('AWS::ECS::Cluster', 0);
      app.resourceCountIs('AWS::ECS::Service', 0);
      app.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Protocol: 'HTTPS',
        DefaultActions: [Match.objectLike({ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '403' }) })],
      });
    });

    test('the database is a single-AZ db.t4g.small with 50 GiB, no backups and deletion protection', () => {
      const data = dev.stack('core-dev/data').assertions;
      data.resourceCountIs('AWS::RDS::DBInstance', 1);
      data.hasResourceProperties('AWS::RDS::DBInstance', {
        DBInstanceIdentifier: 'core-dev',
        DBInstanceClass: 'db.t4g.small',
        AllocatedStorage: '50',
        MultiAZ: false,
        BackupRetentionPeriod: 0,
        DeletionProtection: true,
      });
    });

    test('the database starts at 07:30 and stops at 20:00 on weekdays, London time', () => {
      const data = dev.stack('core-dev/data').assertions;
      const [instanceId] = Object.keys(data.findResources('AWS::RDS::DBInstance'));
      const schedule = (expression: string, action: string) => ({
        ScheduleExpression: expression,
        ScheduleExpressionTimezone: 'Europe/London',
        State: 'ENABLED',
        Target: Match.objectLike({
          Arn: { 'Fn::Join': ['', Match.arrayWith([`:scheduler:::aws-sdk:rds:${action}`])] },
          Input: { 'Fn::Join': ['', Match.arrayWith([{ Ref: instanceId }])] },
        }),
      });
      data.resourceCountIs('AWS::Scheduler::Schedule', 2);
      data.hasResourceProperties('AWS::Scheduler::Schedule', schedule('cron(30 7 ? * MON-FRI *)', 'startDBInstance'));
      data.hasResourceProperties('AWS::Scheduler::Schedule', schedule('cron(0 20 ? * MON-FRI *)', 'stopDBInstance'));
    });

    test('has no shared Redis: each review app brings its own', () => {
      for (const stack of dev.stacks.filter((s) => s.displayName.startsWith('core-dev/'))) {
        stack.assertions.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 0);
      }
    });

    test('holds the application secrets, performance-test secrets included', () => {
      const data = dev.stack('core-dev/data').assertions;
      data.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'core-dev/app/STAGING_PERFORMANCE_TEST_EMAIL' });
      data.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'core-dev/app/STAGING_PERFORMANCE_TEST_PASSWORD' });
    });

    test('WAF blocks whatever is neither from GB nor on the allowlist', () => {
      expectGeoRestrictedWebAcl(dev.stack('core-dev/edge'), ['203.0.113.10/32', '203.0.113.11/32']);
    });

    test('has no Shield Advanced protection in any stack', () => {
      expectNoShieldProtection(dev.stacks);
    });

    test('exports to core-dev-export with no role for CDS to read it', () => {
      const data = dev.stack('core-dev/data').assertions;
      data.hasResourceProperties('AWS::S3::Bucket', { BucketName: `core-dev-export-${PLACEHOLDER_ACCOUNTS.dev}` });
      // The CDS reader role is the data stack's only role that another account may assume.
      const crossAccountRoles = data.findResources('AWS::IAM::Role', {
        Properties: { AssumeRolePolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { AWS: Match.anyValue() } })]) } },
      });
      expect(Object.keys(crossAccountRoles)).toEqual([]);
    });

    test('budgets 800 USD a month for the whole account', () => {
      expectMonthlyBudget(dev.stack('core-dev/monitoring'), 800);
    });

    test('runs a 10.0.0.0/16 VPC with 3 NAT gateways and 60 days of flow logs', () => {
      expectNetwork(dev.stack('core-dev/network'), { cidr: '10.0.0.0/16', natGateways: 3, flowLogRetentionDays: [60, 60] });
    });
  });

  describe.each(SAMPLE_REVIEW_APPS)('review app %i', (reviewApp) => {
    const prefix = `core-review-${reviewApp}`;
    const stack = () => dev.stack(`${prefix}/app`);

    test('declares itself ephemeral in its template', () => {
      expect(stack().template.Metadata).toMatchObject({ CoreInfra: { Lifecycle: 'ephemeral', Reason: expect.stringContaining(String(reviewApp)) } });
    });

    test('sizes the web, sidekiq and ad-hoc tasks as 512/1024, 512/1024 and 512/4096', () => {
      expect(taskDefinitionSizes(stack())).toEqual({
        [`${prefix}-app`]: { cpu: 512, memoryMiB: 1024 },
        [`${prefix}-sidekiq`]: { cpu: 512, memoryMiB: 1024 },
        [`${prefix}-ad-hoc`]: { cpu: 512, memoryMiB: 4096 },
      });
    });

    test('runs 1 web and 1 sidekiq task, and none outside 08:00–19:00 on weekdays, London time', () => {
      expect(serviceDesiredCounts(stack())).toEqual({ [`${prefix}-app`]: 1, [`${prefix}-sidekiq`]: 1 });
      const scaleToZero = [
        { name: 'WorkingHoursStart', schedule: 'cron(0 8 ? * MON-FRI *)', timeZone: 'Europe/London', minCapacity: 1, maxCapacity: 1 },
        { name: 'WorkingHoursEnd', schedule: 'cron(0 19 ? * MON-FRI *)', timeZone: 'Europe/London', minCapacity: 0, maxCapacity: 0 },
      ];
      expect(scheduledServiceCapacity(stack())).toEqual({ [`${prefix}-app`]: scaleToZero, [`${prefix}-sidekiq`]: scaleToZero });
    });

    test('is not redeployed for the collection rollover', () => {
      expect(scheduledServiceActions(stack())).toEqual({});
      stack().assertions.resourceCountIs('AWS::Scheduler::Schedule', 0);
    });

    test(`is served under /${reviewApp} on the shared listener, only with CloudFront's header`, () => {
      const assertions = stack().assertions;
      assertions.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 1);
      assertions.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Priority: reviewApp,
        Conditions: Match.arrayWith([
          Match.objectLike({ Field: 'http-header', HttpHeaderConfig: Match.objectLike({ HttpHeaderName: 'X-CLOUDFRONT-HEADER' }) }),
          { Field: 'path-pattern', PathPatternConfig: { Values: [`/${reviewApp}`, `/${reviewApp}/*`] } },
        ]),
      });
      assertions.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: `/${reviewApp}/health` });
      assertions.allResourcesProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [
          Match.objectLike({
            Environment: Match.arrayWith([
              { Name: 'RAILS_ENV', Value: 'review' },
              { Name: 'RAILS_RELATIVE_URL_ROOT', Value: `/${reviewApp}` },
            ]),
          }),
        ],
      });
    });

    test(`uses its own database ${prefix} on the shared instance`, () => {
      stack().assertions.hasResourceProperties('AWS::SecretsManager::Secret', {
        SecretString: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(`^/${prefix}\\?`)])] },
      });
    });

    test('has its own single cache.t3.micro Redis node without failover or snapshots', () => {
      const assertions = stack().assertions;
      assertions.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 1);
      assertions.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        ReplicationGroupId: prefix,
        CacheNodeType: 'cache.t3.micro',
        NumCacheClusters: 1,
        AutomaticFailoverEnabled: false,
        MultiAZEnabled: false,
        SnapshotRetentionLimit: 0,
      });
    });

    test('alarms never notify on recovery and treat missing data as not breaching', () => {
      const alarms = stack().assertions.findResources('AWS::CloudWatch::Alarm');
      expect(Object.keys(alarms).length).toBeGreaterThan(0);
      const noisy = Object.values(alarms)
        .filter((alarm) => alarm.Properties.OKActions !== undefined || alarm.Properties.TreatMissingData !== 'notBreaching')
        .map((alarm) => alarm.Properties.AlarmName);
      expect(noisy).toEqual([]);
    });
  });
});

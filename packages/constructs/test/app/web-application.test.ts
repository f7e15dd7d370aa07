import { type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { RedisConnection } from '../../src/app/redis-connection';
import { WebApplication } from '../../src/app/web-application';
import { type WebApplicationProps } from '../../src/app/web-application-props';
import { importedDependencies } from './fixtures';

type Resource = { Properties: Record<string, unknown> };

function build(overrides: (stack: Stack) => Partial<WebApplicationProps> = () => ({})): { stack: Stack; app: WebApplication; template: Template } {
  const stack = createTestStack();
  const app = new WebApplication(stack, 'Web', { ...importedDependencies(stack), ...overrides(stack) });
  return { stack, app, template: Template.fromStack(stack) };
}

function alarmsByName(template: Template): Record<string, Record<string, unknown>> {
  const alarms = template.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>;
  return Object.fromEntries(Object.values(alarms).map((alarm) => [alarm.Properties.AlarmName as string, alarm.Properties]));
}

function containerEnvironment(template: Template, containerName: string): Record<string, unknown> {
  const definitions = template.findResources('AWS::ECS::TaskDefinition') as Record<string, Resource>;
  for (const definition of Object.values(definitions)) {
    const containers = definition.Properties.ContainerDefinitions as { Name: string; Environment: { Name: string; Value: unknown }[] }[];
    const container = containers.find((candidate) => candidate.Name === containerName);
    if (container) return Object.fromEntries(container.Environment.map((variable) => [variable.Name, variable.Value]));
  }
  throw new Error(`no container ${containerName}`);
}

describe('WebApplication', () => {
  describe('GIVEN default props', () => {
    let template: Template;
    let app: WebApplication;

    beforeAll(() => {
      ({ template, app } = build());
    });

    test('THEN the cluster runs Container Insights and encrypts and logs ECS Exec sessions', () => {
      template.hasResourceProperties('AWS::ECS::Cluster', {
        ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
        Configuration: {
          ExecuteCommandConfiguration: {
            KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('WebKey'), 'Arn'] },
            Logging: 'OVERRIDE',
            LogConfiguration: { CloudWatchEncryptionEnabled: true, CloudWatchLogGroupName: { Ref: Match.stringLikeRegexp('WebLogGroup') } },
          },
        },
      });
    });

    test('THEN the log group is encrypted with the CMK, kept 60 days and retained', () => {
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('WebKey'), 'Arn'] }, RetentionInDays: 60 },
        DeletionPolicy: 'Retain',
      });
      template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
    });

    test('THEN the app container listens on 8080 as nonroot on Linux X86_64 with the image tag from synth', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: '512',
        Memory: '1024',
        RequiresCompatibilities: ['FARGATE'],
        RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
        ContainerDefinitions: [
          Match.objectLike({
            Name: 'app',
            User: 'nonroot',
            Essential: true,
            Memory: 1024,
            PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }],
            Image: { 'Fn::Join': ['', ['210987654321.dkr.ecr.eu-west-2.', { Ref: 'AWS::URLSuffix' }, '/core:3f2a1bc9d8e7']] },
            LinuxParameters: Match.objectLike({ InitProcessEnabled: true }),
          }),
        ],
      });
    });

    test('THEN the root filesystem stays writable for the app\'s tmp/ and log/, with no volumes', () => {
      const definitions = template.findResources('AWS::ECS::TaskDefinition') as Record<string, Resource>;
      for (const definition of Object.values(definitions)) {
        const [container] = definition.Properties.ContainerDefinitions as Record<string, unknown>[];
        expect(container.ReadonlyRootFilesystem).toBe(false);
        expect(definition.Properties.Volumes).toBeUndefined();
      }
    });

    test('THEN every container logs through awslogs, non-blocking with a 4 MiB buffer', () => {
      const definitions = template.findResources('AWS::ECS::TaskDefinition') as Record<string, Resource>;
      expect(Object.keys(definitions)).toHaveLength(3);
      for (const definition of Object.values(definitions)) {
        const [container] = definition.Properties.ContainerDefinitions as { LogConfiguration: { LogDriver: string; Options: Record<string, unknown> }; User: string }[];
        expect(container.User).toBe('nonroot');
        expect(container.LogConfiguration.LogDriver).toBe('awslogs');
        expect(container.LogConfiguration.Options).toMatchObject({ mode: 'non-blocking', 'max-buffer-size': '4194304b' });
      }
    });

    test('THEN the worker runs sidekiq with no port and the ad-hoc task has its own size', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({ Name: 'sidekiq', Command: ['bundle', 'exec', 'sidekiq', '-t', '3'], PortMappings: Match.absent() })],
      });
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: '512',
        Memory: '4096',
        ContainerDefinitions: [Match.objectLike({ Name: 'app', PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }] })],
      });
      expect(app.adHocTaskDefinition.defaultContainer?.containerName).toBe('app');
    });

    test('THEN the app environment carries the Rails settings, bucket instance names, S3_CONFIG and REDIS_CONFIG', () => {
      const environment = containerEnvironment(template, 'sidekiq');
      expect(environment).toMatchObject({
        APP_HOST: 'staging.submit-social-housing-data.communities.gov.uk',
        RAILS_ENV: 'staging',
        RAILS_LOG_TO_STDOUT: 'true',
        RAILS_SERVE_STATIC_FILES: 'true',
        BULK_UPLOAD_BUCKET: 'bulk-upload-bucket',
        COLLECTION_RESOURCES_BUCKET: 'collection-resources-bucket',
        EXPORT_BUCKET: 'export-bucket',
      });
      expect(JSON.parse(environment.S3_CONFIG as string)).toEqual([
        { instance_name: 'bulk-upload-bucket', credentials: { aws_region: 'eu-west-2', bucket_name: 'core-test-bulk-upload' } },
        { instance_name: 'collection-resources-bucket', credentials: { aws_region: 'eu-west-2', bucket_name: 'core-test-collection-resources' } },
        { instance_name: 'export-bucket', credentials: { aws_region: 'eu-west-2', bucket_name: 'core-test-export' } },
      ]);
      expect(JSON.parse(environment.REDIS_CONFIG as string)).toEqual([{ instance_name: '', credentials: { uri: 'rediss://core-test.abc123.ng.0001.euw2.cache.amazonaws.com:6379' } }]);
      expect(environment.RAILS_RELATIVE_URL_ROOT).toBeUndefined();
    });

    test('THEN secrets reach the containers through ECS secrets, never as plain values', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [
          Match.objectLike({
            Name: 'app',
            Secrets: [
              { Name: 'DATABASE_URL', ValueFrom: 'arn:aws:ssm:eu-west-2:123456789012:parameter/CORE-TEST_COMPLETE_DATABASE_CONNECTION_STRING' },
              { Name: 'RAILS_MASTER_KEY', ValueFrom: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:RAILS_MASTER_KEY-AbCdEf' },
              { Name: 'GOVUK_NOTIFY_API_KEY', ValueFrom: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:GOVUK_NOTIFY_API_KEY-AbCdEf' },
            ],
          }),
        ],
      });
      const environment = containerEnvironment(template, 'app');
      expect(Object.keys(environment)).not.toEqual(expect.arrayContaining(['DATABASE_URL']));
    });

    test('THEN both services deploy rolling 100/200 with a rolling-back circuit breaker, ECS Exec and no public IP', () => {
      const services = template.findResources('AWS::ECS::Service') as Record<string, Resource>;
      expect(Object.keys(services)).toHaveLength(2);
      for (const service of Object.values(services)) {
        expect(service.Properties).toMatchObject({
          LaunchType: 'FARGATE',
          EnableExecuteCommand: true,
          DeploymentConfiguration: { MinimumHealthyPercent: 100, MaximumPercent: 200, DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
          NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: ['subnet-0b000000000000001', 'subnet-0b000000000000002', 'subnet-0b000000000000003'] } },
        });
      }
      template.hasResourceProperties('AWS::ECS::Service', {
        DesiredCount: 2,
        LoadBalancers: [{ ContainerName: 'app', ContainerPort: 8080, TargetGroupArn: { Ref: Match.stringLikeRegexp('WebTargetGroup') } }],
      });
      template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 1, LoadBalancers: [] });
    });

    test('THEN the target group is IP/HTTP 8080, least outstanding requests, health check /health expecting 204', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        TargetType: 'ip',
        Protocol: 'HTTP',
        Port: 8080,
        HealthCheckPath: '/health',
        Matcher: { HttpCode: '204' },
        HealthCheckIntervalSeconds: 30,
        HealthCheckTimeoutSeconds: 3,
        HealthyThresholdCount: 3,
        UnhealthyThresholdCount: 2,
        TargetGroupAttributes: Match.arrayWith([{ Key: 'load_balancing.algorithm.type', Value: 'least_outstanding_requests' }]),
      });
    });

    test('THEN the listener rule forwards only when X-CLOUDFRONT-HEADER matches the secret, resolved by dynamic reference', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Priority: 100,
        ListenerArn: Match.stringLikeRegexp('listener/app/core-test'),
        Conditions: [
          {
            Field: 'http-header',
            HttpHeaderConfig: {
              HttpHeaderName: 'X-CLOUDFRONT-HEADER',
              Values: ['{{resolve:secretsmanager:arn:aws:secretsmanager:eu-west-2:123456789012:secret:core-test/cloudfront-origin-header-AbCdEf:SecretString:::}}'],
            },
          },
        ],
        Actions: [{ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('WebTargetGroup') } }],
      });
    });

    test('THEN the task security group admits 8080 only from the load balancer and sends only HTTPS and HTTP out', () => {
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        IpProtocol: 'tcp',
        FromPort: 8080,
        ToPort: 8080,
        SourceSecurityGroupId: 'sg-0123456789abcdef0',
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupIngress: Match.absent(),
        SecurityGroupEgress: [
          Match.objectLike({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
          Match.objectLike({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80 }),
        ],
      });
    });

    test('THEN the roles carry no managed policies and the task role gets only bucket, key and ECS Exec access', () => {
      const roles = template.findResources('AWS::IAM::Role') as Record<string, Resource>;
      for (const role of Object.values(roles)) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('WebTaskRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: Match.arrayWith(['s3:DeleteObject*', 's3:GetObject*', 's3:PutObject']),
              Resource: ['arn:aws:s3:::core-test-bulk-upload', 'arn:aws:s3:::core-test-bulk-upload/*', 'arn:aws:s3:::core-test-collection-resources', 'arn:aws:s3:::core-test-collection-resources/*'],
            }),
            Match.objectLike({ Action: Match.arrayWith(['ssmmessages:CreateControlChannel', 'ssmmessages:OpenDataChannel']), Resource: '*' }),
          ]),
        },
      });
    });

    test('THEN the task role may write and delete exports but not read them', () => {
      const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('WebTaskRole') }] } }) as Record<string, Resource>;
      const statements = Object.values(policies).flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement);
      const exportActions = statements.filter((statement) => JSON.stringify(statement.Resource).includes('core-test-export')).flatMap((statement) => [statement.Action].flat());
      expect(exportActions).toEqual(expect.arrayContaining(['s3:PutObject', 's3:DeleteObject*', 's3:ListBucket']));
      expect(exportActions.filter((action) => action.startsWith('s3:GetObject'))).toEqual([]);
    });

    test('THEN no IAM statement has a wildcard action, and logs access is scoped to the log group', () => {
      const policies = template.findResources('AWS::IAM::Policy') as Record<string, Resource>;
      const statements = Object.values(policies).flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement);
      for (const statement of statements) {
        for (const action of [statement.Action].flat()) {
          expect(action === '*' || action.endsWith(':*')).toBe(false);
          if (['logs:PutLogEvents', 'logs:CreateLogStream'].includes(action)) expect(statement.Resource).not.toEqual('*');
        }
      }
    });

    test('THEN the execution role reads exactly the given secrets', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('WebExecutionRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
              Resource: ['arn:aws:secretsmanager:eu-west-2:123456789012:secret:GOVUK_NOTIFY_API_KEY-AbCdEf', 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:RAILS_MASTER_KEY-AbCdEf'],
            }),
          ]),
        },
      });
    });

    test('THEN the execution role may decrypt the secrets\' key only through Secrets Manager and SSM', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('WebExecutionRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 'kms:Decrypt',
              Resource: 'arn:aws:kms:eu-west-2:123456789012:key/11111111-2222-3333-4444-555555555555',
              Condition: { StringEquals: { 'kms:ViaService': ['secretsmanager.eu-west-2.amazonaws.com', 'ssm.eu-west-2.amazonaws.com'] } },
            }),
          ]),
        },
      });
    });

    test('THEN working-hours schedules (Mon-Fri, Europe/London) hold the desired counts and scale down to half out of hours', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: 2,
        MaxCapacity: 2,
        ScheduledActions: [
          { ScheduledActionName: 'WorkingHoursStart', Schedule: 'cron(0 7 ? * MON-FRI *)', Timezone: 'Europe/London', ScalableTargetAction: { MinCapacity: 2, MaxCapacity: 2 } },
          { ScheduledActionName: 'WorkingHoursEnd', Schedule: 'cron(30 19 ? * MON-FRI *)', Timezone: 'Europe/London', ScalableTargetAction: { MinCapacity: 1, MaxCapacity: 1 } },
        ],
      });
      template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 2);
      template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 0);
      expect(app.settings.outOfHours).toMatchObject({ webCount: 1, workerCount: 1 });
    });

    test('THEN the collection rollover force-redeploys the app and worker at 00:00 UTC on 1 April through an encrypted schedule', () => {
      for (const service of ['WebAppService', 'WebWorkerService']) {
        template.hasResourceProperties('AWS::Scheduler::Schedule', {
          ScheduleExpression: 'cron(0 0 1 4 ? *)',
          ScheduleExpressionTimezone: 'Etc/UTC',
          KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('WebKey'), 'Arn'] },
          Target: {
            Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:::aws-sdk:ecs:updateService']] },
            Input: { 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp(service), 'Name'] }, '","ForceNewDeployment":true}'])] },
          },
        });
      }
    });

    test('THEN the rollover role may update and describe only the two services', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('WebCollectionRolloverRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            { Action: ['ecs:DescribeServices', 'ecs:UpdateService'], Effect: 'Allow', Resource: [{ Ref: Match.stringLikeRegexp('WebAppService') }, { Ref: Match.stringLikeRegexp('WebWorkerService') }] },
          ]),
        },
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } })] },
      });
    });

    test('THEN the alarm set covers CPU, memory, task exits, service events, running tasks and host counts', () => {
      expect(Object.keys(alarmsByName(template)).sort()).toEqual(
        [
          'core-test-app-average-cpu',
          'core-test-app-max-task-cpu',
          'core-test-app-average-memory',
          'core-test-app-max-task-memory',
          'core-test-app-tasks-exited',
          'core-test-app-service-action-problem',
          'core-test-sidekiq-average-cpu',
          'core-test-sidekiq-max-task-cpu',
          'core-test-sidekiq-average-memory',
          'core-test-sidekiq-max-task-memory',
          'core-test-sidekiq-tasks-exited',
          'core-test-sidekiq-service-action-problem',
          'core-test-sidekiq-running-tasks',
          'core-test-healthy-hosts-count',
          'core-test-no-healthy-hosts',
          'core-test-unhealthy-hosts-count',
        ].sort(),
      );
      expect(app.alarms).toHaveLength(16);
    });

    test('THEN app utilisation alarms fire at 80 % and worker ones at 90 %, including worker max memory', () => {
      const alarms = alarmsByName(template);
      expect(alarms['core-test-app-average-cpu']).toMatchObject({ MetricName: 'CPUUtilization', Statistic: 'Average', Threshold: 80, EvaluationPeriods: 5, DatapointsToAlarm: 3 });
      expect(alarms['core-test-app-max-task-memory']).toMatchObject({ MetricName: 'MemoryUtilization', Statistic: 'Maximum', Threshold: 80, EvaluationPeriods: 30, DatapointsToAlarm: 30 });
      expect(alarms['core-test-sidekiq-average-memory']).toMatchObject({ Threshold: 90 });
      expect(alarms['core-test-sidekiq-max-task-memory']).toMatchObject({ MetricName: 'MemoryUtilization', Statistic: 'Maximum', Threshold: 90 });
      expect(alarms['core-test-sidekiq-max-task-cpu']).toMatchObject({ Threshold: 90 });
    });

    test('THEN alarms notify the topic on ALARM and OK and treat missing resource data as breaching', () => {
      const alarms = alarmsByName(template);
      for (const alarm of Object.values(alarms)) {
        expect(alarm.AlarmActions).toEqual(['arn:aws:sns:eu-west-2:123456789012:core-test-alerts']);
        expect(alarm.OKActions).toEqual(['arn:aws:sns:eu-west-2:123456789012:core-test-alerts']);
      }
      expect(alarms['core-test-app-average-cpu'].TreatMissingData).toBe('breaching');
      expect(alarms['core-test-no-healthy-hosts'].TreatMissingData).toBe('breaching');
    });

    test('THEN task-exit and service-event alarms count EventBridge rule matches, where no data means no events', () => {
      const alarms = alarmsByName(template);
      expect(alarms['core-test-app-tasks-exited']).toMatchObject({
        Namespace: 'AWS/Events',
        MetricName: 'TriggeredRules',
        Statistic: 'Sum',
        Threshold: 4,
        Period: 480,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(alarms['core-test-sidekiq-tasks-exited']).toMatchObject({ Threshold: 2, Period: 180 });
      expect(alarms['core-test-app-service-action-problem']).toMatchObject({ Threshold: 1, Period: 60, TreatMissingData: 'notBreaching' });
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.ecs'],
          'detail-type': ['ECS Task State Change'],
          detail: { lastStatus: ['STOPPED'], stoppedReason: [{ prefix: 'Essential container in task exited' }] },
        },
        Targets: Match.absent(),
      });
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: ['aws.ecs'], 'detail-type': ['ECS Service Action'], detail: { eventType: ['WARN', 'ERROR'] } },
      });
    });

    test('THEN host-count and running-task alarms expect at least the out-of-hours counts', () => {
      const alarms = alarmsByName(template);
      expect(alarms['core-test-healthy-hosts-count']).toMatchObject({ MetricName: 'HealthyHostCount', Statistic: 'Minimum', Threshold: 1, ComparisonOperator: 'LessThanThreshold' });
      expect(alarms['core-test-no-healthy-hosts']).toMatchObject({ MetricName: 'HealthyHostCount', Threshold: 0, ComparisonOperator: 'LessThanOrEqualToThreshold' });
      expect(alarms['core-test-unhealthy-hosts-count']).toMatchObject({ MetricName: 'UnHealthyHostCount', Statistic: 'Maximum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
      expect(alarms['core-test-sidekiq-running-tasks']).toMatchObject({ Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount', Threshold: 1, ComparisonOperator: 'LessThanThreshold' });
    });
  });

  describe('GIVEN a review app under /1234 that scales to zero and suppresses OK notifications', () => {
    let template: Template;
    let app: WebApplication;

    beforeAll(() => {
      ({ template, app } = build(() => ({
        relativeUrlRoot: '/1234',
        railsEnv: 'review',
        web: { desiredCount: 1 },
        worker: { desiredCount: 1 },
        outOfHours: { workdayStart: '08:00', workdayEnd: '19:00', webCount: 0, workerCount: 0 },
        suppressOkNotifications: true,
        collectionRolloverRedeploy: false,
        listenerRulePriority: 1234,
      })));
    });

    test('THEN the listener rule also requires the path prefix /1234 or /1234/*', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Priority: 1234,
        Conditions: [
          Match.objectLike({ Field: 'http-header', HttpHeaderConfig: Match.objectLike({ HttpHeaderName: 'X-CLOUDFRONT-HEADER' }) }),
          { Field: 'path-pattern', PathPatternConfig: { Values: ['/1234', '/1234/*'] } },
        ],
      });
    });

    test('THEN the health check and RAILS_RELATIVE_URL_ROOT use the prefix', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/1234/health' });
      expect(containerEnvironment(template, 'app')).toMatchObject({ RAILS_RELATIVE_URL_ROOT: '/1234', RAILS_ENV: 'review' });
      expect(app.settings.healthCheckPath).toBe('/1234/health');
    });

    test('THEN both services scale to zero out of hours on the review schedule', () => {
      const targets = template.findResources('AWS::ApplicationAutoScaling::ScalableTarget') as Record<string, Resource>;
      expect(Object.keys(targets)).toHaveLength(2);
      for (const target of Object.values(targets)) {
        expect(target.Properties.ScheduledActions).toEqual([
          { ScheduledActionName: 'WorkingHoursStart', Schedule: 'cron(0 8 ? * MON-FRI *)', Timezone: 'Europe/London', ScalableTargetAction: { MinCapacity: 1, MaxCapacity: 1 } },
          { ScheduledActionName: 'WorkingHoursEnd', Schedule: 'cron(0 19 ? * MON-FRI *)', Timezone: 'Europe/London', ScalableTargetAction: { MinCapacity: 0, MaxCapacity: 0 } },
        ]);
      }
    });

    test('THEN alarms send no OK notifications and treat missing data as not breaching', () => {
      const alarms = alarmsByName(template);
      for (const alarm of Object.values(alarms)) {
        expect(alarm.OKActions).toBeUndefined();
        expect(alarm.AlarmActions).toEqual(['arn:aws:sns:eu-west-2:123456789012:core-test-alerts']);
        expect(alarm.TreatMissingData).toBe('notBreaching');
      }
      expect(app.settings.alarmTreatMissingData).toBe(cloudwatch.TreatMissingData.NOT_BREACHING);
    });

    test('THEN alarms that could never fire at a zero floor are not created', () => {
      const names = Object.keys(alarmsByName(template));
      expect(names).not.toContain('core-test-healthy-hosts-count');
      expect(names).not.toContain('core-test-sidekiq-running-tasks');
      expect(names).toContain('core-test-no-healthy-hosts');
    });

    test('THEN there is no collection-rollover schedule', () => {
      template.resourceCountIs('AWS::Scheduler::Schedule', 0);
      expect(app.collectionRollover).toBeUndefined();
    });
  });

  describe('GIVEN CPU target tracking up to 6 web tasks', () => {
    let template: Template;

    beforeAll(() => {
      ({ template } = build(() => ({ web: { desiredCount: 4 }, cpuTargetTracking: { maxCount: 6, targetPercent: 60 }, outOfHours: { webCount: 2 } })));
    });

    test('THEN a CPU target-tracking policy scales the web service between the scheduled floor and the maximum', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          TargetValue: 60,
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        }),
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: 4,
        MaxCapacity: 6,
        ScheduledActions: [
          Match.objectLike({ ScheduledActionName: 'WorkingHoursStart', ScalableTargetAction: { MinCapacity: 4, MaxCapacity: 6 } }),
          Match.objectLike({ ScheduledActionName: 'WorkingHoursEnd', ScalableTargetAction: { MinCapacity: 2, MaxCapacity: 6 } }),
        ],
      });
    });
  });

  describe('GIVEN out-of-hours scaling turned off', () => {
    test('THEN no scaling target is created and the host alarms expect the full count', () => {
      const { template, app } = build(() => ({ outOfHours: { enabled: false } }));
      template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
      expect(app.settings.outOfHours.webCount).toBe(2);
      expect(alarmsByName(template)['core-test-healthy-hosts-count']).toMatchObject({ Threshold: 2 });
    });
  });

  describe('GIVEN writable directories', () => {
    test('THEN every root filesystem is read-only and each directory is an ephemeral volume', () => {
      const { template } = build(() => ({ writableDirectories: ['/app/tmp', '/app/log', '/tmp'] }));
      const definitions = template.findResources('AWS::ECS::TaskDefinition') as Record<string, Resource>;
      for (const definition of Object.values(definitions)) {
        expect(definition.Properties.Volumes).toEqual([{ Name: 'writable-0' }, { Name: 'writable-1' }, { Name: 'writable-2' }]);
        const [container] = definition.Properties.ContainerDefinitions as Record<string, unknown>[];
        expect(container.ReadonlyRootFilesystem).toBe(true);
        expect(container.MountPoints).toEqual([
          { ContainerPath: '/app/tmp', SourceVolume: 'writable-0', ReadOnly: false },
          { ContainerPath: '/app/log', SourceVolume: 'writable-1', ReadOnly: false },
          { ContainerPath: '/tmp', SourceVolume: 'writable-2', ReadOnly: false },
        ]);
      }
    });
  });

  describe('GIVEN Redis configuration as a secret', () => {
    test('THEN REDIS_CONFIG comes through ECS secrets and not the environment', () => {
      const { template } = build((stack) => ({
        redis: RedisConnection.fromSecret(
          ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretCompleteArn(stack, 'RedisConfig', 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:core-test/redis-config-AbCdEf')),
        ),
        secrets: {},
      }));
      expect(containerEnvironment(template, 'app').REDIS_CONFIG).toBeUndefined();
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({ Name: 'app', Secrets: [{ Name: 'REDIS_CONFIG', ValueFrom: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:core-test/redis-config-AbCdEf' }] })],
      });
    });
  });

  describe('GIVEN grants to a pipeline role and an operator role', () => {
    let template: Template;

    beforeAll(() => {
      const stack = createTestStack();
      const app = new WebApplication(stack, 'Web', importedDependencies(stack));
      app.grantRunAdHocTask(new iam.Role(stack, 'Pipeline', { assumedBy: new iam.AccountRootPrincipal() }));
      app.grantExecuteCommand(new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() }));
      template = Template.fromStack(stack);
    });

    test('THEN the pipeline may run the ad-hoc task, pass its roles and follow its tasks', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('Pipeline') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: 'iam:PassRole', Resource: Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('WebTaskRole'), 'Arn'] }]) }),
            Match.objectLike({ Action: 'ecs:RunTask', Resource: { Ref: Match.stringLikeRegexp('WebAdHocTaskDefinition') } }),
            Match.objectLike({ Action: ['ecs:DescribeTasks', 'ecs:StopTask'] }),
          ]),
        },
      });
    });

    test('THEN the operator may open ECS Exec sessions with the session key', () => {
      for (const statement of [
        { Action: ['ecs:DescribeTasks', 'ecs:ExecuteCommand'], Resource: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('WebCluster'), 'Arn'] }, Match.anyValue()] },
        { Action: 'kms:GenerateDataKey', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('WebKey'), 'Arn'] } },
      ]) {
        template.hasResourceProperties('AWS::IAM::Policy', {
          Roles: [{ Ref: Match.stringLikeRegexp('Operator') }],
          PolicyDocument: { Statement: Match.arrayWith([Match.objectLike(statement)]) },
        });
      }
    });
  });

  describe('GIVEN a prop the settings refuse', () => {
    test('THEN it throws before creating any resource, naming the construct', () => {
      const stack = createTestStack();
      expect(() => new WebApplication(stack, 'Web', { ...importedDependencies(stack), resourceNamePrefix: 'Core_Staging' })).toThrow(/^TestStack\/Web: resourceNamePrefix must be/);
      expect(stack.node.findChild('Web').node.children).toEqual([]);
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    new WebApplication(stack, 'Web', importedDependencies(stack));
    expectToPassPolicies(stack);
  });
});

describe('WebApplication resource names', () => {
  test('resourceNamePrefix names the roles, cluster, services and task families that CI and the registry rely on', () => {
    // GIVEN
    const stack = createTestStack();
    // WHEN
    new WebApplication(stack, 'App', { ...importedDependencies(stack), resourceNamePrefix: 'core-staging' });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'core-staging-task' });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'core-staging-task-execution' });
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: 'core-staging-app' });
    template.hasResourceProperties('AWS::ECS::Service', { ServiceName: 'core-staging-app' });
    template.hasResourceProperties('AWS::ECS::Service', { ServiceName: 'core-staging-sidekiq' });
    for (const family of ['core-staging-app', 'core-staging-sidekiq', 'core-staging-ad-hoc']) template.hasResourceProperties('AWS::ECS::TaskDefinition', { Family: family });
  });

});

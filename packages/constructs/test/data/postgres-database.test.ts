import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { createTestApp, createTestStack, expectToPassPolicies, TEST_ENV } from '@core-infra/testing';
import { PostgresDatabase } from '../../src/data/postgres-database';
import type { PostgresDatabaseProps } from '../../src/data/postgres-database-props';
import { CoreNetwork } from '../../src/network/core-network';

function testVpc(stack: Stack, availabilityZones = ['eu-west-2a', 'eu-west-2b', 'eu-west-2c']): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-12345678',
    availabilityZones,
    privateSubnetIds: availabilityZones.map((_, index) => `subnet-0000000${index}`),
    privateSubnetRouteTableIds: availabilityZones.map((_, index) => `rtb-0000000${index}`),
  });
}

describe('PostgresDatabase', () => {
  describe('GIVEN default props, an alarm topic, an app security group and a review app URL', () => {
    let template: Template;
    let database: PostgresDatabase;

    beforeAll(() => {
      const stack = createTestStack();
      const network = new CoreNetwork(stack, 'Network');
      const topic = new sns.Topic(stack, 'Alerts');
      database = new PostgresDatabase(stack, 'Database', { vpc: network.vpc, alarmTopic: topic, instanceIdentifier: 'core-prod' });
      const appSecurityGroup = new ec2.SecurityGroup(stack, 'AppSecurityGroup', { vpc: network.vpc });
      database.allowFrom(appSecurityGroup, 'App tasks');
      database.createDatabaseUrlSecret(stack, 'ReviewUrl', { databaseName: 'core-review-1234' });
      const executionRole = new iam.Role(stack, 'ExecutionRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      database.grantReadDatabaseUrl(executionRole);
      template = Template.fromStack(stack);
    });

    test('THEN it runs PostgreSQL 18.3 on gp3 with a storage-autoscaling ceiling', () => {
      expect(rds.PostgresEngineVersion.VER_18_3.postgresFullVersion).toBe('18.3');
      template.hasResourceProperties('AWS::RDS::DBInstance', {
        Engine: 'postgres',
        EngineVersion: '18.3',
        DBInstanceClass: 'db.t4g.small',
        StorageType: 'gp3',
        AllocatedStorage: '100',
        MaxAllocatedStorage: 200,
        AutoMinorVersionUpgrade: true,
        AllowMajorVersionUpgrade: false,
      });
    });

    test('THEN storage and Performance Insights (7 days) are encrypted with the database key', () => {
      const keyArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseKey'), 'Arn'] };
      template.hasResourceProperties('AWS::RDS::DBInstance', {
        StorageEncrypted: true,
        KmsKeyId: keyArn,
        EnablePerformanceInsights: true,
        PerformanceInsightsRetentionPeriod: 7,
        PerformanceInsightsKMSKeyId: keyArn,
      });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: Match.stringLikeRegexp('core-prod') });
    });

    test('THEN it is Multi-AZ, backed up for 7 days, deletion-protected and snapshotted on removal', () => {
      template.hasResource('AWS::RDS::DBInstance', {
        DeletionPolicy: 'Snapshot',
        UpdateReplacePolicy: 'Snapshot',
        Properties: Match.objectLike({
          MultiAZ: true,
          BackupRetentionPeriod: 7,
          DeletionProtection: true,
          DeleteAutomatedBackups: false,
          CopyTagsToSnapshot: true,
          PreferredBackupWindow: '23:09-23:39',
          PreferredMaintenanceWindow: 'Mon:02:33-Mon:03:03',
          ApplyImmediately: false,
        }),
      });
    });

    test('THEN it is private: not public, in the private subnets, with the rsa4096 CA', () => {
      template.hasResourceProperties('AWS::RDS::DBInstance', {
        PubliclyAccessible: false,
        CACertificateIdentifier: 'rds-ca-rsa4096-g1',
        DBInstanceIdentifier: 'core-prod',
      });
      template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
        SubnetIds: [1, 2, 3].map((n) => ({ Ref: Match.stringLikeRegexp(`NetworkPrivateSubnet${n}`) })),
      });
    });

    test('THEN a parameter group of the postgres18 family forces TLS', () => {
      template.hasResourceProperties('AWS::RDS::DBParameterGroup', { Family: 'postgres18', Parameters: { 'rds.force_ssl': '1' } });
      template.hasResourceProperties('AWS::RDS::DBInstance', { DBParameterGroupName: { Ref: Match.stringLikeRegexp('DatabaseParameters') } });
    });

    test('THEN PostgreSQL and upgrade logs go to pre-created, encrypted log groups with retention', () => {
      template.hasResourceProperties('AWS::RDS::DBInstance', { EnableCloudwatchLogsExports: ['postgresql', 'upgrade'] });
      for (const logType of ['postgresql', 'upgrade']) {
        template.hasResource('AWS::Logs::LogGroup', {
          DeletionPolicy: 'Retain',
          Properties: {
            LogGroupName: `/aws/rds/instance/core-prod/${logType}`,
            RetentionInDays: 60,
            KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseKey'), 'Arn'] },
          },
        });
      }
      template.hasResource('AWS::RDS::DBInstance', { DependsOn: Match.arrayWith([Match.stringLikeRegexp('DatabasePrimaryPostgresqlLogs')]) });
    });

    test('THEN the master password is generated into a CMK-encrypted, retained secret and only referenced dynamically', () => {
      template.hasResource('AWS::SecretsManager::Secret', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          GenerateSecretString: Match.objectLike({ GenerateStringKey: 'password', SecretStringTemplate: '{"username":"postgres"}' }),
          KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseKey'), 'Arn'] },
        }),
      });
      template.hasResourceProperties('AWS::RDS::DBInstance', {
        MasterUsername: 'postgres',
        MasterUserPassword: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', Match.anyValue(), ':SecretString:password::}}']] },
      });
    });

    test('THEN DATABASE_URL is its own CMK-encrypted secret built from dynamic references, with no plaintext password', () => {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Description: Match.stringLikeRegexp('DATABASE_URL for database data_collector'),
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseKey'), 'Arn'] },
        SecretString: {
          'Fn::Join': [
            '',
            [
              'postgresql://postgres:{{resolve:secretsmanager:',
              { Ref: Match.stringLikeRegexp('DatabaseInstanceSecretAttachment') },
              ':SecretString:password::}}@',
              { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseInstance'), 'Endpoint.Address'] },
              ':',
              { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseInstance'), 'Endpoint.Port'] },
              '/data_collector?sslmode=require',
            ],
          ],
        },
      });
    });

    test('THEN a review-app URL secret points at its own database on the same instance', () => {
      template.hasResource('AWS::SecretsManager::Secret', {
        DeletionPolicy: 'Delete',
        Properties: Match.objectLike({
          SecretString: { 'Fn::Join': ['', Match.arrayWith(['/core-review-1234?sslmode=require'])] },
        }),
      });
    });

    test('THEN the execution role may read the URL secret and decrypt it only through Secrets Manager', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('ExecutionRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], Resource: { Ref: Match.stringLikeRegexp('DatabaseDatabaseUrlSecret') } }),
            Match.objectLike({ Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': ['secretsmanager.eu-west-2.amazonaws.com'] } } }),
          ]),
        },
      });
    });

    test('THEN the security group admits only the granted app group on 5432 and has no egress', () => {
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('PostgreSQL core-prod'),
        SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
        SecurityGroupIngress: Match.absent(),
      });
      template.resourcePropertiesCountIs('AWS::EC2::SecurityGroupIngress', { GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DatabaseSecurityGroup'), 'GroupId'] } }, 1);
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        Description: 'App tasks',
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AppSecurityGroup'), 'GroupId'] },
      });
    });

    test('THEN the CPU alarm fires at 90 % for 3 of 5 one-minute periods in AWS/RDS and notifies on alarm and OK', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'core-prod-cpu',
        Namespace: 'AWS/RDS',
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'DBInstanceIdentifier', Value: { Ref: Match.stringLikeRegexp('^DatabaseInstance') } }],
        Statistic: 'Average',
        Period: 60,
        Threshold: 90,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
        TreatMissingData: 'breaching',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('Alerts') }],
        OKActions: [{ Ref: Match.stringLikeRegexp('Alerts') }],
      });
    });

    test('THEN the free-storage alarm compares bytes with 15 % of the allocation in bytes', () => {
      expect(database.freeStorageAlarmThresholdBytes).toBe(16_106_127_360);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'core-prod-storage',
        Namespace: 'AWS/RDS',
        MetricName: 'FreeStorageSpace',
        Statistic: 'Minimum',
        Period: 300,
        Threshold: 16_106_127_360,
        ComparisonOperator: 'LessThanOrEqualToThreshold',
        EvaluationPeriods: 1,
      });
    });

    test('THEN the connections alarm watches AWS/RDS DatabaseConnections', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'core-prod-connections',
        Namespace: 'AWS/RDS',
        MetricName: 'DatabaseConnections',
        Threshold: 100,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    });

    test('THEN the CPU anomaly alarm uses the AWS/RDS namespace, not AWS/EC2', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'core-prod-cpu-anomaly',
        ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold',
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'ANOMALY_DETECTION_BAND(m0, 2)' }),
          Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'AWS/RDS', MetricName: 'CPUUtilization' }) }) }),
        ]),
      });
      expect(JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'))).not.toContain('AWS/EC2');
      expect(database.alarms).toHaveLength(4);
    });

    test('THEN enhanced monitoring reports every 60 seconds and IAM authentication is allowed', () => {
      template.hasResourceProperties('AWS::RDS::DBInstance', {
        MonitoringInterval: 60,
        MonitoringRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('MonitoringRole'), 'Arn'] },
        EnableIAMDatabaseAuthentication: true,
      });
    });

    test('THEN there is no replica and no schedule', () => {
      template.resourceCountIs('AWS::RDS::DBInstance', 1);
      template.resourceCountIs('AWS::Scheduler::Schedule', 0);
      expect(database.readReplica).toBeUndefined();
    });
  });

  describe('GIVEN a production database with a read replica', () => {
    let template: Template;

    beforeAll(() => {
      const stack = createTestStack();
      new PostgresDatabase(stack, 'Database', {
        vpc: testVpc(stack),
        alarmTopic: alarmTopic(stack),
        instanceIdentifier: 'core-prod',
        readReplica: true,
        instanceType: new ec2.InstanceType('t3.small'),
        monitoringInterval: Duration.seconds(15),
        iamAuthentication: false,
      });
      template = Template.fromStack(stack);
    });

    test('THEN the replica is Multi-AZ, deletion-protected, retained, private and replicates the primary', () => {
      template.hasResource('AWS::RDS::DBInstance', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          DBInstanceIdentifier: 'core-prod-replica',
          DBInstanceClass: 'db.t3.small',
          SourceDBInstanceIdentifier: { 'Fn::Join': ['', ['arn:aws:rds:eu-west-2:123456789012:db:', { Ref: Match.stringLikeRegexp('^DatabaseInstance') }]] },
          MultiAZ: true,
          DeletionProtection: true,
          PubliclyAccessible: false,
          CACertificateIdentifier: 'rds-ca-rsa4096-g1',
          EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
        }),
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/rds/instance/core-prod-replica/postgresql' });
    });

    test('THEN the configured monitoring interval and password-only authentication are used', () => {
      template.hasResourceProperties('AWS::RDS::DBInstance', {
        DBInstanceIdentifier: 'core-prod',
        MonitoringInterval: 15,
        EnableIAMDatabaseAuthentication: false,
        MonitoringRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('MonitoringRole'), 'Arn'] },
      });
    });
  });

  describe('GIVEN a development database with a scheduled stop and no OK notifications', () => {
    let template: Template;
    let database: PostgresDatabase;

    beforeAll(() => {
      const stack = createTestStack();
      const topic = new sns.Topic(stack, 'Alerts');
      database = new PostgresDatabase(stack, 'Database', {
        vpc: testVpc(stack),
        instanceIdentifier: 'core-dev',
        multiAz: false,
        backupRetention: Duration.days(0),
        allocatedStorage: 50,
        scheduledStop: { enabled: true },
        alarmTopic: topic,
        suppressOkNotifications: true,
        preferredMaintenanceWindow: 'Mon:18:00-Mon:18:30',
        applyImmediately: true,
        cpuAnomalyAlarm: false,
        removalPolicy: RemovalPolicy.DESTROY,
        deletionProtection: false,
      });
      template = Template.fromStack(stack);
    });

    test('THEN the instance is single-AZ without backups and destroyable', () => {
      template.hasResource('AWS::RDS::DBInstance', {
        DeletionPolicy: 'Delete',
        Properties: Match.objectLike({ MultiAZ: false, BackupRetentionPeriod: 0, AllocatedStorage: '50', MaxAllocatedStorage: 100, DeletionProtection: false, ApplyImmediately: true }),
      });
    });

    test('THEN it starts at 07:30 and stops at 20:00 Europe/London on weekdays, with CMK-encrypted schedules', () => {
      for (const [action, expression] of [
        ['startDBInstance', 'cron(30 7 ? * MON-FRI *)'],
        ['stopDBInstance', 'cron(0 20 ? * MON-FRI *)'],
      ]) {
        template.hasResourceProperties('AWS::Scheduler::Schedule', {
          ScheduleExpression: expression,
          ScheduleExpressionTimezone: 'Europe/London',
          FlexibleTimeWindow: { Mode: 'OFF' },
          KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DatabaseScheduleKey'), 'Arn'] },
          Target: Match.objectLike({
            Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:scheduler:::aws-sdk:rds:${action}`]] },
            Input: { 'Fn::Join': ['', ['{"DbInstanceIdentifier":"', { Ref: Match.stringLikeRegexp('^DatabaseInstance') }, '"}']] },
            RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DatabaseSchedulerRole'), 'Arn'] },
          }),
        });
      }
    });

    test('THEN the scheduler role may only start and stop this instance and decrypt its schedules', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } })],
        },
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('DatabaseSchedulerRole') }],
        PolicyDocument: {
          Statement: [
            { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('DatabaseScheduleKey'), 'Arn'] } },
            {
              Effect: 'Allow',
              Action: ['rds:StartDBInstance', 'rds:StopDBInstance'],
              Resource: { 'Fn::Join': ['', ['arn:aws:rds:eu-west-2:123456789012:db:', { Ref: Match.stringLikeRegexp('^DatabaseInstance') }]] },
            },
          ],
        },
      });
    });

    test('THEN alarms treat missing data as not breaching and send no OK notifications', () => {
      template.allResourcesProperties('AWS::CloudWatch::Alarm', { TreatMissingData: 'notBreaching', OKActions: Match.absent(), AlarmActions: Match.anyValue() });
      template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
      expect(database.freeStorageAlarmThresholdBytes).toBe(Math.round(50 * 1024 ** 3 * 0.15));
    });
  });

  describe('GIVEN a review app stack that needs a URL for its own database', () => {
    test('THEN the URL secret in the review stack imports the endpoint and secret ARN, never the password', () => {
      // GIVEN
      const app = createTestApp();
      const dataStack = new Stack(app, 'Data', { env: TEST_ENV });
      const reviewStack = new Stack(app, 'Review1234', { env: TEST_ENV });
      const database = new PostgresDatabase(dataStack, 'Database', { vpc: testVpc(dataStack), instanceIdentifier: 'core-dev', alarmTopic: alarmTopic(dataStack) });

      // WHEN
      database.createDatabaseUrlSecret(reviewStack, 'DatabaseUrl', { databaseName: 'core-review-1234', secretName: 'core-review-1234-database-url' });

      // THEN
      const reviewTemplate = Template.fromStack(reviewStack);
      reviewTemplate.hasResource('AWS::SecretsManager::Secret', {
        DeletionPolicy: 'Delete',
        Properties: Match.objectLike({
          Name: 'core-review-1234-database-url',
          SecretString: { 'Fn::Join': ['', Match.arrayWith(['postgresql://postgres:{{resolve:secretsmanager:', ':SecretString:password::}}@'])] },
        }),
      });
      const secretString = JSON.stringify(reviewTemplate.findResources('AWS::SecretsManager::Secret'));
      expect(secretString).toMatch(/Fn::GetStackOutput|Fn::ImportValue/);
      expect(secretString).not.toMatch(/"password"\s*:/);
    });
  });

  describe('GIVEN contradictory or invalid props', () => {
    const build = (overrides: Partial<PostgresDatabaseProps>, azs?: string[]) => {
      const stack = createTestStack();
      return () => new PostgresDatabase(stack, 'Database', { vpc: testVpc(stack, azs), alarmTopic: alarmTopic(stack), ...overrides });
    };

    test('fails when the subnets cover one availability zone', () => {
      expect(build({}, ['eu-west-2a'])).toThrow(/vpcSubnets cover 1 availability zone\(s\) but an RDS subnet group for a Multi-AZ instance needs at least 2/);
    });

    test('fails when backup retention is outside 0..35 days', () => {
      expect(build({ backupRetention: Duration.days(36) })).toThrow(/backupRetention must be a whole number of days between 0 and 35, got 36 days/);
      expect(build({ backupRetention: Duration.hours(12) })).toThrow(/backupRetention must be a whole number of days between 0 and 35, got 12 hours/);
    });

    test('fails when the storage ceiling is below the allocation', () => {
      expect(build({ allocatedStorage: 100, maxAllocatedStorage: 50 })).toThrow(/maxAllocatedStorage must be at least 10 % above allocatedStorage \(110 GiB or more\) and at most 65536, got 50/);
    });

    test('fails when allocated storage is outside gp3 limits', () => {
      expect(build({ allocatedStorage: 10 })).toThrow(/allocatedStorage must be a whole number of GiB between 20 and 65536 \(gp3 limits\), got 10/);
    });

    test('fails when a read replica is asked for without backups', () => {
      expect(build({ readReplica: true, backupRetention: Duration.days(0) })).toThrow(/readReplica needs automated backups but backupRetention is 0 days/);
    });

    test('fails when a scheduled stop is combined with a read replica', () => {
      expect(build({ readReplica: true, scheduledStop: { enabled: true } })).toThrow(/^TestStack\/Database: scheduledStop cannot be combined with readReplica/);
    });

    test('fails when schedule times are malformed or inverted', () => {
      expect(build({ scheduledStop: { enabled: true, start: '7:30' } })).toThrow(/scheduledStop.start must be a 24-hour time HH:MM, got "7:30"/);
      expect(build({ scheduledStop: { enabled: false, stop: '25:00' } })).toThrow(/scheduledStop.stop must be a 24-hour time HH:MM, got "25:00"/);
      expect(build({ scheduledStop: { enabled: true, start: '21:00' } })).toThrow(/scheduledStop.start \(21:00\) must be earlier than scheduledStop.stop \(20:00\)/);
    });

    test('ignores the times of a disabled schedule', () => {
      const stack = createTestStack();
      new PostgresDatabase(stack, 'Database', { vpc: testVpc(stack), alarmTopic: alarmTopic(stack), scheduledStop: { enabled: false, start: '07:00', stop: '19:00' } });
      Template.fromStack(stack).resourceCountIs('AWS::Scheduler::Schedule', 0);
    });

    test('fails when the monitoring interval is not one RDS supports', () => {
      expect(build({ monitoringInterval: Duration.seconds(20) })).toThrow(/monitoringInterval must be 0 \(off\), 1, 5, 10, 15, 30 or 60 seconds, got 20 seconds/);
    });

    test('fails when alarm thresholds are out of range', () => {
      expect(build({ freeStorageAlarmThresholdPercent: 100 })).toThrow(/freeStorageAlarmThresholdPercent must be between 0 and 100 \(exclusive\), got 100/);
      expect(build({ connectionsAlarmThreshold: 0 })).toThrow(/connectionsAlarmThreshold must be a positive whole number, got 0/);
    });

    test('fails when the instance identifier is not valid for RDS', () => {
      expect(build({ instanceIdentifier: 'Core_Prod' })).toThrow(/instanceIdentifier must be 1 to 63 lowercase letters, digits or single hyphens.*got "Core_Prod"/);
      expect(build({ instanceIdentifier: 'core--prod' })).toThrow(/got "core--prod"/);
    });

    test('fails when a database URL is asked for with an unusable database name', () => {
      const stack = createTestStack();
      const database = new PostgresDatabase(stack, 'Database', { vpc: testVpc(stack), alarmTopic: alarmTopic(stack) });
      expect(() => database.createDatabaseUrlSecret(stack, 'Url', { databaseName: 'bad name' })).toThrow(/databaseName must start with a letter or underscore.*got "bad name"/);
    });

  });

  describe('GIVEN an explicit missing-data behaviour', () => {
    test('THEN every alarm uses it', () => {
      const stack = createTestStack();
      const database = new PostgresDatabase(stack, 'Database', { vpc: testVpc(stack), alarmTopic: alarmTopic(stack), alarmTreatMissingData: cloudwatch.TreatMissingData.IGNORE });
      for (const alarm of database.alarms) {
        expect((alarm.node.defaultChild as cloudwatch.CfnAlarm).treatMissingData).toBe('ignore');
      }
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    const network = new CoreNetwork(stack, 'Network');
    new PostgresDatabase(stack, 'Database', { vpc: network.vpc, alarmTopic: alarmTopic(stack) });
    expectToPassPolicies(stack);
  });
});

/** An existing alert topic, imported so it adds no resources to the stack under test. */
function alarmTopic(stack: Stack): sns.ITopic {
  return sns.Topic.fromTopicArn(stack, 'AlarmTopic', 'arn:aws:sns:eu-west-2:123456789012:core-alerts');
}

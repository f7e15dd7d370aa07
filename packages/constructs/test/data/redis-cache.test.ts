import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { CacheEngine, RedisCache, type RedisCacheProps } from '../../src/data/redis-cache';
import { CoreNetwork } from '../../src/network/core-network';

function testVpc(stack: Stack, availabilityZones = ['eu-west-2a', 'eu-west-2b']): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-12345678',
    availabilityZones,
    privateSubnetIds: availabilityZones.map((_, index) => `subnet-0000000${index}`),
    privateSubnetRouteTableIds: availabilityZones.map((_, index) => `rtb-0000000${index}`),
  });
}

describe('RedisCache', () => {
  describe('GIVEN default props, a notification topic and an app security group', () => {
    let template: Template;
    let cache: RedisCache;
    let stack: Stack;

    beforeAll(() => {
      stack = createTestStack();
      const network = new CoreNetwork(stack, 'Network');
      const topic = new sns.Topic(stack, 'Alerts');
      cache = new RedisCache(stack, 'Cache', { vpc: network.vpc, notificationTopic: topic, replicationGroupId: 'core-prod' });
      const app = new ec2.SecurityGroup(stack, 'AppSecurityGroup', { vpc: network.vpc });
      cache.allowFrom(app, 'Sidekiq and app tasks');
      const executionRole = new iam.Role(stack, 'ExecutionRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      cache.grantReadAuth(executionRole);
      template = Template.fromStack(stack);
    });

    test('THEN it runs Valkey 8.2 on two nodes with Multi-AZ automatic failover', () => {
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        ReplicationGroupId: 'core-prod',
        Engine: 'valkey',
        EngineVersion: '8.2',
        CacheNodeType: 'cache.t4g.micro',
        NumCacheClusters: 2,
        MultiAZEnabled: true,
        AutomaticFailoverEnabled: true,
        AutoMinorVersionUpgrade: true,
        Port: 6379,
      });
      expect(cache.multiAz).toBe(true);
    });

    test('THEN data at rest is encrypted with its own rotating key and TLS is required in transit', () => {
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        AtRestEncryptionEnabled: true,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CacheKey'), 'Arn'] },
        TransitEncryptionEnabled: true,
        TransitEncryptionMode: 'required',
      });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: Match.stringLikeRegexp('valkey cache') });
    });

    test('THEN the AUTH token is generated in a CMK-encrypted secret and reaches the template only as a dynamic reference', () => {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CacheKey'), 'Arn'] },
      });
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        AuthToken: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: Match.stringLikeRegexp('CacheAuthToken') }, ':SecretString:::}}']] },
      });
    });

    test('THEN snapshots are kept 5 days in the 02:30-03:30 window and a final snapshot is taken on removal', () => {
      template.hasResource('AWS::ElastiCache::ReplicationGroup', {
        DeletionPolicy: 'Snapshot',
        UpdateReplacePolicy: 'Snapshot',
        Properties: Match.objectLike({ SnapshotRetentionLimit: 5, SnapshotWindow: '02:30-03:30', PreferredMaintenanceWindow: 'sun:23:00-mon:01:30' }),
      });
    });

    test('THEN the parameter group of the valkey8 family evicts volatile keys by LRU', () => {
      template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', { CacheParameterGroupFamily: 'valkey8', Properties: { 'maxmemory-policy': 'volatile-lru' } });
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { CacheParameterGroupName: { Ref: Match.stringLikeRegexp('CacheParameters') } });
    });

    test('THEN the subnet group uses only the private subnets', () => {
      template.hasResourceProperties('AWS::ElastiCache::SubnetGroup', {
        SubnetIds: [1, 2, 3].map((n) => ({ Ref: Match.stringLikeRegexp(`NetworkPrivateSubnet${n}`) })),
      });
    });

    test('THEN the security group admits only the granted app group on 6379 and has no egress', () => {
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('valkey cache'),
        SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
        SecurityGroupIngress: Match.absent(),
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        IpProtocol: 'tcp',
        FromPort: 6379,
        ToPort: 6379,
        Description: 'Sidekiq and app tasks',
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('CacheSecurityGroup'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AppSecurityGroup'), 'GroupId'] },
      });
    });

    test('THEN events go to the notification topic', () => {
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { NotificationTopicArn: { Ref: Match.stringLikeRegexp('Alerts') } });
    });

    test('THEN the app gets a rediss:// URL without credentials and a URL secret composed by reference', () => {
      expect(stack.resolve(cache.connectionUrl)).toEqual({
        'Fn::Join': ['', ['rediss://', { 'Fn::GetAtt': [expect.stringMatching(/^CacheReplicationGroup/), 'PrimaryEndPoint.Address'] }, ':6379']],
      });
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        SecretString: {
          'Fn::Join': [
            '',
            [
              'rediss://:{{resolve:secretsmanager:',
              { Ref: Match.stringLikeRegexp('CacheAuthToken') },
              ':SecretString:::}}@',
              { 'Fn::GetAtt': [Match.stringLikeRegexp('CacheReplicationGroup'), 'PrimaryEndPoint.Address'] },
              ':6379',
            ],
          ],
        },
      });
    });

    test('THEN the execution role may read both secrets and decrypt them only through Secrets Manager', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('ExecutionRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
              Resource: [{ Ref: Match.stringLikeRegexp('CacheAuthToken') }, { Ref: Match.stringLikeRegexp('CacheConnectionUrl') }],
            }),
            Match.objectLike({ Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': ['secretsmanager.eu-west-2.amazonaws.com'] } } }),
          ]),
        },
      });
    });
  });

  describe('GIVEN a single-node review-app cache that is destroyed with its stack', () => {
    let template: Template;

    beforeAll(() => {
      const stack = createTestStack();
      new RedisCache(stack, 'Cache', {
        vpc: testVpc(stack),
        numCacheClusters: 1,
        cacheNodeType: 'cache.t3.micro',
        snapshotRetention: Duration.days(0),
        removalPolicy: RemovalPolicy.DESTROY,
      });
      template = Template.fromStack(stack);
    });

    test('THEN it has one node without Multi-AZ, snapshots or a final snapshot', () => {
      template.hasResource('AWS::ElastiCache::ReplicationGroup', {
        DeletionPolicy: 'Delete',
        Properties: Match.objectLike({
          NumCacheClusters: 1,
          CacheNodeType: 'cache.t3.micro',
          MultiAZEnabled: false,
          AutomaticFailoverEnabled: false,
          SnapshotRetentionLimit: 0,
          SnapshotWindow: Match.absent(),
          NotificationTopicArn: Match.absent(),
        }),
      });
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    });

    test('THEN it derives a lowercase replication group id', () => {
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { ReplicationGroupId: Match.stringLikeRegexp('^teststack-cache-[0-9a-f]{8}$') });
    });
  });

  describe('GIVEN Redis OSS', () => {
    test.each([
      ['7.1', 'redis7'],
      ['6.2', 'redis6.x'],
    ])('THEN version %s uses the %s parameter group family', (engineVersion, family) => {
      const stack = createTestStack();
      const cache = new RedisCache(stack, 'Cache', { vpc: testVpc(stack), engine: CacheEngine.REDIS, engineVersion });
      expect(cache.parameterGroupFamily).toBe(family);
      expect(cache.replicationGroup.engine).toBe('redis');
    });
  });

  describe('GIVEN contradictory or invalid props', () => {
    const build = (overrides: Partial<RedisCacheProps>, azs?: string[]) => {
      const stack = createTestStack();
      return () => new RedisCache(stack, 'Cache', { vpc: testVpc(stack, azs), ...overrides });
    };

    test('fails when Multi-AZ is asked for with one node', () => {
      expect(build({ numCacheClusters: 1, multiAz: true })).toThrow(/multiAz needs at least 2 nodes for automatic failover but numCacheClusters is 1/);
    });

    test('fails when a highly available cache has subnets in one zone', () => {
      expect(build({}, ['eu-west-2a'])).toThrow(/multiAz needs subnets in at least 2 availability zones but vpcSubnets cover 1/);
    });

    test('fails when the node count is outside 1..6', () => {
      expect(build({ numCacheClusters: 7 })).toThrow(/numCacheClusters must be a whole number from 1 to 6, got 7/);
    });

    test('fails when snapshot retention is outside 0..35 days', () => {
      expect(build({ snapshotRetention: Duration.days(40) })).toThrow(/snapshotRetention must be a whole number of days between 0 and 35, got 40 days/);
    });

    test('fails when the engine version is malformed or unsupported', () => {
      expect(build({ engineVersion: '8' })).toThrow(/engineVersion must be "major.minor", got "8"/);
      expect(build({ engine: CacheEngine.REDIS, engineVersion: '5.0' })).toThrow(/engineVersion 5.0 is not supported for redis/);
    });

    test('fails when the replication group id is not valid', () => {
      expect(build({ replicationGroupId: 'core_prod' })).toThrow(/replicationGroupId must be 1 to 40 lowercase letters, digits or single hyphens.*got "core_prod"/);
      expect(build({ replicationGroupId: 'Core-Prod' })).toThrow(/got "Core-Prod"/);
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    const network = new CoreNetwork(stack, 'Network');
    new RedisCache(stack, 'Cache', { vpc: network.vpc });
    expectToPassPolicies(stack);
  });
});

import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { CoreNetwork } from '../../src/network/core-network';

describe('CoreNetwork', () => {
  describe('GIVEN default props', () => {
    let template: Template;
    let network: CoreNetwork;
    let missingContext: unknown;

    beforeAll(() => {
      const stack = createTestStack();
      network = new CoreNetwork(stack, 'Network');
      template = Template.fromStack(stack);
      missingContext = (stack.node.root as unknown as { synth(): { manifest: { missing?: unknown[] } } }).synth().manifest.missing;
    });

    test('THEN synthesis needs no context lookups', () => {
      expect(missingContext ?? []).toEqual([]);
    });

    test('THEN the VPC is 10.0.0.0/16 with DNS support and hostnames', () => {
      template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16', EnableDnsSupport: true, EnableDnsHostnames: true });
      expect(network.vpcCidr).toBe('10.0.0.0/16');
    });

    test('THEN three public and three private /19 subnets split the lower and upper halves', () => {
      const cidrs = (name: RegExp) =>
        Object.entries(template.findResources('AWS::EC2::Subnet'))
          .filter(([id]) => name.test(id))
          .map(([, subnet]) => (subnet as { Properties: { CidrBlock: string } }).Properties.CidrBlock);
      expect(cidrs(/PublicSubnet/)).toEqual(['10.0.0.0/19', '10.0.32.0/19', '10.0.64.0/19']);
      expect(cidrs(/PrivateSubnet/)).toEqual(['10.0.128.0/19', '10.0.160.0/19', '10.0.192.0/19']);
      expect(network.publicSubnets).toHaveLength(3);
      expect(network.privateSubnets).toHaveLength(3);
    });

    test('THEN each AZ is chosen by CloudFormation without literal names and no subnet auto-assigns public IPs', () => {
      [0, 1, 2].forEach((index) =>
        template.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: { 'Fn::Select': [index, { 'Fn::GetAZs': '' }] }, MapPublicIpOnLaunch: false }),
      );
      expect(JSON.stringify(template.findResources('AWS::EC2::Subnet'))).not.toContain('"MapPublicIpOnLaunch":true');
    });

    test('THEN the public route table routes to the internet gateway after it is attached', () => {
      template.resourceCountIs('AWS::EC2::InternetGateway', 1);
      template.hasResource('AWS::EC2::Route', {
        Properties: { DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: Match.stringLikeRegexp('InternetGateway') }, RouteTableId: { Ref: Match.stringLikeRegexp('PublicRouteTable') } },
        DependsOn: [Match.stringLikeRegexp('InternetGatewayAttachment')],
      });
    });

    test('THEN there is one NAT gateway with an Elastic IP per AZ, in the public subnets', () => {
      template.resourceCountIs('AWS::EC2::NatGateway', 3);
      template.resourceCountIs('AWS::EC2::EIP', 3);
      [1, 2, 3].forEach((n) =>
        template.hasResourceProperties('AWS::EC2::NatGateway', {
          SubnetId: { Ref: Match.stringLikeRegexp(`PublicSubnet${n}`) },
          AllocationId: { 'Fn::GetAtt': [Match.stringLikeRegexp(`NatGateway${n}Eip`), 'AllocationId'] },
        }),
      );
      expect(network.natGateways).toBe(3);
    });

    test('THEN each private subnet has its own route table sending internet traffic to its own AZ NAT', () => {
      template.resourceCountIs('AWS::EC2::RouteTable', 4);
      [1, 2, 3].forEach((n) => {
        template.hasResourceProperties('AWS::EC2::Route', {
          RouteTableId: { Ref: Match.stringLikeRegexp(`PrivateRouteTable${n}`) },
          DestinationCidrBlock: '0.0.0.0/0',
          NatGatewayId: { Ref: Match.stringLikeRegexp(`NatGateway${n}(?!Eip)`) },
        });
        template.hasResourceProperties('AWS::EC2::SubnetRouteTableAssociation', {
          SubnetId: { Ref: Match.stringLikeRegexp(`PrivateSubnet${n}`) },
          RouteTableId: { Ref: Match.stringLikeRegexp(`PrivateRouteTable${n}`) },
        });
      });
    });

    test('THEN ACCEPT and REJECT flow logs go to separate KMS-encrypted log groups kept 60 days and retained', () => {
      ['ACCEPT', 'REJECT'].forEach((trafficType) =>
        template.hasResourceProperties('AWS::EC2::FlowLog', {
          ResourceType: 'VPC',
          ResourceId: { Ref: Match.stringLikeRegexp('NetworkVpc') },
          TrafficType: trafficType,
          LogDestinationType: 'cloud-watch-logs',
          LogGroupName: { Ref: Match.stringLikeRegexp(trafficType === 'ACCEPT' ? 'FlowLogGroupAccepted' : 'FlowLogGroupRejected') },
        }),
      );
      template.allResourcesProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('NetworkLogKey'), 'Arn'] } });
      template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ RetentionInDays: 60 }) });
      expect(network.flowLogGroups).toHaveLength(2);
    });

    test('THEN CloudWatch Logs may use the log key for this account only', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'logs.eu-west-2.amazonaws.com' },
              Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-2:123456789012:log-group:*' } },
            }),
          ]),
        },
      });
    });

    test('THEN the flow-log role is trusted only for this account and writes only to its log groups', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': 'arn:aws:ec2:eu-west-2:123456789012:vpc-flow-log/*' } },
            },
          ],
        },
      });
      const flowLogPolicy = Object.values(template.findResources('AWS::IAM::Policy')).find((policy) => JSON.stringify(policy).includes('FlowLogRole'));
      expect(JSON.stringify(flowLogPolicy)).not.toMatch(/"Resource":"\*"|logs:\*/);
    });

    test('THEN both default security group rules are revoked by least-privilege calls', () => {
      template.resourceCountIs('Custom::VpcRestrictDefaultSG', 2);
      for (const action of ['RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress']) {
        template.hasResourceProperties('AWS::IAM::Policy', {
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: `ec2:${action}`,
                Resource: { 'Fn::Join': ['', ['arn:aws:ec2:eu-west-2:123456789012:security-group/', { 'Fn::GetAtt': [Match.stringLikeRegexp('NetworkVpc'), 'DefaultSecurityGroup'] }]] },
              },
            ],
          },
        });
      }
      const calls = JSON.stringify(template.findResources('Custom::VpcRestrictDefaultSG'));
      expect(calls).toContain('revokeSecurityGroupIngress');
      expect(calls).toContain('revokeSecurityGroupEgress');
      expect(calls).toContain('0.0.0.0/0');
    });

    test('THEN the cleanup function logs to an encrypted log group with a role that has no managed policies', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('DefaultSecurityGroupCleanupLogs') } },
        Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('DefaultSecurityGroupCleanupRole'), 'Arn'] },
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] },
        ManagedPolicyArns: Match.absent(),
      });
    });

    test('THEN S3 and DynamoDB gateway endpoints serve the private route tables only', () => {
      for (const service of ['s3', 'dynamodb']) {
        template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
          VpcEndpointType: 'Gateway',
          ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`.${service}`])] }),
          RouteTableIds: [1, 2, 3].map((n) => ({ Ref: Match.stringLikeRegexp(`PrivateRouteTable${n}`) })),
        });
      }
    });

    test('THEN there are no interface endpoints', () => {
      template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 0);
      expect(network.endpointSecurityGroup).toBeUndefined();
    });

    test('THEN the exposed VPC selects the private subnets for egress-needing workloads', () => {
      expect(network.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds).toHaveLength(3);
      expect(network.vpc.selectSubnets({ subnetType: ec2.SubnetType.PUBLIC }).subnetIds).toHaveLength(3);
    });
  });

  describe('GIVEN a cheaper two-AZ network with one NAT, one ALL flow log and interface endpoints', () => {
    let template: Template;

    beforeAll(() => {
      const stack = createTestStack();
      new CoreNetwork(stack, 'Network', {
        cidr: '10.20.0.0/16',
        availabilityZones: ['eu-west-2a', 'eu-west-2b'],
        natGateways: 1,
        flowLogTrafficTypes: [ec2.FlowLogTrafficType.ALL],
        flowLogRetention: logs.RetentionDays.ONE_YEAR,
        interfaceEndpoints: true,
        gatewayEndpoints: false,
        vpcName: 'core-dev-vpc',
        removalPolicy: RemovalPolicy.DESTROY,
      });
      template = Template.fromStack(stack);
    });

    test('THEN /18 subnets sit in the named AZs', () => {
      template.hasResourceProperties('AWS::EC2::Subnet', { CidrBlock: '10.20.0.0/18', AvailabilityZone: 'eu-west-2a' });
      template.hasResourceProperties('AWS::EC2::Subnet', { CidrBlock: '10.20.64.0/18', AvailabilityZone: 'eu-west-2b' });
      template.hasResourceProperties('AWS::EC2::Subnet', { CidrBlock: '10.20.128.0/18', AvailabilityZone: 'eu-west-2a' });
      template.hasResourceProperties('AWS::EC2::Subnet', { CidrBlock: '10.20.192.0/18', AvailabilityZone: 'eu-west-2b' });
      template.hasResourceProperties('AWS::EC2::VPC', { Tags: [{ Key: 'Name', Value: 'core-dev-vpc' }] });
    });

    test('THEN both private route tables use the single NAT gateway', () => {
      template.resourceCountIs('AWS::EC2::NatGateway', 1);
      [1, 2].forEach((n) =>
        template.hasResourceProperties('AWS::EC2::Route', { RouteTableId: { Ref: Match.stringLikeRegexp(`PrivateRouteTable${n}`) }, NatGatewayId: { Ref: Match.stringLikeRegexp('NatGateway1') } }),
      );
    });

    test('THEN one ALL flow log goes to one log group with the configured retention, destroyable', () => {
      template.resourceCountIs('AWS::EC2::FlowLog', 1);
      template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
      template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ RetentionInDays: 365 }) });
    });

    test('THEN seven interface endpoints with private DNS sit in the private subnets behind an HTTPS-from-VPC group', () => {
      template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 7);
      for (const service of ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm', 'ssmmessages', 'kms']) {
        template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
          ServiceName: `com.amazonaws.eu-west-2.${service}`,
          PrivateDnsEnabled: true,
          SubnetIds: [{ Ref: Match.stringLikeRegexp('PrivateSubnet1') }, { Ref: Match.stringLikeRegexp('PrivateSubnet2') }],
          SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('EndpointSecurityGroup'), 'GroupId'] }],
        });
      }
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupIngress: [{ CidrIp: '10.20.0.0/16', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'HTTPS from the VPC' }],
        SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
      });
    });

    test('THEN there are no gateway endpoints', () => {
      template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' }, 0);
    });
  });

  describe('GIVEN invalid props', () => {
    test.each([
      [{ natGateways: 4 }, /natGateways must be a whole number between 1 and the number of availability zones \(3\), got 4/],
      [{ natGateways: 0 }, /natGateways must be a whole number between 1 and the number of availability zones \(3\), got 0/],
      [{ availabilityZoneCount: 1 }, /availability zone count must be between 2 and 6, got 1/],
      [{ availabilityZones: ['eu-west-2a'] }, /availability zone count must be between 2 and 6, got 1/],
      [{ availabilityZones: ['eu-west-2a', 'eu-west-2a'] }, /availabilityZones must not repeat a zone/],
      [{ availabilityZones: ['eu-west-2a', 'eu-west-2b'], availabilityZoneCount: 3 }, /availabilityZoneCount is 3 but availabilityZones lists 2 zones/],
      [{ cidr: '10.0.0.0' }, /cidr must be an IPv4 CIDR block such as "10.0.0.0\/16", got "10.0.0.0"/],
      [{ cidr: '10.0.300.0/16' }, /cidr must be an IPv4 CIDR block/],
      [{ cidr: '10.0.0.0/8' }, /cidr prefix length must be between \/16 and \/24/],
      [{ cidr: '10.0.0.1/16' }, /cidr "10.0.0.1\/16" has host bits set: use "10.0.0.0\/16"/],
      [{ availabilityZoneCount: 7 }, /availability zone count must be between 2 and 6, got 7/],
      [{ flowLogTrafficTypes: [] }, /flowLogTrafficTypes must not be empty/],
      [{ flowLogTrafficTypes: [ec2.FlowLogTrafficType.ALL, ec2.FlowLogTrafficType.REJECT] }, /flowLogTrafficTypes combines ALL with REJECT/],
      [{ flowLogTrafficTypes: [ec2.FlowLogTrafficType.ACCEPT, ec2.FlowLogTrafficType.ACCEPT] }, /flowLogTrafficTypes must not repeat a type/],
    ])('fails for %j', (props, message) => {
      const stack = createTestStack();
      expect(() => new CoreNetwork(stack, 'Network', props)).toThrow(message);
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    new CoreNetwork(stack, 'Network');
    expectToPassPolicies(stack);
  });
});

import { Fn, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import { EncryptionKey } from '../security/encryption-key';
import { propsError } from '../shared/errors';
import { restrictDefaultSecurityGroup } from './default-security-group';
import { planSubnets } from './subnet-plan';
import { addGatewayEndpoints, addInterfaceEndpoints } from './vpc-endpoints';

/** Props for {@link CoreNetwork}. */
export interface CoreNetworkProps {
  /**
   * IPv4 CIDR block of the VPC (/16 to /24). The lower half holds the public subnets, the
   * upper half the private subnets.
   *
   * @default "10.0.0.0/16"
   */
  readonly cidr?: string;

  /**
   * Names of the availability zones to use, e.g. `['eu-west-2a', 'eu-west-2b', 'eu-west-2c']`.
   * CloudFormation's linter warns about literal zone names (W3010); give them only when the
   * exact zones matter.
   *
   * @default - the first {@link availabilityZoneCount} zones CloudFormation's `Fn::GetAZs` returns for the region at deploy time (no synthesis-time lookup)
   */
  readonly availabilityZones?: readonly string[];

  /**
   * How many availability zones the VPC spans (at least 2, which RDS subnet groups and load
   * balancers need). Ignored in favour of the list when {@link availabilityZones} is given.
   *
   * @default 3
   */
  readonly availabilityZoneCount?: number;

  /**
   * How many NAT gateways to run, between 1 and the number of AZs. Fewer than one per AZ
   * saves money, but private subnets in AZs without one route through another AZ and lose
   * egress if that AZ fails.
   *
   * @default - one per availability zone
   */
  readonly natGateways?: number;

  /**
   * Traffic captured by VPC flow logs, one flow log and log group per entry: ACCEPT and
   * REJECT into separate log groups, or ALL into one.
   *
   * @default [ec2.FlowLogTrafficType.ACCEPT, ec2.FlowLogTrafficType.REJECT]
   */
  readonly flowLogTrafficTypes?: readonly ec2.FlowLogTrafficType[];

  /**
   * How long flow-log records are kept.
   *
   * @default logs.RetentionDays.TWO_MONTHS
   */
  readonly flowLogRetention?: logs.RetentionDays;

  /**
   * Key encrypting the flow-log log groups (and the log group of the default-security-group
   * cleanup function). CloudWatch Logs is allowed to use it for this account's log groups.
   *
   * @default - a new rotating {@link EncryptionKey}
   */
  readonly encryptionKey?: EncryptionKey;

  /**
   * Add free gateway endpoints for S3 and DynamoDB to the private route tables, so S3 traffic
   * (including ECR image layers) does not cross the NAT gateways.
   *
   * @default true
   */
  readonly gatewayEndpoints?: boolean;

  /**
   * Add interface endpoints for {@link CORE_INTERFACE_ENDPOINT_SERVICES} in the private
   * subnets, so private tasks reach those AWS APIs without NAT. Off by default because each
   * endpoint is billed per AZ-hour: seven endpoints across three AZs cost more per month than
   * the NAT data they save at CORE's traffic levels.
   *
   * @default false
   */
  readonly interfaceEndpoints?: boolean;

  /**
   * Name tag of the VPC (e.g. `core-prod-vpc`).
   *
   * @default - the construct path
   */
  readonly vpcName?: string;

  /**
   * What happens to the flow-log log groups and their key when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * CORE's VPC: public and private subnets in each availability zone, an internet gateway, NAT
 * gateways (one per AZ by default) with a private route table per AZ, VPC flow logs into
 * KMS-encrypted log groups, the default security group stripped of every rule, and optional
 * gateway and interface VPC endpoints.
 *
 * The VPC is built from CloudFormation resources and exposed through
 * `ec2.Vpc.fromVpcAttributes`, because the `ec2.Vpc` class asks the account for its
 * availability zones at synthesis time even when they are given; CORE synthesizes without
 * credentials or context lookups.
 *
 * @example
 * const network = new CoreNetwork(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZoneCount: 3, natGateways: 3 });
 * new PostgresDatabase(stack, 'Database', { vpc: network.vpc, alarmTopic });
 */
export class CoreNetwork extends Construct {
  /** The VPC, for constructs that take an `ec2.IVpc`. */
  public readonly vpc: ec2.IVpc;

  /** ID of the VPC. */
  public readonly vpcId: string;

  /** IPv4 CIDR block of the VPC. */
  public readonly vpcCidr: string;

  /** Availability zones the VPC spans, in subnet order. */
  public readonly availabilityZones: readonly string[];

  /** Public subnets (load balancers, NAT gateways), one per AZ. */
  public readonly publicSubnets: readonly ec2.ISubnet[];

  /** Private subnets (tasks, databases, caches), one per AZ; egress through NAT. */
  public readonly privateSubnets: readonly ec2.ISubnet[];

  /** Number of NAT gateways. */
  public readonly natGateways: number;

  /** Traffic types captured by flow logs. */
  public readonly flowLogTrafficTypes: readonly ec2.FlowLogTrafficType[];

  /** Flow-log log groups, one per traffic type. */
  public readonly flowLogGroups: readonly logs.ILogGroup[];

  /** Key encrypting the network's log groups. */
  public readonly encryptionKey: EncryptionKey;

  /** ID of the VPC's default security group, which has no rules. */
  public readonly defaultSecurityGroupId: string;

  /** Security group of the interface endpoints, when they exist (HTTPS from the VPC only). */
  public readonly endpointSecurityGroup?: ec2.ISecurityGroup;

  constructor(scope: Construct, id: string, props: CoreNetworkProps = {}) {
    super(scope, id);

    const stack = Stack.of(this);
    this.vpcCidr = props.cidr ?? '10.0.0.0/16';
    this.availabilityZones = resolveAvailabilityZones(this, props);
    const azCount = this.availabilityZones.length;
    this.natGateways = props.natGateways ?? azCount;
    if (!Number.isInteger(this.natGateways) || this.natGateways < 1 || this.natGateways > azCount) {
      throw propsError(this, `natGateways must be a whole number between 1 and the number of availability zones (${azCount}), got ${this.natGateways}: lower it or add availability zones`);
    }
    this.flowLogTrafficTypes = resolveFlowLogTrafficTypes(this, props.flowLogTrafficTypes);
    const plan = planSubnets(this, this.vpcCidr, azCount);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    const cfnVpc = new ec2.CfnVPC(this, 'Vpc', {
      cidrBlock: this.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
    });
    Tags.of(cfnVpc).add('Name', props.vpcName ?? this.node.path);
    this.vpcId = cfnVpc.ref;
    this.defaultSecurityGroupId = cfnVpc.attrDefaultSecurityGroup;

    const internetGateway = new ec2.CfnInternetGateway(this, 'InternetGateway');
    const gatewayAttachment = new ec2.CfnVPCGatewayAttachment(this, 'InternetGatewayAttachment', {
      vpcId: cfnVpc.ref,
      internetGatewayId: internetGateway.ref,
    });

    // One public route table suffices: every public subnet routes to the same gateway.
    const publicRouteTable = new ec2.CfnRouteTable(this, 'PublicRouteTable', { vpcId: cfnVpc.ref });
    Tags.of(publicRouteTable).add('Name', `${this.node.path}/public`);
    const internetRoute = new ec2.CfnRoute(this, 'PublicDefaultRoute', {
      routeTableId: publicRouteTable.ref,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: internetGateway.ref,
    });
    internetRoute.node.addDependency(gatewayAttachment);

    const publicSubnets = this.availabilityZones.map((az, index) => {
      const subnet = new ec2.CfnSubnet(this, `PublicSubnet${index + 1}`, {
        vpcId: cfnVpc.ref,
        availabilityZone: az,
        cidrBlock: plan.publicCidrs[index],
        // Nothing in CORE needs an automatic public IP: NAT gateways use Elastic IPs and the
        // load balancer gets its own addresses.
        mapPublicIpOnLaunch: false,
      });
      Tags.of(subnet).add('Name', `${this.node.path}/public-${index + 1}`);
      new ec2.CfnSubnetRouteTableAssociation(this, `PublicSubnet${index + 1}RouteTableAssociation`, {
        subnetId: subnet.ref,
        routeTableId: publicRouteTable.ref,
      });
      return subnet;
    });

    const natGatewayIds = publicSubnets.slice(0, this.natGateways).map((subnet, index) => {
      const eip = new ec2.CfnEIP(this, `NatGateway${index + 1}Eip`, { domain: 'vpc' });
      eip.node.addDependency(gatewayAttachment);
      Tags.of(eip).add('Name', `${this.node.path}/nat-${index + 1}`);
      const natGateway = new ec2.CfnNatGateway(this, `NatGateway${index + 1}`, {
        subnetId: subnet.ref,
        allocationId: eip.attrAllocationId,
      });
      Tags.of(natGateway).add('Name', `${this.node.path}/nat-${index + 1}`);
      return natGateway.ref;
    });

    const privateRouteTables = this.availabilityZones.map((_az, index) => {
      const routeTable = new ec2.CfnRouteTable(this, `PrivateRouteTable${index + 1}`, { vpcId: cfnVpc.ref });
      Tags.of(routeTable).add('Name', `${this.node.path}/private-${index + 1}`);
      new ec2.CfnRoute(this, `PrivateDefaultRoute${index + 1}`, {
        routeTableId: routeTable.ref,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: natGatewayIds[index % this.natGateways],
      });
      return routeTable;
    });

    const privateSubnets = this.availabilityZones.map((az, index) => {
      const subnet = new ec2.CfnSubnet(this, `PrivateSubnet${index + 1}`, {
        vpcId: cfnVpc.ref,
        availabilityZone: az,
        cidrBlock: plan.privateCidrs[index],
        mapPublicIpOnLaunch: false,
      });
      Tags.of(subnet).add('Name', `${this.node.path}/private-${index + 1}`);
      new ec2.CfnSubnetRouteTableAssociation(this, `PrivateSubnet${index + 1}RouteTableAssociation`, {
        subnetId: subnet.ref,
        routeTableId: privateRouteTables[index].ref,
      });
      return subnet;
    });

    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'ImportedVpc', {
      vpcId: cfnVpc.ref,
      vpcCidrBlock: this.vpcCidr,
      availabilityZones: [...this.availabilityZones],
      publicSubnetIds: publicSubnets.map((subnet) => subnet.ref),
      publicSubnetRouteTableIds: publicSubnets.map(() => publicRouteTable.ref),
      publicSubnetIpv4CidrBlocks: [...plan.publicCidrs],
      privateSubnetIds: privateSubnets.map((subnet) => subnet.ref),
      privateSubnetRouteTableIds: privateRouteTables.map((table) => table.ref),
      privateSubnetIpv4CidrBlocks: [...plan.privateCidrs],
      region: stack.region,
    });
    this.publicSubnets = this.vpc.publicSubnets;
    this.privateSubnets = this.vpc.privateSubnets;

    this.encryptionKey =
      props.encryptionKey ??
      new EncryptionKey(this, 'LogKey', {
        description: `Encrypts the VPC flow logs and other log groups of ${this.node.path}`,
        removalPolicy,
      });
    this.encryptionKey.allowCloudWatchLogs();
    this.flowLogGroups = this.addFlowLogs(props.flowLogRetention ?? logs.RetentionDays.TWO_MONTHS, removalPolicy);

    restrictDefaultSecurityGroup(this, cfnVpc, this.encryptionKey, removalPolicy);

    if (props.gatewayEndpoints ?? true) {
      addGatewayEndpoints(this, this.vpc);
    }
    if (props.interfaceEndpoints ?? false) {
      this.endpointSecurityGroup = addInterfaceEndpoints(this, this.vpc, this.vpcCidr);
    }
  }

  private addFlowLogs(retention: logs.RetentionDays, removalPolicy: RemovalPolicy): logs.ILogGroup[] {
    const stack = Stack.of(this);
    // Trust limited to flow logs of this account (confused-deputy protection AWS recommends).
    const role = new iam.Role(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*' }) },
        },
      }),
      description: `Delivers VPC flow logs of ${this.node.path} to CloudWatch Logs`,
    });

    return this.flowLogTrafficTypes.map((trafficType) => {
      const suffix = trafficTypeName(trafficType);
      const logGroup = new logs.LogGroup(this, `FlowLogGroup${suffix}`, {
        retention,
        encryptionKey: this.encryptionKey.key,
        removalPolicy,
      });
      new ec2.FlowLog(this, `FlowLog${suffix}`, {
        resourceType: ec2.FlowLogResourceType.fromVpc(this.vpc),
        trafficType,
        destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup, role),
      });
      return logGroup;
    });
  }

}

function resolveAvailabilityZones(scope: IConstruct, props: CoreNetworkProps): readonly string[] {
  if (props.availabilityZones !== undefined) {
    const azs = props.availabilityZones;
    if (props.availabilityZoneCount !== undefined && props.availabilityZoneCount !== azs.length) {
      throw propsError(
        scope,
        `availabilityZoneCount is ${props.availabilityZoneCount} but availabilityZones lists ${azs.length} zones: remove availabilityZoneCount or make the two agree`,
      );
    }
    if (new Set(azs).size !== azs.length) {
      throw propsError(scope, `availabilityZones must not repeat a zone, got ${azs.join(', ')}: list each zone once`);
    }
    assertAzCount(scope, azs.length);
    return [...azs];
  }
  const count = props.availabilityZoneCount ?? 3;
  assertAzCount(scope, count);
  // Resolved by CloudFormation in the target account: no lookup at synthesis, no literal names.
  return Array.from({ length: count }, (_, index) => Fn.select(index, Fn.getAzs()));
}

function assertAzCount(scope: IConstruct, count: number): void {
  if (!Number.isInteger(count) || count < 2 || count > 6) {
    throw propsError(scope, `availability zone count must be between 2 and 6, got ${count}: RDS subnet groups and load balancers need at least 2 zones`);
  }
}

function resolveFlowLogTrafficTypes(scope: IConstruct, types: readonly ec2.FlowLogTrafficType[] | undefined): readonly ec2.FlowLogTrafficType[] {
  const resolved = types ?? [ec2.FlowLogTrafficType.ACCEPT, ec2.FlowLogTrafficType.REJECT];
  if (resolved.length === 0) {
    throw propsError(scope, 'flowLogTrafficTypes must not be empty: use [ACCEPT, REJECT] or [ALL]');
  }
  if (new Set(resolved).size !== resolved.length) {
    throw propsError(scope, `flowLogTrafficTypes must not repeat a type, got ${resolved.join(', ')}: list each type once`);
  }
  if (resolved.includes(ec2.FlowLogTrafficType.ALL) && resolved.length > 1) {
    throw propsError(scope, `flowLogTrafficTypes combines ALL with ${resolved.filter((t) => t !== ec2.FlowLogTrafficType.ALL).join(', ')}, which records the same traffic twice: use [ALL] alone or [ACCEPT, REJECT]`);
  }
  return [...resolved];
}

function trafficTypeName(type: ec2.FlowLogTrafficType): string {
  return { [ec2.FlowLogTrafficType.ACCEPT]: 'Accepted', [ec2.FlowLogTrafficType.REJECT]: 'Rejected', [ec2.FlowLogTrafficType.ALL]: 'All' }[type];
}

import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { CoreNetwork } from '@core-infra/constructs';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/schema';

/** Props of {@link NetworkStack}. */
export interface NetworkStackProps extends StackProps {
  /** The environment's config. */
  readonly config: EnvironmentConfig;
}

/** The environment's VPC: subnets, NAT, flow logs, the locked default security group and endpoints. */
export class NetworkStack extends Stack {
  /** The network. */
  public readonly network: CoreNetwork;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { network } = props.config;
    this.network = new CoreNetwork(this, 'Network', {
      cidr: network.cidr,
      // A count, not names: CoreNetwork then picks zones with Fn::GetAZs at deploy time
      // (literal zone names trip CloudFormation's W3010 and differ between accounts).
      availabilityZoneCount: network.azCount,
      natGateways: network.natGateways,
      flowLogRetention: network.flowLogRetentionDays as logs.RetentionDays,
      gatewayEndpoints: network.vpcEndpoints,
      interfaceEndpoints: network.vpcEndpoints,
      vpcName: `${props.config.prefix}-vpc`,
    });
  }
}

/** The environment's availability zones, derived from its region so that synthesis needs no lookup. */
export function availabilityZones(config: EnvironmentConfig): string[] {
  return ['a', 'b', 'c'].slice(0, config.network.azCount).map((suffix) => `${config.region}${suffix}`);
}

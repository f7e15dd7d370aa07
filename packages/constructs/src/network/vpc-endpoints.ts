import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';

/**
 * AWS services that get an interface endpoint when {@link CoreNetworkProps.interfaceEndpoints}
 * is on: everything an ECS Fargate task in a private subnet calls to start (image pull, logs,
 * secrets, KMS) and to be reached with ECS Exec (SSM, SSM messages).
 */
export const CORE_INTERFACE_ENDPOINT_SERVICES: readonly ec2.InterfaceVpcEndpointAwsService[] = [
  ec2.InterfaceVpcEndpointAwsService.ECR,
  ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  ec2.InterfaceVpcEndpointAwsService.SSM,
  ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES,
  ec2.InterfaceVpcEndpointAwsService.KMS,
];

/**
 * Adds S3 and DynamoDB gateway endpoints to the private subnets (ids `S3Endpoint`,
 * `DynamoDbEndpoint` under `scope`).
 *
 * @param scope the network construct
 * @param vpc the VPC
 */
export function addGatewayEndpoints(scope: Construct, vpc: ec2.IVpc): void {
  const privateSelection = [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }];
  new ec2.GatewayVpcEndpoint(scope, 'S3Endpoint', { vpc, service: ec2.GatewayVpcEndpointAwsService.S3, subnets: privateSelection });
  new ec2.GatewayVpcEndpoint(scope, 'DynamoDbEndpoint', { vpc, service: ec2.GatewayVpcEndpointAwsService.DYNAMODB, subnets: privateSelection });
}

/**
 * Adds an interface endpoint for each of {@link CORE_INTERFACE_ENDPOINT_SERVICES} in the private
 * subnets, behind one security group that admits HTTPS from the VPC only (ids
 * `EndpointSecurityGroup` and `<Service>Endpoint` under `scope`).
 *
 * @param scope the network construct
 * @param vpc the VPC
 * @param vpcCidr its CIDR block, the only source the endpoints admit
 * @returns the endpoints' security group
 */
export function addInterfaceEndpoints(scope: Construct, vpc: ec2.IVpc, vpcCidr: string): ec2.ISecurityGroup {
  const securityGroup = new ec2.SecurityGroup(scope, 'EndpointSecurityGroup', {
    vpc,
    description: 'Interface VPC endpoints: HTTPS from inside the VPC only',
    allowAllOutbound: false,
  });
  securityGroup.addIngressRule(ec2.Peer.ipv4(vpcCidr), ec2.Port.tcp(443), 'HTTPS from the VPC');
  for (const service of CORE_INTERFACE_ENDPOINT_SERVICES) {
    new ec2.InterfaceVpcEndpoint(scope, `${endpointId(service)}Endpoint`, {
      vpc,
      service,
      privateDnsEnabled: true,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [securityGroup],
      open: false,
    });
  }
  return securityGroup;
}

function endpointId(service: ec2.InterfaceVpcEndpointAwsService): string {
  return service.shortName
    .split(/[^a-zA-Z0-9]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

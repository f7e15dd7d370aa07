import { guardRules } from './guard-rules';
import { type RuleMetadata } from './types';

/** CORE guard rules for Amazon VPC networking and EC2 security groups (`rules/ec2/`). */
export const EC2_RULES: readonly RuleMetadata[] = guardRules('ec2', [
  {
    id: 'CORE.EC2.1',
    ruleName: 'EC2_SECURITY_GROUP_NO_OPEN_INGRESS',
    title: 'Only a load balancer accepts traffic from anywhere, and only on TCP 443',
    severity: 'critical',
    description:
      'Ingress from 0.0.0.0/0 or ::/0 is allowed only for TCP 443 and only on a load balancer\'s security group ' +
      '(GroupDescription mentions a load balancer, ELB or ALB, or tag core-infra:security-group-role=load-balancer). ' +
      'Both inline SecurityGroupIngress entries and AWS::EC2::SecurityGroupIngress resources are checked; a standalone ' +
      'ingress must reference its group with Fn::GetAtt in the same template. The database, cache and tasks must ' +
      'never be reachable from the internet.',
    remediation:
      'Allow ingress from the calling security group (connections.allowFrom) or the CloudFront origin-facing prefix ' +
      'list; open only TCP 443 to the internet, and only on the load balancer.',
    resourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress'],
    nistControls: ['AC-4', 'CM-7', 'SC-7', 'SC-7(5)'],
  },
  {
    id: 'CORE.EC2.2',
    ruleName: 'EC2_VPC_FLOW_LOGS_ENABLED',
    title: 'Every VPC has a flow log',
    severity: 'medium',
    description:
      'Every VPC is the ResourceId (Ref) of an AWS::EC2::FlowLog with ResourceType VPC in the same template, recording ' +
      'accepted and rejected connections for every network interface: the network evidence for investigating ' +
      'traffic to or from the database, cache and tasks. Cross-resource: a flow log in another stack needs a recorded ' +
      'suppression. A finding names the VPC without a flow log, never the flow logs of other VPCs.',
    remediation: 'Add a VPC flow log to CloudWatch Logs (vpc.addFlowLog or the flowLogs prop).',
    resourceTypes: ['AWS::EC2::VPC', 'AWS::EC2::FlowLog'],
    nistControls: ['AU-2', 'AU-3', 'AU-12', 'SI-4'],
  },
  {
    id: 'CORE.EC2.3',
    ruleName: 'EC2_VPC_DEFAULT_SECURITY_GROUP_RESTRICTED',
    title: 'Every VPC default security group has its rules removed',
    severity: 'medium',
    description:
      'Every VPC has the Custom::VpcRestrictDefaultSG resource that CDK\'s restrictDefaultSecurityGroup emits, with ' +
      'DefaultSecurityGroupId Fn::GetAtt <vpc>.DefaultSecurityGroup, so a resource launched without an explicit ' +
      'security group can neither receive nor send traffic. CloudFormation cannot edit the default group directly. ' +
      'Cross-resource: a finding names the unrestricted VPC, never the custom resources of other VPCs.',
    remediation: 'Set restrictDefaultSecurityGroup: true on the Vpc.',
    resourceTypes: ['AWS::EC2::VPC', 'Custom::VpcRestrictDefaultSG'],
    nistControls: ['AC-4', 'CM-7', 'SC-7'],
  },
]);

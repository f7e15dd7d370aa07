/** One resource type CORE has reviewed, with the policy coverage decided for it. */
export interface ReviewedResourceType {
  /** CloudFormation type, e.g. `AWS::S3::Bucket`. */
  readonly type: string;
  /** Which rule families cover the type's risks, or why none applies. */
  readonly coverage: string;
}

/**
 * The reviewed inventory: every resource type CORE's environments synthesize, each with its
 * coverage decision. A type missing here fails CORE.TYPE.1 until someone decides how the rules
 * cover it; the Control Tower decisions are kept for every type listed here too.
 */
export const REVIEWED_RESOURCE_TYPES: readonly ReviewedResourceType[] = [
  { type: 'AWS::EC2::VPC', coverage: 'flow logs and default security group (CORE.EC2.2, CORE.EC2.3)' },
  { type: 'AWS::EC2::Subnet', coverage: 'none of its own: public IPs on launch are decided by Control Tower rules; routing is reviewed with the VPC' },
  { type: 'AWS::EC2::RouteTable', coverage: 'none: holds no data and grants no access; routes are reviewed in the network construct' },
  { type: 'AWS::EC2::Route', coverage: 'none: a route grants no access by itself; ingress is checked on security groups (network family)' },
  { type: 'AWS::EC2::SubnetRouteTableAssociation', coverage: 'none: an association grants no access by itself' },
  { type: 'AWS::EC2::InternetGateway', coverage: 'none: reachability is controlled by security groups (network family)' },
  { type: 'AWS::EC2::VPCGatewayAttachment', coverage: 'none: attaches the gateway reviewed above' },
  { type: 'AWS::EC2::NatGateway', coverage: 'none: outbound only; egress is checked on security groups (network family)' },
  { type: 'AWS::EC2::EIP', coverage: 'none: an address for the NAT gateway, no access of its own' },
  { type: 'AWS::EC2::FlowLog', coverage: 'required per VPC by CORE.EC2.2; its log group is checked by the logs rules' },
  { type: 'AWS::EC2::SecurityGroup', coverage: 'network family (ingress/egress in IPv4 and IPv6) and CORE.EC2.1' },
  { type: 'AWS::EC2::SecurityGroupIngress', coverage: 'network family and CORE.EC2.1' },
  { type: 'AWS::EC2::SecurityGroupEgress', coverage: 'network family' },
  { type: 'AWS::EC2::VPCEndpoint', coverage: 'resource-policy family (endpoint policy principals)' },
  { type: 'AWS::Logs::LogGroup', coverage: 'KMS encryption and retention (CORE.LOGS.1, CORE.LOGS.2), retained as stateful' },
  { type: 'AWS::IAM::Role', coverage: 'IAM family (managed policies, escalation, wildcards) and resource-policy family (trust policy)' },
  { type: 'AWS::IAM::Policy', coverage: 'IAM family and CORE.IAM.1' },
  { type: 'AWS::IAM::ManagedPolicy', coverage: 'IAM family and CORE.IAM.1' },
  { type: 'AWS::IAM::OIDCProvider', coverage: 'GitHub trust pinning (CORE.IAM.2)' },
  { type: 'AWS::KMS::Key', coverage: 'rotation (CORE.KMS.2) and resource-policy family (key policy)' },
  { type: 'AWS::KMS::Alias', coverage: 'none: a name for a key reviewed above' },
  { type: 'AWS::S3::Bucket', coverage: 'S3 rules, durability family (versioning never suspended), retained as stateful' },
  { type: 'AWS::S3::BucketPolicy', coverage: 'TLS-only (CORE.S3.2) and resource-policy family' },
  { type: 'AWS::RDS::DBInstance', coverage: 'RDS rules, secrets family (master password), durability family (backups)' },
  { type: 'AWS::RDS::DBSubnetGroup', coverage: 'none: places the database in private subnets chosen by the data construct' },
  { type: 'AWS::RDS::DBParameterGroup', coverage: 'TLS enforcement (CORE.RDS rds_tls_enforced)' },
  { type: 'AWS::SecretsManager::Secret', coverage: 'KMS encryption (CORE.SM), secrets family (no literal SecretString), gate (regeneration)' },
  { type: 'AWS::SecretsManager::SecretTargetAttachment', coverage: 'none: links a secret to its database' },
  { type: 'AWS::ElastiCache::ReplicationGroup', coverage: 'ElastiCache rules, secrets family (AuthToken), durability family' },
  { type: 'AWS::ElastiCache::SubnetGroup', coverage: 'none: places the cache in private subnets' },
  { type: 'AWS::ElastiCache::ParameterGroup', coverage: 'none: eviction policy only' },
  { type: 'AWS::ECS::Cluster', coverage: 'exec logging (CORE.ECS) and container family (Container Insights)' },
  { type: 'AWS::ECS::TaskDefinition', coverage: 'ECS rules, container family, secrets family (environment)' },
  { type: 'AWS::ECS::Service', coverage: 'circuit breaker (CORE.ECS), network placement by security groups' },
  { type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', coverage: 'ELB rules (logs, deletion protection, header handling)' },
  { type: 'AWS::ElasticLoadBalancingV2::Listener', coverage: 'ELB rules and network family (CloudFront-only origin)' },
  { type: 'AWS::ElasticLoadBalancingV2::ListenerRule', coverage: 'network family (forwarding only on the origin header)' },
  { type: 'AWS::ElasticLoadBalancingV2::TargetGroup', coverage: 'none: health checks only; reachability is the listener’s' },
  { type: 'AWS::CertificateManager::Certificate', coverage: 'none: DNS-validated public certificate, no secret material in the template' },
  { type: 'AWS::CloudFront::Distribution', coverage: 'CloudFront rules (TLS, WAF, logging, origin HTTPS)' },
  { type: 'AWS::CloudFront::CachePolicy', coverage: 'none: caching behaviour only' },
  { type: 'AWS::CloudFront::OriginRequestPolicy', coverage: 'none: header forwarding only' },
  { type: 'AWS::WAFv2::WebACL', coverage: 'WAF rules (managed groups, rate limits, logging)' },
  { type: 'AWS::WAFv2::IPSet', coverage: 'none: address lists used by the web ACL' },
  { type: 'AWS::WAFv2::RegexPatternSet', coverage: 'none: patterns used by the web ACL' },
  { type: 'AWS::WAFv2::LoggingConfiguration', coverage: 'required per web ACL by the WAF logging rule' },
  { type: 'AWS::Shield::Protection', coverage: 'none: adds protection' },
  { type: 'AWS::Shield::ProtectionGroup', coverage: 'none: adds protection' },
  { type: 'AWS::CloudWatch::Alarm', coverage: 'alarm actions (Control Tower CT.CLOUDWATCH.PR.1)' },
  { type: 'AWS::Events::Rule', coverage: 'none of its own: targets are reviewed through their resource policies (resource-policy family)' },
  { type: 'AWS::Scheduler::Schedule', coverage: 'none of its own: its role is checked by the IAM family' },
  { type: 'AWS::ApplicationAutoScaling::ScalableTarget', coverage: 'none: capacity bounds only' },
  { type: 'AWS::SNS::Topic', coverage: 'KMS encryption (CORE.SNS.1)' },
  { type: 'AWS::SNS::TopicPolicy', coverage: 'resource-policy family' },
  { type: 'AWS::SNS::Subscription', coverage: 'none: delivery to the notifier function in the same account' },
  { type: 'AWS::Lambda::Function', coverage: 'runtime (CORE.LAMBDA.1), secrets family (environment)' },
  { type: 'AWS::Lambda::Permission', coverage: 'resource-policy family (public principal, foreign account, function URL auth)' },
  { type: 'AWS::Lambda::EventInvokeConfig', coverage: 'none: retry settings only' },
  { type: 'AWS::Budgets::Budget', coverage: 'none: notifications only' },
  { type: 'AWS::ECR::Repository', coverage: 'ECR rules and resource-policy family (repository policy)' },
  { type: 'AWS::DynamoDB::Table', coverage: 'DynamoDB rules, durability family (point-in-time recovery)' },
  { type: 'AWS::SSM::Parameter', coverage: 'secrets family (no secret in a String parameter)' },
  { type: 'AWS::CDK::Metadata', coverage: 'none: CDK analytics, creates nothing in the account' },
  { type: 'AWS::CloudFormation::WaitConditionHandle', coverage: 'none: a presigned URL for stack signals, holds no data and grants no access' },
  { type: 'Custom::VpcRestrictDefaultSG', coverage: 'none of its own: CDK’s provider strips the default security group; its role is checked by the IAM family' },
  { type: 'Custom::AWS', coverage: 'none of its own: CDK AwsCustomResource SDK calls; its role is checked by the IAM family and its calls are reviewed in the construct that makes them' },
];

/**
 * CloudFormation resource types the CORE environments synthesize: the reviewed inventory
 * ({@link REVIEWED_RESOURCE_TYPES}), one list for both the risk rule CORE.TYPE.1 and the Control
 * Tower decisions. Every bundled Control Tower rule that evaluates one of these types must have a
 * decision in {@link CONTROL_TOWER_DECISIONS}.
 */
export const CORE_EMITTED_RESOURCE_TYPES: readonly string[] = REVIEWED_RESOURCE_TYPES.map((entry) => entry.type);

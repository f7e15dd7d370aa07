// What CloudFormation needs to manage each kind of resource, by the service part of its type
// (`AWS::RDS::DBInstance` → `AWS::RDS`). Ordinary services get their whole action namespace;
// the control-plane services (IAM, KMS) get named actions only, and IAM's are scoped to the
// environment's own roles by the execution policy.

/** What the execution role needs for the resource types of one service. */
export interface ServiceActions {
  /** Actions on `*`, e.g. `rds:*`; never `*` and never a control-plane wildcard such as `iam:*`. */
  readonly actions: readonly string[];
  /** Actions of other services CloudFormation calls while creating such resources (describes, grants, log deliveries). */
  readonly companions?: readonly string[];
  /** Whether such resources pass roles of the environment to a service (`iam:PassRole` on the environment's roles). */
  readonly passesRoles?: boolean;
}

const KMS_KEY_MANAGEMENT = [
  'kms:CreateKey', 'kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias', 'kms:CreateGrant', 'kms:RetireGrant', 'kms:RevokeGrant', 'kms:DescribeKey',
  'kms:EnableKey', 'kms:DisableKey', 'kms:EnableKeyRotation', 'kms:DisableKeyRotation', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:PutKeyPolicy',
  'kms:ListAliases', 'kms:ListResourceTags', 'kms:TagResource', 'kms:UntagResource', 'kms:UpdateKeyDescription', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion',
];
const VPC_DESCRIBE = ['ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeAvailabilityZones'];
const KEY_USE = ['kms:DescribeKey', 'kms:CreateGrant'];
const LOG_DELIVERY = ['logs:CreateLogDelivery', 'logs:DeleteLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'];

/**
 * The actions of each CloudFormation service namespace CORE's stacks use. A resource type whose
 * service is missing makes `core-deploy bootstrap` fail with its name: add the service here.
 */
export const SERVICE_ACTIONS: Readonly<Record<string, ServiceActions>> = {
  'AWS::ApplicationAutoScaling': { actions: ['application-autoscaling:*'], companions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms', 'ecs:DescribeServices', 'ecs:UpdateService'] },
  'AWS::Budgets': { actions: ['budgets:*'] },
  'AWS::CertificateManager': { actions: ['acm:*'], companions: ['route53:GetChange'] },
  'AWS::CloudFront': { actions: ['cloudfront:*'], companions: ['acm:DescribeCertificate', 'acm:ListCertificates', 'wafv2:GetWebACL', 's3:GetBucketAcl', 's3:PutBucketAcl'] },
  'AWS::CloudWatch': { actions: ['cloudwatch:*'] },
  'AWS::DynamoDB': { actions: ['dynamodb:*'], companions: [...KEY_USE, 'application-autoscaling:DescribeScalableTargets'] },
  'AWS::EC2': { actions: ['ec2:*'], companions: LOG_DELIVERY, passesRoles: true },
  'AWS::ECR': { actions: ['ecr:*'], companions: KEY_USE },
  'AWS::ECS': { actions: ['ecs:*'], companions: [...VPC_DESCRIBE, 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeRules', 'servicediscovery:GetNamespace'], passesRoles: true },
  'AWS::ElastiCache': { actions: ['elasticache:*'], companions: [...VPC_DESCRIBE, ...KEY_USE] },
  'AWS::ElasticLoadBalancingV2': { actions: ['elasticloadbalancing:*'], companions: [...VPC_DESCRIBE, 'ec2:DescribeInternetGateways', 'acm:DescribeCertificate', 'cognito-idp:DescribeUserPoolClient'] },
  'AWS::Events': { actions: ['events:*'], passesRoles: true },
  'AWS::KMS': { actions: KMS_KEY_MANAGEMENT },
  'AWS::Lambda': { actions: ['lambda:*'], companions: [...VPC_DESCRIBE, ...KEY_USE], passesRoles: true },
  'AWS::Logs': { actions: ['logs:*'], companions: KEY_USE },
  'AWS::RDS': { actions: ['rds:*'], companions: [...VPC_DESCRIBE, ...KEY_USE, 'secretsmanager:CreateSecret', 'secretsmanager:TagResource', 'secretsmanager:DescribeSecret'], passesRoles: true },
  'AWS::Route53': { actions: ['route53:*'] },
  'AWS::S3': { actions: ['s3:*'], companions: KEY_USE },
  'AWS::Scheduler': { actions: ['scheduler:*'], passesRoles: true },
  'AWS::SecretsManager': { actions: ['secretsmanager:*'], companions: [...KEY_USE, 'rds:DescribeDBInstances', 'rds:DescribeDBClusters'] },
  'AWS::Shield': { actions: ['shield:*'], companions: ['cloudfront:GetDistribution', 'elasticloadbalancing:DescribeLoadBalancers', 'route53:GetHostedZone'] },
  'AWS::SNS': { actions: ['sns:*'], companions: KEY_USE },
  'AWS::SQS': { actions: ['sqs:*'], companions: KEY_USE },
  'AWS::SSM': { actions: ['ssm:*'] },
  'AWS::StepFunctions': { actions: ['states:*'], passesRoles: true },
  'AWS::WAFv2': { actions: ['wafv2:*'], companions: [...LOG_DELIVERY, 'cloudfront:GetDistribution', 'elasticloadbalancing:SetWebAcl'] },
};

/** Resource types CloudFormation handles itself, which need no service permissions. */
export const CLOUDFORMATION_MANAGED_TYPES: readonly string[] = ['AWS::CDK::Metadata', 'AWS::CloudFormation::WaitConditionHandle'];

/**
 * The service namespace of a resource type: `AWS::RDS` for `AWS::RDS::DBInstance`, `Custom`
 * for every custom resource (`Custom::AWS`, `AWS::CloudFormation::CustomResource`).
 *
 * @param resourceType a CloudFormation resource type
 */
export function serviceOf(resourceType: string): string {
  if (resourceType.startsWith('Custom::') || resourceType === 'AWS::CloudFormation::CustomResource') return 'Custom';
  return resourceType.split('::').slice(0, 2).join('::');
}

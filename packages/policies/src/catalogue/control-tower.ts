import * as path from 'node:path';
import { REVIEWED_RESOURCE_TYPES } from '../risks/rules/inventory/reviewed-resource-types';

/**
 * What CORE does with one AWS Control Tower proactive-control rule bundled in
 * `@cdklabs/cdk-validator-cfnguard`.
 */
export interface ControlTowerDecision {
  /** Control Tower control identifier, e.g. `CT.S3.PR.1`. */
  readonly id: string;
  /** Rule file relative to the package's `rules/control-tower/cfn-guard/` folder, e.g. `s3/ct-s3-pr-1.guard`. */
  readonly file: string;
  /** Whether CORE runs the rule in validation. */
  readonly enabled: boolean;
  /** Why the rule is enabled or disabled, specific to CORE. */
  readonly reason: string;
}

/**
 * CloudFormation resource types the CORE environments synthesize: the reviewed inventory
 * ({@link REVIEWED_RESOURCE_TYPES}), one list for both the risk rule CORE.TYPE.1 and the Control
 * Tower decisions. Every bundled Control Tower rule that evaluates one of these types must have a
 * decision in {@link CONTROL_TOWER_DECISIONS}.
 */
export const CORE_EMITTED_RESOURCE_TYPES: readonly string[] = REVIEWED_RESOURCE_TYPES.map((entry) => entry.type);

/**
 * The enable/disable decision for every bundled Control Tower rule whose evaluated resource types intersect
 * {@link CORE_EMITTED_RESOURCE_TYPES}. A rule is enabled only when CORE's secure defaults satisfy it and it adds
 * coverage that CORE's own rules (which honour `Metadata.guard.SuppressedRules`) do not already give.
 */
export const CONTROL_TOWER_DECISIONS: readonly ControlTowerDecision[] = [
  {
    id: 'CT.ACM.PR.1',
    file: 'certificatemanager/ct-acm-pr-1.guard',
    enabled: false,
    reason:
      'Evaluates only ACM Private CA certificates (CertificateAuthorityArn); CORE\'s CloudFront and load balancer ' +
      'certificates are public DNS-validated ACM certificates, so the rule can never apply.',
  },
  {
    id: 'CT.CLOUDFRONT.PR.1',
    file: 'cloudfront/ct-cloudfront-pr-1.guard',
    enabled: false,
    reason:
      'A default root object rewrites requests for / to an object in the origin; CORE\'s only origin is the Rails app ' +
      'behind the load balancer, which serves / itself.',
  },
  {
    id: 'CT.CLOUDFRONT.PR.3',
    file: 'cloudfront/ct-cloudfront-pr-3.guard',
    enabled: false,
    reason: 'Covered by CORE.CLOUDFRONT.2, which requires redirect-to-https or https-only on every cache behaviour.',
  },
  {
    id: 'CT.CLOUDFRONT.PR.4',
    file: 'cloudfront/ct-cloudfront-pr-4.guard',
    enabled: false,
    reason:
      'Origin failover needs a second origin; CORE has one load balancer origin per environment, and a standby load ' +
      'balancer would double cost without removing the single-region dependency (the current service made the same ' +
      'call).',
  },
  {
    id: 'CT.CLOUDFRONT.PR.5',
    file: 'cloudfront/ct-cloudfront-pr-5.guard',
    enabled: false,
    reason:
      'Covered by CORE.CLOUDFRONT.5 (standard access logs to S3); this rule also rejects a log bucket referenced ' +
      'from another stack.',
  },
  {
    id: 'CT.CLOUDFRONT.PR.6',
    file: 'cloudfront/ct-cloudfront-pr-6.guard',
    enabled: false,
    reason:
      'Covered by CORE.CLOUDFRONT.1, which refuses the default CloudFront certificate and requires CORE\'s ACM ' +
      'certificate with TLSv1.2_2021 or newer.',
  },
  {
    id: 'CT.CLOUDFRONT.PR.7',
    file: 'cloudfront/ct-cloudfront-pr-7.guard',
    enabled: true,
    reason:
      'CORE serves viewers with its ACM certificate over SNI only (SslSupportMethod sni-only, as CDK emits); the rule ' +
      'adds the check, absent from CORE\'s rules, that no dedicated-IP (vip) certificate is configured.',
  },
  {
    id: 'CT.CLOUDFRONT.PR.8',
    file: 'cloudfront/ct-cloudfront-pr-8.guard',
    enabled: false,
    reason:
      'Covered by CORE.CLOUDFRONT.3, which is stricter: custom origins must be https-only, where this rule also ' +
      'accepts match-viewer.',
  },
  {
    id: 'CT.CLOUDFRONT.PR.9',
    file: 'cloudfront/ct-cloudfront-pr-9.guard',
    enabled: false,
    reason:
      'Covered by CORE.CLOUDFRONT.1, which requires TLSv1.2_2021 or newer rather than any TLSv1.2 security policy.',
  },
  {
    id: 'CT.CLOUDFRONT.PR.10',
    file: 'cloudfront/ct-cloudfront-pr-10.guard',
    enabled: true,
    reason:
      'CORE has no S3 origin today (its only origin is the load balancer), so the rule passes; it stays enabled so ' +
      'that any S3 origin added later must use origin access control instead of a readable bucket.',
  },
  {
    id: 'CT.CLOUDFRONT.PR.11',
    file: 'cloudfront/ct-cloudfront-pr-11.guard',
    enabled: false,
    reason: 'Covered by CORE.CLOUDFRONT.3, which requires OriginSSLProtocols to be exactly TLSv1.2.',
  },
  {
    id: 'CT.CLOUDWATCH.PR.1',
    file: 'cloudwatch/ct-cloudwatch-pr-1.guard',
    enabled: true,
    reason:
      'Every CORE alarm notifies an SNS alert topic through its alarm actions, so an alarm without one is a mistake; ' +
      'no CORE rule checks alarm actions.',
  },
  {
    id: 'CT.CLOUDWATCH.PR.2',
    file: 'cloudwatch/ct-cloudwatch-pr-2.guard',
    enabled: false,
    reason:
      'CORE keeps application, worker and flow logs for 60 days (an environment setting, as the current service ' +
      'does) to limit how long personal data is held; CORE.LOGS.1 requires a retention period instead of a one-year ' +
      'minimum.',
  },
  {
    id: 'CT.CLOUDWATCH.PR.3',
    file: 'cloudwatch/ct-cloudwatch-pr-3.guard',
    enabled: false,
    reason:
      'Covered by CORE.LOGS.2; this rule also rejects keys imported from the data stack with Fn::ImportValue, which ' +
      'is how CORE\'s application log groups reference their key.',
  },
  {
    id: 'CT.CLOUDWATCH.PR.4',
    file: 'cloudwatch/ct-cloudwatch-pr-4.guard',
    enabled: true,
    reason:
      'CORE never disables alarm actions (ActionsEnabled stays true, also for review apps, which only suppress OK ' +
      'notifications); the rule catches an alarm silently switched off.',
  },
  {
    id: 'CT.DYNAMODB.PR.1',
    file: 'dynamodb/ct-dynamodb-pr-1.guard',
    enabled: false,
    reason: 'Covered by CORE.DYNAMODB.1, the same point-in-time recovery check with suppression support.',
  },
  {
    id: 'CT.DYNAMODB.PR.2',
    file: 'dynamodb/ct-dynamodb-pr-2.guard',
    enabled: false,
    reason:
      'Covered by CORE.DYNAMODB.2, which also requires a customer managed KMSMasterKeyId rather than any SSE setting.',
  },
  {
    id: 'CT.EC2.PR.3',
    file: 'ec2/ct-ec2-pr-3.guard',
    enabled: false,
    reason:
      'Covered by CORE.EC2.1, which is stricter: only TCP 443 and only on a load balancer\'s security group may be ' +
      'open to the internet, where this rule also allows port 80 on any group.',
  },
  {
    id: 'CT.EC2.PR.4',
    file: 'ec2/ct-ec2-pr-4.guard',
    enabled: false,
    reason:
      'Covered by CORE.EC2.1: no port other than 443 may be open to 0.0.0.0/0 or ::/0, so this rule\'s list of ' +
      'high-risk ports is a subset.',
  },
  {
    id: 'CT.EC2.PR.11',
    file: 'ec2/ct-ec2-pr-11.guard',
    enabled: true,
    reason:
      'CORE runs no EC2 instances; its public subnets hold only NAT gateways (with Elastic IPs) and the load ' +
      'balancer, neither of which needs MapPublicIpOnLaunch, so the network construct turns it off and this rule ' +
      'keeps it off.',
  },
  {
    id: 'CT.ECR.PR.1',
    file: 'ecr/ct-ecr-pr-1.guard',
    enabled: true,
    reason:
      'CORE\'s repositories all carry lifecycle policies (the application repository keeps recent production and ' +
      'staging images and expires review images after 30 days; migration repositories expire old pushes); no CORE ' +
      'rule checks for one.',
  },
  {
    id: 'CT.ECR.PR.2',
    file: 'ecr/ct-ecr-pr-2.guard',
    enabled: false,
    reason: 'Covered by CORE.ECR.2, the same scan-on-push check with suppression support.',
  },
  {
    id: 'CT.ECR.PR.3',
    file: 'ecr/ct-ecr-pr-3.guard',
    enabled: false,
    reason:
      'Covered by CORE.ECR.1, which unlike this rule lets a migration repository be exempted through a recorded ' +
      'guard suppression.',
  },
  {
    id: 'CT.ECS.PR.1',
    file: 'ecs/ct-ecs-pr-1.guard',
    enabled: true,
    reason:
      'CORE\'s Fargate services leave PlatformVersion unset (LATEST); the rule stops a pin to an old platform ' +
      'version that would miss security patches, which no CORE rule checks.',
  },
  {
    id: 'CT.ECS.PR.2',
    file: 'ecs/ct-ecs-pr-2.guard',
    enabled: false,
    reason:
      'Requires Container Insights with the value enabled and rejects the newer enhanced mode; CORE monitors ' +
      'services with its own alarms on CPU, memory, task exits and healthy hosts, and Container Insights is an ' +
      'environment cost choice rather than a security control.',
  },
  {
    id: 'CT.ECS.PR.3',
    file: 'ecs/ct-ecs-pr-3.guard',
    enabled: false,
    reason: 'Covered by CORE.ECS.1, the same non-root user check with suppression support.',
  },
  {
    id: 'CT.ECS.PR.4',
    file: 'ecs/ct-ecs-pr-4.guard',
    enabled: true,
    reason:
      'All CORE task definitions are Fargate with awsvpc networking (CDK\'s FargateTaskDefinition emits it), giving ' +
      'every task its own security group; no CORE rule checks the network mode.',
  },
  {
    id: 'CT.ECS.PR.5',
    file: 'ecs/ct-ecs-pr-5.guard',
    enabled: false,
    reason: 'Covered by CORE.ECS.4, the same container log configuration check with suppression support.',
  },
  {
    id: 'CT.ECS.PR.6',
    file: 'ecs/ct-ecs-pr-6.guard',
    enabled: false,
    reason:
      'The Rails app and Sidekiq write to tmp/ (pid files, uploads in progress) and log/ inside the image, so CORE ' +
      'keeps a writable root filesystem, as the current service does.',
  },
  {
    id: 'CT.ECS.PR.7',
    file: 'ecs/ct-ecs-pr-7.guard',
    enabled: false,
    reason:
      'Requires a container-level Memory limit; CORE\'s Fargate tasks run one application container and are bounded ' +
      'by the task-level Memory that CDK sets, so a per-container hard limit adds no protection.',
  },
  {
    id: 'CT.ECS.PR.8',
    file: 'ecs/ct-ecs-pr-8.guard',
    enabled: false,
    reason:
      'Applies only to host network mode, which Fargate does not support; CT.ECS.PR.4 (enabled) requires awsvpc and ' +
      'CORE.ECS.1 and CORE.ECS.2 cover the user and privilege checks.',
  },
  {
    id: 'CT.ECS.PR.9',
    file: 'ecs/ct-ecs-pr-9.guard',
    enabled: true,
    reason:
      'CORE\'s services run in private subnets with AssignPublicIp DISABLED (CDK\'s default there); the rule stops a ' +
      'task being given a public address, which no CORE rule checks.',
  },
  {
    id: 'CT.ECS.PR.10',
    file: 'ecs/ct-ecs-pr-10.guard',
    enabled: true,
    reason:
      'CORE\'s task definitions never share the host PID namespace (Fargate allows only task-level PidMode); the rule ' +
      'catches it at synth instead of at deploy.',
  },
  {
    id: 'CT.ECS.PR.11',
    file: 'ecs/ct-ecs-pr-11.guard',
    enabled: false,
    reason: 'Covered by CORE.ECS.2, the same privileged-container check with suppression support.',
  },
  {
    id: 'CT.ECS.PR.12',
    file: 'ecs/ct-ecs-pr-12.guard',
    enabled: false,
    reason:
      'Covered by CORE.ECS.3, whose secret-name pattern matches AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and ' +
      'ECS_ENGINE_AUTH_DATA as well as CORE\'s own secret names.',
  },
  {
    id: 'CT.ELASTICACHE.PR.3',
    file: 'elasticache/ct-elasticache-pr-3.guard',
    enabled: false,
    reason:
      'Covered in production by CORE.ELASTICACHE.4; staging and review-app caches are single-node by design and ' +
      'cannot fail over, so a profile-independent rule would always fail there.',
  },
  {
    id: 'CT.ELASTICACHE.PR.4',
    file: 'elasticache/ct-elasticache-pr-4.guard',
    enabled: false,
    reason: 'Covered by CORE.ELASTICACHE.1, which also requires a customer managed KmsKeyId.',
  },
  {
    id: 'CT.ELASTICACHE.PR.5',
    file: 'elasticache/ct-elasticache-pr-5.guard',
    enabled: false,
    reason: 'Covered by CORE.ELASTICACHE.2, which also refuses TransitEncryptionMode preferred.',
  },
  {
    id: 'CT.ELASTICACHE.PR.7',
    file: 'elasticache/ct-elasticache-pr-7.guard',
    enabled: false,
    reason:
      'Applies only to Redis engine versions before 6.0, which CORE does not run; authentication on every version is ' +
      'covered by CORE.ELASTICACHE.3.',
  },
  {
    id: 'CT.ELASTICACHE.PR.8',
    file: 'elasticache/ct-elasticache-pr-8.guard',
    enabled: false,
    reason:
      'Requires RBAC user groups on Redis 6 and later; CORE.ELASTICACHE.3 accepts either an AUTH token from Secrets ' +
      'Manager or RBAC user groups, and this rule would reject the AUTH-token design.',
  },
  {
    id: 'CT.ELASTICLOADBALANCING.PR.1',
    file: 'elasticloadbalancing/ct-elasticloadbalancing-pr-1.guard',
    enabled: false,
    reason:
      'Covered by CORE.ELB.2; CORE has no HTTP listener, and any that is added may only redirect to HTTPS.',
  },
  {
    id: 'CT.ELASTICLOADBALANCING.PR.2',
    file: 'elasticloadbalancing/ct-elasticloadbalancing-pr-2.guard',
    enabled: true,
    reason:
      'CORE\'s HTTPS listener uses a DNS-validated ACM certificate for the lb. host name; the rule adds the ' +
      'certificate-source check CORE\'s rules lack. The certificate must be referenced by ARN or from the same stack, ' +
      'since the rule does not follow Fn::ImportValue.',
  },
  {
    id: 'CT.ELASTICLOADBALANCING.PR.3',
    file: 'elasticloadbalancing/ct-elasticloadbalancing-pr-3.guard',
    enabled: true,
    reason:
      'CORE leaves desync mitigation at the load balancer default (defensive); the rule stops it being lowered to ' +
      'monitor, which would let HTTP desync attacks reach the app.',
  },
  {
    id: 'CT.ELASTICLOADBALANCING.PR.4',
    file: 'elasticloadbalancing/ct-elasticloadbalancing-pr-4.guard',
    enabled: false,
    reason: 'Covered by CORE.ELB.3, the same drop-invalid-header-fields check with suppression support.',
  },
  {
    id: 'CT.ELASTICLOADBALANCING.PR.5',
    file: 'elasticloadbalancing/ct-elasticloadbalancing-pr-5.guard',
    enabled: false,
    reason: 'Covered by CORE.ELB.4, the same deletion protection check with suppression support.',
  },
  {
    id: 'CT.ELASTICLOADBALANCING.PR.6',
    file: 'elasticloadbalancing/ct-elasticloadbalancing-pr-6.guard',
    enabled: false,
    reason:
      'Covered by CORE.ELB.5; this rule also requires the log bucket to be in the same stack, while CORE\'s access-log ' +
      'bucket may be referenced from the data stack.',
  },
  {
    id: 'CT.ELASTICLOADBALANCING.PR.14',
    file: 'elasticloadbalancing/ct-elasticloadbalancing-pr-14.guard',
    enabled: false,
    reason:
      'Checks Network Load Balancers only; CORE has none (its only load balancer is an ALB, on which cross-zone load ' +
      'balancing is always on).',
  },
  {
    id: 'CT.ELASTICLOADBALANCING.PR.15',
    file: 'elasticloadbalancing/ct-elasticloadbalancing-pr-15.guard',
    enabled: true,
    reason:
      'CORE\'s target groups do not override cross-zone load balancing, so tasks in every Availability Zone receive ' +
      'traffic; the rule catches a target group that turns it off.',
  },
  {
    id: 'CT.IAM.PR.1',
    file: 'identityandaccessmanagement/ct-iam-pr-1.guard',
    enabled: false,
    reason:
      'Covered by CORE.IAM.1, which checks inline policies and the Policies of roles, users and groups for Allow * ' +
      'on *.',
  },
  {
    id: 'CT.IAM.PR.2',
    file: 'identityandaccessmanagement/ct-iam-pr-2.guard',
    enabled: false,
    reason: 'Covered by CORE.IAM.1, which checks customer managed policies for Allow * on *.',
  },
  {
    id: 'CT.IAM.PR.3',
    file: 'identityandaccessmanagement/ct-iam-pr-3.guard',
    enabled: true,
    reason:
      'CORE\'s customer managed policies list specific actions (CDK grants such as s3:GetObject*), never service:* or ' +
      'Allow with NotAction; the rule adds least-privilege coverage beyond CORE.IAM.1.',
  },
  {
    id: 'CT.IAM.PR.4',
    file: 'identityandaccessmanagement/ct-iam-pr-4.guard',
    enabled: true,
    reason:
      'CORE creates no IAM users (people sign in through SSO and CI uses GitHub OIDC roles), so no policy is attached ' +
      'to a user; the rule keeps it that way.',
  },
  {
    id: 'CT.IAM.PR.5',
    file: 'identityandaccessmanagement/ct-iam-pr-5.guard',
    enabled: true,
    reason:
      'CORE\'s inline policies, including those CDK generates for grants and custom-resource handlers, list specific ' +
      'actions and never service:* or Allow with NotAction; the rule adds least-privilege coverage beyond CORE.IAM.1.',
  },
  {
    id: 'CT.KMS.PR.1',
    file: 'keymanagementservice/ct-kms-pr-1.guard',
    enabled: false,
    reason: 'Covered by CORE.KMS.1, the same automatic rotation check for symmetric keys with suppression support.',
  },
  {
    id: 'CT.KMS.PR.2',
    file: 'keymanagementservice/ct-kms-pr-2.guard',
    enabled: true,
    reason:
      'CORE uses only symmetric keys today, so the rule passes; it stays enabled so that any RSA encryption key added ' +
      'later must be longer than 2048 bits.',
  },
  {
    id: 'CT.KMS.PR.3',
    file: 'keymanagementservice/ct-kms-pr-3.guard',
    enabled: false,
    reason:
      'Requires every key policy to deny kms:CreateGrant unless the grant is for an AWS service; CDK\'s key policies ' +
      'for Secrets Manager, RDS and CloudWatch Logs rely on service grants through kms:ViaService, and CORE roles get ' +
      'Encrypt/Decrypt through CDK grants rather than kms:CreateGrant, with public principals blocked by CORE.KMS.2.',
  },
  {
    id: 'CT.LAMBDA.PR.2',
    file: 'lambda/ct-lambda-pr-2.guard',
    enabled: true,
    reason:
      'CORE\'s only function permissions let SNS invoke the Slack notifier with the topic as SourceArn; the rule ' +
      'rejects public or unscoped invoke permissions and unauthenticated function URLs, which no CORE rule checks.',
  },
  {
    id: 'CT.LAMBDA.PR.3',
    file: 'lambda/ct-lambda-pr-3.guard',
    enabled: false,
    reason:
      'The Slack notifier only calls Slack\'s public webhook and reads its secret from Secrets Manager, and CDK\'s ' +
      'custom-resource handlers only call AWS APIs; putting them in the VPC would add a NAT dependency and ENI cold ' +
      'starts without protecting any private resource.',
  },
  {
    id: 'CT.RDS.PR.1',
    file: 'rds/ct-rds-pr-1.guard',
    enabled: false,
    reason:
      'Covered by CORE.RDS.7 in the production profile; the shared development database is single-AZ by design and ' +
      'stopped out of hours.',
  },
  {
    id: 'CT.RDS.PR.2',
    file: 'rds/ct-rds-pr-2.guard',
    enabled: false,
    reason:
      'Enhanced Monitoring needs a monitoring IAM role per environment; CORE observes the database through ' +
      'Performance Insights (CORE.RDS.5), log exports (CORE.RDS.4) and CloudWatch alarms, and leaves OS-level metrics ' +
      'as an environment option.',
  },
  {
    id: 'CT.RDS.PR.5',
    file: 'rds/ct-rds-pr-5.guard',
    enabled: true,
    reason:
      'CORE lets RDS apply minor PostgreSQL upgrades automatically in the maintenance window (AutoMinorVersionUpgrade ' +
      'stays true, as today); the rule stops security patches being turned off, which no CORE rule checks.',
  },
  {
    id: 'CT.RDS.PR.7',
    file: 'rds/ct-rds-pr-7.guard',
    enabled: false,
    reason:
      'The Rails app connects with a password from DATABASE_URL; IAM database authentication tokens expire after 15 ' +
      'minutes and its connection pool does not refresh them, which is why the current service leaves it off too.',
  },
  {
    id: 'CT.RDS.PR.8',
    file: 'rds/ct-rds-pr-8.guard',
    enabled: false,
    reason:
      'Covered by CORE.RDS.8 in the production profile; the shared development database keeps no backups by design.',
  },
  {
    id: 'CT.RDS.PR.10',
    file: 'rds/ct-rds-pr-10.guard',
    enabled: true,
    reason:
      'CORE copies tags to snapshots (CopyTagsToSnapshot true, CDK\'s default), so snapshots keep their environment and ' +
      'cost tags; no CORE rule checks it.',
  },
  {
    id: 'CT.RDS.PR.11',
    file: 'rds/ct-rds-pr-11.guard',
    enabled: true,
    reason:
      'CORE\'s databases always sit in a DB subnet group of private subnets defined in the same stack; the rule ' +
      'confirms every instance has one.',
  },
  {
    id: 'CT.RDS.PR.13',
    file: 'rds/ct-rds-pr-13.guard',
    enabled: false,
    reason:
      'Covered by CORE.RDS.9 in the production profile; elsewhere deletion protection is an environment setting, and ' +
      'CORE.STATEFUL.1 already keeps the instance when its stack is deleted.',
  },
  {
    id: 'CT.RDS.PR.14',
    file: 'rds/ct-rds-pr-14.guard',
    enabled: false,
    reason: 'Covered by CORE.RDS.4, which requires the postgresql and upgrade logs for PostgreSQL, the engine CORE runs.',
  },
  {
    id: 'CT.RDS.PR.15',
    file: 'rds/ct-rds-pr-15.guard',
    enabled: false,
    reason:
      'EC2-Classic DB security groups were retired and can no longer be created; CORE\'s instances use VPC security ' +
      'groups in a DB subnet group (CT.RDS.PR.11).',
  },
  {
    id: 'CT.RDS.PR.20',
    file: 'rds/ct-rds-pr-20.guard',
    enabled: false,
    reason:
      'The app\'s DATABASE_URL and the security group rules use PostgreSQL\'s port 5432; a non-default port is only ' +
      'obscurity, and the database is reachable only from the ECS tasks\' security group (CORE.RDS.2, CORE.EC2.1).',
  },
  {
    id: 'CT.RDS.PR.22',
    file: 'rds/ct-rds-pr-22.guard',
    enabled: false,
    reason:
      'The master user name (postgres) is stored with a generated password in Secrets Manager and is not a secret; ' +
      'protection comes from the generated password, TLS (CORE.RDS.3) and network isolation (CORE.RDS.2).',
  },
  {
    id: 'CT.RDS.PR.23',
    file: 'rds/ct-rds-pr-23.guard',
    enabled: false,
    reason: 'Covered by CORE.RDS.2, the same PubliclyAccessible false check with suppression support.',
  },
  {
    id: 'CT.RDS.PR.24',
    file: 'rds/ct-rds-pr-24.guard',
    enabled: false,
    reason: 'Covered by CORE.RDS.1, which also requires a customer managed KmsKeyId.',
  },
  {
    id: 'CT.RDS.PR.28',
    file: 'rds/ct-rds-pr-28.guard',
    enabled: false,
    reason:
      'Covered by CORE.RDS.3, which checks rds.force_ssl in CORE\'s parameter groups and also requires every instance ' +
      'to use one.',
  },
  {
    id: 'CT.RDS.PR.30',
    file: 'rds/ct-rds-pr-30.guard',
    enabled: false,
    reason:
      'Covered by CORE.RDS.1; this rule also rejects a key imported from another stack, which CORE.RDS.1 accepts.',
  },
  {
    id: 'CT.S3.PR.1',
    file: 's3/ct-s3-pr-1.guard',
    enabled: false,
    reason: 'Covered by CORE.S3.1, the same block-public-access check with suppression support.',
  },
  {
    id: 'CT.S3.PR.2',
    file: 's3/ct-s3-pr-2.guard',
    enabled: false,
    reason:
      'Covered by CORE.S3.5, which exempts the access-log buckets themselves; this rule would make each log bucket ' +
      'log into yet another bucket.',
  },
  {
    id: 'CT.S3.PR.3',
    file: 's3/ct-s3-pr-3.guard',
    enabled: true,
    reason:
      'Every versioned CORE bucket has a lifecycle rule that moves or expires noncurrent versions; CORE.S3.4 accepts ' +
      'versioning alone, so this rule adds the check that noncurrent versions do not accumulate forever.',
  },
  {
    id: 'CT.S3.PR.4',
    file: 's3/ct-s3-pr-4.guard',
    enabled: false,
    reason:
      'CORE\'s buckets need no event notifications: the app processes uploads and exports through the S3 API, and ' +
      'object access is audited through server access logs (CORE.S3.5).',
  },
  {
    id: 'CT.S3.PR.5',
    file: 's3/ct-s3-pr-5.guard',
    enabled: true,
    reason:
      'CORE buckets never set the legacy AccessControl canned ACL (server access logging uses a bucket policy and ' +
      'CloudFront grants its own log ACL); the rule covers the CloudFront log bucket, which CORE.S3.6 lets keep ACLs ' +
      'enabled.',
  },
  {
    id: 'CT.S3.PR.6',
    file: 's3/ct-s3-pr-6.guard',
    enabled: false,
    reason:
      'Redundant with the enabled set: CORE.S3.4 requires versioning or a lifecycle rule and CT.S3.PR.3 requires a ' +
      'lifecycle rule on every versioned bucket, so every bucket already has one.',
  },
  {
    id: 'CT.S3.PR.8',
    file: 's3/ct-s3-pr-8.guard',
    enabled: false,
    reason:
      'Covered by CORE.S3.2, which checks from the bucket side that every bucket has a policy denying ' +
      'aws:SecureTransport false; this rule checks each policy and rejects resource ARNs built other than its own ' +
      'accepted forms.',
  },
  {
    id: 'CT.S3.PR.9',
    file: 's3/ct-s3-pr-9.guard',
    enabled: false,
    reason:
      'Object Lock (write once, read many) would block CORE\'s 30- and 90-day expiry of uploads, exports and logs and ' +
      'the erasure of personal data on request (UK GDPR Article 17); versioning, retained deletion policies ' +
      '(CORE.STATEFUL.1) and access controls protect the data instead.',
  },
  {
    id: 'CT.S3.PR.10',
    file: 's3/ct-s3-pr-10.guard',
    enabled: false,
    reason:
      'Covered by CORE.S3.3, which requires SSE-KMS with a CORE key on data buckets but allows SSE-S3 on log buckets, ' +
      'because S3 server access logs and load balancer access logs cannot be delivered to SSE-KMS buckets.',
  },
  {
    id: 'CT.S3.PR.11',
    file: 's3/ct-s3-pr-11.guard',
    enabled: false,
    reason:
      'Covered by CORE.S3.4: short-lived upload and export buckets rely on 30-day expiry rather than versioning.',
  },
  {
    id: 'CT.WAFV2.PR.1',
    file: 'waf/ct-wafv2-pr-1.guard',
    enabled: false,
    reason:
      'Covered by CORE.WAF.1 and CORE.WAF.2, which require specific AWS managed rule groups and a blocking rate-based ' +
      'rule rather than any rule.',
  },
];

/**
 * Folder holding the bundled Control Tower guard rules, resolved through the installed
 * `@cdklabs/cdk-validator-cfnguard` package.
 *
 * @returns absolute path of the package's `rules/control-tower/cfn-guard` folder
 */
export function controlTowerRulesDirectory(): string {
  const packageJson = require.resolve('@cdklabs/cdk-validator-cfnguard/package.json');
  return path.join(path.dirname(packageJson), 'rules', 'control-tower', 'cfn-guard');
}

/**
 * Absolute paths of the bundled Control Tower rule files CORE enables, in decision order.
 *
 * @returns one path per enabled entry of {@link CONTROL_TOWER_DECISIONS}
 */
export function enabledControlTowerRuleFiles(): string[] {
  const directory = controlTowerRulesDirectory();
  return CONTROL_TOWER_DECISIONS.filter((decision) => decision.enabled).map((decision) =>
    path.join(directory, decision.file),
  );
}

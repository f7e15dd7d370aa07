import { guardRules } from './guard-rules';
import { type RuleMetadata } from './types';

/** CORE guard rules for Amazon S3 buckets and bucket policies (`rules/s3/`). */
export const S3_RULES: readonly RuleMetadata[] = guardRules('s3', [
  {
    id: 'CORE.S3.1',
    ruleName: 'S3_BUCKET_PUBLIC_ACCESS_BLOCKED',
    title: 'S3 buckets block all public access',
    severity: 'high',
    description:
      'Every S3 bucket sets BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls and RestrictPublicBuckets to true. ' +
      'CORE never serves objects publicly (downloads use short-lived presigned URLs), so a public ACL or policy on a ' +
      'bucket of lettings and sales data can only be a mistake that exposes personal data.',
    remediation:
      'Set PublicAccessBlockConfiguration with all four settings true (blockPublicAccess: BlockPublicAccess.BLOCK_ALL).',
    resourceTypes: ['AWS::S3::Bucket'],
    nistControls: ['AC-3', 'AC-4', 'AC-6', 'SC-7'],
  },
  {
    id: 'CORE.S3.2',
    ruleName: 'S3_BUCKET_SSL_REQUESTS_ONLY',
    title: 'S3 buckets refuse requests over plaintext HTTP',
    severity: 'medium',
    description:
      'Every S3 bucket is the target of a bucket policy in the same template that denies s3:* to every principal when ' +
      'aws:SecureTransport is false, so objects and presigned URLs are never served or accepted over plaintext HTTP. ' +
      'Cross-resource: the policy must reference the bucket with Ref, as CDK emits; a policy defined elsewhere cannot ' +
      'be matched and needs a recorded suppression. A finding names the bucket without a TLS-only policy, never the ' +
      'policies of other buckets.',
    remediation:
      'Add a bucket policy statement that denies s3:* to every principal when aws:SecureTransport is false ' +
      '(enforceSSL: true).',
    resourceTypes: ['AWS::S3::Bucket', 'AWS::S3::BucketPolicy'],
    nistControls: ['AC-17(2)', 'SC-8', 'SC-8(1)', 'SC-13'],
  },
  {
    id: 'CORE.S3.3',
    ruleName: 'S3_BUCKET_SERVER_SIDE_ENCRYPTION',
    title: 'S3 data buckets use SSE-KMS with a CORE key; log buckets declare encryption',
    severity: 'medium',
    description:
      'Data buckets use SSE-KMS (aws:kms or aws:kms:dsse) with a named customer managed key, so reading the data also ' +
      'needs kms:Decrypt on a key CORE controls and every use is recorded in CloudTrail. Log buckets, tagged ' +
      'core-infra:bucket-role=access-logs or cloudfront-logs, may use SSE-S3 because S3 server access logging, ALB ' +
      'access logs and CloudFront standard logs cannot write to SSE-KMS buckets; they must still declare encryption.',
    remediation:
      'For data buckets set encryption: BucketEncryption.KMS with a CORE encryptionKey; for log buckets use the CORE ' +
      'access-log bucket construct, which tags the bucket and sets encryption: BucketEncryption.S3_MANAGED.',
    resourceTypes: ['AWS::S3::Bucket'],
    nistControls: ['SC-12', 'SC-13', 'SC-28', 'SC-28(1)'],
  },
  {
    id: 'CORE.S3.4',
    ruleName: 'S3_BUCKET_VERSIONING_OR_LIFECYCLE',
    title: 'S3 buckets are versioned or expire their objects',
    severity: 'low',
    description:
      'Every S3 bucket either has versioning enabled, so overwritten or deleted objects can be recovered, or has an ' +
      'enabled lifecycle rule, so short-lived data such as bulk uploads and exports expires instead of accumulating. ' +
      'A bucket with neither keeps personal data indefinitely and cannot recover from an accidental overwrite.',
    remediation: 'Enable versioning (versioned: true) or add an expiring lifecycle rule (lifecycleRules).',
    resourceTypes: ['AWS::S3::Bucket'],
    nistControls: ['CP-9', 'CP-10', 'SI-12'],
  },
  {
    id: 'CORE.S3.5',
    ruleName: 'S3_BUCKET_ACCESS_LOGGING_ENABLED',
    title: 'S3 data buckets record server access logs',
    severity: 'medium',
    description:
      'Every data bucket sends S3 server access logs to a named destination bucket, recording every request against ' +
      'bulk uploads, exports and collection resources. Log buckets (tagged core-infra:bucket-role=access-logs or ' +
      'cloudfront-logs) are exempt, since logging a log bucket only moves or loops the problem.',
    remediation:
      'Set serverAccessLogsBucket (and serverAccessLogsPrefix) to the environment access-log bucket so that ' +
      'LoggingConfiguration.DestinationBucketName is set.',
    resourceTypes: ['AWS::S3::Bucket'],
    nistControls: ['AU-2', 'AU-3', 'AU-12', 'SI-4'],
  },
  {
    id: 'CORE.S3.6',
    ruleName: 'S3_BUCKET_OWNERSHIP_ENFORCED',
    title: 'S3 buckets disable ACLs with bucket-owner-enforced ownership',
    severity: 'medium',
    description:
      'Every S3 bucket declares ObjectOwnership BucketOwnerEnforced, which disables ACLs so access is decided only by ' +
      'IAM and bucket policies and the bucket owner owns every object. The CloudFront standard-log bucket (tagged ' +
      'core-infra:bucket-role=cloudfront-logs) may use BucketOwnerPreferred, because CloudFront writes those logs ' +
      'through an ACL grant.',
    remediation:
      'Set objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED; only the CloudFront log bucket may use ' +
      'BUCKET_OWNER_PREFERRED.',
    resourceTypes: ['AWS::S3::Bucket'],
    nistControls: ['AC-3', 'AC-6'],
  },
]);

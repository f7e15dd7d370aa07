import { Fn } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

/**
 * What the dev shared stage publishes for review apps. Review-app stages read these SSM
 * parameters at deploy time instead of importing CloudFormation exports, so a review app can be
 * created or destroyed without ever locking or updating the shared stacks.
 */
export const SHARED_PARAMETERS = {
  /** Id of the shared VPC. */
  vpcId: 'network/vpc-id',
  /** Comma-separated ids of the private subnets, one per zone. */
  privateSubnetIds: 'network/private-subnet-ids',
  /** ARN of the shared HTTPS listener. */
  httpsListenerArn: 'app/https-listener-arn',
  /** Security group of the shared load balancer. */
  loadBalancerSecurityGroupId: 'app/load-balancer-security-group-id',
  /** Security group of the shared PostgreSQL instance. */
  databaseSecurityGroupId: 'data/database-security-group-id',
  /** ARN of the master credentials secret. */
  databaseSecretArn: 'data/database-secret-arn',
  /** Endpoint address of the instance. */
  databaseAddress: 'data/database-address',
  /** Master user name. */
  databaseUsername: 'data/database-username',
  /** Endpoint port of the instance. */
  databasePort: 'data/database-port',
  /** ARN of the key that encrypts the database and its secrets. */
  databaseKeyArn: 'data/database-key-arn',
  /** ARN of the key that encrypts the application secrets. */
  appSecretsKeyArn: 'data/app-secrets-key-arn',
  /** Name of the bulk-upload bucket. */
  bulkUploadBucketName: 'data/bulk-upload-bucket-name',
  /** ARN of its key. */
  bulkUploadKeyArn: 'data/bulk-upload-key-arn',
  /** Name of the CDS export bucket. */
  exportBucketName: 'data/export-bucket-name',
  /** ARN of its key. */
  exportKeyArn: 'data/export-key-arn',
  /** Name of the collection-resources bucket. */
  collectionResourcesBucketName: 'data/collection-resources-bucket-name',
  /** ARN of its key. */
  collectionResourcesKeyArn: 'data/collection-resources-key-arn',
} as const;

/** One of the shared values. */
export type SharedParameter = keyof typeof SHARED_PARAMETERS;

/** Full SSM name of a shared value, e.g. `/core-dev/shared/network/vpc-id`. */
export function sharedParameterName(prefix: string, parameter: SharedParameter): string {
  return `/${prefix}/shared/${SHARED_PARAMETERS[parameter]}`;
}

/**
 * Writes shared values as SSM String parameters (they hold identifiers, never secrets).
 *
 * @param scope where the parameters live (the stack that owns the values)
 * @param prefix the dev environment's prefix
 * @param values the values to publish
 */
export function publishSharedParameters(scope: Construct, prefix: string, values: Partial<Record<SharedParameter, string>>): void {
  const group = new Construct(scope, 'SharedParameters');
  for (const [parameter, value] of Object.entries(values) as [SharedParameter, string][]) {
    new ssm.StringParameter(group, parameter, {
      parameterName: sharedParameterName(prefix, parameter),
      stringValue: value,
      description: 'Read by review-app stacks at deploy time; do not edit by hand',
    });
  }
}

/** Reads a shared value at deploy time (a CloudFormation parameter of type SSM). */
export function readSharedParameter(scope: Construct, prefix: string, parameter: SharedParameter): string {
  return ssm.StringParameter.valueForStringParameter(scope, sharedParameterName(prefix, parameter));
}

/** Reads a comma-separated shared list with a known length. */
export function readSharedList(scope: Construct, prefix: string, parameter: SharedParameter, length: number): string[] {
  return Fn.split(',', readSharedParameter(scope, prefix, parameter), length);
}

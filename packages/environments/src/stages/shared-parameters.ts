import { Fn } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

/**
 * What the dev shared stage publishes for review apps. Review-app stages read these SSM
 * parameters at deploy time instead of importing CloudFormation exports, so a review app can be
 * created or destroyed without ever locking or updating the shared stacks.
 */
export const SHARED_PARAMETERS = {
  vpcId: 'network/vpc-id',
  privateSubnetIds: 'network/private-subnet-ids',
  httpsListenerArn: 'app/https-listener-arn',
  loadBalancerSecurityGroupId: 'app/load-balancer-security-group-id',
  databaseSecurityGroupId: 'data/database-security-group-id',
  databaseSecretArn: 'data/database-secret-arn',
  databaseAddress: 'data/database-address',
  databaseUsername: 'data/database-username',
  databasePort: 'data/database-port',
  databaseKeyArn: 'data/database-key-arn',
  appSecretsKeyArn: 'data/app-secrets-key-arn',
  bulkUploadBucketName: 'data/bulk-upload-bucket-name',
  bulkUploadKeyArn: 'data/bulk-upload-key-arn',
  exportBucketName: 'data/export-bucket-name',
  exportKeyArn: 'data/export-key-arn',
  collectionResourcesBucketName: 'data/collection-resources-bucket-name',
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

import { type Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { RedisConnection } from '../../src/app/redis-connection';
import { type WebApplicationProps } from '../../src/app/web-application-props';

/** A three-AZ VPC imported by attribute (public and private subnets), so tests need no lookup. */
export function importedVpc(stack: Stack): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'],
    publicSubnetIds: ['subnet-0a000000000000001', 'subnet-0a000000000000002', 'subnet-0a000000000000003'],
    publicSubnetRouteTableIds: ['rtb-0a000000000000001', 'rtb-0a000000000000001', 'rtb-0a000000000000001'],
    privateSubnetIds: ['subnet-0b000000000000001', 'subnet-0b000000000000002', 'subnet-0b000000000000003'],
    privateSubnetRouteTableIds: ['rtb-0b000000000000001', 'rtb-0b000000000000002', 'rtb-0b000000000000003'],
  });
}

/**
 * The resources a WebApplication is wired to, imported by attribute so that the stack under
 * test holds only what the construct creates (and the policy check judges only that).
 */
export function importedDependencies(stack: Stack): WebApplicationProps {
  const vpc = importedVpc(stack);
  const listener = elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'Listener', {
    listenerArn: 'arn:aws:elasticloadbalancing:eu-west-2:123456789012:listener/app/core-test/0123456789abcdef/0123456789abcdef',
    securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'LoadBalancerSecurityGroup', 'sg-0123456789abcdef0'),
  });
  const secretKey = kms.Key.fromKeyArn(stack, 'SecretsKey', 'arn:aws:kms:eu-west-2:123456789012:key/11111111-2222-3333-4444-555555555555');
  const appSecret = (id: string, name: string) =>
    secretsmanager.Secret.fromSecretAttributes(stack, id, { secretCompleteArn: `arn:aws:secretsmanager:eu-west-2:123456789012:secret:${name}-AbCdEf`, encryptionKey: secretKey });
  const databaseUrl = ssm.StringParameter.fromSecureStringParameterAttributes(stack, 'DatabaseUrl', {
    parameterName: 'CORE-TEST_COMPLETE_DATABASE_CONNECTION_STRING',
    encryptionKey: kms.Key.fromKeyArn(stack, 'ParameterKey', 'arn:aws:kms:eu-west-2:123456789012:key/66666666-7777-8888-9999-000000000000'),
  });
  return {
    vpc,
    listener,
    listenerRulePriority: 100,
    originVerifySecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'OriginSecret', 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:core-test/cloudfront-origin-header-AbCdEf'),
    repository: ecr.Repository.fromRepositoryArn(stack, 'Repository', 'arn:aws:ecr:eu-west-2:210987654321:repository/core'),
    imageTag: '3f2a1bc9d8e7',
    appHost: 'staging.submit-social-housing-data.communities.gov.uk',
    railsEnv: 'staging',
    redis: RedisConnection.fromUrl('rediss://core-test.abc123.ng.0001.euw2.cache.amazonaws.com:6379'),
    bulkUploadBucket: s3.Bucket.fromBucketAttributes(stack, 'BulkUploadBucket', {
      bucketName: 'core-test-bulk-upload',
      encryptionKey: kms.Key.fromKeyArn(stack, 'BulkUploadKey', 'arn:aws:kms:eu-west-2:123456789012:key/aaaaaaaa-2222-3333-4444-555555555555'),
    }),
    collectionResourcesBucket: s3.Bucket.fromBucketName(stack, 'CollectionResourcesBucket', 'core-test-collection-resources'),
    exportBucket: s3.Bucket.fromBucketAttributes(stack, 'ExportBucket', {
      bucketName: 'core-test-export',
      encryptionKey: kms.Key.fromKeyArn(stack, 'ExportKey', 'arn:aws:kms:eu-west-2:123456789012:key/bbbbbbbb-2222-3333-4444-555555555555'),
    }),
    secrets: {
      DATABASE_URL: ecs.Secret.fromSsmParameter(databaseUrl),
      RAILS_MASTER_KEY: ecs.Secret.fromSecretsManager(appSecret('RailsMasterKey', 'RAILS_MASTER_KEY')),
      GOVUK_NOTIFY_API_KEY: ecs.Secret.fromSecretsManager(appSecret('NotifyKey', 'GOVUK_NOTIFY_API_KEY')),
    },
    secretsKeys: [secretKey],
    alarmTopic: sns.Topic.fromTopicArn(stack, 'AlarmTopic', 'arn:aws:sns:eu-west-2:123456789012:core-test-alerts'),
    alarmNamePrefix: 'core-test',
  };
}

import { CfnResource, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import type { EncryptionKey } from '../security/encryption-key';

/**
 * Strips the default security group of a VPC of the two rules AWS creates with it (all traffic
 * from itself, all traffic out), so nothing placed in it by mistake can talk to anything.
 * CloudFormation cannot manage those rules, so two SDK calls revoke them. The log group, role
 * and custom resources are children of `scope` itself (ids `DefaultSecurityGroupCleanupLogs`,
 * `DefaultSecurityGroupCleanupRole`, `RevokeDefaultIngress`, `RevokeDefaultEgress`), so they
 * keep their place in the construct tree.
 *
 * @param scope the network construct
 * @param cfnVpc the VPC whose default group is restricted
 * @param encryptionKey key encrypting the cleanup function's log group
 * @param removalPolicy what happens to that log group when it leaves the stack
 */
export function restrictDefaultSecurityGroup(scope: Construct, cfnVpc: ec2.CfnVPC, encryptionKey: EncryptionKey, removalPolicy: RemovalPolicy): void {
  const stack = Stack.of(scope);
  const logGroup = new logs.LogGroup(scope, 'DefaultSecurityGroupCleanupLogs', {
    retention: logs.RetentionDays.ONE_MONTH,
    encryptionKey: encryptionKey.key,
    removalPolicy,
  });
  // An explicit role keeps the function to its own log group, instead of the AWS managed
  // basic-execution policy (logs on every resource).
  const role = new iam.Role(scope, 'DefaultSecurityGroupCleanupRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Removes the rules of the default security group of ${scope.node.path}`,
  });
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:log-stream:*`] }),
  );
  const groupId = cfnVpc.attrDefaultSecurityGroup;
  const groupArn = stack.formatArn({ service: 'ec2', resource: 'security-group', resourceName: groupId });
  const revocations = [
    {
      id: 'RevokeDefaultIngress',
      action: 'revokeSecurityGroupIngress',
      iamAction: 'ec2:RevokeSecurityGroupIngress',
      permission: { IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId, UserId: stack.account }] },
    },
    {
      id: 'RevokeDefaultEgress',
      action: 'revokeSecurityGroupEgress',
      iamAction: 'ec2:RevokeSecurityGroupEgress',
      permission: { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
    },
  ];
  for (const revocation of revocations) {
    const call: cr.AwsSdkCall = {
      service: 'EC2',
      action: revocation.action,
      parameters: { GroupId: groupId, IpPermissions: [revocation.permission] },
      physicalResourceId: cr.PhysicalResourceId.of(`${revocation.id}-${groupId}`),
      // Already gone (revoked earlier, or by hand) is the state we want.
      ignoreErrorCodesMatching: 'InvalidPermission\\.NotFound',
    };
    const restriction = new cr.AwsCustomResource(scope, revocation.id, {
      // The type CDK's own restrictDefaultSecurityGroup uses; with DefaultSecurityGroupId
      // below, policy rules (CORE.EC2.3) recognise which VPC's default group is restricted.
      resourceType: 'Custom::VpcRestrictDefaultSG',
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: [revocation.iamAction], resources: [groupArn] })]),
      installLatestAwsSdk: false,
      role,
      logGroup,
    });
    // Not read by the handler: it declares which group this resource restricts.
    const cfnRestriction = restriction.node.findAll().find((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === 'Custom::VpcRestrictDefaultSG');
    cfnRestriction?.addPropertyOverride('DefaultSecurityGroupId', cfnVpc.attrDefaultSecurityGroup);
  }
}

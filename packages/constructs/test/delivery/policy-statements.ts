import type { Template } from 'aws-cdk-lib/assertions';

/**
 * The statements of every IAM policy attached to roles whose logical id starts with a prefix:
 * what a grant gave those roles.
 *
 * @param template the stack's template
 * @param roleLogicalIdPrefix e.g. `MainRole`
 */
export function policyStatementsOf(template: Template, roleLogicalIdPrefix: string): Array<Record<string, unknown>> {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as Array<{ Ref: string }>).some((role) => role.Ref.startsWith(roleLogicalIdPrefix)),
  );
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

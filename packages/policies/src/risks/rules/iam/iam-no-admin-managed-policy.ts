import type { RiskRule } from '../../risk-rule';
import { asList, renderString } from '../../values';

/** AWS-managed policies that grant administrator-class access (full control, or the power to grant it). */
export const ADMIN_CLASS_MANAGED_POLICIES: readonly string[] = [
  'AdministratorAccess',
  'AdministratorAccess-Amplify',
  'AdministratorAccess-AWSElasticBeanstalk',
  'PowerUserAccess',
  'IAMFullAccess',
  'AWSOrganizationsFullAccess',
  'AWSCloudFormationFullAccess',
  'AWSLambda_FullAccess',
  'job-function/SystemAdministrator',
  'job-function/NetworkAdministrator',
  'job-function/DatabaseAdministrator',
];

const ATTACHING_PROPERTIES: Readonly<Record<string, string>> = {
  'AWS::IAM::Role': 'ManagedPolicyArns',
  'AWS::IAM::User': 'ManagedPolicyArns',
  'AWS::IAM::Group': 'ManagedPolicyArns',
  'AWS::SSO::PermissionSet': 'ManagedPolicies',
};

/** CORE.IAM.3: no administrator-class AWS-managed policy is attached to any principal. */
export const IAM_NO_ADMIN_MANAGED_POLICY: RiskRule = {
  id: 'CORE.IAM.3',
  ruleName: 'IAM_NO_ADMIN_MANAGED_POLICY',
  file: 'engine:risk/iam/iam-no-admin-managed-policy',
  title: 'No administrator-class AWS-managed policy is attached',
  severity: 'critical',
  description:
    `Attaching ${ADMIN_CLASS_MANAGED_POLICIES.join(', ')} to a role, user, group or permission set gives full control ` +
    'of the account, or the power to take it (create roles, deploy stacks, run code as any role). A compromised task, ' +
    'function or CI job with such a policy compromises the whole estate.',
  remediation: 'Attach a customer-managed or inline policy with the actions the principal needs (CDK grants such as table.grantReadWriteData(role)).',
  resourceTypes: Object.keys(ATTACHING_PROPERTIES),
  nistControls: ['AC-2', 'AC-6'],
  profile: 'baseline',
  check: (resource) => {
    const property = ATTACHING_PROPERTIES[resource.type];
    return asList(resource.properties[property]).flatMap((arn, index) => {
      const name = adminPolicyName(arn);
      return name ? [{ message: `attaches the AWS-managed policy ${name}`, location: `Properties.${property}[${index}]` }] : [];
    });
  },
};

function adminPolicyName(arn: unknown): string | undefined {
  const text = renderString(arn);
  if (text === undefined) return undefined;
  // AWS-managed policies live in the pseudo-account `aws`: arn:<partition>:iam::aws:policy/<name>.
  const managed = /^arn:[^:]*:iam::aws:policy\/(.+)$/.exec(text);
  return ADMIN_CLASS_MANAGED_POLICIES.find((name) => name === (managed ? managed[1] : text));
}

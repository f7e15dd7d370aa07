import type { RiskRule } from '../../risk-rule';

/** CORE.IAM.7: no IAM users, access keys or console passwords; people and CI use roles. */
export const IAM_NO_USERS_OR_KEYS: RiskRule = {
  id: 'CORE.IAM.7',
  ruleName: 'IAM_NO_USERS_OR_KEYS',
  file: 'engine:risk/iam/iam-no-users-or-keys',
  title: 'No IAM users, access keys or login profiles',
  severity: 'high',
  description:
    'IAM users carry long-lived credentials (access keys, console passwords) that leak, never expire and bypass the ' +
    'identity provider. CI reaches AWS through GitHub OIDC roles and people through SSO, so CORE has no user to create.',
  remediation: 'Use a role: GitHub Actions through the OIDC deployment roles, a service through its own role; acknowledge with a reason only for a third party that cannot assume a role.',
  resourceTypes: ['AWS::IAM::User', 'AWS::IAM::AccessKey', 'AWS::IAM::UserToGroupAddition', 'AWS::IAM::UserPolicy'],
  nistControls: ['AC-2', 'IA-2', 'IA-5'],
  profile: 'baseline',
  check: (resource) => {
    const what = resource.type === 'AWS::IAM::AccessKey' ? 'creates a long-lived access key' : resource.type === 'AWS::IAM::User' ? 'creates an IAM user' : 'attaches policies or groups to IAM users';
    const login = resource.type === 'AWS::IAM::User' && resource.properties.LoginProfile !== undefined ? ' with a console password' : '';
    return [{ message: `${resource.type} ${what}${login}`, location: 'Type' }];
  },
};

import { guardRules } from './guard-rules';
import { type RuleMetadata } from './types';

/** CORE guard rules for AWS IAM policies and roles (`rules/iam/`). */
export const IAM_RULES: readonly RuleMetadata[] = guardRules('iam', [
  {
    id: 'CORE.IAM.1',
    ruleName: 'IAM_NO_FULL_ADMIN_STATEMENT',
    title: 'No IAM statement allows every action on every resource',
    severity: 'critical',
    description:
      'No statement with Effect Allow has Action "*" together with Resource "*" (or NotResource), in ' +
      'AWS::IAM::Policy, AWS::IAM::ManagedPolicy or the Policies of a role, user or group. Such a statement is full ' +
      'administrator access: compromising the principal compromises the account. CORE roles get the specific actions ' +
      'they need through CDK grants.',
    remediation: 'Grant only the needed actions on the needed resources (for example bucket.grantRead(role)).',
    resourceTypes: ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'],
    nistControls: ['AC-3', 'AC-5', 'AC-6'],
  },
  {
    id: 'CORE.IAM.2',
    ruleName: 'IAM_GITHUB_OIDC_TRUST_PINNED',
    title: 'Roles trusting GitHub Actions pin the repository and branch, tag or environment',
    severity: 'critical',
    description:
      'A role trusting token.actions.githubusercontent.com requires StringEquals on ' +
      'token.actions.githubusercontent.com:aud = sts.amazonaws.com and on token.actions.githubusercontent.com:sub = ' +
      'exact subjects repo:<owner>/<repo>:ref:refs/heads/<branch>, :ref:refs/tags/<tag> or :environment:<name>, and ' +
      'never matches sub with StringLike. Otherwise any workflow in the repository, or any repository on GitHub, can ' +
      'assume the role; the current service trusts repo:<name>:* with StringLike.',
    remediation:
      'Trust the provider with conditions StringEquals { "token.actions.githubusercontent.com:aud": ' +
      '"sts.amazonaws.com", "token.actions.githubusercontent.com:sub": ["repo:<owner>/<repo>:environment:<env>"] }.',
    resourceTypes: ['AWS::IAM::Role', 'AWS::IAM::OIDCProvider', 'Custom::AWSCDKOpenIdConnectProvider'],
    nistControls: ['AC-3', 'AC-6', 'IA-2', 'IA-8'],
  },
]);

import type { RiskRule } from '../../risk-rule';
import { IAM_NO_ADMIN_MANAGED_POLICY } from './iam-no-admin-managed-policy';
import { IAM_NO_NOT_ACTION_ALLOW } from './iam-no-not-action-allow';
import { IAM_NO_PASS_OR_ASSUME_ANY_ROLE } from './iam-no-pass-or-assume-any-role';
import { IAM_NO_USERS_OR_KEYS } from './iam-no-users-or-keys';
import { IAM_NO_WILDCARD_ADMIN_ACTIONS } from './iam-no-wildcard-admin-actions';

export { IAM_NO_ADMIN_MANAGED_POLICY, IAM_NO_NOT_ACTION_ALLOW, IAM_NO_PASS_OR_ASSUME_ANY_ROLE, IAM_NO_USERS_OR_KEYS, IAM_NO_WILDCARD_ADMIN_ACTIONS };
export { ADMIN_CLASS_MANAGED_POLICIES } from './iam-no-admin-managed-policy';
export { ADMIN_WILDCARD_ACTIONS } from './iam-no-wildcard-admin-actions';

/**
 * Risk family 2: IAM privilege escalation and breadth. Role trust policies open to anyone or to a
 * foreign account are family 1 (CORE.RESPOL.1 and .2), which covers `AssumeRolePolicyDocument`.
 */
export const IAM_RISK_RULES: readonly RiskRule[] = [
  IAM_NO_ADMIN_MANAGED_POLICY,
  IAM_NO_PASS_OR_ASSUME_ANY_ROLE,
  IAM_NO_NOT_ACTION_ALLOW,
  IAM_NO_WILDCARD_ADMIN_ACTIONS,
  IAM_NO_USERS_OR_KEYS,
];

import { isAllow, statementValues } from '../../policy-documents';
import type { RiskRule, RiskViolation } from '../../risk-rule';
import { renderString } from '../../values';
import { identityDocuments, IDENTITY_POLICY_TYPES } from './identity-statements';

/** Action wildcards that hand out the account's control plane, whatever the resource. */
export const ADMIN_WILDCARD_ACTIONS: readonly string[] = ['*', 'iam:*', 'sts:*', 'organizations:*', 'kms:*', 'cloudformation:*'];

/** CORE.IAM.6: identity policies never allow `*`, `iam:*` and the other control-plane wildcards. */
export const IAM_NO_WILDCARD_ADMIN_ACTIONS: RiskRule = {
  id: 'CORE.IAM.6',
  ruleName: 'IAM_NO_WILDCARD_ADMIN_ACTIONS',
  file: 'engine:risk/iam/iam-no-wildcard-admin-actions',
  title: 'No identity policy allows every action, or every IAM, STS, Organizations, KMS or CloudFormation action',
  severity: 'high',
  description:
    `An Allow of ${ADMIN_WILDCARD_ACTIONS.join(', ')} in a role, user, group or policy — even on a narrow resource — ` +
    'grants actions nobody reviewed (iam:* on one role is enough to rewrite its trust and policies). CORE.IAM.1 ' +
    'catches "*" on "*"; this catches the wildcard on any resource.',
  remediation: 'List the actions the principal needs; CDK grants (key.grantDecrypt(role), bucket.grantRead(role)) write them for you.',
  resourceTypes: IDENTITY_POLICY_TYPES,
  nistControls: ['AC-6'],
  profile: 'baseline',
  check: (resource) => {
    const violations: RiskViolation[] = [];
    for (const document of identityDocuments(resource)) {
      for (const { statement, location } of document.statements) {
        if (!isAllow(statement)) continue;
        for (const action of statementValues(statement, 'Action').map(renderString)) {
          const wildcard = ADMIN_WILDCARD_ACTIONS.find((w) => w.toLowerCase() === action?.toLowerCase());
          if (wildcard) violations.push({ message: `${location} allows ${wildcard}`, location: `${location}.Action` });
        }
      }
    }
    return violations;
  },
};

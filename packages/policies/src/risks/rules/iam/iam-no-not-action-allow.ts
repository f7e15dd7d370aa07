import { isAllow, readPolicyDocuments, RESOURCE_POLICY_PROPERTIES } from '../../policy-documents';
import type { RiskRule, RiskViolation } from '../../risk-rule';
import { identityDocuments, IDENTITY_POLICY_TYPES } from './identity-statements';

/** CORE.IAM.5: no Allow statement uses NotAction or NotResource. */
export const IAM_NO_NOT_ACTION_ALLOW: RiskRule = {
  id: 'CORE.IAM.5',
  ruleName: 'IAM_NO_NOT_ACTION_ALLOW',
  file: 'engine:risk/iam/iam-no-not-action-allow',
  title: 'No Allow statement uses NotAction or NotResource',
  severity: 'high',
  description:
    'An Allow with NotAction allows every action except a list, including every action AWS adds later; an Allow with ' +
    'NotResource allows every resource except a list. Both grant far more than a reviewer reads, in identity and ' +
    'resource policies alike.',
  remediation: 'Rewrite the statement as an Allow of the needed actions on the needed resources; keep NotAction for Deny statements only.',
  resourceTypes: [...new Set([...IDENTITY_POLICY_TYPES, ...Object.keys(RESOURCE_POLICY_PROPERTIES)])],
  nistControls: ['AC-6'],
  profile: 'baseline',
  check: (resource) => {
    const documents = [...identityDocuments(resource), ...readPolicyDocuments(resource, RESOURCE_POLICY_PROPERTIES[resource.type] ?? [])];
    const violations: RiskViolation[] = [];
    for (const document of documents) {
      for (const { statement, location } of document.statements) {
        if (!isAllow(statement)) continue;
        for (const key of ['NotAction', 'NotResource'].filter((k) => statement[k] !== undefined)) {
          violations.push({ message: `${location} is an Allow with ${key}`, location: `${location}.${key}` });
        }
      }
    }
    return violations;
  },
};

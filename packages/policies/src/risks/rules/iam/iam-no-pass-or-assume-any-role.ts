import { actionMatches, isEveryResource } from '../../actions';
import { isAllow, statementValues } from '../../policy-documents';
import type { RiskRule, RiskViolation } from '../../risk-rule';
import { identityDocuments, IDENTITY_POLICY_TYPES } from './identity-statements';

const ESCALATING_ACTIONS = ['iam:PassRole', 'sts:AssumeRole'];

/** CORE.IAM.4: no identity policy allows iam:PassRole or sts:AssumeRole on every resource. */
export const IAM_NO_PASS_OR_ASSUME_ANY_ROLE: RiskRule = {
  id: 'CORE.IAM.4',
  ruleName: 'IAM_NO_PASS_OR_ASSUME_ANY_ROLE',
  file: 'engine:risk/iam/iam-no-pass-or-assume-any-role',
  title: 'No policy allows iam:PassRole or sts:AssumeRole on any role',
  severity: 'high',
  description:
    'iam:PassRole on "*" lets the principal hand any role — including an administrator role — to a service it ' +
    'controls (a task, a function, a stack); sts:AssumeRole on "*" lets it become any role that trusts its account. ' +
    'Either is privilege escalation. Action wildcards that cover them (iam:Pass*, iam:*, *) count too.',
  remediation: 'List the role ARNs the principal passes or assumes (role.grantPassRole(principal), role.grantAssumeRole(principal)).',
  resourceTypes: IDENTITY_POLICY_TYPES,
  nistControls: ['AC-6', 'AC-6(10)'],
  profile: 'baseline',
  check: (resource) => {
    const violations: RiskViolation[] = [];
    for (const document of identityDocuments(resource)) {
      for (const { statement, location } of document.statements) {
        if (!isAllow(statement) || !statementValues(statement, 'Resource').some(isEveryResource)) continue;
        const actions = statementValues(statement, 'Action');
        for (const action of ESCALATING_ACTIONS.filter((a) => actions.some((pattern) => actionMatches(pattern, a)))) {
          violations.push({ message: `${location} allows ${action} on every resource`, location: `${location}.Action` });
        }
      }
    }
    return violations;
  },
};

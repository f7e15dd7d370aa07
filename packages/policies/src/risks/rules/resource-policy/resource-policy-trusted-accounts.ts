import { awsServiceAccount } from '../../aws-service-accounts';
import { readPolicyDocuments, isAllow, RESOURCE_POLICY_PROPERTIES } from '../../policy-documents';
import { principalsOf } from '../../principals';
import type { RiskContext, RiskRule, RiskViolation } from '../../risk-rule';
import { accountsNamed } from '../../values';

/** CORE.RESPOL.2: principals come only from the template's own account, the config's accounts or AWS service accounts. */
export const RESOURCE_POLICY_TRUSTED_ACCOUNTS: RiskRule = {
  id: 'CORE.RESPOL.2',
  ruleName: 'RESOURCE_POLICY_TRUSTED_ACCOUNTS',
  file: 'engine:risk/resource-policy/resource-policy-trusted-accounts',
  title: 'Resource policies and role trusts name only accounts the environment declares',
  severity: 'high',
  description:
    'Every AWS account a resource policy or role trust allows (a bare id, or the account field of an ARN, also when ' +
    'built with Fn::Join or Fn::Sub) must be the template’s own account, an account the environment config declares ' +
    '(its own, the meta account, the workload accounts, trustedAccounts) or an AWS-owned service account such as the ' +
    'regional Elastic Load Balancing log-delivery account. Any other account is a door into CORE from outside.',
  remediation:
    'Remove the foreign principal, or add the account to the environment config (trustedAccounts) with the reason in ' +
    'the pull request, so the policy check is given it (core-policies check --trusted-accounts).',
  resourceTypes: [...Object.keys(RESOURCE_POLICY_PROPERTIES), 'AWS::Lambda::Permission', 'AWS::Lambda::LayerVersionPermission'],
  nistControls: ['AC-3', 'AC-6', 'AC-20'],
  profile: 'baseline',
  check: (resource, context) => {
    if (resource.type === 'AWS::Lambda::Permission' || resource.type === 'AWS::Lambda::LayerVersionPermission') {
      return untrusted(resource.properties.Principal, 'Properties.Principal', 'the permission', context);
    }
    const violations: RiskViolation[] = [];
    for (const document of readPolicyDocuments(resource, RESOURCE_POLICY_PROPERTIES[resource.type] ?? [])) {
      for (const { statement, location } of document.statements) {
        if (!isAllow(statement)) continue;
        for (const principal of principalsOf(statement).filter((p) => p.kind === 'AWS' || p.kind === '*')) {
          violations.push(...untrusted(principal.value, `${location}.Principal`, location, context));
        }
      }
    }
    return violations;
  },
};

function untrusted(value: unknown, location: string, where: string, context: RiskContext): RiskViolation[] {
  return accountsNamed(value)
    .filter((account) => account !== 'self' && !context.trustedAccounts.has(account) && !awsServiceAccount(account))
    .map((account) => ({
      message: `${where} allows account ${account}, which the environment does not declare (trusted: ${describeTrusted(context)})`,
      location,
    }));
}

function describeTrusted(context: RiskContext): string {
  return context.trustedAccounts.size > 0 ? [...context.trustedAccounts].sort().join(', ') : 'only the template’s own account';
}

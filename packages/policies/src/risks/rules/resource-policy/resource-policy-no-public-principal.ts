import { readPolicyDocuments, isAllow, RESOURCE_POLICY_PROPERTIES } from '../../policy-documents';
import { isUnrestrictedPrincipal, pinningCondition, principalsOf } from '../../principals';
import type { RiskRule, RiskViolation } from '../../risk-rule';
import { renderString } from '../../values';

/** CORE.RESPOL.1: no resource-based policy allows anyone unless a condition pins the caller. */
export const RESOURCE_POLICY_NO_PUBLIC_PRINCIPAL: RiskRule = {
  id: 'CORE.RESPOL.1',
  ruleName: 'RESOURCE_POLICY_NO_PUBLIC_PRINCIPAL',
  file: 'engine:risk/resource-policy/resource-policy-no-public-principal',
  title: 'No resource policy allows an unrestricted principal without a pinning condition',
  severity: 'critical',
  description:
    'A statement with Effect Allow and Principal "*" (or {"AWS": "*"}, {"AWS": ["*"]}, an account wildcard, or ' +
    'NotPrincipal) in any resource-based policy — bucket, topic, queue, key, secret, repository, log destination, ' +
    'role trust, Lambda permission and the rest of the policy-bearing types — lets anyone on the internet use the ' +
    'resource, unless a condition pins the caller (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, ' +
    'aws:SourceVpce, …). A policy built at deploy time (Fn::Join) cannot be verified and fails too.',
  remediation:
    'Name the principal (an account root, a role ARN or a service principal), or add a StringEquals/ArnLike condition on ' +
    'aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID; write the policy as an object, not a joined string.',
  resourceTypes: [...Object.keys(RESOURCE_POLICY_PROPERTIES), 'AWS::Lambda::Permission', 'AWS::Lambda::LayerVersionPermission'],
  nistControls: ['AC-3', 'AC-6', 'AC-21'],
  profile: 'baseline',
  check: (resource) => {
    if (resource.type === 'AWS::Lambda::Permission' || resource.type === 'AWS::Lambda::LayerVersionPermission') return lambdaPermission(resource.properties);
    const violations: RiskViolation[] = [];
    for (const document of readPolicyDocuments(resource, RESOURCE_POLICY_PROPERTIES[resource.type] ?? [])) {
      if (document.unreadable) {
        violations.push({ message: `the resource policy at ${document.location} ${document.unreadable}`, location: document.location });
        continue;
      }
      for (const { statement, location } of document.statements) {
        if (!isAllow(statement)) continue;
        const pin = pinningCondition(statement);
        if (statement.NotPrincipal !== undefined && !pin) {
          violations.push({ message: `${location} allows everyone except the NotPrincipal list`, location: `${location}.NotPrincipal` });
          continue;
        }
        const open = principalsOf(statement).find(isUnrestrictedPrincipal);
        if (open && !pin) {
          violations.push({ message: `${location} allows principal ${JSON.stringify(open.kind === '*' ? open.value : { [open.kind]: open.value })} with no condition pinning the caller`, location: `${location}.Principal` });
        }
      }
    }
    return violations;
  },
};

// A Lambda permission is one statement spread over properties; SourceArn, SourceAccount and
// PrincipalOrgID are its conditions.
function lambdaPermission(properties: Readonly<Record<string, unknown>>): RiskViolation[] {
  const principal = renderString(properties.Principal);
  if (principal !== '*') return [];
  if (properties.SourceArn !== undefined || properties.SourceAccount !== undefined || properties.PrincipalOrgID !== undefined || properties.OrganizationId !== undefined) return [];
  return [{ message: 'the permission grants Principal "*" with no SourceArn, SourceAccount or PrincipalOrgID', location: 'Properties.Principal' }];
}

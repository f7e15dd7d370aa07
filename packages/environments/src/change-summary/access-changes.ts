import type { TemplateDiff } from '@aws-cdk/cloudformation-diff';
import type { AccessBroadening, IamStatementChange, SecurityGroupRuleChange } from './types';

const INTERNET = new Set(['0.0.0.0/0', '::/0']);

/**
 * The access a template change widens, as CDK's diff engine reads IAM policies, resource
 * policies and security groups: `Allow` statements added, `Deny` statements removed, managed
 * policies attached and security-group rules added. Narrowing changes are left out: they are
 * what `cdk deploy --require-approval broadening` lets through without asking either.
 *
 * @param diff the stack's template diff
 */
export function accessBroadeningOf(diff: TemplateDiff): AccessBroadening {
  const { statements, managedPolicies } = diff.iamChanges;
  const widening: IamStatementChange[] = [
    ...statements.additions.filter((statement) => !statement.isNegativeStatement).map((statement) => statementChange('added', statement.render())),
    ...statements.removals.filter((statement) => statement.isNegativeStatement).map((statement) => statementChange('removed', statement.render())),
  ];
  const { ingress, egress } = diff.securityGroupChanges;
  return {
    statements: widening,
    managedPolicies: managedPolicies.additions.map((attachment) => ({ identity: attachment.identityArn, managedPolicyArn: attachment.managedPolicyArn })),
    securityGroupRules: [...ingress.additions.map((rule) => ruleChange('ingress', rule)), ...egress.additions.map((rule) => ruleChange('egress', rule))],
  };
}

/** Whether a stack's change widens any access. */
export function broadensAccess(broadening: AccessBroadening): boolean {
  return broadening.statements.length + broadening.managedPolicies.length + broadening.securityGroupRules.length > 0;
}

type RenderedStatement = ReturnType<TemplateDiff['iamChanges']['statements']['additions'][number]['render']>;
type Rule = TemplateDiff['securityGroupChanges']['ingress']['additions'][number];

function statementChange(change: IamStatementChange['change'], rendered: RenderedStatement): IamStatementChange {
  const wildcard = rendered.resource.split(/\s+/).includes('*') || /(^|[\s:])\*($|\s)/.test(rendered.principal);
  return { change, resource: rendered.resource, effect: rendered.effect, action: rendered.action, principal: rendered.principal, condition: rendered.condition, wildcard };
}

function ruleChange(direction: SecurityGroupRuleChange['direction'], rule: Rule): SecurityGroupRuleChange {
  const peer = rule.peer;
  return {
    direction,
    groupId: rule.groupId,
    protocol: rule.describeProtocol(),
    peer: rule.describePeer(),
    openToInternet: peer?.kind === 'cidr-ip' && INTERNET.has(peer.ip),
  };
}

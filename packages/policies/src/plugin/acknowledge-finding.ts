import { CfnResource, Stack, Stage } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { coreRuleMetadata } from '../engine/core-rules';
import type { TemplateAcknowledgement } from '../engine/acknowledgements';
import { MIN_ACKNOWLEDGEMENT_REASON_LENGTH } from '../gate/acknowledgements';
import { closestMatch } from '../engine/closest-match';
import { ENGINE_CHECKS } from '../engine/engine-checks';
import { enabledControlTowerRules } from '../engine/control-tower';

/**
 * Acknowledges a policy finding on the resources of one construct, with a reason.
 *
 * The acknowledgement is written into the `Metadata.guard.SuppressedRules` of every
 * CloudFormation resource under `scope`, so it travels in the template: the CDK plugin and
 * `core-policies check` apply the same acknowledgement, and the committed baseline shows it (and
 * its reason) to the reviewer of the change. Call it after the resources exist.
 *
 * @param scope the violating resource, or a construct below stack level that contains it
 * @param acknowledgement the rule id (e.g. `CORE.S3.2`, `CT.S3.PR.1`) or rule name, and why the finding is acceptable;
 *   ids of a team's own rule files (outside the `CORE.` and `CT.` namespaces) are checked by the
 *   engine at synthesis, which knows which rules ran
 * @throws Error when the scope is an App, Stage or Stack, holds no resource yet, the id is unknown, the rule is critical or the reason is short
 * @example
 * acknowledgeFinding(migrationRepository, {
 *   id: 'CORE.ECR.3',
 *   reason: 'the one-off migration image is re-pushed under the same tag by the migration runbook',
 * });
 */
export function acknowledgeFinding(scope: IConstruct, acknowledgement: TemplateAcknowledgement): void {
  const where = scope.node.path || '(app)';
  if (Stage.isStage(scope) || Stack.isStack(scope)) {
    throw new Error(
      `acknowledgeFinding(${where}, ${acknowledgement.id}): an acknowledgement at App, Stage or Stack level would hide the rule for every resource, present and future; pass the violating resource or a construct below stack level that contains it`,
    );
  }
  const rule = acknowledgeableRule(acknowledgement.id);
  if (typeof rule === 'string') throw new Error(`acknowledgeFinding(${where}, ${acknowledgement.id}): ${rule}`);
  if (acknowledgement.reason.trim().length < MIN_ACKNOWLEDGEMENT_REASON_LENGTH) {
    throw new Error(
      `acknowledgeFinding(${where}, ${acknowledgement.id}): reason ${JSON.stringify(acknowledgement.reason)} is shorter than ${MIN_ACKNOWLEDGEMENT_REASON_LENGTH} characters; say why the finding is acceptable for this resource`,
    );
  }
  const resources = violatingResources(scope, rule.resourceTypes);
  if (resources.length === 0) {
    const what = rule.resourceTypes.length > 0 ? `no ${rule.resourceTypes.join(' or ')}` : 'no CloudFormation resource';
    throw new Error(`acknowledgeFinding(${where}, ${acknowledgement.id}): ${what} under ${where} yet; pass the construct that holds the violating resource, after creating it`);
  }
  for (const resource of resources) {
    const guard = (resource.getMetadata('guard') ?? {}) as { SuppressedRules?: TemplateAcknowledgement[] };
    const entries = (guard.SuppressedRules ?? []).filter((entry) => entry.id !== acknowledgement.id);
    resource.addMetadata('guard', { ...guard, SuppressedRules: [...entries, { id: acknowledgement.id, reason: acknowledgement.reason.trim() }] });
  }
}

// Only the resources the rule reports on carry the acknowledgement: on any other resource (a
// bucket's policy, say) it would match nothing and be reported as stale.
function violatingResources(scope: IConstruct, resourceTypes: readonly string[]): CfnResource[] {
  const all = scope.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c));
  if (resourceTypes.length > 0) return all.filter((resource) => resourceTypes.includes(resource.cfnResourceType));
  // A team's own rule: its types are unknown, so the construct's own resource is meant.
  if (CfnResource.isCfnResource(scope)) return [scope];
  const main = scope.node.defaultChild;
  return main && CfnResource.isCfnResource(main) ? [main] : all.length === 1 ? all : [];
}

/** The rule an id names, or why it cannot be acknowledged. */
function acknowledgeableRule(id: string): { readonly id: string; readonly resourceTypes: readonly string[] } | string {
  const rules = [
    ...coreRuleMetadata().map((r) => ({ id: r.id, name: r.ruleName, severity: r.severity, engine: ENGINE_CHECKS.includes(r), resourceTypes: r.resourceTypes })),
    ...enabledControlTowerRules().map((r) => ({ id: r.id, name: r.id, severity: r.severity, engine: false, resourceTypes: r.resourceTypes })),
  ];
  const rule = rules.find((r) => r.id === id || r.name === id);
  if (!rule && !/^(CORE|CT)\./.test(id)) return { id, resourceTypes: [] };
  if (!rule) {
    const closest = closestMatch(id, rules.flatMap((r) => [r.id, r.name]));
    return `${id} is not a rule of the catalogue${closest ? `; did you mean ${closest}?` : ''}`;
  }
  if (rule.engine || rule.severity === 'critical') return `${rule.id} is ${rule.engine ? 'an engine check' : 'a critical rule'}, which cannot be acknowledged: fix the resource instead`;
  return rule;
}

import { fullDiff, ResourceImpact, type Resource, type ResourceDifference } from '@aws-cdk/cloudformation-diff';
import { constructPathOf, isStatefulResourceType } from '@core-infra/policies';
import { accessBroadeningOf } from './access-changes';
import type { AccessBroadening, ChangeCounts, ResourceChange, ResourceChangeKind, StackChanges } from './types';

/** A CloudFormation template, as read from JSON. */
export type CloudFormationTemplate = Record<string, unknown>;

/** How a stack is known to the summary. */
export interface SummarizedStack {
  /** Stack id as the CDK CLI selects it, or the baseline key of a removed stack. */
  readonly id: string;
  /** Artifact id (the baseline template's name). */
  readonly artifactId: string;
  /** CloudFormation stack name, when the stack is in the assembly. */
  readonly stackName?: string;
}

/** No resources at all: what a new stack is compared with, and what a removed one becomes. */
const EMPTY_TEMPLATE: CloudFormationTemplate = {};

const KIND_BY_IMPACT: Readonly<Record<ResourceImpact, ResourceChangeKind>> = {
  [ResourceImpact.WILL_CREATE]: 'add',
  [ResourceImpact.WILL_IMPORT]: 'import',
  [ResourceImpact.WILL_UPDATE]: 'modify',
  // A resource that differs only in ways CloudFormation applies without touching it still changes.
  [ResourceImpact.NO_CHANGE]: 'modify',
  [ResourceImpact.WILL_REPLACE]: 'replace',
  [ResourceImpact.MAY_REPLACE]: 'may-replace',
  [ResourceImpact.WILL_DESTROY]: 'destroy',
  [ResourceImpact.WILL_ORPHAN]: 'orphan',
};

/** Order of the resource table after the destructive rows: the most disruptive changes first. */
const KIND_ORDER: readonly ResourceChangeKind[] = ['replace', 'may-replace', 'destroy', 'orphan', 'modify', 'add', 'import'];

const NO_BROADENING: AccessBroadening = { statements: [], managedPolicies: [], securityGroupRules: [] };

const REPLACING = new Set<ResourceImpact>([ResourceImpact.WILL_REPLACE, ResourceImpact.MAY_REPLACE]);

/**
 * Compares one stack's baseline template with its synthesized template using CDK's own diff
 * engine (`fullDiff`, the engine behind `cdk diff`), and summarizes what a deploy would do: the
 * counts, every changed resource with its construct path, and the access it widens. A new stack
 * is compared with an empty template and a removed stack becomes one, so their resources count
 * as added and removed.
 *
 * @param stack the stack
 * @param baseline its committed baseline template; undefined for a new stack
 * @param current its synthesized template; undefined for a removed stack
 */
export function summarizeStackChanges(stack: SummarizedStack, baseline: CloudFormationTemplate | undefined, current: CloudFormationTemplate | undefined): StackChanges {
  const diff = fullDiff(baseline ?? EMPTY_TEMPLATE, current ?? EMPTY_TEMPLATE);
  const resources: ResourceChange[] = [];
  diff.resources.forEachDifference((logicalId, difference) => {
    resources.push(resourceChange(logicalId, difference));
  });
  resources.sort(compareRows);
  const otherChanges = diff.differenceCount - diff.resources.differenceCount;
  const status = baseline === undefined ? 'new' : current === undefined ? 'removed' : resources.length + otherChanges > 0 ? 'changed' : 'unchanged';
  return {
    id: stack.id,
    artifactId: stack.artifactId,
    stackName: stack.stackName,
    status,
    counts: countChanges(resources),
    otherChanges,
    resources,
    // Nothing in a deleted stack grants anything, so the Deny statements it takes along widen nothing.
    broadening: current === undefined ? NO_BROADENING : accessBroadeningOf(diff),
  };
}

/**
 * The id of a stack that is only in the baseline, as the CDK CLI would select it: CORE's stacks
 * live one level down in the environment's Stage, so when every resource's construct path starts
 * with the same `<stage>/<stack>`, that is the id. Otherwise the baseline key has to do.
 *
 * @param template the stack's baseline template
 * @param stage the environment's Stage, e.g. `core-prod`
 * @param baselineKey the baseline template's name without `.template.json`
 */
export function removedStackId(template: CloudFormationTemplate, stage: string, baselineKey: string): string {
  const resources = Object.values((template.Resources ?? {}) as Record<string, Resource>);
  const paths = resources.map((resource) => constructPathOf(resource)).filter((path): path is string => path !== undefined);
  const ids = new Set(paths.map((path) => path.split('/').slice(0, 2).join('/')));
  const [id] = ids;
  return ids.size === 1 && id.startsWith(`${stage}/`) ? id : baselineKey;
}

/**
 * Adds up counts, e.g. of every stack of an environment.
 *
 * @param counts the counts to add
 */
export function sumCounts(counts: readonly ChangeCounts[]): ChangeCounts {
  return counts.reduce((sum, next) => ({ added: sum.added + next.added, modified: sum.modified + next.modified, replaced: sum.replaced + next.replaced, removed: sum.removed + next.removed }), {
    added: 0,
    modified: 0,
    replaced: 0,
    removed: 0,
  });
}

function countChanges(resources: readonly ResourceChange[]): ChangeCounts {
  const count = (...kinds: ResourceChangeKind[]) => resources.filter((resource) => kinds.includes(resource.change)).length;
  return { added: count('add', 'import'), modified: count('modify'), replaced: count('replace', 'may-replace'), removed: count('destroy', 'orphan') };
}

function resourceChange(logicalId: string, difference: ResourceDifference): ResourceChange {
  const impact = difference.changeImpact;
  const change = KIND_BY_IMPACT[impact];
  const resourceType = difference.newResourceType ?? difference.oldResourceType ?? 'Unknown';
  const stateful = isStatefulResourceType(difference.oldResourceType ?? resourceType);
  return {
    logicalId,
    resourceType,
    constructPath: constructPathOf(difference.newValue) ?? constructPathOf(difference.oldValue),
    change,
    properties: changedProperties(difference, impact),
    stateful,
    destructive: stateful && ['replace', 'may-replace', 'destroy', 'orphan'].includes(change),
  };
}

/** The properties behind the change: for a replacement only those that force it. */
function changedProperties(difference: ResourceDifference, impact: ResourceImpact): string[] {
  if (difference.isAddition || difference.isRemoval) return [];
  if (difference.resourceTypeChanged) return ['Type'];
  const updates = Object.entries(difference.propertyUpdates);
  if (REPLACING.has(impact)) {
    return updates.filter(([, update]) => update.changeImpact !== undefined && REPLACING.has(update.changeImpact)).map(([name]) => name).sort();
  }
  return [...updates.map(([name]) => name), ...Object.keys(difference.otherChanges)].sort();
}

function compareRows(a: ResourceChange, b: ResourceChange): number {
  if (a.destructive !== b.destructive) return a.destructive ? -1 : 1;
  const byKind = KIND_ORDER.indexOf(a.change) - KIND_ORDER.indexOf(b.change);
  if (byKind !== 0) return byKind;
  return a.logicalId < b.logicalId ? -1 : a.logicalId > b.logicalId ? 1 : 0;
}

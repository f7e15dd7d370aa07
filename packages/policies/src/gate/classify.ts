import { fullDiff, ResourceImpact, type ResourceDifference } from '@aws-cdk/cloudformation-diff';
import { findStatefulResourceType, type StatefulResourceType } from './stateful-types';
import { constructPathOf, type StackTemplate, type TemplateResource } from './templates';
import { type DestructiveChangeCause, type DestructiveChangeKind, type GateStackIdentity, type ReplacementProperty } from './types';

/** A destructive change before rename detection and wording. */
export interface DetectedChange {
  /** The stack holding the resource. */
  readonly stack: GateStackIdentity;
  /** Logical id in the baseline template. */
  readonly logicalId: string;
  /** The resource as the baseline template declares it. */
  readonly resource: TemplateResource;
  /** The declared stateful type entry. */
  readonly statefulType: StatefulResourceType;
  /** What happens to the resource. */
  readonly change: DestructiveChangeKind;
  /** Why. */
  readonly cause: DestructiveChangeCause;
  /** The properties forcing a replacement. */
  readonly replacementProperties: readonly ReplacementProperty[];
}

/** A resource that appears in the synthesized templates without being in the baseline. */
export interface AddedResource {
  /** The stack holding it. */
  readonly stack: GateStackIdentity;
  /** Its logical id. */
  readonly logicalId: string;
  /** The resource. */
  readonly resource: TemplateResource;
}

/** Stateful destructive changes and resource additions of one stack. */
export interface StackDiffResult {
  /** Replacements, deletions and orphanings of stateful resources. */
  readonly changes: readonly DetectedChange[];
  /** Resources (of any type) added to the stack, for rename detection. */
  readonly additions: readonly AddedResource[];
  /** Number of stateful resources in the baseline template. */
  readonly statefulResources: number;
}

const MAX_VALUE_LENGTH = 80;

/**
 * Compares one stack's baseline template with its synthesized template using CDK's own diff
 * engine, and keeps the changes that replace, delete or orphan a stateful resource.
 *
 * @param stack the stack
 * @param baseline the committed baseline template
 * @param current the synthesized template, or `undefined` when the stack is no longer in the app
 * @param statefulTypes the types to protect
 */
export function diffStack(
  stack: GateStackIdentity,
  baseline: StackTemplate,
  current: StackTemplate | undefined,
  statefulTypes: readonly StatefulResourceType[],
): StackDiffResult {
  const statefulResources = Object.values(baseline.Resources ?? {}).filter((resource) =>
    findStatefulResourceType(resource.Type, statefulTypes),
  ).length;
  if (current === undefined) {
    return { changes: removalsOfWholeStack(stack, baseline, statefulTypes), additions: [], statefulResources };
  }

  const changes: DetectedChange[] = [];
  const additions: AddedResource[] = [];
  const diff = fullDiff(baseline, current);
  diff.resources.forEachDifference((logicalId, difference) => {
    if (difference.isAddition) {
      additions.push({ stack, logicalId, resource: difference.newValue as TemplateResource });
      return;
    }
    const resource = difference.oldValue as TemplateResource;
    const statefulType = findStatefulResourceType(resource.Type, statefulTypes);
    if (!statefulType) {
      return;
    }
    const detected = classify(difference);
    if (detected) {
      changes.push({ stack, logicalId, resource, statefulType, ...detected });
    }
  });
  return { changes, additions, statefulResources };
}

/**
 * Lists every resource of a template as an addition; used for stacks without a baseline, so a
 * stateful resource moved into a new stack is recognised as a probable rename.
 *
 * @param stack the stack
 * @param template its synthesized template
 */
export function resourcesOf(stack: GateStackIdentity, template: StackTemplate): AddedResource[] {
  return Object.entries(template.Resources ?? {}).map(([logicalId, resource]) => ({ stack, logicalId, resource }));
}

/**
 * Shortens a template value for display.
 *
 * @param value any JSON value
 */
export function displayValue(value: unknown): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 3)}...` : text;
}

/**
 * The logical-id-independent identity of a resource for rename matching: its construct path
 * without the last segment, when CDK recorded one.
 *
 * @param resource the resource
 */
export function constructParentOf(resource: TemplateResource): string | undefined {
  const constructPath = constructPathOf(resource);
  return constructPath?.split('/').slice(0, -1).join('/');
}

function classify(
  difference: ResourceDifference,
): Pick<DetectedChange, 'change' | 'cause' | 'replacementProperties'> | undefined {
  if (difference.isRemoval) {
    const change = difference.changeImpact === ResourceImpact.WILL_ORPHAN ? 'orphan' : 'destroy';
    return { change, cause: 'resource-removed', replacementProperties: [] };
  }
  if (difference.resourceTypeChanged) {
    return {
      change: 'replace',
      cause: 'type-change',
      replacementProperties: [
        { name: 'Type', certainty: 'will', oldValue: displayValue(difference.oldResourceType), newValue: displayValue(difference.newResourceType) },
      ],
    };
  }
  const impact = difference.changeImpact;
  if (impact !== ResourceImpact.WILL_REPLACE && impact !== ResourceImpact.MAY_REPLACE) {
    return undefined;
  }
  const replacementProperties: ReplacementProperty[] = [];
  for (const [name, property] of Object.entries(difference.propertyUpdates)) {
    if (property.changeImpact === ResourceImpact.WILL_REPLACE || property.changeImpact === ResourceImpact.MAY_REPLACE) {
      replacementProperties.push({
        name,
        certainty: property.changeImpact === ResourceImpact.WILL_REPLACE ? 'will' : 'may',
        oldValue: displayValue(property.oldValue),
        newValue: displayValue(property.newValue),
      });
    }
  }
  replacementProperties.sort((a, b) => a.name.localeCompare(b.name));
  return { change: 'replace', cause: 'property-change', replacementProperties };
}

function removalsOfWholeStack(
  stack: GateStackIdentity,
  baseline: StackTemplate,
  statefulTypes: readonly StatefulResourceType[],
): DetectedChange[] {
  const changes: DetectedChange[] = [];
  for (const [logicalId, resource] of Object.entries(baseline.Resources ?? {})) {
    const statefulType = findStatefulResourceType(resource.Type, statefulTypes);
    if (!statefulType) {
      continue;
    }
    const retained = resource.DeletionPolicy === 'Retain' || resource.DeletionPolicy === 'RetainExceptOnCreate';
    changes.push({
      stack,
      logicalId,
      resource,
      statefulType,
      change: retained ? 'orphan' : 'destroy',
      cause: 'stack-removed',
      replacementProperties: [],
    });
  }
  return changes;
}

import { fullDiff, ResourceImpact, type ResourceDifference } from '@aws-cdk/cloudformation-diff';
import { findStatefulResourceType, type StatefulResourceType } from './stateful-types';
import { findValueRewritingProperty } from './stored-values';
import { constructPathOf, type StackTemplate, type TemplateResource } from './templates';
import {
  type DestructiveChangeCause,
  type DestructiveChangeKind,
  type GateStackIdentity,
  type InterruptingProperty,
  type ReplacementProperty,
  type UpdateInterruption,
} from './types';
import { findUpdateBehaviourException } from './update-behaviour';

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
  /** The properties forcing a replacement, or rewriting the stored value. */
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
  /** Replacements, deletions, orphanings and value regenerations of stateful resources. */
  readonly changes: readonly DetectedChange[];
  /** In-place updates of stateful resources that interrupt them briefly. */
  readonly interruptions: readonly UpdateInterruption[];
  /** Resources (of any type) added to the stack, for rename detection. */
  readonly additions: readonly AddedResource[];
  /** Number of stateful resources in the baseline template. */
  readonly statefulResources: number;
}

const MAX_VALUE_LENGTH = 80;

/**
 * Compares one stack's baseline template with its synthesized template using CDK's own diff
 * engine, and keeps the changes that replace, delete, orphan or rewrite the stored value of a
 * stateful resource, judging each property by its documented update behaviour
 * (`UPDATE_BEHAVIOUR_EXCEPTIONS` refines the resource specification's "maybe").
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
    return { changes: removalsOfWholeStack(stack, baseline, statefulTypes), interruptions: [], additions: [], statefulResources };
  }

  const changes: DetectedChange[] = [];
  const interruptions: UpdateInterruption[] = [];
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
    const { detected, interrupting } = classify(difference);
    if (detected) {
      changes.push({ stack, logicalId, resource, statefulType, ...detected });
    } else if (interrupting.length > 0) {
      // A replaced or rewritten resource is reported for that alone: its outage is the least of it.
      interruptions.push({ ...stack, logicalId, resourceType: resource.Type, constructPath: constructPathOf(resource), properties: interrupting });
    }
  });
  return { changes, interruptions, additions, statefulResources };
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

interface Classification {
  readonly detected?: Pick<DetectedChange, 'change' | 'cause' | 'replacementProperties'>;
  readonly interrupting: readonly InterruptingProperty[];
}

function classify(difference: ResourceDifference): Classification {
  if (difference.isRemoval) {
    const change = difference.changeImpact === ResourceImpact.WILL_ORPHAN ? 'orphan' : 'destroy';
    return { detected: { change, cause: 'resource-removed', replacementProperties: [] }, interrupting: [] };
  }
  if (difference.resourceTypeChanged) {
    const typeProperty: ReplacementProperty = {
      name: 'Type',
      certainty: 'will',
      oldValue: displayValue(difference.oldResourceType),
      newValue: displayValue(difference.newResourceType),
    };
    return { detected: { change: 'replace', cause: 'type-change', replacementProperties: [typeProperty] }, interrupting: [] };
  }

  const oldResource = difference.oldValue as TemplateResource;
  const newResource = difference.newValue as TemplateResource;
  const replacing: ReplacementProperty[] = [];
  const rewriting: ReplacementProperty[] = [];
  let regenerated = false;
  const interrupting: InterruptingProperty[] = [];
  for (const [name, property] of Object.entries(difference.propertyUpdates).sort(([a], [b]) => a.localeCompare(b))) {
    const values = { oldValue: displayValue(property.oldValue), newValue: displayValue(property.newValue) };
    const impact = property.changeImpact;
    const exception = findUpdateBehaviourException(oldResource.Type, name);
    // A documented exception refines what the specification leaves open; it never softens a
    // certain replacement, which also covers replacements propagated from a referenced resource.
    if (exception && impact !== ResourceImpact.WILL_REPLACE) {
      const documented = exception.judge({ oldValue: property.oldValue, newValue: property.newValue, oldResource, newResource });
      if (documented.behaviour === 'replacement') {
        replacing.push({ name, certainty: 'will', ...values, reason: documented.explanation });
      } else if (documented.behaviour === 'some-interruption') {
        interrupting.push({ name, ...values, explanation: documented.explanation, documentation: exception.documentation });
      }
      continue;
    }
    if (impact === ResourceImpact.WILL_REPLACE || impact === ResourceImpact.MAY_REPLACE) {
      replacing.push({ name, certainty: impact === ResourceImpact.WILL_REPLACE ? 'will' : 'may', ...values });
      continue;
    }
    const rewrite = findValueRewritingProperty(oldResource.Type, name);
    if (rewrite) {
      rewriting.push({ name, certainty: 'will', ...values });
      regenerated ||= rewrite.cause === 'value-regenerated';
    }
  }

  if (replacing.length > 0) {
    return { detected: { change: 'replace', cause: 'property-change', replacementProperties: replacing }, interrupting };
  }
  if (rewriting.length > 0) {
    // Regeneration is the worse of the two: nothing in the template holds the new value either.
    const cause = regenerated ? 'value-regenerated' : 'value-overwritten';
    return { detected: { change: 'regenerate', cause, replacementProperties: rewriting }, interrupting };
  }
  return { interrupting };
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

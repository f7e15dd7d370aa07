import { deepEqual } from '@aws-cdk/cloudformation-diff';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  ACKNOWLEDGEMENTS_FILE_NAME,
  isAcknowledgementExpired,
  loadGateAcknowledgements,
  validateGateAcknowledgements,
} from './acknowledgements';
import { readBaselineTemplates, type BaselineTemplate } from './baseline';
import { constructParentOf, diffStack, resourcesOf, type AddedResource, type DetectedChange } from './classify';
import { GateInputError } from './errors';
import { STATEFUL_RESOURCE_TYPES, type StatefulResourceType } from './stateful-types';
import {
  constructPathOf,
  declaredLifecycle,
  ephemeralExemption,
  readAssemblyStacks,
  isStackNamed,
  validateEphemeralDeclarations,
} from './templates';
import {
  type AcknowledgedChange,
  type AcknowledgementProblem,
  type EphemeralStackDeclaration,
  type ExemptStack,
  type GateAcknowledgement,
  type GateReport,
  type GateStackIdentity,
  type NewStack,
  type ProbableRename,
  type StackComparison,
  type StatefulChange,
  type UpdateInterruption,
} from './types';

/** Options of {@link compareAssemblies}. */
export interface CompareAssembliesOptions {
  /** Folder of committed baseline templates, e.g. `apps/dev/baseline`. */
  readonly baselineDir: string;
  /** The synthesized cloud assembly (`cdk.out`) to check. */
  readonly assemblyDir: string;
  /**
   * Acknowledged destructive changes, already parsed; validated like the file.
   *
   * @default - read from `acknowledgementsFile`
   */
  readonly acknowledgements?: readonly GateAcknowledgement[];
  /**
   * Acknowledgement file (YAML or JSON) to read; an error when it does not exist.
   *
   * @default - `<baselineDir>/acknowledgements.yaml` when that file exists, otherwise none
   */
  readonly acknowledgementsFile?: string;
  /**
   * Stacks declared ephemeral in addition to those whose template declares
   * `Metadata.CoreInfra.Lifecycle: ephemeral`.
   *
   * @default - only template declarations
   */
  readonly ephemeralStacks?: readonly EphemeralStackDeclaration[];
  /**
   * The resource types to protect.
   *
   * @default STATEFUL_RESOURCE_TYPES
   */
  readonly statefulTypes?: readonly StatefulResourceType[];
  /**
   * The current time, for acknowledgement expiry.
   *
   * @default - the system clock
   */
  readonly now?: Date;
}

/**
 * The destructive-change gate: compares every stack template of a cloud assembly (stacks of
 * Stages included) with its committed baseline template, using CDK's own diff engine, and
 * reports each stateful resource that a deploy would replace, destroy, orphan or whose stored
 * value (a secret) it would regenerate.
 *
 * - A stack without a baseline is reported as new and passes.
 * - A stack in the baseline but not in the app counts as the removal of all its stateful resources.
 * - A stack whose template declares `Metadata.CoreInfra.Lifecycle: ephemeral` (with a
 *   `Metadata.CoreInfra.Reason`) is exempt, unless it has a baseline that does not declare it
 *   ephemeral: turning a checked stack into an exempt one needs a baseline refresh.
 * - A removed stateful resource that reappears under another logical id (same type) is still a
 *   destroy or orphan of the old resource, reported as a probable rename.
 * - A property is judged by its documented update behaviour: one that CloudFormation updates in
 *   place with "Some interruptions" (e.g. an RDS instance's `BackupRetentionPeriod`) does not
 *   block, and is listed under `interruptions`.
 * - An acknowledgement lets one change through; a stale or expired acknowledgement fails.
 *
 * @param options where to read the assembly, the baseline and the acknowledgements
 * @returns the report; `passed` says whether the deploy may go ahead
 * @throws GateInputError when a folder, manifest, template or the acknowledgement file is missing or invalid
 */
export function compareAssemblies(options: CompareAssembliesOptions): GateReport {
  const declarations = options.ephemeralStacks ?? [];
  validateEphemeralDeclarations(declarations);
  const statefulTypes = options.statefulTypes ?? STATEFUL_RESOURCE_TYPES;
  const baselineDir = path.resolve(options.baselineDir);
  const assemblyDir = path.resolve(options.assemblyDir);
  const stacks = readAssemblyStacks(assemblyDir);
  const baselines = readBaselineTemplates(baselineDir);
  const { acknowledgements, acknowledgementsFile } = resolveAcknowledgements(options, baselineDir);

  const detected: DetectedChange[] = [];
  const interruptions: UpdateInterruption[] = [];
  const additions: AddedResource[] = [];
  const compared: Omit<StackComparison, 'destructiveChanges'>[] = [];
  const exempt: ExemptStack[] = [];
  const newStacks: NewStack[] = [];
  const usedBaselines = new Set<string>();

  for (const stack of stacks) {
    const identity: GateStackIdentity = { stack: stack.stack, stackName: stack.stackName, displayName: stack.displayName };
    const baseline = baselines.get(stack.stack) ?? baselines.get(stack.stackName);
    if (baseline) {
      usedBaselines.add(baseline.key);
    }
    const exemption = ephemeralExemption(stack, declarations);
    const notes: string[] = [];
    if (exemption) {
      if (!baseline || declaredLifecycle(baseline.template, baseline.file) !== undefined) {
        exempt.push({ ...identity, templateFile: stack.templateFile, ...exemption });
        continue;
      }
      notes.push(
        `declared ephemeral (${exemption.reason}) but its baseline ${path.basename(baseline.file)} is not, so it is still checked; ` +
          'refresh the baseline after review to exempt it',
      );
    }
    if (!baseline) {
      newStacks.push({ ...identity, templateFile: stack.templateFile });
      additions.push(...resourcesOf(identity, stack.template));
      continue;
    }
    const result = diffStack(identity, baseline.template, stack.template, statefulTypes);
    detected.push(...result.changes);
    interruptions.push(...result.interruptions);
    additions.push(...result.additions);
    compared.push({
      ...identity,
      baselineFile: baseline.file,
      templateFile: stack.templateFile,
      removed: false,
      statefulResources: result.statefulResources,
      notes,
    });
  }

  for (const baseline of baselines.values()) {
    if (usedBaselines.has(baseline.key)) {
      continue;
    }
    const identity: GateStackIdentity = { stack: baseline.key, stackName: baseline.key, displayName: baseline.key };
    const reason = declaredLifecycle(baseline.template, baseline.file);
    if (reason !== undefined) {
      exempt.push({ ...identity, templateFile: baseline.file, reason, declaredBy: 'template-metadata' });
      continue;
    }
    const result = diffStack(identity, baseline.template, undefined, statefulTypes);
    detected.push(...result.changes);
    compared.push({
      ...identity,
      baselineFile: baseline.file,
      removed: true,
      statefulResources: result.statefulResources,
      notes: [removedStackNote(baseline)],
    });
  }

  const renames = matchRenames(detected, additions);
  const changes = detected.map((change) => describeChange(change, renames.get(change))).sort(byStackThenLogicalId);
  const { findings, acknowledged, problems } = applyAcknowledgements(changes, acknowledgements, options.now ?? new Date());

  const stacksCompared: StackComparison[] = compared
    .map((stack) => ({ ...stack, destructiveChanges: changes.filter((change) => change.stack === stack.stack).length }))
    .sort(byDisplayName);
  return {
    assemblyDir,
    baselineDir,
    acknowledgementsFile,
    passed: findings.length === 0 && problems.length === 0,
    stacksCompared,
    findings,
    acknowledged,
    interruptions: interruptions.sort(byStackThenLogicalId),
    acknowledgementProblems: problems,
    exempt: exempt.sort(byDisplayName),
    newStacks: newStacks.sort(byDisplayName),
  };
}

function resolveAcknowledgements(
  options: CompareAssembliesOptions,
  baselineDir: string,
): { acknowledgements: readonly GateAcknowledgement[]; acknowledgementsFile?: string } {
  if (options.acknowledgements && options.acknowledgementsFile) {
    throw new GateInputError('both acknowledgements and acknowledgementsFile are set; pass the entries or the file, not both');
  }
  if (options.acknowledgements) {
    return { acknowledgements: validateGateAcknowledgements(options.acknowledgements, 'acknowledgements') };
  }
  if (options.acknowledgementsFile) {
    const file = path.resolve(options.acknowledgementsFile);
    return { acknowledgements: loadGateAcknowledgements(file), acknowledgementsFile: file };
  }
  const defaultFile = path.join(baselineDir, ACKNOWLEDGEMENTS_FILE_NAME);
  if (existsSync(defaultFile)) {
    return { acknowledgements: loadGateAcknowledgements(defaultFile), acknowledgementsFile: defaultFile };
  }
  return { acknowledgements: [] };
}

/**
 * Pairs each removed stateful resource with an added resource of the same type, preferring the
 * same stack, the same parent construct and the most identical properties; each addition pairs
 * with one removal at most.
 */
function matchRenames(changes: readonly DetectedChange[], additions: readonly AddedResource[]): Map<DetectedChange, ProbableRename> {
  const candidates: { change: DetectedChange; addition: AddedResource; score: number }[] = [];
  for (const change of changes) {
    if (change.cause !== 'resource-removed' && change.cause !== 'stack-removed') {
      continue;
    }
    for (const addition of additions) {
      if (addition.resource.Type === change.resource.Type) {
        candidates.push({ change, addition, score: similarity(change, addition) });
      }
    }
  }
  candidates.sort((a, b) => b.score - a.score);
  const renames = new Map<DetectedChange, ProbableRename>();
  const pairedAdditions = new Set<AddedResource>();
  for (const { change, addition } of candidates) {
    if (renames.has(change) || pairedAdditions.has(addition)) {
      continue;
    }
    renames.set(change, {
      logicalId: addition.logicalId,
      stack: addition.stack.stack,
      constructPath: constructPathOf(addition.resource),
    });
    pairedAdditions.add(addition);
  }
  return renames;
}

function similarity(change: DetectedChange, addition: AddedResource): number {
  const sameStack = change.stack.stack === addition.stack.stack ? 1000 : 0;
  const parent = constructParentOf(change.resource);
  const sameParent = parent !== undefined && parent === constructParentOf(addition.resource) ? 100 : 0;
  const oldProperties = change.resource.Properties ?? {};
  const newProperties = addition.resource.Properties ?? {};
  const keys = new Set([...Object.keys(oldProperties), ...Object.keys(newProperties)]);
  let identical = 0;
  for (const key of keys) {
    if (deepEqual(oldProperties[key], newProperties[key])) {
      identical += 1;
    }
  }
  return sameStack + sameParent + identical;
}

function describeChange(change: DetectedChange, rename: ProbableRename | undefined): StatefulChange {
  const { resource } = change;
  return {
    ...change.stack,
    logicalId: change.logicalId,
    resourceType: resource.Type,
    change: change.change,
    cause: change.cause,
    replacementProperties: change.replacementProperties,
    probableRename: rename,
    constructPath: constructPathOf(resource),
    deletionPolicy: resource.DeletionPolicy,
    updateReplacePolicy: resource.UpdateReplacePolicy,
    dataAtRisk: change.statefulType.dataAtRisk,
    summary: summarize(change, rename),
    acknowledgeWith: { stack: change.stack.stack, logicalId: change.logicalId, change: change.change },
  };
}

function summarize(change: DetectedChange, rename: ProbableRename | undefined): string {
  const { resource } = change;
  switch (change.cause) {
    case 'property-change':
    case 'type-change': {
      const names = change.replacementProperties.map((property) => property.name);
      const certain = change.replacementProperties.some((property) => property.certainty === 'will') || names.length === 0;
      const because = names.length === 0 ? '' : ` because ${names.join(', ')} ${names.length === 1 ? 'changes' : 'change'}`;
      return `${certain ? 'will' : 'may'} be replaced${because}: CloudFormation creates a new, empty resource and ${oldResourceFate(resource.UpdateReplacePolicy, 'UpdateReplacePolicy')}`;
    }
    case 'resource-removed': {
      if (rename) {
        const where = rename.stack === change.stack.stack ? '' : ` in stack ${rename.stack}`;
        return (
          `logical id changed (probably renamed to ${rename.logicalId}${where}): CloudFormation creates a new, empty resource ` +
          `and ${oldResourceFate(resource.DeletionPolicy, 'DeletionPolicy')}`
        );
      }
      return `removed from the template: CloudFormation ${removedResourceFate(resource.DeletionPolicy)}`;
    }
    case 'stack-removed': {
      const moved = rename ? ` (a resource of the same type, ${rename.logicalId}, appears in stack ${rename.stack})` : '';
      return `its stack is no longer in the app${moved}: when the stack is deleted, CloudFormation ${removedResourceFate(resource.DeletionPolicy)}`;
    }
    case 'value-regenerated':
    case 'value-overwritten': {
      const names = change.replacementProperties.map((property) => property.name);
      const what = change.cause === 'value-regenerated' ? 'generates a new value and stores it' : "writes the template's value";
      return (
        `its stored value will be ${change.cause === 'value-regenerated' ? 'regenerated' : 'overwritten'} because ${names.join(', ')} ${names.length === 1 ? 'changes' : 'change'}: ` +
        `CloudFormation ${what} over the current one, so a value set by hand (a Rails master key, an API key) is lost to every ` +
        'reader of AWSCURRENT; the previous value stays readable as version stage AWSPREVIOUS only until the next change'
      );
    }
  }
}

function oldResourceFate(policy: string | undefined, attribute: string): string {
  if (policy === 'Retain' || policy === 'RetainExceptOnCreate') {
    return `keeps the old one outside the stack (${attribute} ${policy}), where the app no longer uses it`;
  }
  if (policy === 'Snapshot') {
    return `deletes the old one after a final snapshot (${attribute} Snapshot)`;
  }
  return `deletes the old one (${attribute} ${policy ?? 'Delete'})`;
}

function removedResourceFate(policy: string | undefined): string {
  if (policy === 'Retain' || policy === 'RetainExceptOnCreate') {
    return `leaves it in the account, unmanaged, and the app stops using it (DeletionPolicy ${policy})`;
  }
  if (policy === 'Snapshot') {
    return 'deletes it after a final snapshot (DeletionPolicy Snapshot)';
  }
  return `deletes it (DeletionPolicy ${policy ?? 'Delete'})`;
}

function removedStackNote(baseline: BaselineTemplate): string {
  return (
    `in the baseline (${path.basename(baseline.file)}) but not in the app; cdk deploy leaves the deployed stack in place, ` +
    'but deleting it loses its stateful resources'
  );
}

function applyAcknowledgements(
  changes: readonly StatefulChange[],
  acknowledgements: readonly GateAcknowledgement[],
  now: Date,
): { findings: StatefulChange[]; acknowledged: AcknowledgedChange[]; problems: AcknowledgementProblem[] } {
  const findings: StatefulChange[] = [];
  const acknowledged: AcknowledgedChange[] = [];
  const problems: AcknowledgementProblem[] = [];
  const used = new Set<number>();
  const live = acknowledgements.map((acknowledgement) => !isAcknowledgementExpired(acknowledgement, now));

  for (const change of changes) {
    const index = acknowledgements.findIndex(
      (acknowledgement, position) => live[position] && acknowledges(acknowledgement, change),
    );
    if (index === -1) {
      findings.push(change);
    } else {
      used.add(index);
      acknowledged.push({ ...change, acknowledgement: acknowledgements[index] });
    }
  }

  acknowledgements.forEach((acknowledgement, index) => {
    const label = `acknowledgement ${index} (stack ${acknowledgement.stack}, logicalId ${acknowledgement.logicalId}, change ${acknowledgement.change})`;
    if (!live[index]) {
      problems.push({
        acknowledgement,
        index,
        problem: 'expired',
        message: `${label} expired on ${acknowledgement.expires}; review the change again and extend expires, or remove the entry`,
      });
    } else if (!used.has(index)) {
      const other = changes.find(
        (change) => isStackNamed(change, acknowledgement.stack) && change.logicalId === acknowledgement.logicalId,
      );
      const hint = other
        ? `the pending change to that resource is ${other.change}, not ${acknowledgement.change}; correct the change or remove the entry`
        : 'remove the entry (the change it allowed is deployed and in the baseline, or no longer planned)';
      problems.push({ acknowledgement, index, problem: 'stale', message: `${label} matches no destructive change; ${hint}` });
    }
  });
  return { findings, acknowledged, problems };
}

function acknowledges(acknowledgement: GateAcknowledgement, change: StatefulChange): boolean {
  return (
    acknowledgement.change === change.change &&
    acknowledgement.logicalId === change.logicalId &&
    isStackNamed(change, acknowledgement.stack)
  );
}

function byDisplayName(a: GateStackIdentity, b: GateStackIdentity): number {
  return a.displayName.localeCompare(b.displayName);
}

function byStackThenLogicalId(a: GateStackIdentity & { logicalId: string }, b: GateStackIdentity & { logicalId: string }): number {
  return a.displayName.localeCompare(b.displayName) || a.logicalId.localeCompare(b.logicalId);
}

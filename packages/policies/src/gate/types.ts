/**
 * What a deploy would do to a stateful resource that loses its data:
 * - `replace`: CloudFormation creates a new, empty resource and deletes (or, with an
 *   `UpdateReplacePolicy` of Retain, detaches) the old one;
 * - `destroy`: the resource is deleted (after a final snapshot when its `DeletionPolicy` is
 *   Snapshot);
 * - `orphan`: the resource leaves the stack but keeps existing (`DeletionPolicy` Retain), so
 *   the app stops using its data and nothing manages it any more;
 * - `regenerate`: the resource stays, but CloudFormation writes a new stored value over the
 *   current one (a secret's generated or template value), so a value set by hand is lost.
 */
export type DestructiveChangeKind = (typeof DESTRUCTIVE_CHANGE_KINDS)[number];

/** Every {@link DestructiveChangeKind}, in the order the gate's messages list them. */
export const DESTRUCTIVE_CHANGE_KINDS = ['replace', 'destroy', 'orphan', 'regenerate'] as const;

/** Why a stateful resource is affected. */
export type DestructiveChangeCause =
  /** A property whose change forces a replacement changed. */
  | 'property-change'
  /** The resource type under the same logical id changed. */
  | 'type-change'
  /** The resource is no longer in the stack's template (a removed construct or a renamed construct id). */
  | 'resource-removed'
  /** The whole stack is no longer in the app. */
  | 'stack-removed'
  /** A property whose change generates a new stored value changed, e.g. a secret's `GenerateSecretString`. */
  | 'value-regenerated'
  /** A property holding the stored value itself changed, e.g. a secret's `SecretString`. */
  | 'value-overwritten';

/** How the gate identifies a stack; every stack-level record carries these. */
export interface GateStackIdentity {
  /** Artifact id in the cloud assembly; the baseline file is `<stack>.template.json`. */
  readonly stack: string;
  /** Deployed CloudFormation stack name. */
  readonly stackName: string;
  /** Construct path of the stack, e.g. `core-dev/data` for a stack inside a Stage. */
  readonly displayName: string;
}

/**
 * A property change that forces (or may force) the replacement of a resource, or that rewrites
 * its stored value (for a `regenerate`).
 */
export interface ReplacementProperty {
  /** Top-level property name, or `Type` when the resource type itself changed. */
  readonly name: string;
  /**
   * `will` when CloudFormation always replaces (or rewrites) on this change, `may` when the
   * resource specification says it depends and no documented exception decides it.
   */
  readonly certainty: 'will' | 'may';
  /** The baseline value, as JSON, shortened for display. */
  readonly oldValue?: string;
  /** The synthesized value, as JSON, shortened for display. */
  readonly newValue?: string;
  /** Why, when a documented condition decided the certainty, e.g. a missing `UpdatePolicy`. */
  readonly reason?: string;
}

/** A property change that CloudFormation applies in place, but with a brief outage. */
export interface InterruptingProperty {
  /** Top-level property name. */
  readonly name: string;
  /** The baseline value, as JSON, shortened for display. */
  readonly oldValue?: string;
  /** The synthesized value, as JSON, shortened for display. */
  readonly newValue?: string;
  /** What the update does to the running resource, from the documentation. */
  readonly explanation: string;
  /** The documentation page the judgement follows. */
  readonly documentation: string;
}

/**
 * A stateful resource updated in place with "Some interruptions": not destructive, so it does
 * not block, but reported so the deploy can be timed (a reboot, an I/O pause).
 */
export interface UpdateInterruption extends GateStackIdentity {
  /** Logical id of the resource. */
  readonly logicalId: string;
  /** CloudFormation type of the resource. */
  readonly resourceType: string;
  /** Construct path from the template's `aws:cdk:path` metadata, when present. */
  readonly constructPath?: string;
  /** The changed properties that interrupt the resource, sorted by name. */
  readonly properties: readonly InterruptingProperty[];
}

/** Where a removed resource probably went: a resource of the same type added at the same time. */
export interface ProbableRename {
  /** Logical id of the added resource. */
  readonly logicalId: string;
  /** Artifact id of the stack holding the added resource (the same stack for a plain rename). */
  readonly stack: string;
  /** Construct path of the added resource, when the template records it. */
  readonly constructPath?: string;
}

/** The acknowledgement entry that would let a destructive change through. */
export interface AcknowledgementKey {
  /** Artifact id of the stack. */
  readonly stack: string;
  /** Logical id of the resource, as in the baseline template. */
  readonly logicalId: string;
  /** The change being acknowledged. */
  readonly change: DestructiveChangeKind;
}

/** One replacement, deletion, orphaning or value regeneration of a stateful resource. */
export interface StatefulChange extends GateStackIdentity {
  /** Logical id of the resource in the baseline template. */
  readonly logicalId: string;
  /** CloudFormation type of the resource in the baseline template. */
  readonly resourceType: string;
  /** What the deploy would do to it. */
  readonly change: DestructiveChangeKind;
  /** Why. */
  readonly cause: DestructiveChangeCause;
  /**
   * The properties that force the replacement, or that rewrite the stored value for a
   * `regenerate`; empty for `destroy` and `orphan`.
   */
  readonly replacementProperties: readonly ReplacementProperty[];
  /** Where the resource probably went, when it was removed while one of the same type was added. */
  readonly probableRename?: ProbableRename;
  /** Construct path from the template's `aws:cdk:path` metadata, when present. */
  readonly constructPath?: string;
  /** The resource's `DeletionPolicy` in the baseline template (CloudFormation's default is Delete). */
  readonly deletionPolicy?: string;
  /** The resource's `UpdateReplacePolicy` in the baseline template (CloudFormation's default is Delete). */
  readonly updateReplacePolicy?: string;
  /** What is lost, from the declared list of stateful types. */
  readonly dataAtRisk: string;
  /** One line describing the change for people. */
  readonly summary: string;
  /** The acknowledgement entry that would let this change through. */
  readonly acknowledgeWith: AcknowledgementKey;
}

/** An acknowledged change to a stateful resource, allowed with a recorded reason. */
export interface GateAcknowledgement {
  /** Artifact id (or stack name, or construct path) of the stack. */
  readonly stack: string;
  /** Logical id of the resource, as in the baseline template. */
  readonly logicalId: string;
  /** The change that is allowed. */
  readonly change: DestructiveChangeKind;
  /** Why losing this resource's data (or stored value) is acceptable (at least 20 characters). */
  readonly reason: string;
  /** Last day (`YYYY-MM-DD`, UTC) the acknowledgement is valid; it fails the gate after that. */
  readonly expires?: string;
}

/** A destructive change that an acknowledgement lets through. */
export interface AcknowledgedChange extends StatefulChange {
  /** The acknowledgement that matched. */
  readonly acknowledgement: GateAcknowledgement;
}

/** An acknowledgement that fails the gate. */
export interface AcknowledgementProblem {
  /** The acknowledgement. */
  readonly acknowledgement: GateAcknowledgement;
  /** Position of the entry in the acknowledgement list, from 0. */
  readonly index: number;
  /** `stale`: it matches no pending change; `expired`: its `expires` date has passed. */
  readonly problem: 'stale' | 'expired';
  /** One line saying what is wrong and what to do. */
  readonly message: string;
}

/** A stack compared with its baseline template (or one that disappeared from the app). */
export interface StackComparison extends GateStackIdentity {
  /** Path of the baseline template. */
  readonly baselineFile: string;
  /** Path of the synthesized template; absent when the stack is no longer in the app. */
  readonly templateFile?: string;
  /** Whether the stack is in the baseline but no longer in the app. */
  readonly removed: boolean;
  /** Number of stateful resources in the baseline template. */
  readonly statefulResources: number;
  /** Number of destructive changes found, acknowledged or not. */
  readonly destructiveChanges: number;
  /** Remarks a reviewer should see, e.g. a refused ephemeral exemption. */
  readonly notes: readonly string[];
}

/** Where an ephemeral stack's exemption comes from. */
export type ExemptionSource =
  /** `Metadata.CoreInfra.Lifecycle: ephemeral` in the stack's template. */
  | 'template-metadata'
  /** An {@link EphemeralStackDeclaration} passed to the gate. */
  | 'declaration';

/** A stack the gate does not check because it is declared ephemeral. */
export interface ExemptStack extends GateStackIdentity {
  /** Path of the synthesized template. */
  readonly templateFile: string;
  /** Why the stack holds no data worth keeping, as declared. */
  readonly reason: string;
  /** Where the declaration comes from. */
  readonly declaredBy: ExemptionSource;
}

/** A stack that has no baseline yet; it passes, and the next baseline refresh records it. */
export interface NewStack extends GateStackIdentity {
  /** Path of the synthesized template. */
  readonly templateFile: string;
}

/**
 * A stack declared ephemeral by the caller rather than by its template's metadata, e.g. every
 * review-app stack of an app.
 */
export interface EphemeralStackDeclaration {
  /** Artifact id, stack name or construct path of the stack; `*` matches any run of characters. */
  readonly stack: string;
  /** Why the stack holds no data worth keeping. */
  readonly reason: string;
}

/** The outcome of comparing a cloud assembly with its baseline templates. */
export interface GateReport {
  /** Absolute path of the cloud assembly checked. */
  readonly assemblyDir: string;
  /** Absolute path of the baseline folder. */
  readonly baselineDir: string;
  /** Absolute path of the acknowledgement file read, if any. */
  readonly acknowledgementsFile?: string;
  /** Whether the gate passes: no unacknowledged destructive change and no acknowledgement problem. */
  readonly passed: boolean;
  /** Every stack compared with a baseline template, including stacks removed from the app. */
  readonly stacksCompared: readonly StackComparison[];
  /** Destructive changes that block the deploy. */
  readonly findings: readonly StatefulChange[];
  /** Destructive changes allowed by an acknowledgement. */
  readonly acknowledged: readonly AcknowledgedChange[];
  /** In-place updates of stateful resources with a brief outage; they never block. */
  readonly interruptions: readonly UpdateInterruption[];
  /** Stale or expired acknowledgements; each one fails the gate. */
  readonly acknowledgementProblems: readonly AcknowledgementProblem[];
  /** Stacks not checked because they are declared ephemeral. */
  readonly exempt: readonly ExemptStack[];
  /** Stacks without a baseline template. */
  readonly newStacks: readonly NewStack[];
}

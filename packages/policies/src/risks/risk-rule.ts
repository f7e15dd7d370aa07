import type { PolicyProfile, RuleMetadata } from '../catalogue/types';

/** What a risk rule knows about the run besides the resource. */
export interface RiskContext {
  /** The profile being checked; some rules are stricter in `production`. */
  readonly profile: PolicyProfile;
  /**
   * Accounts a principal may come from besides the template's own (`AWS::AccountId`): the
   * accounts the environment config declares.
   */
  readonly trustedAccounts: ReadonlySet<string>;
}

/** One CloudFormation resource as a risk rule sees it. */
export interface RiskResource {
  /** Logical id in its template. */
  readonly logicalId: string;
  /** CloudFormation type, e.g. `AWS::S3::BucketPolicy`. */
  readonly type: string;
  /** The resource's `Properties` (an empty object when absent). */
  readonly properties: Readonly<Record<string, unknown>>;
  /** The whole resource entry (for `DeletionPolicy`, `UpdatePolicy`, …). */
  readonly entry: Readonly<Record<string, unknown>>;
}

/** One way a resource violates a risk rule. */
export interface RiskViolation {
  /** What is wrong, naming the value at fault. */
  readonly message: string;
  /** Where in the resource, e.g. `Properties.PolicyDocument.Statement[2].Principal`. */
  readonly location: string;
}

/**
 * A policy rule written per risk rather than per resource: a pure function from one resource to
 * its violations, run in-process by the engine beside the guard rules. Used where Guard cannot
 * express the check (policy documents built with `Fn::Join`, account ids inside ARNs, patterns in
 * values) or where one risk spans many resource types.
 */
export interface RiskRule extends RuleMetadata {
  /**
   * The violations of one resource; called only for resources of `resourceTypes` (every
   * resource when the list is empty).
   */
  readonly check: (resource: RiskResource, context: RiskContext) => readonly RiskViolation[];
}

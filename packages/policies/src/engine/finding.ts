import type { RuleSeverity } from '../catalogue/types';

/** Where a rule came from. */
export type FindingSource = 'core' | 'control-tower' | 'engine';

/** One rule violated by one resource (or by a whole template when no resource applies). */
export interface Finding {
  /** Rule identifier, e.g. `CORE.S3.1` or `CT.S3.PR.1`. */
  readonly ruleId: string;
  /** Name of the guard rule block (or engine check) that failed. */
  readonly ruleName: string;
  /** Severity from the rule's metadata. */
  readonly severity: RuleSeverity;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it, when the rule says. */
  readonly fix?: string;
  /** Path of the template that holds the resource. */
  readonly templatePath: string;
  /** Logical id of the violating resource; absent for template-level findings. */
  readonly logicalId?: string;
  /** CloudFormation type of the violating resource, when known. */
  readonly resourceType?: string;
  /** Property paths inside the resource that caused the violation, e.g. `Properties.VersioningConfiguration`. */
  readonly locations: readonly string[];
  /** Which rule set produced the finding. */
  readonly source: FindingSource;
}

/** A finding acknowledged in its template, with the reason. */
export interface AcknowledgedFinding extends Finding {
  /** Why the finding is acceptable. */
  readonly reason: string;
  /** Construct path (or logical id) of the resource that carries the acknowledgement. */
  readonly acknowledgedAt?: string;
}

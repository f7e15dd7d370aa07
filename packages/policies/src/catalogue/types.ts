/** How severe a rule violation is, from the platform team's point of view. */
export type RuleSeverity = 'critical' | 'high' | 'medium' | 'low';

/**
 * Which set of rules applies. `baseline` rules apply to every environment; the `production`
 * profile runs the baseline rules plus the rules marked `production`.
 */
export type PolicyProfile = 'baseline' | 'production';

/**
 * What every rule tells a reader, whoever wrote it: a CORE guard rule, an engine check or a
 * bundled Control Tower control. The catalogue, the Control Tower table and the reports extend it.
 */
export interface RuleDescription {
  /** Stable identifier shown in every finding, e.g. `CORE.S3.1` or `CT.S3.PR.1`. */
  readonly id: string;
  /** One-line title. */
  readonly title: string;
  /** How severe a violation is. */
  readonly severity: RuleSeverity;
  /** What the rule checks and why it matters. */
  readonly description: string;
  /** How to fix a violation. */
  readonly remediation: string;
  /** CloudFormation resource types the rule evaluates (empty: a template-level or whole-app check). */
  readonly resourceTypes: readonly string[];
  /** NIST SP 800-53 Rev. 5 control identifiers the rule supports, e.g. `SC-8`. */
  readonly nistControls: readonly string[];
}

/**
 * Metadata of one guard rule. The catalogue holds one entry per `.guard` file under
 * `packages/policies/rules/`; a test checks that the two stay in step.
 */
export interface RuleMetadata extends RuleDescription {
  /** Name of the guard rule block inside the file (UPPER_SNAKE), used by `SuppressedRules`. */
  readonly ruleName: string;
  /** Rule file path relative to the `rules/` folder, e.g. `s3/s3_bucket_public_access_blocked.guard`. */
  readonly file: string;
  /** `baseline` for every environment; `production` for rules only the production profile runs. */
  readonly profile: PolicyProfile;
}

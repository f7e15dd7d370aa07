import * as path from 'node:path';
import type { PolicyProfile, RuleMetadata } from './types';

export * from './types';

/** Every CORE guard rule's metadata. */
export const RULE_CATALOGUE: readonly RuleMetadata[] = [];

/** A recorded decision on one bundled Control Tower rule. */
export interface ControlTowerDecision {
  /** Control id, e.g. `CT.S3.PR.1`. */
  readonly id: string;
  /** Rule file relative to the bundled cfn-guard folder. */
  readonly file: string;
  /** Whether the rule runs. */
  readonly enabled: boolean;
  /** Why. */
  readonly reason: string;
}

/** Decisions on the bundled Control Tower rules. */
export const CONTROL_TOWER_DECISIONS: readonly ControlTowerDecision[] = [];

/** Absolute paths of the CORE rule files a profile runs. */
export function ruleFilesForProfile(profile: PolicyProfile): string[] {
  const rulesDir = path.join(__dirname, '..', '..', 'rules');
  return RULE_CATALOGUE.filter((rule) => profile === 'production' || rule.profile === 'baseline').map((rule) => path.join(rulesDir, rule.file));
}

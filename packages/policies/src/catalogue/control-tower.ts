import * as path from 'node:path';
import { z } from 'zod';
import decisionsFile from './control-tower-decisions.json';

/**
 * What CORE does with one AWS Control Tower proactive-control rule bundled in
 * `@cdklabs/cdk-validator-cfnguard`.
 */
export interface ControlTowerDecision {
  /** Control Tower control identifier, e.g. `CT.S3.PR.1`. */
  readonly id: string;
  /** Rule file relative to the package's `rules/control-tower/cfn-guard/` folder, e.g. `s3/ct-s3-pr-1.guard`. */
  readonly file: string;
  /** Whether CORE runs the rule in validation. */
  readonly enabled: boolean;
  /** Why the rule is enabled or disabled, specific to CORE. */
  readonly reason: string;
}

const decisionSchema = z.strictObject({
  id: z.string().regex(/^CT\.[A-Z0-9]+\.PR\.[1-9]\d*$/, 'expected a Control Tower control id such as CT.S3.PR.1'),
  file: z.string().regex(/^[a-z0-9]+\/ct-[a-z0-9-]+\.guard$/, 'expected a bundled rule file such as s3/ct-s3-pr-1.guard'),
  enabled: z.boolean(),
  reason: z.string().refine((reason) => reason.trim().length >= 10, 'expected a reason of at least 10 characters'),
});

/** The data file that holds the decisions, beside this module in `src/` and in `dist/`. */
const CONTROL_TOWER_DECISIONS_FILE = 'control-tower-decisions.json';

/**
 * Checks the Control Tower decisions read from their data file.
 *
 * @param data the parsed JSON: a list of `{ id, file, enabled, reason }` objects
 * @param source name of the file, for the error message
 * @returns the decisions, in file order
 * @throws Error naming the file, the entry (its position and id) and the field of the first problems
 */
export function parseControlTowerDecisions(data: unknown, source: string = CONTROL_TOWER_DECISIONS_FILE): readonly ControlTowerDecision[] {
  const parsed = z.array(decisionSchema).safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const [index, ...field] = issue.path;
    if (typeof index !== 'number') return issue.message;
    const id = (data as { id?: unknown }[])[index]?.id;
    const entry = `entry ${index + 1}${typeof id === 'string' ? ` (${id})` : ''}`;
    return field.length > 0 ? `${entry}, field ${field.join('.')}: ${issue.message}` : `${entry}: ${issue.message}`;
  });
  throw new Error(`${source} is not a valid list of Control Tower decisions: ${problems.join('; ')}`);
}

/**
 * The enable/disable decision for every bundled Control Tower rule whose evaluated resource types intersect
 * {@link CORE_EMITTED_RESOURCE_TYPES}. A rule is enabled only when CORE's secure defaults satisfy it and it adds
 * coverage that CORE's own rules (which honour `Metadata.guard.SuppressedRules`) do not already give. Written in
 * `control-tower-decisions.json` and checked when this module loads.
 */
export const CONTROL_TOWER_DECISIONS: readonly ControlTowerDecision[] = parseControlTowerDecisions(decisionsFile);

/**
 * Folder holding the bundled Control Tower guard rules, resolved through the installed
 * `@cdklabs/cdk-validator-cfnguard` package.
 *
 * @returns absolute path of the package's `rules/control-tower/cfn-guard` folder
 */
export function controlTowerRulesDirectory(): string {
  const packageJson = require.resolve('@cdklabs/cdk-validator-cfnguard/package.json');
  return path.join(path.dirname(packageJson), 'rules', 'control-tower', 'cfn-guard');
}

/**
 * Absolute paths of the bundled Control Tower rule files CORE enables, in decision order.
 *
 * @returns one path per enabled entry of {@link CONTROL_TOWER_DECISIONS}
 */
export function enabledControlTowerRuleFiles(): string[] {
  const directory = controlTowerRulesDirectory();
  return CONTROL_TOWER_DECISIONS.filter((decision) => decision.enabled).map((decision) =>
    path.join(directory, decision.file),
  );
}

import { type PolicyProfile, type RuleMetadata } from './types';

/**
 * A guard rule's catalogue entry as written in `catalogue/<service>.ts`: what only a person can
 * say about the rule. Its file follows from its rule name, and its profile is `baseline` unless
 * the entry says `production`.
 */
export type GuardRuleEntry = Omit<RuleMetadata, 'file' | 'profile'> & {
  /**
   * `production` for a rule only the production profile runs.
   *
   * @default - 'baseline': every environment runs the rule
   */
  readonly profile?: PolicyProfile;
};

/**
 * The catalogue entries of one rules folder, each completed with its file
 * (`<folder>/<rule name lower-cased>.guard`, the file name the rule-file tests require) and its
 * profile.
 *
 * @param folder rules folder of the service, relative to `rules/`, e.g. `s3`
 * @param entries the service's rules, in catalogue order
 * @returns one {@link RuleMetadata} per entry, in the same order
 */
export function guardRules(folder: string, entries: readonly GuardRuleEntry[]): readonly RuleMetadata[] {
  return entries.map(({ id, ruleName, title, severity, description, remediation, resourceTypes, nistControls, profile = 'baseline' }) => ({
    id,
    ruleName,
    file: `${folder}/${ruleName.toLowerCase()}.guard`,
    title,
    severity,
    description,
    remediation,
    resourceTypes,
    nistControls,
    profile,
  }));
}

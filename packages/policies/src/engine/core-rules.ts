import { RULE_CATALOGUE } from '../catalogue';
import type { PolicyProfile, RuleMetadata } from '../catalogue/types';
import { RISK_RULES } from '../risks';
import { ENGINE_CHECKS } from './engine-checks';

/**
 * Every CORE rule's metadata: the guard rules, the risk rules and the engine checks, in that
 * order. Reports, the rule catalogue page and acknowledgements all read this one list.
 *
 * @param profile when given, only the rules that profile runs
 */
export function coreRuleMetadata(profile?: PolicyProfile): readonly RuleMetadata[] {
  const all = [...RULE_CATALOGUE, ...RISK_RULES, ...ENGINE_CHECKS];
  return profile ? all.filter((rule) => rule.profile === 'baseline' || profile === 'production') : all;
}

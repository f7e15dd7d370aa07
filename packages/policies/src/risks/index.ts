import type { PolicyProfile } from '../catalogue/types';
import type { RiskRule } from './risk-rule';
import { CONTAINER_RISK_RULES } from './rules/containers';
import { DURABILITY_RISK_RULES } from './rules/durability';
import { IAM_RISK_RULES } from './rules/iam';
import { INVENTORY_RISK_RULES } from './rules/inventory';
import { NETWORK_RISK_RULES } from './rules/network';
import { RESOURCE_POLICY_RISK_RULES } from './rules/resource-policy';
import { SECRET_RISK_RULES } from './rules/secrets';

export * from './actions';
export * from './aws-service-accounts';
export * from './evaluate-risks';
export * from './policy-documents';
export * from './principals';
export * from './risk-rule';
export * from './values';
export * from './rules/containers';
export * from './rules/durability';
export * from './rules/iam';
export * from './rules/inventory';
export * from './rules/network';
export * from './rules/resource-policy';
export * from './rules/secrets';

/**
 * Every risk rule, by family: resource-based policies, IAM escalation, plaintext secrets,
 * containers, network, data durability and unreviewed resource types.
 */
export const RISK_RULES: readonly RiskRule[] = [
  ...RESOURCE_POLICY_RISK_RULES,
  ...IAM_RISK_RULES,
  ...SECRET_RISK_RULES,
  ...CONTAINER_RISK_RULES,
  ...NETWORK_RISK_RULES,
  ...DURABILITY_RISK_RULES,
  ...INVENTORY_RISK_RULES,
];

/** The risk rules a profile runs: baseline rules always, production rules in the production profile. */
export function riskRulesForProfile(profile: PolicyProfile): readonly RiskRule[] {
  return RISK_RULES.filter((rule) => rule.profile === 'baseline' || profile === 'production');
}

import type { Finding } from '../engine/finding';
import type { RiskContext, RiskRule } from './risk-rule';
import { isObject } from './values';

/**
 * Runs the risk rules over every resource of one template, in-process. Each rule sees only the
 * resource types it lists (every resource when it lists none).
 *
 * @param template the parsed template
 * @param templatePath the template as findings show it
 * @param rules the risk rules of the profile
 * @param context the profile and the trusted accounts
 * @returns one finding per violation, attributed to the resource that must change
 */
export function evaluateRiskRules(template: unknown, templatePath: string, rules: readonly RiskRule[], context: RiskContext): Finding[] {
  const resources = isObject(template) && isObject(template.Resources) ? template.Resources : {};
  const byType = new Map<string, RiskRule[]>();
  const everyType: RiskRule[] = [];
  for (const rule of rules) {
    if (rule.resourceTypes.length === 0) everyType.push(rule);
    for (const type of rule.resourceTypes) byType.set(type, [...(byType.get(type) ?? []), rule]);
  }
  const findings: Finding[] = [];
  for (const [logicalId, entry] of Object.entries(resources)) {
    if (!isObject(entry)) continue;
    const type = typeof entry.Type === 'string' ? entry.Type : '';
    const resource = { logicalId, type, properties: isObject(entry.Properties) ? entry.Properties : {}, entry };
    for (const rule of [...(byType.get(type) ?? []), ...everyType]) {
      for (const violation of rule.check(resource, context)) {
        findings.push({
          ruleId: rule.id,
          ruleName: rule.ruleName,
          severity: rule.severity,
          message: violation.message,
          fix: rule.remediation,
          templatePath,
          logicalId,
          resourceType: type,
          locations: [violation.location],
          source: 'core',
        });
      }
    }
  }
  return findings;
}

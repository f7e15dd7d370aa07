import type * as sarif from 'sarif';
import type { RuleSeverity } from '../catalogue/types';
import type { Finding } from '../engine/finding';
import type { PolicyReport } from './policy-report';

const SECURITY_SEVERITY: Record<RuleSeverity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };
const LEVEL: Record<RuleSeverity, sarif.ReportingConfiguration.level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };

/**
 * Renders a report as SARIF 2.1.0 for GitHub code scanning: one rule per evaluated policy
 * rule, one result per finding located by template path, line and logical id. Acknowledged
 * findings are included as results with an external suppression carrying the reason.
 */
export function formatSarif(report: PolicyReport): sarif.Log {
  const ruleIndex = new Map(report.rules.map((rule, index) => [rule.id, index]));
  const lines = new Map(report.templates.map((t) => [t.path, t.lines]));
  const result = (finding: Finding, suppression?: sarif.Suppression): sarif.Result => {
    const line = finding.logicalId ? lines.get(finding.templatePath)?.[finding.logicalId] : undefined;
    const location: sarif.Location = {
      physicalLocation: {
        artifactLocation: { uri: toUri(finding.templatePath) },
        region: { startLine: line ?? 1 },
      },
      ...(finding.logicalId
        ? { logicalLocations: [{ name: finding.logicalId, kind: 'resource', fullyQualifiedName: `${finding.templatePath}#${finding.logicalId}` }] }
        : {}),
    };
    return {
      ruleId: finding.ruleId,
      ...(ruleIndex.has(finding.ruleId) ? { ruleIndex: ruleIndex.get(finding.ruleId) } : {}),
      level: LEVEL[finding.severity],
      message: { text: `${finding.message}${finding.logicalId ? ` (${finding.logicalId})` : ''}${finding.fix ? `. Fix: ${finding.fix}` : ''}` },
      locations: [location],
      partialFingerprints: { coreFinding: `${finding.ruleId}/${finding.templatePath}/${finding.logicalId ?? ''}` },
      ...(suppression ? { suppressions: [suppression] } : {}),
    };
  };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            informationUri: 'https://github.com/communitiesuk/core-infra',
            rules: report.rules.map((rule) => ({
              id: rule.id,
              name: rule.name,
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.description },
              help: { text: rule.remediation },
              defaultConfiguration: { level: LEVEL[rule.severity] },
              properties: { tags: ['security', ...rule.nistControls.map((c) => `NIST-800-53-${c}`)], 'security-severity': SECURITY_SEVERITY[rule.severity] },
            })),
          },
        },
        results: [
          ...report.findings.map((finding) => result(finding)),
          // In source: the acknowledgement is written in the resource's template metadata.
          ...report.acknowledged.map((ack) => result(ack, { kind: 'inSource', status: 'accepted', justification: ack.reason })),
        ],
        properties: { profile: report.profile, errors: [...report.errors], ...(report.tool.guard ? { cfnGuard: report.tool.guard } : {}) },
      },
    ],
  };
}

function toUri(filePath: string): string {
  return filePath.split('\\').join('/');
}

import type * as sarif from 'sarif';
import type { RuleSeverity } from '../catalogue/types';
import type { Finding } from '../engine/finding';
import type { PolicyReport } from './policy-report';
import type { SourceLocation } from './source-locations';

const SECURITY_SEVERITY: Record<RuleSeverity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };
// Every open finding fails synthesis (the plugin reports each with CDK severity `error`, so that
// acknowledging one cannot pass the others): code scanning shows them as errors too. The rule's
// own rank is in `security-severity`, which code scanning shows as critical/high/medium/low.
const LEVEL: sarif.ReportingConfiguration.level = 'error';

/**
 * Renders a report as SARIF 2.1.0 for GitHub code scanning: one rule per evaluated policy
 * rule, one result per finding. A result's primary location is the line in the repository that
 * declared the resource, when the assembly's creation stack traces name one, with the template
 * line as a related location; otherwise the template line alone. Acknowledged findings are
 * included as results with an in-source suppression carrying the reason.
 */
export function formatSarif(report: PolicyReport): sarif.Log {
  const ruleIndex = new Map(report.rules.map((rule, index) => [rule.id, index]));
  const templates = new Map(report.templates.map((t) => [t.path, t]));
  const result = (finding: Finding, suppression?: sarif.Suppression): sarif.Result => {
    const template = templates.get(finding.templatePath);
    const templateLocation = templateLocationOf(finding, template?.lines[finding.logicalId ?? '']);
    const source = finding.logicalId ? template?.sources?.[finding.logicalId] : undefined;
    return {
      ruleId: finding.ruleId,
      ...(ruleIndex.has(finding.ruleId) ? { ruleIndex: ruleIndex.get(finding.ruleId) } : {}),
      level: LEVEL,
      message: { text: `${finding.message}${finding.logicalId ? ` (${finding.logicalId})` : ''}${finding.fix ? `. Fix: ${finding.fix}` : ''}` },
      locations: [source ? sourceLocationOf(source, templateLocation) : templateLocation],
      ...(source ? { relatedLocations: [{ ...templateLocation, id: 1, message: { text: `resource ${finding.logicalId} in the synthesized template` } }] } : {}),
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
              defaultConfiguration: { level: LEVEL },
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

function templateLocationOf(finding: Finding, line: number | undefined): sarif.Location {
  return {
    physicalLocation: { artifactLocation: { uri: toUri(finding.templatePath) }, region: { startLine: line ?? 1 } },
    ...(finding.logicalId ? { logicalLocations: [{ name: finding.logicalId, kind: 'resource', fullyQualifiedName: `${finding.templatePath}#${finding.logicalId}` }] } : {}),
  };
}

// Relative to the repository root, which code scanning resolves `%SRCROOT%` to.
function sourceLocationOf(source: SourceLocation, templateLocation: sarif.Location): sarif.Location {
  return {
    physicalLocation: {
      artifactLocation: { uri: source.file, uriBaseId: '%SRCROOT%' },
      region: { startLine: source.line, ...(source.column ? { startColumn: source.column } : {}) },
    },
    ...(templateLocation.logicalLocations ? { logicalLocations: templateLocation.logicalLocations } : {}),
  };
}

function toUri(filePath: string): string {
  return filePath.split('\\').join('/');
}

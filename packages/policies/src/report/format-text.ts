import type { PolicyReport } from './policy-report';

/**
 * Renders a report for people: every finding with its resource, fix and how to acknowledge
 * it, then the acknowledged findings and a one-line result.
 */
export function formatText(report: PolicyReport): string {
  const resourceCount = report.templates.reduce((sum, t) => sum + t.resources.length, 0);
  const lines: string[] = [
    `${report.tool.name} ${report.tool.version} · profile ${report.profile} · ${report.templates.length} templates · ${resourceCount} resources · ${report.rules.length} rules evaluated` +
      (report.tool.guard ? ` · cfn-guard ${report.tool.guard.version}${report.tool.guard.source === 'override' ? ' (override)' : ''}` : '') +
      (report.templatesFromCache ? ` · ${report.templatesFromCache} of ${report.templates.length} templates' cfn-guard results from the cache` : ''),
  ];
  for (const error of report.errors) lines.push(`✖ ${error}`);
  const sources = new Map(report.templates.map((t) => [t.path, t.sources ?? {}]));
  const byRule = groupBy(report.findings, (f) => f.ruleId);
  for (const [ruleId, findings] of byRule) {
    const first = findings[0];
    lines.push('', `✖ ${ruleId} [${first.severity}] ${first.message}`);
    for (const finding of findings) {
      const where = finding.logicalId ? `${finding.logicalId} (${finding.resourceType ?? 'unknown type'})` : '(whole template)';
      const at = finding.locations.length > 0 ? ` at ${finding.locations.join(', ')}` : '';
      lines.push(`    ${finding.templatePath} › ${where}${at}`);
      const source = finding.logicalId ? sources.get(finding.templatePath)?.[finding.logicalId] : undefined;
      if (source) lines.push(`      declared at ${source.file}:${source.line}`);
      if (finding.message !== first.message) lines.push(`      ${finding.message}`);
    }
    if (first.fix) lines.push(`    fix: ${first.fix}`);
    if (first.source !== 'engine' && first.severity !== 'critical') {
      lines.push(`    acknowledge (on the resource, with a reason): acknowledgeFinding(resource, { id: '${ruleId}', reason: '…' })`);
    }
  }
  if (report.acknowledged.length > 0) {
    lines.push('', `Acknowledged (${report.acknowledged.length}):`);
    for (const ack of report.acknowledged) {
      lines.push(`  ${ack.ruleId} ${ack.templatePath} › ${ack.logicalId ?? '(whole template)'}${ack.acknowledgedAt && ack.acknowledgedAt !== ack.logicalId ? ` (${ack.acknowledgedAt})` : ''}: ${ack.reason}`);
    }
  }
  lines.push('', summaryLine(report));
  return lines.join('\n') + '\n';
}

/** One line saying whether the check passed, with counts by severity. */
export function summaryLine(report: PolicyReport): string {
  const failed = report.findings.length > 0 || report.errors.length > 0;
  const bySeverity = [...groupBy(report.findings, (f) => f.severity)].map(([severity, list]) => `${list.length} ${severity}`).join(', ');
  const templatesWithFindings = new Set(report.findings.map((f) => f.templatePath)).size;
  const parts = [
    failed ? 'FAILED' : 'PASSED',
    `${report.findings.length} findings${bySeverity ? ` (${bySeverity})` : ''} in ${templatesWithFindings} of ${report.templates.length} templates`,
    `${report.acknowledged.length} acknowledged`,
  ];
  if (report.errors.length > 0) parts.push(`${report.errors.length} errors`);
  return parts.join(' · ');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}


import type { PolicyReport } from './policy-report';

/**
 * Renders a report as JUnit XML: one test suite per template and one test case per rule ×
 * resource the rule evaluates (by resource type), failed when that resource violates the rule.
 * Template-level checks get one case per template; acknowledged findings are skipped cases
 * carrying the reason.
 */
export function formatJunit(report: PolicyReport): string {
  const suites: string[] = [];
  let totalTests = 0;
  let totalFailures = 0;
  for (const template of report.templates) {
    const cases: string[] = [];
    let failures = 0;
    let skipped = 0;
    const findingsHere = report.findings.filter((f) => f.templatePath === template.path);
    const acknowledgedHere = report.acknowledged.filter((f) => f.templatePath === template.path);
    for (const rule of report.rules) {
      const targets = rule.resourceTypes.length === 0 || rule.resourceTypes.includes('AWS::CloudFormation::Stack')
        ? [undefined]
        : template.resources.filter((r) => rule.resourceTypes.includes(r.type)).map((r) => r.logicalId);
      for (const logicalId of targets) {
        const name = `${rule.id} ${logicalId ?? '(template)'}`;
        const failed = findingsHere.filter((f) => f.ruleId === rule.id && (logicalId === undefined || f.logicalId === logicalId));
        const acked = acknowledgedHere.find((f) => f.ruleId === rule.id && f.logicalId === logicalId);
        let body = '';
        if (failed.length > 0) {
          failures++;
          body = `<failure message="${xml(failed[0].message)}" type="${xml(rule.severity)}">${xml(failed.map((f) => `${f.logicalId ?? '(template)'}: ${f.message}${f.fix ? `\nfix: ${f.fix}` : ''}`).join('\n'))}</failure>`;
        } else if (acked) {
          skipped++;
          body = `<skipped message="${xml(`acknowledged: ${acked.reason}`)}"/>`;
        }
        cases.push(`    <testcase classname="${xml(template.path)}" name="${xml(name)}">${body}</testcase>`);
      }
    }
    // A finding the rule list cannot place (e.g. from an extra rule file) still fails the suite.
    for (const orphan of findingsHere.filter((f) => !report.rules.some((r) => r.id === f.ruleId))) {
      failures++;
      cases.push(`    <testcase classname="${xml(template.path)}" name="${xml(`${orphan.ruleId} ${orphan.logicalId ?? '(template)'}`)}"><failure message="${xml(orphan.message)}"/></testcase>`);
    }
    totalTests += cases.length;
    totalFailures += failures;
    suites.push(`  <testsuite name="${xml(template.path)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`);
  }
  for (const error of report.errors) {
    totalTests++;
    totalFailures++;
    suites.push(`  <testsuite name="policy engine" tests="1" failures="1"><testcase classname="core-policies" name="engine"><failure message="${xml(error)}"/></testcase></testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(report.tool.name)} (${report.profile})" tests="${totalTests}" failures="${totalFailures}">\n${suites.join('\n')}\n</testsuites>\n`;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

import { codeBlock, details, escapeMarkdown, inlineCode, markdownTable, shorten } from './markdown';
import { FOLD_AFTER_ROWS } from './render-stacks';
import type { DeployedDiff, EnvironmentChangeSummary, GateChange, GateVerdict, PolicyVerdict } from './types';

const MAX_MESSAGE_LENGTH = 240;

/**
 * The gate's verdict in one line. The summary never fails the build itself, so a blocked gate
 * says which target does, and how to let the change through.
 *
 * @param gate the gate's verdict
 * @param baselineDir the baseline folder, where the acknowledgements live
 */
export function gateHeadline(gate: GateVerdict, baselineDir: string): string {
  const acknowledged = gate.acknowledged.length > 0 ? ` ${gate.acknowledged.length} destructive change(s) acknowledged.` : '';
  if (gate.passed) return `**Destructive-change gate: passes.**${acknowledged}`;
  const problems = gate.problems.length > 0 ? ` and ${gate.problems.length} acknowledgement problem(s)` : '';
  return (
    `**Destructive-change gate: BLOCKED** by ${gate.blocked.length} unacknowledged destructive change(s) to stateful resources${problems}.${acknowledged} ` +
    `This summary does not fail the build; the \`check-stateful\` target (\`core-policies diff\`) does, until each change is avoided or acknowledged with a reason in ${inlineCode(`${baselineDir}/acknowledgements.yaml`)}.`
  );
}

/**
 * The gate's section: blocked changes (with the acknowledgement entry that would let each
 * through), acknowledged ones with their reasons, acknowledgement problems, brief outages and
 * exempt stacks. Empty when there is nothing to list.
 *
 * @param gate the gate's verdict
 * @param withLists whether to list acknowledged changes and outages (blocked changes are always listed unless `withBlocked` is false)
 * @param withBlocked whether to list the blocked changes
 */
export function renderGateSection(gate: GateVerdict, withLists: boolean, withBlocked = true): string {
  const parts: string[] = [];
  if (gate.blocked.length > 0 && withBlocked) {
    parts.push(`**Blocked** (not acknowledged):\n\n${gate.blocked.map(blockedItem).join('\n')}`);
  }
  if (gate.problems.length > 0) parts.push(`**Acknowledgement problems** (each fails the gate):\n\n${gate.problems.map((problem) => `- ${escapeMarkdown(problem)}`).join('\n')}`);
  if (withLists && gate.acknowledged.length > 0) {
    const items = gate.acknowledged.map(
      (change) => `- ${changeLabel(change)}: acknowledged: ${escapeMarkdown(change.reason)}${change.expires === undefined ? '' : ` (until ${escapeMarkdown(change.expires)})`}`,
    );
    parts.push(`**Acknowledged** (allowed, with the reviewer's reason):\n\n${items.join('\n')}`);
  }
  if (withLists && gate.interruptions.length > 0) {
    const items = gate.interruptions.map((line) => `- ${escapeMarkdown(shorten(line, MAX_MESSAGE_LENGTH))}`).join('\n');
    parts.push(gate.interruptions.length > FOLD_AFTER_ROWS / 2 ? details(`${gate.interruptions.length} in-place update(s) with a brief outage (never blocking)`, items) : `In-place updates with a brief outage (never blocking):\n\n${items}`);
  }
  if (withLists && gate.exemptStacks.length > 0) {
    parts.push(`Not checked, declared ephemeral: ${gate.exemptStacks.map((stack) => `${inlineCode(stack.stack)} (${escapeMarkdown(shorten(stack.reason, MAX_MESSAGE_LENGTH))})`).join(', ')}.`);
  }
  return parts.length === 0 ? '' : ['### Destructive-change gate', ...parts].join('\n\n');
}

/**
 * The policy verdict in one line: new findings against the base branch's report and the total,
 * or every open finding when there is no base report.
 *
 * @param policy the policy verdict
 * @param environment the environment, for the command that writes the report
 */
export function policyHeadline(policy: PolicyVerdict, environment: string): string {
  if (policy.reportFile === undefined) {
    return `**Policy:** no policy report was found, so no verdict: run \`npx nx run ${environment}:validate\` (it writes \`reports/policy-report.json\`) before this summary.`;
  }
  const errors = policy.errors.length > 0 ? ` **The check itself reported ${policy.errors.length} error(s).**` : '';
  const acknowledged = policy.acknowledged > 0 ? `, ${policy.acknowledged} acknowledged` : '';
  if (policy.baseReportFile === undefined) {
    return `**Policy:** ${policy.total} open finding(s) in total${acknowledged}; no base-branch report was given (\`--base-policy-report\`), so every open finding is listed.${errors}`;
  }
  const fixed = policy.resolved > 0 ? `, ${policy.resolved} fixed` : '';
  const verdict = policy.listed.length > 0 ? `**Policy: ${policy.listed.length} new finding(s)**` : '**Policy:** no new findings';
  return `${verdict} compared with the base branch; ${policy.total} finding(s) in total${acknowledged}${fixed}.${errors}`;
}

/**
 * The policy section: the listed findings (new ones, or all without a base report) and the
 * check's own errors. Empty when there is nothing to list.
 *
 * @param policy the policy verdict
 * @param withList whether to list the findings
 */
export function renderPolicySection(policy: PolicyVerdict, withList: boolean): string {
  const parts: string[] = [];
  if (withList && policy.listed.length > 0) {
    const rows = policy.listed.map((finding) => [
      inlineCode(finding.ruleId),
      finding.severity,
      inlineCode(finding.template),
      finding.logicalId === undefined ? '(template)' : inlineCode(finding.logicalId),
      escapeMarkdown(shorten(finding.message, MAX_MESSAGE_LENGTH)),
    ]);
    const table = markdownTable(['Rule', 'Severity', 'Template', 'Resource', 'Finding'], rows);
    const what = policy.baseReportFile === undefined ? 'open finding(s)' : 'new finding(s)';
    parts.push(rows.length > FOLD_AFTER_ROWS ? details(`${rows.length} ${what}`, table) : table);
  }
  if (policy.errors.length > 0) parts.push(policy.errors.map((error) => `- ${escapeMarkdown(shorten(error, MAX_MESSAGE_LENGTH))}`).join('\n'));
  return parts.length === 0 ? '' : ['### Policy findings', ...parts].join('\n\n');
}

/**
 * The CDK CLI's diff against the deployed stacks, folded, with the command that produced it.
 *
 * @param diff the CLI's run
 * @param withOutput whether to include the output itself
 */
export function renderDeployedDiff(diff: DeployedDiff, withOutput: boolean): string {
  const heading = `### Compared with the deployed stacks\n\n${inlineCode(['cdk', ...diff.args].join(' '))} exited with code ${diff.exitCode}.`;
  if (!withOutput) return `${heading} _Its output is left out for size._`;
  return `${heading}\n\n${details('Output of cdk diff', codeBlock(diff.output))}`;
}

/**
 * The one-line headline of the comparison: what changes, compared with what.
 *
 * @param summary the environment's summary
 */
export function comparisonHeadline(summary: EnvironmentChangeSummary): string {
  if (summary.comparedWith === 'deployed') return `Compared with the **deployed** stacks by \`cdk diff\`: ${(summary.deployedDiff?.stacks ?? []).map(inlineCode).join(', ')}.`;
  const where = `the committed baseline templates in ${inlineCode(summary.baselineDir)} (what was last reviewed, not what is deployed)`;
  if (!summary.affected) return `**No change:** the ${summary.stacks.length} stack(s) match ${where}.`;
  const changed = summary.stacks.filter((stack) => stack.status !== 'unchanged').length;
  const { added, modified, replaced, removed } = summary.totals;
  return `**${changed} of ${summary.stacks.length} stack(s) change**: ${added} resource(s) added, ${modified} modified, ${replaced} replaced, ${removed} removed, compared with ${where}.`;
}

function blockedItem(change: GateChange): string {
  const key = change.acknowledgeWith;
  const summary = shorten(change.summary, MAX_MESSAGE_LENGTH).replace(/([^.…])$/, '$1.');
  return `- **${changeLabel(change)}**: ${escapeMarkdown(summary)} To accept it, acknowledge ${inlineCode(`{ stack: ${key.stack}, logicalId: ${key.logicalId}, change: ${key.change}, reason: … }`)}.`;
}

function changeLabel(change: GateChange): string {
  const path = change.constructPath === undefined ? '' : `, ${escapeMarkdown(change.constructPath)}`;
  return `${change.change} ${inlineCode(change.stack)} ${inlineCode(change.logicalId)} (${inlineCode(change.resourceType)}${path})`;
}

import * as path from 'node:path';
import { ACKNOWLEDGEMENTS_FILE_NAME, MIN_ACKNOWLEDGEMENT_REASON_LENGTH } from './acknowledgements';
import { type BaselineUpdate } from './baseline';
import { type GateReport, type GateStackIdentity, type ReplacementProperty, type StatefulChange } from './types';

/** Exit code of the gate when nothing unacknowledged is destructive. */
export const GATE_EXIT_PASSED = 0;
/** Exit code of the gate when a destructive change is unacknowledged or an acknowledgement is stale or expired. */
export const GATE_EXIT_BLOCKED = 1;
/** Exit code of the gate for bad usage or unreadable input. */
export const GATE_EXIT_INPUT_ERROR = 2;

/** Options of {@link formatGateReport}. */
export interface FormatGateReportOptions {
  /**
   * Folder that printed paths are made relative to.
   *
   * @default - the working folder of the process
   */
  readonly cwd?: string;
}

/**
 * The process exit code for a gate report.
 *
 * @param report the report
 * @returns {@link GATE_EXIT_PASSED} or {@link GATE_EXIT_BLOCKED}
 */
export function gateExitCode(report: GateReport): number {
  return report.passed ? GATE_EXIT_PASSED : GATE_EXIT_BLOCKED;
}

/**
 * Renders a gate report as text for a terminal or a CI log: what blocks, why, what data is at
 * risk, how to acknowledge the change or refresh the baseline, and which allowed updates
 * interrupt a resource briefly.
 *
 * @param report the report
 * @param options display options
 */
export function formatGateReport(report: GateReport, options: FormatGateReportOptions = {}): string {
  const show = displayPath(options.cwd ?? process.cwd());
  const lines: string[] = [];
  const removedStacks = report.stacksCompared.filter((stack) => stack.removed).length;
  const verdict = report.passed
    ? 'PASSED'
    : `FAILED (${count(report.findings.length, 'blocking change')}, ${count(report.acknowledgementProblems.length, 'acknowledgement problem')})`;
  lines.push(`Destructive-change gate: ${verdict}`);
  lines.push(`  assembly          ${show(report.assemblyDir)}`);
  lines.push(
    `  baseline          ${show(report.baselineDir)} (${count(report.stacksCompared.length - removedStacks, 'stack')} compared` +
      `${removedStacks ? `, ${removedStacks} removed from the app` : ''})`,
  );
  lines.push(`  acknowledgements  ${report.acknowledgementsFile ? show(report.acknowledgementsFile) : 'none'}`);

  if (report.findings.length > 0) {
    lines.push('', 'BLOCKING - destructive changes to stateful resources:');
    for (const finding of report.findings) {
      lines.push(...describeFinding(finding));
    }
  }

  if (report.acknowledgementProblems.length > 0) {
    lines.push('', 'BLOCKING - acknowledgement problems:');
    for (const problem of report.acknowledgementProblems) {
      lines.push(`  ${problem.problem.toUpperCase()}  ${problem.message}`);
    }
  }

  if (report.acknowledged.length > 0) {
    lines.push('', 'Acknowledged (allowed):');
    for (const change of report.acknowledged) {
      lines.push(`  ${heading(change)}`);
      lines.push(`    ${change.summary}`);
      const expiry = change.acknowledgement.expires ? ` (until ${change.acknowledgement.expires})` : '';
      lines.push(`    reason: ${change.acknowledgement.reason}${expiry}`);
    }
  }

  if (report.interruptions.length > 0) {
    lines.push('', 'Updated in place with some interruption (allowed, not blocking; time the deploy accordingly):');
    for (const interruption of report.interruptions) {
      lines.push(`  ${stackLabel(interruption)}  ${interruption.logicalId}  ${interruption.resourceType}`);
      for (const property of interruption.properties) {
        lines.push(`    ${property.name} ${values(property)}: ${property.explanation}`);
      }
    }
  }

  if (report.exempt.length > 0) {
    lines.push('', 'Exempt (declared ephemeral):');
    for (const stack of report.exempt) {
      const source = stack.declaredBy === 'template-metadata' ? 'Metadata.CoreInfra in its template' : 'a gate declaration';
      lines.push(`  ${stackLabel(stack)}: ${stack.reason} [declared by ${source}]`);
    }
  }

  if (report.newStacks.length > 0) {
    lines.push('', 'New, no baseline (allowed):');
    for (const stack of report.newStacks) {
      lines.push(`  ${stackLabel(stack)}`);
    }
  }

  if (report.stacksCompared.length > 0) {
    lines.push('', 'Stacks compared:');
    for (const stack of report.stacksCompared) {
      const state = stack.removed ? 'removed from the app' : `${count(stack.destructiveChanges, 'destructive change')}`;
      lines.push(`  ${stackLabel(stack)}: ${count(stack.statefulResources, 'stateful resource')}, ${state}`);
      for (const note of stack.notes) {
        lines.push(`    note: ${note}`);
      }
    }
  }

  lines.push('', ...nextSteps(report, show));
  return `${lines.join('\n')}\n`;
}

/**
 * Renders what a baseline refresh changed, and what to do next.
 *
 * @param update the result of {@link writeBaseline}
 * @param options display options
 */
export function formatBaselineUpdate(update: BaselineUpdate, options: FormatGateReportOptions = {}): string {
  const show = displayPath(options.cwd ?? process.cwd());
  const lines = [`Baseline ${show(update.baselineDir)} refreshed:`];
  const groups: [string, readonly string[]][] = [
    ['created', update.created],
    ['updated', update.updated],
    ['unchanged', update.unchanged],
    ['removed (stack no longer in the app, or now ephemeral)', update.removed],
  ];
  for (const [label, items] of groups) {
    lines.push(`  ${label}: ${items.length === 0 ? 'none' : items.join(', ')}`);
  }
  if (update.exempt.length > 0) {
    lines.push(`  not recorded (ephemeral): ${update.exempt.map((stack) => stack.displayName).join(', ')}`);
  }
  lines.push(
    '',
    'Commit the baseline with the change it records, and delete the acknowledgements this refresh',
    `made stale from ${show(path.join(update.baselineDir, ACKNOWLEDGEMENTS_FILE_NAME))}: the gate fails on stale entries.`,
  );
  return `${lines.join('\n')}\n`;
}

function describeFinding(finding: StatefulChange): string[] {
  const lines = [`  ${heading(finding)}`];
  if (finding.constructPath) {
    lines.push(`    construct:    ${finding.constructPath}`);
  }
  lines.push(`    what:         ${finding.summary}`);
  for (const property of finding.replacementProperties) {
    const because = property.reason ? ` (${property.reason})` : '';
    lines.push(`    ${propertyEffect(finding, property)}: ${property.name} ${values(property)}${because}`);
  }
  if (finding.change === 'regenerate') {
    lines.push(
      '    fix:          restore the previous value of the property in the code (CDK: generateSecretString or secretStringValue);',
      '                  if the change is intended, acknowledge it and put a hand-set value back right after the deploy',
      '                  (aws secretsmanager get-secret-value --secret-id <arn> --version-stage AWSPREVIOUS)',
    );
  }
  if (finding.probableRename?.constructPath) {
    lines.push(`    renamed to:   ${finding.probableRename.constructPath} (${finding.probableRename.logicalId})`);
  }
  lines.push(`    data at risk: ${finding.dataAtRisk}`);
  const key = finding.acknowledgeWith;
  lines.push(`    acknowledge:  stack ${key.stack}, logicalId ${key.logicalId}, change ${key.change}`);
  return lines;
}

function propertyEffect(finding: StatefulChange, property: ReplacementProperty): string {
  if (finding.change === 'regenerate') {
    return finding.cause === 'value-regenerated' ? 'regenerates value' : 'overwrites value';
  }
  return property.certainty === 'will' ? 'forces replacement' : 'may force replacement';
}

function values(property: { readonly oldValue?: string; readonly newValue?: string }): string {
  return `${property.oldValue ?? '(absent)'} -> ${property.newValue ?? '(absent)'}`;
}

function heading(change: StatefulChange): string {
  return `${change.change.toUpperCase()}  ${stackLabel(change)}  ${change.logicalId}  ${change.resourceType}`;
}

/** The stack's construct path, followed by its artifact id (the baseline file name) when that differs. */
function stackLabel(stack: GateStackIdentity): string {
  return stack.displayName === stack.stack ? stack.stack : `${stack.displayName} (${stack.stack})`;
}

function nextSteps(report: GateReport, show: (file: string) => string): string[] {
  const refresh = `core-policies baseline --assembly ${show(report.assemblyDir)} --baseline ${show(report.baselineDir)}`;
  if (report.passed) {
    const lines = ['Nothing unacknowledged would replace, destroy or orphan a stateful resource.'];
    if (report.newStacks.length > 0 || report.acknowledged.length > 0 || report.stacksCompared.some((stack) => stack.removed)) {
      lines.push(`After this change is deployed, record it in the baseline: ${refresh}`);
    }
    return lines;
  }
  const file = show(report.acknowledgementsFile ?? path.join(report.baselineDir, ACKNOWLEDGEMENTS_FILE_NAME));
  const lines = ['How to proceed:'];
  if (report.findings.length > 0) {
    lines.push('  - Not intended? Restore the construct id or the property value in the code, synthesize again and re-run the gate.');
    if (report.findings.some((finding) => finding.probableRename)) {
      lines.push(
        '  - Renamed a construct but want to keep the resource? Pin its old logical id in the code:',
        "    (construct.node.defaultChild as CfnResource).overrideLogicalId('<old logical id>')",
      );
    }
    lines.push(
      `  - Intended and reviewed? Add these entries to ${file}, each with a reason of at least ${MIN_ACKNOWLEDGEMENT_REASON_LENGTH} characters`,
      '    saying why losing the data is acceptable (and, optionally, expires: YYYY-MM-DD):',
    );
    for (const finding of report.findings) {
      const key = finding.acknowledgeWith;
      lines.push(
        `    - stack: ${key.stack}`,
        `      logicalId: ${key.logicalId}`,
        `      change: ${key.change}`,
        '      reason:',
      );
    }
  }
  if (report.acknowledgementProblems.length > 0) {
    const where = report.acknowledgementsFile ? ` in ${file}` : '';
    lines.push(`  - Fix or remove the acknowledgement entries listed above${where}.`);
  }
  lines.push(
    `  - After the change is deployed, refresh the baseline (${refresh})`,
    '    and delete the acknowledgements it makes stale.',
  );
  return lines;
}

function displayPath(cwd: string): (file: string) => string {
  return (file: string) => {
    const relative = path.relative(cwd, file);
    if (relative === '') {
      return '.';
    }
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

import { broadensAccess } from './access-changes';
import { details, escapeMarkdown, inlineCode, markdownTable, shorten } from './markdown';
import type { ChangeCounts, EnvironmentChangeSummary, ResourceChange, StackChanges } from './types';

/** Tables longer than this fold into `<details>`, so the verdicts stay on the first screen. */
export const FOLD_AFTER_ROWS = 10;

const MAX_PROPERTIES_SHOWN = 4;
const MAX_CELL_LENGTH = 200;

const CHANGE_WORDS: Readonly<Record<ResourceChange['change'], string>> = {
  add: 'add',
  import: 'import',
  modify: 'modify',
  replace: 'replace',
  'may-replace': 'may replace',
  destroy: 'destroy',
  orphan: 'orphan (retained, leaves the stack)',
};

/**
 * The per-stack count table of an environment: only the stacks that change, then one line
 * naming the unchanged ones and one naming stacks left out of the summary.
 *
 * @param summary the environment's summary
 */
export function renderStackTable(summary: EnvironmentChangeSummary): string {
  const changed = summary.stacks.filter((stack) => stack.status !== 'unchanged');
  const unchanged = summary.stacks.filter((stack) => stack.status === 'unchanged');
  const parts: string[] = [];
  if (changed.length > 0) {
    const rows = changed.map((stack) => {
      const destructive = stack.resources.some((resource) => resource.destructive);
      const cell = (value: number) => (destructive && value > 0 ? `**${value}**` : String(value));
      return [stackLabel(stack), String(stack.counts.added), String(stack.counts.modified), cell(stack.counts.replaced), cell(stack.counts.removed)];
    });
    parts.push(markdownTable(['Stack', 'Added', 'Modified', 'Replaced', 'Removed'], rows, [1, 2, 3, 4]));
  }
  if (unchanged.length > 0) parts.push(`Unchanged: ${unchanged.map((stack) => inlineCode(stack.id)).join(', ')}.`);
  if (summary.leftOut.length > 0) parts.push(`Left out: ${summary.leftOut.map((stack) => `${inlineCode(stack.id)} (${escapeMarkdown(stack.reason)})`).join(', ')}.`);
  return parts.join('\n\n');
}

/**
 * One stack's section: a heading with its counts and, unless left out for size, the table of
 * changed resources, destructive changes to stateful resources first and in bold.
 *
 * @param stack the stack
 * @param withTable whether to include the resource table
 */
export function renderStackSection(stack: StackChanges, withTable: boolean): string {
  const parts = [`#### ${stackLabel(stack)}: ${formatCounts(stack.counts)}`];
  if (stack.otherChanges > 0) parts.push(`Also ${stack.otherChanges} change(s) outside the resources (outputs, parameters, conditions, mappings or metadata).`);
  if (stack.resources.length === 0) return parts.join('\n\n');
  if (!withTable) {
    const destructive = stack.resources.filter((resource) => resource.destructive);
    const kept = destructive.length > 0 ? ` Destructive changes to stateful resources: ${destructive.map((resource) => `**${inlineCode(resource.logicalId)}** (${resource.change})`).join(', ')}.` : '';
    parts.push(`_Resource table left out for size._${kept}`);
    return parts.join('\n\n');
  }
  const table = markdownTable(['Change', 'Logical id', 'Type', 'Construct path'], stack.resources.map(resourceRow));
  parts.push(stack.resources.length > FOLD_AFTER_ROWS ? details(`${stack.resources.length} resources changed`, table) : table);
  return parts.join('\n\n');
}

/**
 * The access the environment's change widens: IAM statements, managed policies and
 * security-group rules, each table naming the stack; wildcards and rules open to the internet
 * in bold.
 *
 * @param stacks the environment's stacks
 */
export function renderAccessSection(stacks: readonly StackChanges[]): string {
  const widening = stacks.filter((stack) => broadensAccess(stack.broadening));
  if (widening.length === 0) return '';
  const parts = ['### Access broadened'];
  const statements = widening.flatMap((stack) => stack.broadening.statements.map((statement) => ({ stack, statement })));
  if (statements.length > 0) {
    const rows = statements.map(({ stack, statement }) => {
      const emphasis = (text: string) => (statement.wildcard ? `**${text}**` : text);
      const change = statement.change === 'added' ? 'added' : 'Deny removed';
      return [inlineCode(stack.id), change, emphasis(cell(statement.effect)), cell(statement.action), emphasis(cell(statement.resource)), emphasis(cell(statement.principal)), escapeMarkdown(shorten(statement.condition, MAX_CELL_LENGTH))];
    });
    parts.push(foldable(`IAM: ${statements.length} statement(s) grant more`, markdownTable(['Stack', 'Change', 'Effect', 'Action', 'Resource', 'Principal', 'Condition'], rows)));
  }
  const policies = widening.flatMap((stack) => stack.broadening.managedPolicies.map((policy) => ({ stack, policy })));
  if (policies.length > 0) {
    const rows = policies.map(({ stack, policy }) => [inlineCode(stack.id), cell(policy.identity), cell(policy.managedPolicyArn)]);
    parts.push(foldable(`IAM: ${policies.length} managed policy attachment(s) added`, markdownTable(['Stack', 'Identity', 'Managed policy'], rows)));
  }
  const rules = widening.flatMap((stack) => stack.broadening.securityGroupRules.map((rule) => ({ stack, rule })));
  if (rules.length > 0) {
    const open = rules.filter(({ rule }) => rule.openToInternet).length;
    const rows = rules.map(({ stack, rule }) => [inlineCode(stack.id), rule.direction, cell(rule.groupId), cell(rule.protocol), rule.openToInternet ? `**${cell(rule.peer)}**` : cell(rule.peer)]);
    const title = `Security groups: ${rules.length} rule(s) added${open > 0 ? `, ${open} open to the internet` : ''}`;
    parts.push(foldable(title, markdownTable(['Stack', 'Direction', 'Group', 'Protocol and ports', 'Peer'], rows)));
  }
  return parts.join('\n\n');
}

/**
 * Counts as a phrase, e.g. `2 added, 1 modified, **1 replaced**, 0 removed`.
 *
 * @param counts the counts
 */
export function formatCounts(counts: ChangeCounts): string {
  return `${counts.added} added, ${counts.modified} modified, ${counts.replaced} replaced, ${counts.removed} removed`;
}

function stackLabel(stack: StackChanges): string {
  const status = stack.status === 'new' ? ' (new stack)' : stack.status === 'removed' ? ` (removed stack, baseline ${inlineCode(`${stack.artifactId}.template.json`)})` : '';
  return `${inlineCode(stack.id)}${status}`;
}

function resourceRow(resource: ResourceChange): string[] {
  const shown = resource.properties.slice(0, MAX_PROPERTIES_SHOWN).join(', ');
  const more = resource.properties.length > MAX_PROPERTIES_SHOWN ? ` +${resource.properties.length - MAX_PROPERTIES_SHOWN} more` : '';
  const properties = resource.properties.length > 0 ? ` (${escapeMarkdown(shown)}${more})` : '';
  const strong = (text: string) => (resource.destructive ? `**${text}**` : text);
  return [
    `${strong(CHANGE_WORDS[resource.change])}${properties}${resource.destructive ? ' (stateful)' : ''}`,
    strong(inlineCode(resource.logicalId)),
    inlineCode(resource.resourceType),
    resource.constructPath === undefined ? '' : escapeMarkdown(resource.constructPath),
  ];
}

/** A list CDK's diff renders one value a line, as one escaped cell. */
function cell(text: string): string {
  return escapeMarkdown(shorten(text.split('\n').join(', '), MAX_CELL_LENGTH));
}

/** A titled table, folded when long; the title is plain text. */
function foldable(title: string, table: string): string {
  const rows = table.split('\n').length - 2;
  return rows > FOLD_AFTER_ROWS / 2 ? details(title, table) : `${escapeMarkdown(title)}:\n\n${table}`;
}

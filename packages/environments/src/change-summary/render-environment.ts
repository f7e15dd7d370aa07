import { broadensAccess } from './access-changes';
import { fitMarkdown } from './markdown';
import { renderAccessSection, renderStackSection, renderStackTable } from './render-stacks';
import { comparisonHeadline, gateHeadline, policyHeadline, renderDeployedDiff, renderGateSection, renderPolicySection } from './render-verdicts';
import type { EnvironmentChangeSummary, StackChanges } from './types';

/** GitHub refuses comments longer than 65,536 characters; one environment's summary keeps below this by default. */
export const DEFAULT_SUMMARY_MAX_CHARS = 60_000;

/** What a shortened summary says about the full one, unless told where it is. */
export const DEFAULT_FULL_SUMMARY_NOTE = 'The full summary is in the workflow artifact.';

/** Options of {@link renderEnvironmentSummary}. */
export interface RenderSummaryOptions {
  /**
   * The longest summary, in characters; detail is left out until it fits.
   *
   * @default - no limit
   */
  readonly maxChars?: number;
  /**
   * Where the full summary is, said when detail was left out.
   *
   * @default 'The full summary is in the workflow artifact.'
   */
  readonly fullSummaryNote?: string;
}

/** Which detail a rendering leaves out; each step of {@link renderEnvironmentSummary} leaves out more. */
interface Omissions {
  readonly resourceTables: ReadonlySet<string>;
  readonly deployedOutput: boolean;
  readonly accessDetails: boolean;
  readonly policyList: boolean;
  readonly gateLists: boolean;
  readonly blockedList: boolean;
}

const NOTHING_LEFT_OUT: Omissions = { resourceTables: new Set(), deployedOutput: false, accessDetails: false, policyList: false, gateLists: false, blockedList: false };

/**
 * Renders one environment's change summary as Markdown for a pull request: a heading, the
 * verdicts (destructive-change gate, access, policy), the per-stack counts, then the detail.
 *
 * When the text is longer than `maxChars`, detail goes first and the verdicts last: the resource
 * tables stack by stack (the largest first), the deployed diff output, the access tables, the
 * policy finding list, the acknowledged changes, and finally the list of blocked changes. A line
 * then says where the full summary is. Counts and verdicts always stay.
 *
 * @param summary the environment's summary
 * @param options the size limit and where the full summary is
 */
export function renderEnvironmentSummary(summary: EnvironmentChangeSummary, options: RenderSummaryOptions = {}): string {
  const maxChars = options.maxChars ?? Number.POSITIVE_INFINITY;
  const note = `> **Shortened to fit a comment.** ${options.fullSummaryNote ?? DEFAULT_FULL_SUMMARY_NOTE}`;
  let omissions = NOTHING_LEFT_OUT;
  let text = render(summary, omissions, undefined);
  if (text.length <= maxChars) return text;
  for (const next of shorterRenderings(summary)) {
    omissions = next(omissions);
    text = render(summary, omissions, note);
    if (text.length <= maxChars) return text;
  }
  return fitMarkdown(text, maxChars, note);
}

/**
 * A hidden line opening each environment's Markdown, so `core-deploy comment` can tell which
 * environment a Markdown file holds.
 *
 * @param environment the environment
 */
export function environmentMarker(environment: string): string {
  return `<!-- core-infra:environment ${environment} -->`;
}

/**
 * The environment named by the hidden line of {@link environmentMarker}, when the Markdown has one.
 *
 * @param markdown an environment's Markdown summary
 */
export function readEnvironmentMarker(markdown: string): string | undefined {
  return /<!-- core-infra:environment ([\w-]+) -->/.exec(markdown)?.[1];
}

function render(summary: EnvironmentChangeSummary, omit: Omissions, note: string | undefined): string {
  const bullets = [gateHeadline(summary.gate, summary.baselineDir), accessHeadline(summary.stacks), policyHeadline(summary.policy, summary.environment)];
  const sections = [
    `${environmentMarker(summary.environment)}\n## ${summary.environment}`,
    comparisonHeadline(summary),
    bullets.map((bullet) => `- ${bullet}`).join('\n'),
    note ?? '',
    summary.comparedWith === 'baseline' ? renderStackTable(summary) : '',
    summary.deployedDiff === undefined ? '' : renderDeployedDiff(summary.deployedDiff, !omit.deployedOutput),
    renderGateSection(summary.gate, !omit.gateLists, !omit.blockedList),
    omit.accessDetails ? '' : renderAccessSection(summary.stacks),
    renderPolicySection(summary.policy, !omit.policyList),
    renderResourceSections(summary.stacks, omit.resourceTables),
  ];
  return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}

function renderResourceSections(stacks: readonly StackChanges[], omitted: ReadonlySet<string>): string {
  const changed = stacks.filter((stack) => stack.status !== 'unchanged');
  if (changed.length === 0) return '';
  return ['### Resources changed', ...changed.map((stack) => renderStackSection(stack, !omitted.has(stack.id)))].join('\n\n');
}

function accessHeadline(stacks: readonly StackChanges[]): string {
  const widening = stacks.filter((stack) => broadensAccess(stack.broadening));
  if (widening.length === 0) return '**Access:** no IAM or security-group change widens access.';
  const statements = widening.reduce((sum, stack) => sum + stack.broadening.statements.length, 0);
  const policies = widening.reduce((sum, stack) => sum + stack.broadening.managedPolicies.length, 0);
  const rules = widening.flatMap((stack) => stack.broadening.securityGroupRules);
  const open = rules.filter((rule) => rule.openToInternet).length;
  const internet = open > 0 ? ` (**${open} open to the internet**)` : '';
  return `**Access broadened:** ${statements} IAM statement(s), ${policies} managed policy attachment(s), ${rules.length} security-group rule(s)${internet}.`;
}

/** The steps that shorten a summary, in order: each returns the omissions with one more thing left out. */
function shorterRenderings(summary: EnvironmentChangeSummary): ((omit: Omissions) => Omissions)[] {
  const bySize = summary.stacks.filter((stack) => stack.resources.length > 0).sort((a, b) => b.resources.length - a.resources.length);
  return [
    ...bySize.map((stack) => (omit: Omissions) => ({ ...omit, resourceTables: new Set([...omit.resourceTables, stack.id]) })),
    (omit) => ({ ...omit, deployedOutput: true }),
    (omit) => ({ ...omit, accessDetails: true }),
    (omit) => ({ ...omit, policyList: true }),
    (omit) => ({ ...omit, gateLists: true }),
    (omit) => ({ ...omit, blockedList: true }),
  ];
}

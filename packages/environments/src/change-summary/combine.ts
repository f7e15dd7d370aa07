import { ConfigError, environmentNames } from '../config/load';
import { fitMarkdown } from './markdown';
import { renderEnvironmentSummary } from './render-environment';
import type { EnvironmentChangeSummary } from './types';

/**
 * Hidden first line of the pull-request comment; a workflow finds the comment by it and updates
 * that one comment instead of adding another on every push.
 */
export const CHANGE_SUMMARY_MARKER = '<!-- core-infra:change-summary -->';

/** The longest combined comment: below GitHub's limit of 65,536 characters, with room to spare. */
export const COMMENT_MAX_CHARS = 65_000;

/** What the comment says when no environment is affected. */
export const NO_ENVIRONMENT_AFFECTED = 'No environment is affected by this change.';

/** One environment's summary to combine: the JSON (re-rendered to fit) or Markdown as written. */
export type ChangeSummaryInput =
  | {
      /** A summary read from `core-deploy diff --format json`, rendered again to fit. */
      readonly kind: 'summary';
      /** The environment's summary. */
      readonly summary: EnvironmentChangeSummary;
    }
  | {
      /** Ready Markdown, cut only between blocks when too long. */
      readonly kind: 'markdown';
      /** Environment it describes, when known (orders it among the others). */
      readonly environment?: string;
      /** The Markdown. */
      readonly markdown: string;
    };

/** Options of {@link combineChangeSummaries}. */
export interface CombineOptions {
  /**
   * The longest comment, in characters.
   *
   * @default 65000
   */
  readonly maxChars?: number;
}

const HEADING = '# Infrastructure change summary';

/**
 * Combines per-environment summaries into one pull-request comment: the marker, a heading, then
 * each environment in deployment order (meta, dev, staging, production). The environments share
 * the size limit: each gets what it needs while that fits, and the space left is divided evenly
 * among the larger ones, which leave out detail (JSON summaries are rendered again with less
 * detail; Markdown is cut at a block boundary, never inside a tag).
 *
 * @param inputs one summary per environment, in any order
 * @param options the size limit
 */
export function combineChangeSummaries(inputs: readonly ChangeSummaryInput[], options: CombineOptions = {}): string {
  const maxChars = options.maxChars ?? COMMENT_MAX_CHARS;
  if (inputs.length === 0) return `${CHANGE_SUMMARY_MARKER}\n${HEADING}\n\n${NO_ENVIRONMENT_AFFECTED}\n`;
  const order = workspaceOrder();
  const ordered = [...inputs].sort((a, b) => deployOrder(a, order) - deployOrder(b, order));
  const header = `${CHANGE_SUMMARY_MARKER}\n${HEADING}\n\nEnvironments in deployment order: ${ordered.map(environmentOf).join(', ')}.\n\n`;
  const separator = '\n---\n\n';
  const budget = maxChars - header.length - separator.length * (ordered.length - 1) - '\n'.length;
  const parts = fitEach(ordered, budget);
  return `${header}${parts.map((part) => part.trimEnd()).join(separator)}\n`;
}

/**
 * Renders each input within a share of the budget, smallest first: an input that fits its even
 * share takes only what it needs, and whatever it (or a shortened one) leaves goes to the rest.
 */
function fitEach(inputs: readonly ChangeSummaryInput[], budget: number): string[] {
  const full = inputs.map((input) => renderInput(input, Number.POSITIVE_INFINITY));
  const bySize = full.map((text, index) => ({ text, index })).sort((a, b) => a.text.length - b.text.length);
  const rendered = new Array<string>(inputs.length);
  let left = budget;
  bySize.forEach(({ text, index }, position) => {
    const share = Math.floor(left / (bySize.length - position));
    rendered[index] = text.length <= share ? text : renderInput(inputs[index], share);
    left -= rendered[index].length;
  });
  return rendered;
}

function renderInput(input: ChangeSummaryInput, maxChars: number): string {
  if (input.kind === 'summary') {
    const file = input.summary.fullSummaryFile;
    const fullSummaryNote = `The full summary of ${input.summary.environment} is in the workflow artifact${file === undefined ? '' : ` (file ${file})`}.`;
    return renderEnvironmentSummary(input.summary, { maxChars, fullSummaryNote });
  }
  return fitMarkdown(input.markdown, maxChars, `> **Shortened to fit a comment.** The full summary of ${input.environment ?? 'this environment'} is in the workflow artifact.`);
}

function environmentOf(input: ChangeSummaryInput): string {
  return (input.kind === 'summary' ? input.summary.environment : input.environment) ?? 'unknown';
}

function deployOrder(input: ChangeSummaryInput, order: readonly string[]): number {
  const index = order.indexOf(environmentOf(input));
  return index === -1 ? order.length : index;
}

/** The workspace's deployment order, or none outside a workspace (summaries keep their order). */
function workspaceOrder(): string[] {
  try {
    return environmentNames();
  } catch (error) {
    if (error instanceof ConfigError) return [];
    throw error;
  }
}

// Markdown building blocks for pull-request comments. Everything taken from a template (logical
// ids, types, construct paths, policy documents) goes through escapeMarkdown or inlineCode: a `|`
// would split a table cell, a `<` open an HTML tag, a backtick end a code span, and an `@` notify
// someone.

/**
 * Escapes text from a template or report for use anywhere in Markdown, table cells included:
 * Markdown punctuation is backslash-escaped, `<`, `>` and `&` become entities, `@` cannot mention
 * anyone, and line breaks become spaces.
 *
 * @param text the raw text
 */
export function escapeMarkdown(text: string): string {
  // Punctuation first: the entities written after it must keep their own `&` and `#`.
  return oneLine(text)
    .replace(/([\\`*_[\]|~#!])/g, '\\$1')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;');
}

/**
 * Renders text as an inline code span that is safe in a table cell: the fence is longer than
 * any run of backticks inside, and `|` is escaped (GitHub splits cells before reading code spans).
 *
 * @param text the raw text
 */
export function inlineCode(text: string): string {
  const value = oneLine(text).replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

/**
 * Renders a fenced code block that nothing inside can close.
 *
 * @param text the raw text, e.g. CLI output
 * @param language info string of the fence, e.g. `diff`
 */
export function codeBlock(text: string, language = ''): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${text.replace(/\n+$/, '')}\n${fence}`;
}

/**
 * Renders a GitHub table; the cells must already be escaped.
 *
 * @param headers column headings
 * @param rows the cells of each row
 * @param numeric indexes of columns to right-align
 */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[], numeric: readonly number[] = []): string {
  const align = headers.map((_, index) => (numeric.includes(index) ? '---:' : '---'));
  return [headers, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/**
 * Folds a long section into a `<details>` element; the summary line stays visible. GitHub does
 * not read Markdown inside `<summary>`, so the summary is plain text (it is HTML-escaped here).
 *
 * @param summary the visible line, plain text
 * @param body the folded Markdown
 */
export function details(summary: string, body: string): string {
  const text = oneLine(summary).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<details><summary>${text}</summary>\n\n${body}\n\n</details>`;
}

/**
 * Shortens text to a length, marking the cut with an ellipsis.
 *
 * @param text the text
 * @param maxLength the longest result
 */
export function shorten(text: string, maxLength: number): string {
  const line = oneLine(text);
  return line.length <= maxLength ? line : `${line.slice(0, maxLength - 1)}…`;
}

/**
 * Cuts Markdown to a length at a block boundary: a blank line outside every `<details>` element
 * and code fence, so that no element, table or tag is cut in half. The note (e.g. where the full
 * text is) is appended when anything was left out.
 *
 * @param markdown the Markdown
 * @param maxChars the longest result, note included
 * @param note the line saying that something was left out
 */
export function fitMarkdown(markdown: string, maxChars: number, note: string): string {
  if (markdown.length <= maxChars) return markdown;
  const kept: string[] = [];
  let length = note.length + 2;
  for (const block of topLevelBlocks(markdown)) {
    if (length + block.length + 2 > maxChars) break;
    kept.push(block);
    length += block.length + 2;
  }
  return [...kept, note].join('\n\n');
}

function topLevelBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let openDetails = 0;
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const fenceMatch = /^(`{3,})/.exec(line);
    if (fence === undefined && fenceMatch) fence = fenceMatch[1];
    else if (fence !== undefined && line.trim() === fence) fence = undefined;
    else if (fence === undefined) openDetails += count(line, /<details[\s>]/g) - count(line, /<\/details>/g);
    if (line.trim() === '' && fence === undefined && openDetails <= 0 && current.length > 0) {
      blocks.push(current.join('\n'));
      current = [];
    } else if (line.trim() !== '' || current.length > 0) {
      current.push(line);
    }
  }
  if (current.length > 0) blocks.push(current.join('\n'));
  return blocks;
}

function count(line: string, pattern: RegExp): number {
  return (line.match(pattern) ?? []).length;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

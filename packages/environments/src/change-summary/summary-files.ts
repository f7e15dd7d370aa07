import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DeployInputError } from '../deploy/errors';
import type { ChangeSummaryInput } from './combine';
import { isJsonObject, readJsonFile } from './json-files';
import { readEnvironmentMarker } from './render-environment';
import { CHANGE_SUMMARY_SCHEMA, type EnvironmentChangeSummary } from './types';

/** The three files `core-deploy diff --output <file.md>` writes. */
export interface SummaryOutputFiles {
  /** The full Markdown summary, never shortened: `<file.md>` itself, for the workflow artifact. */
  readonly full: string;
  /** The Markdown shortened to `--max-chars`, for the comment: `<file>.comment.md`. */
  readonly comment: string;
  /** The JSON summary, for `core-deploy comment`: `<file>.json`. */
  readonly json: string;
}

/**
 * Names the files of `--output`: `production.md` gives `production.md` (full),
 * `production.comment.md` (size-limited) and `production.json`.
 *
 * @param output the `--output` file
 * @throws DeployInputError when it does not end in `.md`
 */
export function summaryOutputFiles(output: string): SummaryOutputFiles {
  if (!output.endsWith('.md') || output.endsWith('.comment.md')) {
    throw new DeployInputError(`--output: ${output} is not a Markdown file name: pass one ending in .md (not .comment.md), e.g. change-summary/production.md; the comment and JSON files are written beside it`);
  }
  const stem = output.slice(0, -'.md'.length);
  return { full: output, comment: `${stem}.comment.md`, json: `${stem}.json` };
}

/**
 * Writes a file, creating its folder.
 *
 * @param file the file
 * @param text its content
 * @param flag the option that named it, for the message
 * @throws DeployInputError when it cannot be written
 */
export function writeSummaryFile(file: string, text: string, flag: string): void {
  try {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeFileSync(file, text);
  } catch (error) {
    throw new DeployInputError(`${flag}: ${file} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): pass a path in a writable folder`);
  }
}

/**
 * Reads one input of `core-deploy comment`: a JSON summary of `core-deploy diff` (which the
 * comment renders again to fit its share of the size limit), or a Markdown summary, whose
 * environment comes from its hidden environment line or, failing that, its file name
 * (`production.comment.md`).
 *
 * @param file the file
 * @throws DeployInputError when it cannot be read or is JSON of another kind
 */
export function readSummaryInput(file: string): ChangeSummaryInput {
  const fix = 'pass the .json or .md files that core-deploy diff --output wrote';
  if (file.endsWith('.json')) {
    const summary = readJsonFile(file, 'comment', fix);
    if (!isJsonObject(summary) || summary.schema !== CHANGE_SUMMARY_SCHEMA) {
      throw new DeployInputError(`comment: ${file} is not a change summary (its schema is not ${CHANGE_SUMMARY_SCHEMA}): ${fix}`);
    }
    return { kind: 'summary', summary: summary as unknown as EnvironmentChangeSummary };
  }
  let markdown: string;
  try {
    markdown = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DeployInputError(`comment: ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ${fix}`);
  }
  return { kind: 'markdown', environment: readEnvironmentMarker(markdown) ?? path.basename(file).split('.')[0], markdown };
}

import { accessSync, constants, existsSync, mkdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { TemplateInputError } from '../engine/guard-binary';

const FIX = 'pass a path inside a folder you can write to';

/**
 * Makes sure a folder exists, creating the missing levels one at a time.
 *
 * Node's `mkdirSync(dir, { recursive: true })` loops forever at full CPU under `/proc`: mkdir
 * there fails with ENOENT although the parent exists, and Node answers ENOENT by creating the
 * parent and retrying. So the folder is created from its first existing ancestor down, one
 * level per call, and any failure is reported instead of retried.
 *
 * @param dir the folder
 * @param what what the folder is for, for the message, e.g. `report folder`
 * @returns the folders created, outermost first (empty when `dir` already existed)
 * @throws TemplateInputError naming the folder when it cannot be created or written to
 */
export function ensureDirectory(dir: string, what: string): string[] {
  const target = path.resolve(dir);
  return createFolder(target, `create ${what} ${target}`);
}

/**
 * Writes a file the CLI produces, creating its folder first (see {@link ensureDirectory}).
 *
 * @param file the file
 * @param content what to write
 * @param what what the file is, for the message, e.g. `report file`
 * @throws TemplateInputError naming the file when it cannot be written
 */
export function writeOutputFile(file: string, content: string, what: string): void {
  prepareOutputFile(file, what);
  try {
    writeFileSync(file, content);
  } catch (error) {
    throw new TemplateInputError(`cannot write ${what} ${path.resolve(file)} (${errorCode(error)}): ${FIX}`);
  }
}

/**
 * Checks that a file can be written before the work that produces it starts: creates its
 * folder and refuses a path that is a folder.
 *
 * @param file the file
 * @param what what the file is, for the message, e.g. `report file`
 * @throws TemplateInputError naming the file when it cannot be written
 */
export function prepareOutputFile(file: string, what: string): void {
  const target = path.resolve(file);
  if (existsSync(target) && statSync(target).isDirectory()) {
    throw new TemplateInputError(`cannot write ${what} ${target}: it is a folder: pass the path of a file to write`);
  }
  createFolder(path.dirname(target), `write ${what} ${target}`);
}

/**
 * Removes folders {@link ensureDirectory} created, innermost first, when the command that
 * needed them failed. Folders that are no longer empty are kept.
 *
 * @param created the folders, as returned by {@link ensureDirectory}
 */
export function removeCreatedDirectories(created: readonly string[]): void {
  for (const dir of [...created].reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
  }
}

function missingLevels(target: string): string[] {
  const missing: string[] = [];
  let current = target;
  while (!existsSync(current)) {
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return missing;
}

/** `action` says what failed for the message, e.g. `create report folder /x/reports`. */
function createFolder(folder: string, action: string): string[] {
  const missing = missingLevels(folder);
  requireWritableFolder(missing.length === 0 ? folder : path.dirname(missing[0]), action);
  const created: string[] = [];
  for (const level of missing) {
    if (createLevel(level, action)) created.push(level);
  }
  return created;
}

function requireWritableFolder(folder: string, action: string): void {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new TemplateInputError(`cannot ${action}: ${folder} is not a folder: ${FIX}`);
  }
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new TemplateInputError(`cannot ${action}: ${folder} is not writable: ${FIX}`);
  }
}

/** Returns whether this call created the folder (false when another process just did). */
function createLevel(level: string, action: string): boolean {
  try {
    mkdirSync(level);
    return true;
  } catch (error) {
    // Another process may create the same folder at the same time; that is what we wanted.
    if (errorCode(error) === 'EEXIST' && statSync(level).isDirectory()) return false;
    throw new TemplateInputError(`cannot ${action}: creating ${level} failed (${errorCode(error)}): ${FIX}`);
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

import { existsSync, readFileSync, statSync } from 'node:fs';
import { DeployInputError } from '../deploy/errors';

/**
 * Reads and parses a JSON file the summary needs (a template, a policy report, a summary).
 *
 * @param file the file
 * @param flag the option that named it (or led to it), e.g. `--policy-report`, for the message
 * @param fix what to do when it cannot be read
 * @throws DeployInputError naming the option, the file and the fix
 */
export function readJsonFile(file: string, flag: string, fix: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? (error as Error).message})`;
    throw new DeployInputError(`${flag}: ${file} ${problem}: ${fix}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DeployInputError(`${flag}: ${file} is not JSON (${(error as Error).message.split('\n')[0]}): ${fix}`);
  }
}

/**
 * Requires a folder the command reads from.
 *
 * @param dir the folder
 * @param flag the option that named it, for the message
 * @param fix what to pass instead
 * @throws DeployInputError when it is missing or a file
 */
export function requireFolder(dir: string, flag: string, fix: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DeployInputError(`${flag}: ${dir} is not a folder: ${fix}`);
  }
}

/** Whether a value is a plain JSON object. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { existsSync, readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { GateInputError } from './errors';
import { DESTRUCTIVE_CHANGE_KINDS, type GateAcknowledgement } from './types';

/** Name of the acknowledgement file the gate reads from a baseline folder when none is given. */
export const ACKNOWLEDGEMENTS_FILE_NAME = 'acknowledgements.yaml';

/** Fewest characters an acknowledgement's reason may have: enough to say why the loss is acceptable. */
export const MIN_ACKNOWLEDGEMENT_REASON_LENGTH = 20;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const acknowledgementSchema = z.strictObject({
  stack: z.string().trim().min(1),
  logicalId: z.string().trim().min(1),
  change: z.enum(DESTRUCTIVE_CHANGE_KINDS),
  reason: z.string().trim().min(MIN_ACKNOWLEDGEMENT_REASON_LENGTH),
  expires: z
    .string()
    .regex(ISO_DATE)
    .refine((value) => isRealDate(value), { message: 'not a calendar date' })
    .optional(),
});

const acknowledgementListSchema = z.array(acknowledgementSchema);

/** How to fix each field, appended to validation messages. */
const FIELD_FIXES: Readonly<Record<string, string>> = {
  stack: 'set it to the stack artifact id the gate report prints (e.g. the baseline file name without .template.json)',
  logicalId: 'set it to the logical id the gate report prints for the resource',
  change: `use one of ${DESTRUCTIVE_CHANGE_KINDS.join(', ')}, as printed by the gate report`,
  reason: `write at least ${MIN_ACKNOWLEDGEMENT_REASON_LENGTH} characters saying why losing this resource's data is acceptable`,
  expires: 'use a calendar date as YYYY-MM-DD (the last day the acknowledgement is valid), or remove the key',
};

/**
 * Reads and validates an acknowledgement file: a YAML (or JSON) list of
 * `{ stack, logicalId, change, reason, expires? }` entries.
 *
 * @param file path of the file
 * @returns the validated entries, in file order
 * @throws GateInputError when the file is missing, unreadable, not YAML or not valid
 */
export function loadGateAcknowledgements(file: string): GateAcknowledgement[] {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new GateInputError(`acknowledgement file ${file} does not exist; pass the path of an existing file, or omit --acknowledgements`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new GateInputError(`acknowledgement file ${file} cannot be read (${(error as Error).message}); check its permissions`);
  }
  return parseGateAcknowledgements(text, file);
}

/**
 * Parses and validates the text of an acknowledgement file.
 *
 * An empty document means no acknowledgements.
 *
 * @param text YAML (or JSON) text
 * @param source name of the file, used in error messages
 * @throws GateInputError when the text is not YAML or not valid
 */
export function parseGateAcknowledgements(text: string, source: string): GateAcknowledgement[] {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    const firstLine = (error as Error).message.split('\n')[0];
    throw new GateInputError(`${source} is not valid YAML: ${firstLine}; fix the syntax`);
  }
  return validateGateAcknowledgements(value ?? [], source);
}

/**
 * Validates acknowledgements that are already parsed, e.g. passed to the gate in code.
 *
 * Each entry needs a non-empty `stack` and `logicalId`, a `change` of replace, destroy, orphan
 * or regenerate ({@link DESTRUCTIVE_CHANGE_KINDS}), a `reason` of at least
 * {@link MIN_ACKNOWLEDGEMENT_REASON_LENGTH} characters and, if present, an `expires` date as
 * `YYYY-MM-DD`. Unknown keys and duplicate entries are errors.
 *
 * @param value the parsed list
 * @param source where the list comes from, used in error messages
 * @returns the entries with surrounding whitespace trimmed
 * @throws GateInputError naming every invalid field, its value and the fix
 */
export function validateGateAcknowledgements(value: unknown, source: string): GateAcknowledgement[] {
  if (!Array.isArray(value)) {
    throw new GateInputError(
      `${source} must hold a list of acknowledgements, got ${describeValue(value)}; write one "- stack: ..." entry per acknowledged change`,
    );
  }
  const result = acknowledgementListSchema.safeParse(value, { reportInput: true });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => describeIssue(issue, value));
    throw new GateInputError(`${source} is invalid: ${problems.join('; ')}`);
  }
  const seen = new Map<string, number>();
  result.data.forEach((entry, index) => {
    const key = `${entry.stack}\u0000${entry.logicalId}\u0000${entry.change}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new GateInputError(
        `${source} is invalid: entries ${first} and ${index} both acknowledge ${entry.change} of ${entry.logicalId} in stack ${entry.stack}; keep one of them`,
      );
    }
    seen.set(key, index);
  });
  return result.data;
}

/**
 * Whether an acknowledgement's `expires` date has passed.
 *
 * @param acknowledgement the entry
 * @param now the current time
 * @returns `true` when today (UTC) is after the `expires` date
 */
export function isAcknowledgementExpired(acknowledgement: GateAcknowledgement, now: Date): boolean {
  return acknowledgement.expires !== undefined && now.toISOString().slice(0, 10) > acknowledgement.expires;
}

function describeIssue(issue: z.core.$ZodIssue, root: unknown): string {
  const [index, field] = issue.path;
  const where = typeof index === 'number' ? `entry ${index}${entryLabel(root, index)}` : 'the list';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `"${key}"`).join(', ');
    return `${where} has unknown key ${keys}; remove it (allowed keys: stack, logicalId, change, reason, expires)`;
  }
  if (field === undefined) {
    return `${where} must be a mapping with keys stack, logicalId, change and reason, got ${describeValue(issue.input)}`;
  }
  const name = String(field);
  const input = valueAt(root, issue.path);
  const fix = FIELD_FIXES[name] ?? 'correct the value';
  let what: string;
  if (input === undefined) {
    what = `${name} is missing`;
  } else if (name === 'reason' && typeof input === 'string' && issue.code === 'too_small') {
    what = `reason ${JSON.stringify(input)} is ${input.trim().length} characters, fewer than ${MIN_ACKNOWLEDGEMENT_REASON_LENGTH}`;
  } else {
    what = `${name} ${describeValue(input)} is invalid (${issue.message})`;
  }
  return `${where}: ${what}; ${fix}`;
}

function entryLabel(root: unknown, index: number): string {
  const entry = Array.isArray(root) ? root[index] : undefined;
  if (entry && typeof entry === 'object' && 'logicalId' in entry && typeof entry.logicalId === 'string' && entry.logicalId.trim()) {
    return ` (logicalId ${entry.logicalId.trim()})`;
  }
  return '';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') {
      return undefined;
    }
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === null) {
    return 'null (an empty value)';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (typeof value === 'object') {
    return 'a mapping';
  }
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

function isRealDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

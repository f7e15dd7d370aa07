import { z } from 'zod';
import { environmentConfigSchema, metaConfigSchema } from './schema';

/**
 * JSON Schema (draft 2020-12) of an environment config file, for editor completion and
 * validation of override files. Fields with defaults are optional, as in a file.
 */
export function environmentConfigJsonSchema(): Record<string, unknown> {
  return { title: 'CORE environment config', ...z.toJSONSchema(environmentConfigSchema, { io: 'input', unrepresentable: 'any' }) };
}

/** JSON Schema (draft 2020-12) of the meta account's config file. */
export function metaConfigJsonSchema(): Record<string, unknown> {
  return { title: 'CORE meta config', ...z.toJSONSchema(metaConfigSchema, { io: 'input', unrepresentable: 'any' }) };
}

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import type { z } from 'zod';
import { environmentConfigSchema, LISTENER_RULE_QUOTA, MAX_REVIEW_APP_NUMBER, metaConfigSchema, type EnvironmentConfig, type MetaConfig } from './schema';

/** Name of an environment: `meta` or one of the meta config's `workloads` ({@link environmentNames}). */
export type EnvironmentName = string;

/** Name of a workload environment: every environment but `meta`. */
export type WorkloadEnvironmentName = string;

/**
 * The workspace's environments in deployment order: `meta`, then the keys of the committed meta
 * config's `workloads`, which is where the set of environments is kept as data.
 *
 * @param from where to start looking for `apps/meta/config.yaml`
 * @throws ConfigError when the meta config cannot be found or read
 */
export function environmentNames(from: string = process.cwd()): string[] {
  const workloads = readConfigFile(findAppConfig('meta', from)).workloads;
  if (typeof workloads !== 'object' || workloads === null || Array.isArray(workloads)) {
    throw new ConfigError('the meta config names no environments:', ['workloads: expected a map of workload environments, e.g. { dev: { account: …, prefix: core-dev } }']);
  }
  return ['meta', ...Object.keys(workloads)];
}

/** Environment variable naming a config override file. */
export const CONFIG_FILE_ENV = 'CORE_CONFIG_FILE';

/** Name of the committed config file in each app's folder (`apps/<env>/config.yaml`). */
export const APP_CONFIG_FILE = 'config.yaml';

/**
 * Raised for configuration that cannot be used. Its message names every bad field, the value
 * found and what to do; apps print it and exit non-zero without synthesizing anything.
 */
export class ConfigError extends Error {
  /** One line per problem: `path: message (got value)`. */
  public readonly problems: readonly string[];

  constructor(summary: string, problems: readonly string[]) {
    super([summary, ...problems.map((p) => `  ✖ ${p}`)].join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Where an environment's config comes from. */
export interface LoadConfigOptions {
  /**
   * The environment's committed config, a YAML or JSON file holding its settings.
   *
   * @default - {@link findAppConfig}: `config.yaml` of the app folder, found from the current folder
   */
  readonly appConfigFile?: string;
  /**
   * Path of a JSON or YAML file whose values override the committed config (deep merge; lists
   * replace lists), e.g. the real account ids of a deployment. An empty string means none.
   *
   * @default - the file named by `CORE_CONFIG_FILE`, else none
   */
  readonly configFile?: string;
  /**
   * Values that override both the committed config and the file (tests use this).
   *
   * @default - none
   */
  readonly overrides?: Record<string, unknown>;
}

/**
 * Loads and validates the config of a workload environment: its committed `config.yaml`, then
 * the override file, then `overrides`; the schema's defaults fill the rest.
 *
 * @throws ConfigError listing every invalid field
 */
export function loadEnvironmentConfig(name: WorkloadEnvironmentName, options: LoadConfigOptions = {}): EnvironmentConfig {
  if (name === 'meta') throw new ConfigError('meta is not a workload environment:', ['environment: load it with loadMetaConfig']);
  return validate(environmentConfigSchema, name, options);
}

/**
 * Loads and validates the meta account's config (`apps/meta/config.yaml`, then overrides).
 *
 * @throws ConfigError listing every invalid field
 */
export function loadMetaConfig(options: LoadConfigOptions = {}): MetaConfig {
  return validate(metaConfigSchema, 'meta', options);
}

/**
 * The committed config of an environment: `config.yaml` in the current folder when it is that
 * environment's (synthesis and `core-deploy` run in the app folder), else
 * `apps/<name>/config.yaml` in the current folder or the nearest parent that has one (the
 * workspace).
 *
 * @param name the environment
 * @param from where to start looking
 * @throws ConfigError when there is none
 */
export function findAppConfig(name: EnvironmentName, from: string = process.cwd()): string {
  const here = path.join(from, APP_CONFIG_FILE);
  if (existsSync(here) && readConfigFile(here).stage === name) return here;
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'apps', name, APP_CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new ConfigError(`no committed config for ${name}:`, [
    `${APP_CONFIG_FILE}: neither ${here} (with stage: ${name}) nor apps/${name}/${APP_CONFIG_FILE} above ${from}: run from the workspace or the app folder, or pass appConfigFile`,
  ]);
}

/**
 * Validates a complete config object (for example one a team builds in code).
 *
 * @param schema which schema
 * @param name the environment, for messages
 * @param value the config
 * @throws ConfigError listing every invalid field
 */
export function parseConfig<S extends z.ZodType>(schema: S, name: string, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ConfigError(`invalid configuration for ${name}:`, result.error.issues.map((issue) => describeIssue(issue, value)));
}

function validate<S extends z.ZodType>(schema: S, name: EnvironmentName, options: LoadConfigOptions): z.output<S> {
  const appConfig = options.appConfigFile ?? findAppConfig(name);
  const committed = readConfigFile(appConfig);
  if (committed.stage !== name) {
    throw new ConfigError(`config file ${appConfig} does not fit ${name}:`, [`stage: the file is for "${String(committed.stage)}", not "${name}": name the config of the environment you synthesize`]);
  }
  const file = options.configFile ?? process.env[CONFIG_FILE_ENV];
  let merged: unknown = committed;
  let source = path.relative(process.cwd(), appConfig) || appConfig;
  if (file) {
    const fromFile = readConfigFile(file);
    if (fromFile.stage !== undefined && fromFile.stage !== name) {
      throw new ConfigError(`config file ${file} does not fit ${name}:`, [`stage: the file is for "${String(fromFile.stage)}", not "${name}": name the file of the environment you synthesize`]);
    }
    merged = deepMerge(merged, fromFile);
    source += ` + ${file}`;
  }
  if (options.overrides) merged = deepMerge(merged, options.overrides);
  try {
    return parseConfig(schema, name, merged);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`invalid configuration for ${name} (from ${source}):`, error.problems);
    throw error;
  }
}

/**
 * Reads a JSON or YAML override file that must hold a map of settings.
 *
 * @throws ConfigError when the file is missing, unreadable or not a map
 */
export function readConfigFile(file: string): Record<string, unknown> {
  const resolved = path.resolve(file);
  if (!existsSync(resolved)) throw new ConfigError(`config file ${file} not found:`, [`${CONFIG_FILE_ENV}: no file at ${resolved}: fix the path or unset it`]);
  const text = readFileSync(resolved, 'utf8');
  let value: unknown;
  try {
    value = /\.json$/i.test(resolved) ? JSON.parse(text) : YAML.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${file} cannot be parsed:`, [`${path.basename(file)}: ${(error as Error).message.split('\n')[0]}`]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`config file ${file} is not a map of settings:`, [`${path.basename(file)}: expected keys such as "account" at the top level`]);
  }
  return value as Record<string, unknown>;
}

const REVIEW_APPS_EXAMPLE = '1234,1250';

/**
 * Parses a comma-separated list of review-app numbers (pull request numbers).
 *
 * @param value e.g. `"1234,1250"`
 * @throws ConfigError for an empty list or entry, a name that is not a positive integer, a
 *   duplicate, or too many apps
 */
export function parseReviewApps(value: string): number[] {
  const names = value.split(',').map((n) => n.trim());
  if (names.every((name) => name === '')) {
    throw new ConfigError(`invalid review apps "${value}":`, [
      `reviewApps: the list is empty, which would synthesize no review app at all: name at least one (e.g. ${REVIEW_APPS_EXAMPLE}), or leave the setting out to synthesize the config's reviewApps.sample`,
    ]);
  }
  const problems: string[] = [];
  const numbers: number[] = [];
  for (const name of names) {
    if (name === '') {
      problems.push(`reviewApps: "${value}" has an empty entry: separate review app numbers with single commas, e.g. "${REVIEW_APPS_EXAMPLE}"`);
    } else if (!/^[1-9]\d*$/.test(name)) {
      problems.push(`reviewApps: "${name}" is not a review app name: use the pull request number, a positive integer such as 1234`);
    } else if (Number(name) > MAX_REVIEW_APP_NUMBER) {
      problems.push(`reviewApps: ${name} is above ${MAX_REVIEW_APP_NUMBER}: the number is the review app's listener rule priority, which the load balancer caps at 50000`);
    } else if (numbers.includes(Number(name))) {
      problems.push(`reviewApps: ${name} is listed twice: name each review app once`);
    } else {
      numbers.push(Number(name));
    }
  }
  if (numbers.length > LISTENER_RULE_QUOTA) {
    problems.push(`reviewApps: ${numbers.length} review apps exceed the shared load balancer listener's quota of ${LISTENER_RULE_QUOTA} rules: tear some down first`);
  }
  if (problems.length > 0) throw new ConfigError(`invalid review apps "${value}":`, problems);
  return numbers;
}

function describeIssue(issue: z.core.$ZodIssue, root: unknown): string {
  const where = issue.path.length > 0 ? configPath(issue.path) : '(top level)';
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}: remove ${issue.keys.length > 1 ? 'them' : 'it'} or check the spelling`;
  }
  if (issue.code === 'invalid_key') {
    // A record key that broke a rule: zod nests the key's own issues; the key is the path's last part.
    return `${where}: ${issue.issues.map((inner) => inner.message).join('; ')} (got key ${JSON.stringify(issue.path.at(-1))})`;
  }
  const found = valueAt(root, issue.path);
  const got = issue.code === 'unrecognized_keys' || found === undefined ? (issue.code === 'invalid_type' ? ' (missing)' : '') : ` (got ${JSON.stringify(found)})`;
  return `${where}: ${message}${got}`;
}

/**
 * A config path as a reader writes it: `edge.allowlist[0]`.
 *
 * @param parts keys and list indexes from the top level down
 */
export function configPath(parts: readonly PropertyKey[]): string {
  return parts.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index > 0 ? '.' : ''}${String(part)}`)).join('');
}

function valueAt(root: unknown, pathParts: readonly PropertyKey[]): unknown {
  let value = root;
  for (const part of pathParts) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/**
 * Merges `override` into `base`: maps merge key by key, anything else (lists included) replaces.
 *
 * @returns a new object; neither input changes
 */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(override)) out[key] = key in base ? deepMerge(base[key], value) : value;
    return out;
  }
  return override;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { GateInputError } from './errors';
import {
  ephemeralExemption,
  readAssemblyStacks,
  readTemplateFile,
  requireDirectory,
  validateEphemeralDeclarations,
  type StackTemplate,
} from './templates';
import { type EphemeralStackDeclaration, type ExemptStack } from './types';

/** Suffix of every baseline template file: `<artifact id>.template.json`, as in `cdk.out`. */
export const BASELINE_TEMPLATE_SUFFIX = '.template.json';

/** A committed baseline template. */
export interface BaselineTemplate {
  /** File name without {@link BASELINE_TEMPLATE_SUFFIX}: an artifact id (or a stack name). */
  readonly key: string;
  /** Absolute path of the file. */
  readonly file: string;
  /** The parsed template. */
  readonly template: StackTemplate;
}

/**
 * Reads every `*.template.json` file of a baseline folder.
 *
 * @param baselineDir the folder
 * @returns the templates by key (file name without `.template.json`), sorted by key
 * @throws GateInputError when the folder is missing or a template is unreadable
 */
export function readBaselineTemplates(baselineDir: string): Map<string, BaselineTemplate> {
  requireDirectory(baselineDir, 'baseline', `create it with \`core-policies baseline --assembly <cdk.out> --baseline ${baselineDir}\` after reviewing the synthesized templates`);
  const templates = new Map<string, BaselineTemplate>();
  for (const name of baselineFileNames(baselineDir)) {
    const file = path.resolve(baselineDir, name);
    const key = name.slice(0, -BASELINE_TEMPLATE_SUFFIX.length);
    templates.set(key, {
      key,
      file,
      template: readTemplateFile(file, 'baseline template', 'restore it from version control or refresh the baseline'),
    });
  }
  return templates;
}

/** Options of {@link writeBaseline}. */
export interface WriteBaselineOptions {
  /** The synthesized cloud assembly (`cdk.out`) to record. */
  readonly assemblyDir: string;
  /** The baseline folder, e.g. `apps/dev/baseline`; created when missing. */
  readonly baselineDir: string;
  /**
   * Stacks declared ephemeral in addition to those whose template says so; they get no baseline.
   *
   * @default - only stacks whose template declares `Metadata.CoreInfra.Lifecycle: ephemeral`
   */
  readonly ephemeralStacks?: readonly EphemeralStackDeclaration[];
}

/** What {@link writeBaseline} changed in the baseline folder. */
export interface BaselineUpdate {
  /** Absolute path of the baseline folder. */
  readonly baselineDir: string;
  /** Artifact ids of stacks whose baseline template was created. */
  readonly created: readonly string[];
  /** Artifact ids of stacks whose baseline template changed. */
  readonly updated: readonly string[];
  /** Artifact ids of stacks whose baseline template was already current. */
  readonly unchanged: readonly string[];
  /** File names of baseline templates deleted because their stack is no longer in the app (or is now ephemeral). */
  readonly removed: readonly string[];
  /** Ephemeral stacks, which get no baseline. */
  readonly exempt: readonly ExemptStack[];
}

/**
 * Refreshes a baseline folder from a synthesized cloud assembly, after the destructive changes
 * it records have been reviewed: copies each stack template (except ephemeral ones) byte for
 * byte to `<baselineDir>/<artifact id>.template.json` and deletes the baseline templates of
 * stacks that are no longer in the app. Other files (the acknowledgement file) are left alone.
 *
 * @param options the assembly and the baseline folder
 * @returns what changed
 * @throws GateInputError when the assembly is unreadable or holds no stack
 */
export function writeBaseline(options: WriteBaselineOptions): BaselineUpdate {
  const declarations = options.ephemeralStacks ?? [];
  validateEphemeralDeclarations(declarations);
  const stacks = readAssemblyStacks(options.assemblyDir);
  if (stacks.length === 0) {
    throw new GateInputError(
      `assembly ${options.assemblyDir} holds no stacks, so refreshing would empty the baseline; synthesize the app that ${options.baselineDir} belongs to`,
    );
  }
  const baselineDir = path.resolve(options.baselineDir);
  if (existsSync(baselineDir) && !statSync(baselineDir).isDirectory()) {
    throw new GateInputError(`baseline folder ${baselineDir} is not a folder; pass the folder that holds the baseline templates`);
  }
  mkdirSync(baselineDir, { recursive: true });

  const created: string[] = [];
  const updated: string[] = [];
  const unchanged: string[] = [];
  const exempt: ExemptStack[] = [];
  const kept = new Set<string>();
  for (const stack of stacks) {
    const exemption = ephemeralExemption(stack, declarations);
    if (exemption) {
      exempt.push({
        stack: stack.stack,
        stackName: stack.stackName,
        displayName: stack.displayName,
        templateFile: stack.templateFile,
        ...exemption,
      });
      continue;
    }
    const name = `${stack.stack}${BASELINE_TEMPLATE_SUFFIX}`;
    const target = path.join(baselineDir, name);
    kept.add(name);
    if (!existsSync(target)) {
      created.push(stack.stack);
    } else if (readFileSync(target).equals(readFileSync(stack.templateFile))) {
      unchanged.push(stack.stack);
      continue;
    } else {
      updated.push(stack.stack);
    }
    copyFileSync(stack.templateFile, target);
  }

  const removed = baselineFileNames(baselineDir).filter((name) => !kept.has(name));
  for (const name of removed) {
    rmSync(path.join(baselineDir, name));
  }
  return { baselineDir, created, updated, unchanged, removed, exempt };
}

function baselineFileNames(baselineDir: string): string[] {
  return readdirSync(baselineDir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(BASELINE_TEMPLATE_SUFFIX))
    .map((entry) => entry.name)
    .sort();
}

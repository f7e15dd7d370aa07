import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RuleFileToRun } from './coverage';
import { PolicyEngineError } from './guard-binary';
import { groupForMerging, mergeGuardSources, type GuardSource } from './merge-rules';
import { GuardResultCache, ruleSetDigest } from './result-cache';
import { runGuardJobs, type GuardFileResult, type GuardJob } from './run-guard';

/** A template for {@link evaluateWithGuard}. */
export interface GuardPlanTemplate {
  /** Absolute path of the JSON template file. */
  readonly path: string;
  /** Its parsed content. */
  readonly template: unknown;
}

/** How {@link evaluateWithGuard} runs cfn-guard. */
export interface GuardPlanOptions {
  /** Rule files of the rule set, each with the resource types it reports on (none: always runs). */
  readonly ruleFiles: readonly RuleFileToRun[];
  /** The templates to evaluate. */
  readonly templates: readonly GuardPlanTemplate[];
  /** Path of the cfn-guard binary. */
  readonly binary: string;
  /** Version of the binary (part of the cache key). */
  readonly guardVersion: string;
  /** Skip rule files none of whose resource types occur in a template. */
  readonly prune: boolean;
  /** Merge a template's rule files into as few cfn-guard inputs as keep rule names unique. */
  readonly merge: boolean;
  /** Where to keep and look up results; undefined evaluates every template. */
  readonly cache?: GuardResultCache;
  /** How many cfn-guard processes run at once (default: see `runGuard`). */
  readonly processes?: number;
}

/** cfn-guard's results, per template in the order given. */
export interface GuardPlanResult {
  /** cfn-guard's result for each template. */
  readonly results: readonly GuardFileResult[];
  /** For each template, the rule files left out because none of their resource types occur in it. */
  readonly pruned: readonly ReadonlySet<string>[];
  /** How many templates' results came from the cache. */
  readonly fromCache: number;
}

// Templates per cfn-guard process: small enough to spread over the cores, large enough that
// process start-up (about 15 ms) stays small beside evaluation.
const TEMPLATES_PER_JOB = 4;

/**
 * Evaluates templates with cfn-guard: prunes each template's rule set to the files whose resource
 * types it contains, takes unchanged templates from the result cache, merges the rule files of
 * the rest and runs them over the cores. A rule file without resource types always runs.
 *
 * cfn-guard never sees acknowledgements: a template whose resources carry `Metadata.guard` is
 * evaluated as a copy without it, so no rule can honour a suppression (the engine applies them,
 * with their reasons) and changing an acknowledgement never needs a re-evaluation.
 *
 * @throws PolicyEngineError when cfn-guard cannot evaluate every template with every applicable rule
 */
export function evaluateWithGuard(options: GuardPlanOptions): GuardPlanResult {
  if (options.ruleFiles.length === 0) {
    throw new PolicyEngineError('no guard rule files to evaluate: the rule set is empty, which would pass every template');
  }
  const sources = new Map(options.ruleFiles.map((file) => [file.path, readRuleFile(file.path)]));
  const digest = ruleSetDigest([
    options.guardVersion,
    options.binary,
    options.prune,
    options.merge,
    options.ruleFiles.map((f) => [sha256(sources.get(f.path)!.text), f.resourceTypes ?? null]),
  ]);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'core-policies-'));
  try {
    const results: (GuardFileResult | undefined)[] = [];
    const pruned: Set<string>[] = [];
    const inputs: string[] = [];
    let fromCache = 0;
    const misses = new Map<string, { files: RuleFileToRun[]; templates: { index: number; key?: string }[] }>();
    options.templates.forEach((template, index) => {
      const { file, bytes } = guardInput(template, path.join(scratch, `template-${index}.json`));
      inputs.push(file);
      const applicable = options.prune ? applicableRuleFiles(options.ruleFiles, resourceTypesOf(template.template)) : [...options.ruleFiles];
      pruned.push(new Set(options.ruleFiles.filter((f) => !applicable.includes(f)).map((f) => f.path)));
      if (applicable.length === 0) {
        // No rule file reports on any of its resource types: there is nothing for cfn-guard to do.
        results.push({ name: template.path, status: 'SKIP', not_compliant: [], compliant: [], not_applicable: [] });
        return;
      }
      const key = options.cache ? GuardResultCache.key(bytes(), digest) : undefined;
      const cached = key ? options.cache!.get(key, template.path) : undefined;
      results.push(cached);
      if (cached) {
        fromCache++;
        return;
      }
      const groupKey = applicable.map((f) => f.path).join('\n');
      const group = misses.get(groupKey) ?? { files: applicable, templates: [] };
      group.templates.push({ index, key });
      misses.set(groupKey, group);
    });
    if (misses.size > 0) {
      const jobs = [...misses.values()].flatMap((group, groupIndex) => jobsFor(group, groupIndex, inputs, options, sources, scratch));
      const byName = runJobs(jobs, options);
      for (const group of misses.values()) {
        for (const { index, key } of group.templates) {
          const result = byName.get(inputs[index]);
          if (!result) throw new PolicyEngineError(`cfn-guard did not report on ${options.templates[index].path}: the template was not evaluated`);
          results[index] = { ...result, name: options.templates[index].path };
          if (key) options.cache!.set(key, result);
        }
      }
      options.cache?.trim();
    }
    return { results: results as GuardFileResult[], pruned, fromCache };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The rule files that apply to a template holding these resource types: those that declare no
 * types, and those with at least one type present.
 */
export function applicableRuleFiles(ruleFiles: readonly RuleFileToRun[], types: ReadonlySet<string>): RuleFileToRun[] {
  return ruleFiles.filter((file) => !file.resourceTypes || file.resourceTypes.length === 0 || file.resourceTypes.some((t) => types.has(t)));
}

/** The `Type` of every resource of a parsed template. */
export function resourceTypesOf(template: unknown): Set<string> {
  const resources = (template as { Resources?: Record<string, { Type?: unknown } | null> } | null)?.Resources;
  if (typeof resources !== 'object' || resources === null) return new Set();
  return new Set(Object.values(resources).flatMap((r) => (typeof r?.Type === 'string' ? [r.Type] : [])));
}

// The file cfn-guard reads: the template itself, or a copy without `Metadata.guard` (template and
// resources) when it has acknowledgements. Its bytes are read only for a cache key.
function guardInput(template: GuardPlanTemplate, copyPath: string): { file: string; bytes: () => Buffer } {
  const stripped = withoutAcknowledgements(template.template);
  if (stripped === template.template) return { file: template.path, bytes: () => readFileSync(template.path) };
  const copy = Buffer.from(JSON.stringify(stripped, undefined, 1));
  writeFileSync(copyPath, copy);
  return { file: copyPath, bytes: () => copy };
}

function withoutAcknowledgements(template: unknown): unknown {
  const t = template as { Metadata?: unknown; Resources?: unknown } | null;
  if (typeof t !== 'object' || t === null) return template;
  let changed = false;
  const strip = <T>(node: T): T => {
    const metadata = (node as { Metadata?: unknown } | null)?.Metadata;
    if (typeof metadata !== 'object' || metadata === null || !('guard' in metadata)) return node;
    changed = true;
    const { guard: _acknowledgements, ...rest } = metadata as Record<string, unknown>;
    if (Object.keys(rest).length > 0) return { ...node, Metadata: rest };
    const { Metadata: _empty, ...withoutMetadata } = node as Record<string, unknown>;
    return withoutMetadata as T;
  };
  const top = strip(t);
  const resources = typeof t.Resources === 'object' && t.Resources !== null ? Object.fromEntries(Object.entries(t.Resources).map(([id, r]) => [id, strip(r)])) : t.Resources;
  return changed ? { ...top, Resources: resources } : template;
}

interface PlannedJob extends GuardJob {
  /** The same job with every rule file given separately, to name the file behind a merged failure. */
  readonly unmerged?: GuardJob;
}

function jobsFor(
  group: { files: RuleFileToRun[]; templates: { index: number }[] },
  groupIndex: number,
  inputs: readonly string[],
  options: GuardPlanOptions,
  sources: ReadonlyMap<string, GuardSource>,
  scratch: string,
): PlannedJob[] {
  const separate = group.files.map((f) => f.path);
  let ruleFiles = separate;
  if (options.merge && group.files.length > 1) {
    ruleFiles = groupForMerging(group.files.map((f) => sources.get(f.path)!)).map((merged, i) => {
      const file = path.join(scratch, `rules-${groupIndex}-${i}.guard`);
      writeFileSync(file, mergeGuardSources(merged));
      return file;
    });
  }
  const templates = group.templates.map((t) => inputs[t.index]);
  const jobs: PlannedJob[] = [];
  for (let i = 0; i < templates.length; i += TEMPLATES_PER_JOB) {
    const templateFiles = templates.slice(i, i + TEMPLATES_PER_JOB);
    jobs.push({ ruleFiles, templateFiles, unmerged: ruleFiles === separate ? undefined : { ruleFiles: separate, templateFiles } });
  }
  return jobs;
}

// A failure of a merged input is re-run with the files given separately, so the error names the
// rule file (and line) at fault; if the separate run passes, merging itself failed: still an error.
function runJobs(jobs: readonly PlannedJob[], options: GuardPlanOptions): Map<string, GuardFileResult> {
  try {
    return runGuardJobs(jobs, { binary: options.binary, processes: options.processes });
  } catch (error) {
    if (!(error instanceof PolicyEngineError) || jobs.every((j) => !j.unmerged)) throw error;
    runGuardJobs(
      jobs.map((j) => j.unmerged ?? j),
      { binary: options.binary, processes: options.processes },
    );
    throw new PolicyEngineError(`${error.message} (in rule files merged for one cfn-guard run; each file alone evaluates: report this as a merging defect)`);
  }
}

function readRuleFile(file: string): GuardSource {
  try {
    return { path: file, text: readFileSync(file, 'utf8') };
  } catch (error) {
    throw new PolicyEngineError(`cannot read guard rule file ${file}: ${(error as Error).message}`);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { environmentNames, type EnvironmentName } from '../config/load';
import { DeployInputError } from './errors';

/**
 * Puts environment names in deployment order, meta first and then the meta config's workloads
 * in their order (meta → dev → staging → production for CORE), without duplicates: meta holds the
 * registry, state stores and CI roles the others rely on, and a change reaches production only
 * after it went through dev and staging.
 *
 * @param names environment (Nx project) names, in any order
 * @param order every environment in deployment order
 * @throws DeployInputError for a name that is not one of the environments
 */
export function orderEnvironments(names: Iterable<string>, order: readonly string[] = environmentNames()): EnvironmentName[] {
  const wanted = new Set(names);
  const unknown = [...wanted].filter((name) => !order.includes(name));
  if (unknown.length > 0) {
    throw new DeployInputError(`${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not one of the environments (${order.join(', ')}): give each deployable Nx project an environment name`);
  }
  return order.filter((name) => wanted.has(name));
}

interface NxGraphOutput {
  readonly tasks?: { readonly tasks?: Record<string, { readonly target?: { readonly project?: string; readonly target?: string } }> };
}

/**
 * Turns the output of `nx affected -t deploy --graph=stdout` into the environments whose
 * deployment the change affects, in deployment order. Only the task graph counts: the project
 * graph in the same output lists every project, affected or not.
 *
 * @param graph the parsed JSON, or its text (anything Nx printed before the JSON is skipped)
 * @param target the Nx target to look for
 * @param order every environment in deployment order
 * @throws DeployInputError when the output holds no task graph
 */
export function environmentsFromAffectedGraph(graph: unknown, target = 'deploy', order: readonly string[] = environmentNames()): EnvironmentName[] {
  const parsed = (typeof graph === 'string' ? parseGraphText(graph) : graph) as NxGraphOutput;
  const tasks = parsed?.tasks?.tasks;
  if (typeof tasks !== 'object' || tasks === null) {
    throw new DeployInputError(`the Nx output has no task graph (tasks.tasks): produce it with nx affected -t ${target} --graph=stdout`);
  }
  const projects = Object.values(tasks)
    .filter((task) => task.target?.target === target && typeof task.target.project === 'string')
    .map((task) => task.target?.project as string);
  return orderEnvironments(projects, order);
}

/** Options of {@link listAffectedEnvironments}. */
export interface AffectedEnvironmentsOptions {
  /** Workspace root. */
  readonly workspaceRoot: string;
  /**
   * Base of the comparison.
   *
   * @default - Nx's default (`defaultBase` in nx.json, or `NX_BASE`)
   */
  readonly base?: string;
  /**
   * Head of the comparison.
   *
   * @default - the working tree
   */
  readonly head?: string;
  /**
   * Changed files to consider instead of a git comparison.
   *
   * @default - the git comparison of base and head
   */
  readonly files?: readonly string[];
  /**
   * Environment of the Nx process.
   *
   * @default - this process's environment
   */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Asks Nx which environments a change affects (`nx affected -t deploy --graph=stdout`) and
 * returns them in deployment order, ready for a pipeline that deploys meta first and
 * production last.
 *
 * @param options workspace, comparison and environment
 * @throws DeployInputError when Nx fails or prints no task graph
 */
export async function listAffectedEnvironments(options: AffectedEnvironmentsOptions): Promise<EnvironmentName[]> {
  const nxPackage = require.resolve('nx/package.json', { paths: [options.workspaceRoot] });
  const nxBin = (JSON.parse(readFileSync(nxPackage, 'utf8')) as { bin: Record<string, string> }).bin.nx;
  const args = [path.join(path.dirname(nxPackage), nxBin), 'affected', '-t', 'deploy', '--graph=stdout'];
  if (options.files !== undefined) args.push(`--files=${options.files.join(',')}`);
  if (options.base !== undefined) args.push(`--base=${options.base}`);
  if (options.head !== undefined) args.push(`--head=${options.head}`);
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, args, { cwd: options.workspaceRoot, env: options.env ?? process.env, maxBuffer: 256 * 1024 * 1024 }, (error, out, err) => {
      if (error) reject(new DeployInputError(`nx affected failed (${error.message.split('\n')[0]}): ${String(err).trim().split('\n').slice(-1)[0] ?? ''}`));
      else resolve(out);
    });
  });
  return environmentsFromAffectedGraph(stdout, 'deploy', environmentNames(options.workspaceRoot));
}

function parseGraphText(text: string): unknown {
  const start = text.indexOf('{');
  try {
    return JSON.parse(start >= 0 ? text.slice(start) : text);
  } catch (error) {
    throw new DeployInputError(`the Nx output is not JSON (${(error as Error).message}): produce it with nx affected -t deploy --graph=stdout`);
  }
}

// Running the benchmark's commands: in the workspace, with the environment it measures, each
// with its own log file in a scratch folder.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runMeasured, tail, type CommandResult } from './measure';
import { cacheSummary, isCacheHit, readNxProfile, tasksFromLog, type TaskRecord } from './nx';

/** The root of the workspace. */
export const WORKSPACE_ROOT = path.resolve(__dirname, '..', '..');

/** Node arguments that run a TypeScript file against the workspace packages' sources. */
const TSX_ARGS = ['--conditions=@core-infra/source', '--import', 'tsx'];

/** Prints a progress line on stderr (stdout is kept for the report). */
export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** The environment of every command: Nx without daemon, cloud or TUI, and the default configuration. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    FORCE_COLOR: '0',
    PATH: [path.dirname(process.execPath), path.join(WORKSPACE_ROOT, 'node_modules', '.bin'), process.env.PATH ?? ''].join(path.delimiter),
    ...extra,
  };
  // The benchmark measures the default configuration: dev with its two sample review apps.
  for (const name of ['CORE_REVIEW_APPS', 'CORE_CONFIG_FILE', 'NX_SKIP_NX_CACHE', 'NX_DISABLE_NX_CACHE', 'NX_PROFILE']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

/** Absolute path of a workspace binary (node_modules/.bin). */
export function bin(name: string): string {
  const file = path.join(WORKSPACE_ROOT, 'node_modules', '.bin', name);
  if (!existsSync(file)) throw new Error(`${name} is not installed: run npm ci first`);
  return file;
}

/** Command prefix of npm: the npm running this script when there is one, else `npm` on the PATH. */
export function npmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath && /npm-cli\.[cm]?js$/.test(execPath)) return [process.execPath, [execPath]];
  return ['npm', []];
}

/** How one command runs. */
export interface CommandOptions {
  /** @default - the workspace root */
  readonly cwd?: string;
  /** Added to (or kept in) {@link childEnv}. */
  readonly env?: Record<string, string>;
  /** Return a failed command instead of throwing. @default - a non-zero exit code throws */
  readonly allowFailure?: boolean;
}

/** One Nx command: the process, the tasks it ran and how many came from the cache. */
export interface NxRun {
  readonly result: CommandResult;
  readonly tasks: TaskRecord[];
  readonly cacheHits: number;
}

/** Runs commands measured, logging each into a numbered file in the scratch folder. */
export class CommandRunner {
  private logCount = 0;

  /** @param scratch folder for logs, profiles and helper results (deleted by the caller) */
  constructor(readonly scratch: string) {}

  /** Runs a command; a failure throws with the last lines of its log unless allowed. */
  async run(label: string, command: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
    const logFile = path.join(this.scratch, `${String(++this.logCount).padStart(3, '0')}-${label.replace(/[^\w.-]+/g, '_')}.log`);
    const result = await runMeasured(command, args, { cwd: options.cwd ?? WORKSPACE_ROOT, env: childEnv(options.env), logFile });
    if (result.exitCode !== 0 && !options.allowFailure) {
      throw new Error(`${label} failed with exit code ${result.exitCode}:\n${tail(result.logFile)}`);
    }
    return result;
  }

  /** Runs Nx with a profile trace, and reads the tasks and cache hits from the trace (or the log). */
  async nx(label: string, args: readonly string[], options: Pick<CommandOptions, 'env' | 'allowFailure'> = {}): Promise<NxRun> {
    const profile = path.join(this.scratch, `${label}-${++this.logCount}.profile.json`);
    // Nx joins NX_PROFILE to its working folder, so it must be relative.
    const result = await this.run(label, process.execPath, [require.resolve('nx/bin/nx'), ...args, '--outputStyle=static'], {
      env: { ...options.env, NX_PROFILE: path.relative(WORKSPACE_ROOT, profile) },
      allowFailure: options.allowFailure,
    });
    const logText = readFileSync(result.logFile, 'utf8');
    const tasks = readNxProfile(profile) ?? tasksFromLog(logText);
    const summary = cacheSummary(logText);
    const cacheHits = tasks.length > 0 ? tasks.filter((t) => isCacheHit(t.status)).length : (summary?.hits ?? 0);
    return { result, tasks, cacheHits };
  }

  /**
   * Runs a bench helper script (bench/synth-overhead.ts, bench/peers.ts), which writes its result
   * to the file after `--out`, and returns the process and that result.
   */
  async helper<T>(label: string, script: string, args: readonly string[], options: { readonly env?: Record<string, string>; readonly exposeGc?: boolean } = {}): Promise<{ process: CommandResult; output: T }> {
    const outFile = path.join(this.scratch, `${label}.json`);
    const nodeArgs = options.exposeGc ? [...TSX_ARGS, '--expose-gc'] : TSX_ARGS;
    const result = await this.run(label, process.execPath, [...nodeArgs, script, ...args, '--out', outFile], { env: options.env });
    return { process: result, output: JSON.parse(readFileSync(outFile, 'utf8')) as T };
  }
}

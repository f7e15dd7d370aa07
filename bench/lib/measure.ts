import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import * as path from 'node:path';

/** One process seen while a command ran, at its highest resident set size. */
export interface ProcessPeak {
  readonly pid: number;
  /** Command line, shortened. */
  readonly command: string;
  /** Peak resident set size (VmHWM) in bytes. */
  readonly peakRssBytes: number;
}

/** What running one command cost. */
export interface CommandResult {
  readonly exitCode: number;
  readonly wallMs: number;
  /**
   * Peak RSS of the largest single process of the tree, in bytes: the larger of the kernel's
   * figure for the largest waited-for descendant (`/usr/bin/time`, when installed) and the
   * highest VmHWM sampled from `/proc`.
   */
  readonly peakRssBytes: number;
  /** The largest process seen by the `/proc` sampler (undefined when none was sampled). */
  readonly largestProcess?: ProcessPeak;
  /** File holding the command's stdout and stderr. */
  readonly logFile: string;
}

/** Options of {@link runMeasured}. */
export interface RunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Where stdout and stderr go. */
  readonly logFile: string;
  /** Sampling period of the process-tree memory sampler, in ms. */
  readonly sampleMs?: number;
}

const TIME_BINARY = '/usr/bin/time';

/**
 * Runs a command, timing it from spawn to exit and following the peak memory of every process
 * it starts (Nx, the CDK CLI, the synthesizing app, cfn-guard...).
 */
export async function runMeasured(command: string, args: readonly string[], options: RunOptions): Promise<CommandResult> {
  const useTime = existsSync(TIME_BINARY);
  const timeFile = `${options.logFile}.rusage`;
  const [file, argv] = useTime ? [TIME_BINARY, ['-f', '%M', '-o', timeFile, command, ...args]] : [command, [...args]];
  const log = createWriteStream(options.logFile);
  await new Promise<void>((resolve, reject) => {
    log.once('open', () => resolve());
    log.once('error', reject);
  });
  const start = performance.now();
  const child = spawn(file, argv, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const sampler = new ProcessTreeSampler(child.pid!, options.sampleMs ?? 200);
  sampler.start();
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const wallMs = performance.now() - start;
  sampler.stop();
  await new Promise<void>((resolve) => log.end(resolve));
  let kernelPeak = 0;
  if (useTime && existsSync(timeFile)) {
    // GNU time prints the exit status first when the command failed; the last line is %M (KiB).
    const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
    kernelPeak = (Number(lines[lines.length - 1]) || 0) * 1024;
    rmSync(timeFile, { force: true });
  }
  const largestProcess = sampler.largest();
  return {
    exitCode,
    wallMs,
    peakRssBytes: Math.max(kernelPeak, largestProcess?.peakRssBytes ?? 0),
    largestProcess,
    logFile: options.logFile,
  };
}

/** Last lines of a log, for error messages. */
export function tail(file: string, lines = 30): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/**
 * Polls `/proc` for the descendants of one process and remembers each one's VmHWM (its own
 * peak RSS, which the kernel keeps, so a sample taken late still sees an earlier peak).
 */
class ProcessTreeSampler {
  private readonly peaks = new Map<number, ProcessPeak>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly rootPid: number,
    private readonly periodMs: number,
  ) {}

  start(): void {
    if (!existsSync('/proc/self/status')) return;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.periodMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  largest(): ProcessPeak | undefined {
    let best: ProcessPeak | undefined;
    for (const peak of this.peaks.values()) if (!best || peak.peakRssBytes > best.peakRssBytes) best = peak;
    return best;
  }

  private sample(): void {
    const parents = new Map<number, number>();
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        // Field 4 (ppid) follows the parenthesized command name, which may itself hold spaces.
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        parents.set(Number(entry), ppid);
      } catch {
        // the process exited between readdir and read
      }
    }
    const tree = new Set<number>([this.rootPid]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, ppid] of parents) {
        if (!tree.has(pid) && tree.has(ppid)) {
          tree.add(pid);
          grew = true;
        }
      }
    }
    for (const pid of tree) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const match = /VmHWM:\s+(\d+) kB/.exec(status);
        if (!match) continue;
        const bytes = Number(match[1]) * 1024;
        const known = this.peaks.get(pid);
        if (known && known.peakRssBytes >= bytes) continue;
        this.peaks.set(pid, { pid, command: known?.command ?? commandLine(pid), peakRssBytes: bytes });
      } catch {
        // exited
      }
    }
  }
}

function commandLine(pid: number): string {
  try {
    const parts = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((p) => p.length > 0);
    let shown = parts.map((p, i) => (i === 0 || p.startsWith('/') ? path.basename(p) : p)).join(' ');
    if (shown.length > 80) shown = `${shown.slice(0, 77)}...`;
    // The working folder tells which app a `node ... main.ts` belongs to.
    let cwd = '?';
    try {
      cwd = path.basename(readlinkSync(`/proc/${pid}/cwd`));
    } catch {
      // exited
    }
    return `${shown} [in ${cwd}]`;
  } catch {
    return '?';
  }
}

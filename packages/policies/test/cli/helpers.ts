import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src';

/** What one CLI run printed and returned. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process. */
export async function cli(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const BIN = path.join(__dirname, '..', '..', 'bin', 'core-policies.js');

/**
 * Runs the `core-policies` bin in a child process that is killed after `timeoutMs`, for inputs
 * that used to hang: a synchronous loop in-process would block the test runner for good.
 */
export function cliProcess(args: readonly string[], timeoutMs = 30_000): CliResult & { readonly killed: boolean } {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' });
  return { code: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '', killed: result.signal !== null };
}

/** A template no rule objects to. */
export const NEUTRAL_TEMPLATE = path.join(__dirname, '..', 'fixtures', 'templates', 'neutral.template.json');

/** A scratch folder. */
export function scratch(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `${prefix}-`));
}

/**
 * Writes a minimal cloud assembly whose manifest lists one stack `App` with the template
 * `App.template.json`, plus the given files (a file set to `undefined` is left out).
 */
export function handWrittenAssembly(files: Record<string, string | undefined> = {}): string {
  const dir = scratch('cli-assembly');
  const manifest = JSON.stringify({ version: '48.0.0', artifacts: { App: { type: 'aws:cloudformation:stack', properties: { templateFile: 'App.template.json' } } } });
  const all: Record<string, string | undefined> = { 'manifest.json': manifest, 'App.template.json': JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }), ...files };
  for (const [name, content] of Object.entries(all)) {
    if (content !== undefined) writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Whether stderr is exactly one line with no stack trace. */
export function expectOneLine(stderr: string): void {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
}

import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main';
import { type GateReport } from '../../src/gate';
import { removeScratch, scratchDir, synthGateApp } from './gate-apps';

let baselineAssembly: string;
let changedAssembly: string;
let workspace: string;
let baselineDir: string;

beforeAll(() => {
  baselineAssembly = synthGateApp();
  changedAssembly = synthGateApp({ uploadsBucketName: 'core-uploads-renamed' });
  workspace = scratchDir('cli');
  baselineDir = path.join(workspace, 'baseline');
}, 60_000);

afterAll(() => removeScratch(baselineAssembly, changedAssembly, workspace));

interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the commands in-process, through the core-policies program that hosts them. */
async function run(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { exitCode, stdout, stderr };
}

describe('core-policies baseline', () => {
  test('writes the baseline and exits 0', async () => {
    // WHEN
    const result = await run('baseline', '--assembly', baselineAssembly, '--baseline', baselineDir);

    // THEN
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('refreshed:');
    expect(existsSync(path.join(baselineDir, 'Data.template.json'))).toBe(true);
  });

  test('exits 2 with one line when the assembly is missing', async () => {
    // WHEN
    const result = await run('baseline', '--assembly', path.join(workspace, 'missing'), '--baseline', baselineDir);

    // THEN
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      `core-policies baseline: assembly folder ${path.join(workspace, 'missing')} does not exist; pass the cdk.out folder written by \`cdk synth\`\n`,
    );
  });
});

describe('core-policies diff', () => {
  beforeAll(async () => {
    await run('baseline', '--assembly', baselineAssembly, '--baseline', baselineDir);
  });

  test('exits 0 when nothing destructive changed', async () => {
    // WHEN
    const result = await run('diff', '--baseline', baselineDir, '--assembly', baselineAssembly);

    // THEN
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Destructive-change gate: PASSED\n/);
    expect(result.stderr).toBe('');
  });

  test('exits 1 and prints the finding when a bucket would be replaced', async () => {
    // WHEN
    const result = await run('diff', '--baseline', baselineDir, '--assembly', changedAssembly);

    // THEN
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('FAILED (1 blocking change, 0 acknowledgement problems)');
    expect(result.stdout).toContain('forces replacement: BucketName');
  });

  test('--format json prints the report object', async () => {
    // WHEN
    const result = await run('diff', '--baseline', baselineDir, '--assembly', changedAssembly, '--format', 'json');

    // THEN
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as GateReport;
    expect(report.passed).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({ stack: 'Data', change: 'replace', resourceType: 'AWS::S3::Bucket' })]);
  });

  test('--acknowledgements lets an acknowledged change through', async () => {
    // GIVEN
    const { stdout } = await run('diff', '--baseline', baselineDir, '--assembly', changedAssembly, '--format', 'json');
    const [finding] = (JSON.parse(stdout) as GateReport).findings;
    const file = path.join(workspace, 'reviewed.yaml');
    writeFileSync(
      file,
      `- stack: ${finding.stack}\n  logicalId: ${finding.logicalId}\n  change: replace\n  reason: Objects are copied by the migration job first\n`,
    );

    // WHEN
    const result = await run('diff', '--baseline', baselineDir, '--assembly', changedAssembly, '--acknowledgements', file);

    // THEN
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Acknowledged (allowed):');
  });

  test('exits 2 with one line for a missing baseline folder', async () => {
    // WHEN
    const missing = path.join(workspace, 'no-baseline');
    const result = await run('diff', '--baseline', missing, '--assembly', baselineAssembly);

    // THEN
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^core-policies diff: baseline folder ${missing} does not exist; create it with .*\\n$`));
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('exits 2 with one line for a folder without manifest.json', async () => {
    // WHEN
    const result = await run('diff', '--baseline', baselineDir, '--assembly', workspace);

    // THEN
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`core-policies diff: ${workspace} is not a cloud assembly: it has no manifest.json (run cdk synth first)\n`);
  });

  test('exits 2 for an invalid acknowledgement file', async () => {
    // GIVEN
    const file = path.join(workspace, 'short-reason.yaml');
    writeFileSync(file, '- stack: Data\n  logicalId: Uploads\n  change: replace\n  reason: planned\n');

    // WHEN
    const result = await run('diff', '--baseline', baselineDir, '--assembly', changedAssembly, '--acknowledgements', file);

    // THEN
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`core-policies diff: ${file} is invalid: entry 0 (logicalId Uploads): reason "planned" is 7 characters`);
  });

  test('exits 2 when a required option is missing', async () => {
    // WHEN
    const result = await run('diff', '--assembly', baselineAssembly);

    // THEN
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("required option '--baseline <dir>' not specified");
  });

  test('exits 2 for an unknown format', async () => {
    // WHEN
    const result = await run('diff', '--baseline', baselineDir, '--assembly', baselineAssembly, '--format', 'sarif');

    // THEN
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("argument 'sarif' is invalid. Allowed choices are text, json.");
  });
});

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { cdkDiffArgs, readAssemblyStacks, resolveCdkCli } from '../../src';
import { committedTemplate, logicalIdOf, removeProductionApps, writeProductionApp } from './production-app';

// The real AWS CDK CLI on an assembly whose stacks live in a Stage, offline: `--template` gives
// it the baseline to compare with instead of the deployed stack, so no AWS call is made. It
// proves why `core-deploy diff --deployed` names the stacks: without a selector the CLI picks
// only top-level stacks, finds none, and reports no differences for a real change.

const workspaceRoot = path.resolve(__dirname, '../../../..');
const data = committedTemplate('data');
const alarmId = logicalIdOf(data, 'AWS::CloudWatch::Alarm', 'DatabaseCpuAlarm');

function cdk(args: readonly string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [resolveCdkCli(workspaceRoot), ...args], {
    cwd: workspaceRoot,
    encoding: 'utf8',
    // No AWS access: no credentials, no instance metadata, no version check over the network.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CDK_DISABLE_VERSION_CHECK: 'true', AWS_EC2_METADATA_DISABLED: 'true', NO_COLOR: '1', CI: 'true' },
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

afterAll(removeProductionApps);

describe('cdk diff of a stack inside a Stage (real CDK CLI, offline)', () => {
  test('selected by its id, it reports the changed alarm threshold and exits 0', () => {
    // GIVEN the production data stack with its CPU alarm threshold raised, and its baseline
    const changed = writeProductionApp({ data: (template) => void (template.Resources[alarmId].Properties = { ...template.Resources[alarmId].Properties, Threshold: 95 }) });
    const stackIds = readAssemblyStacks(changed.assembly)
      .filter((stack) => stack.id === 'core-prod/data')
      .map((stack) => stack.id);
    const baselineFile = path.join(changed.baseline, 'coreproddata49DE54EE.template.json');

    // WHEN the CLI compares exactly that stack, as core-deploy diff --deployed selects it
    const selected = cdk([...cdkDiffArgs(changed.assembly, stackIds), '--template', baselineFile]);

    // THEN it finds the difference
    expect(stackIds).toEqual(['core-prod/data']);
    expect(selected.status).toBe(0);
    expect(selected.output).toContain('Stack core-prod/data (core-prod-data)');
    expect(selected.output).toMatch(/\[~\] AWS::CloudWatch::Alarm .*DatabaseCpuAlarm37AB9B85[\s\S]*Threshold[\s\S]*\[-\] 90[\s\S]*\[\+\] 95/);
    expect(selected.output).toContain('Number of stacks with differences: 1');

    // AND without a selector (what the Nx diff target ran) it selects nothing and sees no change
    const unselected = cdk(['diff', '--app', changed.assembly]);
    expect(unselected.status).toBe(0);
    expect(unselected.output).toContain('Number of stacks with differences: 0');
  }, 120_000);

  test('cdkDiffArgs names the stacks after --exclusively', () => {
    expect(cdkDiffArgs('/a/cdk.out', ['core-prod/network', 'core-prod/data'])).toEqual(['diff', '--app', '/a/cdk.out', '--exclusively', 'core-prod/network', 'core-prod/data']);
  });
});

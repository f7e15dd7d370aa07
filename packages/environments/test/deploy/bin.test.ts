import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { removeFakeApps, stagingLikeStacks, writeFakeApp } from './fake-assembly';

// The `core-deploy` executable as Nx runs it: a separate Node process on the TypeScript sources.

const bin = path.resolve(__dirname, '../../bin/core-deploy.js');
afterAll(removeFakeApps);

function run(args: string[]) {
  const env = { ...process.env };
  delete env.CORE_CONFIG_FILE;
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, timeout: 60_000 });
}

test('plans a deployment and exits 0', () => {
  const { assembly } = writeFakeApp([{ name: 'core-staging', stacks: stagingLikeStacks() }]);
  const result = run(['deploy', '--env', 'staging', '--assembly', assembly, '--dry-run', '--git-sha', 'b'.repeat(40)]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('core-deploy: deploy staging (dry run: nothing is deployed, locked or archived)');
}, 60_000);

test('exits 2 with one line for bad usage', () => {
  const result = run(['deploy', '--env', 'qa', '--assembly', '.']);
  expect(result.status).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
}, 60_000);

describe('check-configs', () => {
  test('passes the committed configs with exit 0', () => {
    const result = run(['check-configs']);
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      status: 0,
      stdout: 'the configs of meta, dev, staging, production are valid and fit together\n',
      stderr: '',
    });
  }, 60_000);

  test('exits 2 naming the path when staging is given the production account, and no stack trace', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'check-configs-'));
    const file = path.join(dir, 'staging.yaml');
    writeFileSync(file, 'account: "100000000004"\n');
    const result = run(['check-configs', '--config', `staging=${file}`]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^core-deploy: the environments do not fit together:\n/);
    expect(result.stderr).toContain('✖ production.account: is also the staging account; every environment needs an account of its own: a deploy meant for one would land in production (got "100000000004")');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  test('exits 2 with one line naming the value and the fix when --config is not <environment>=<file>', () => {
    const result = run(['check-configs', '--config', 'prod.yaml']);
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      status: 2,
      stdout: '',
      stderr: 'error: --config "prod.yaml" is not <environment>=<file>: write e.g. --config production=prod.yaml\n',
    });
  }, 60_000);
});

import { spawnSync } from 'node:child_process';
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

import * as path from 'node:path';
import { cdkDeployArgs, cdkDestroyArgs, resolveCdkCli, runCdkCli } from '../../src';

const workspaceRoot = path.resolve(__dirname, '../../../..');

describe('CDK CLI arguments', () => {
  test('deploy reads the assembly, one stack at a time, exactly the planned stacks', () => {
    expect(cdkDeployArgs('/a/cdk.out', ['core-staging/network', 'core-staging/data'], 'any-change')).toEqual([
      'deploy',
      '--app',
      '/a/cdk.out',
      '--require-approval',
      'any-change',
      '--concurrency',
      '1',
      '--exclusively',
      'core-staging/network',
      'core-staging/data',
    ]);
  });

  test('destroy runs without a prompt and only on the named stacks', () => {
    expect(cdkDestroyArgs('/a/cdk.out', ['core-review-1/app'])).toEqual(['destroy', '--app', '/a/cdk.out', '--force', '--exclusively', 'core-review-1/app']);
  });
});

describe('the installed CDK CLI', () => {
  test("is found from the app's folder", () => {
    expect(resolveCdkCli(path.join(workspaceRoot, 'apps/staging'))).toBe(path.join(workspaceRoot, 'node_modules/aws-cdk/bin/cdk'));
  });

  test('runs and reports its exit code (cdk --version needs no AWS access)', async () => {
    expect(await runCdkCli(['--version'], { cwd: workspaceRoot })).toBe(0);
  }, 60_000);
});

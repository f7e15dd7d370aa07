import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeConfigFile } from '../deploy/fake-assembly';
import { baselineAssembly, removeBaselineAssemblies } from './baseline-assembly';
import { recordingCdk, runDeploy } from '../support/deploy-cli';

afterAll(removeBaselineAssemblies);

async function cli(args: readonly string[], exitCode = 0) {
  const cdk = recordingCdk(exitCode);
  return { ...(await runDeploy(args, { env: {}, log: () => undefined, runCdk: cdk.runCdk })), cdkCalls: cdk.calls };
}

describe('core-deploy bootstrap --dry-run', () => {
  test.each([
    ['meta', ['eu-west-2', 'eu-west-1'], 'core-meta'],
    ['dev', ['eu-west-2', 'us-east-1'], 'core-dev'],
    ['staging', ['eu-west-2', 'us-east-1'], 'core-staging'],
    ['production', ['eu-west-2', 'us-east-1'], 'core-prod'],
  ])('%s: prints the exact cdk bootstrap command of each region and the generated policies, and runs nothing', async (environment, regions, prefix) => {
    const assembly = baselineAssembly(environment as 'meta');
    const { code, stdout, stderr, cdkCalls } = await cli(['bootstrap', '--env', environment, '--assembly', assembly, '--dry-run']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(cdkCalls).toEqual([]);
    expect(existsSync(path.join(assembly, 'bootstrap'))).toBe(false);
    const commands = stdout.split('\n').filter((line) => line.startsWith('  command: cdk bootstrap '));
    expect(commands).toHaveLength(regions.length);
    regions.forEach((region, index) => {
      const command = commands[index];
      const account = /aws:\/\/(\d{12})\//.exec(command)?.[1] ?? '';
      expect(command).toContain(`aws://${account}/${region} --template ${path.join(assembly, 'bootstrap', `bootstrap-${account}-${region}.json`)}`);
      expect(command).toContain(`--qualifier hnb659fds --trust arn:aws:iam::${account}:role/${prefix}-infrastructure-deployment`);
      expect(command).toContain(`--cloudformation-execution-policies arn:aws:iam::${account}:policy/cdk-hnb659fds-cfn-exec-policy-${account}-${region}`);
      expect(command).toContain('--bootstrap-customer-key --termination-protection');
      expect(command).not.toMatch(/:root|AdministratorAccess|--trust-for-lookup/);
    });
    expect(stdout).toContain('execution policy statements');
    expect(stdout).toContain('"Sid":"ManageKMS"');
    expect(stdout).toContain('placeholder account id');
  });
});

describe('core-deploy bootstrap', () => {
  test('a real run writes each rendered template and runs its cdk bootstrap through the CDK runner', async () => {
    const assembly = baselineAssembly('staging', { account: '123456789012' });
    const configFile = writeConfigFile({ account: '123456789012' });
    const { code, stderr, cdkCalls } = await cli(['bootstrap', '--env', 'staging', '--assembly', assembly, '--config-file', configFile]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(cdkCalls.map((args) => args[1])).toEqual(['aws://123456789012/eu-west-2', 'aws://123456789012/us-east-1']);
    const template = JSON.parse(readFileSync(cdkCalls[1][3], 'utf8'));
    const actions = template.Resources.CloudFormationExecutionPolicy.Properties.PolicyDocument.Statement.flatMap((s: { Action: string[] }) => s.Action);
    expect(actions).toEqual(expect.arrayContaining(['cloudfront:*', 'wafv2:*', 'acm:*']));
    expect(actions).not.toContain('rds:*');
  });

  test('a failed cdk bootstrap stops the run with exit 1', async () => {
    const assembly = baselineAssembly('staging', { account: '123456789012' });
    const configFile = writeConfigFile({ account: '123456789012' });
    const { code, stderr, cdkCalls } = await cli(['bootstrap', '--env', 'staging', '--assembly', assembly, '--config-file', configFile], 1);
    expect(code).toBe(1);
    expect(cdkCalls).toHaveLength(1);
    expect(stderr).toContain('cdk bootstrap of aws://123456789012/eu-west-2 exited 1');
  });

  test('a real run refuses the placeholder accounts of the committed config: exit 2, nothing run', async () => {
    const { code, stderr, cdkCalls } = await cli(['bootstrap', '--env', 'staging', '--assembly', baselineAssembly('staging')]);
    expect(code).toBe(2);
    expect(stderr).toContain('placeholder account id 100000000003');
    expect(cdkCalls).toEqual([]);
  });

  test('an unknown environment is a usage error naming the environments: exit 2, nothing run', async () => {
    const { code, stderr, cdkCalls } = await cli(['bootstrap', '--env', 'qa', '--dry-run']);
    expect(code).toBe(2);
    expect(stderr).toContain('"qa" is not an environment of this workspace; choose from meta, dev, staging, production');
    expect(cdkCalls).toEqual([]);
  });

  test("another environment's assembly is refused: exit 2, nothing run", async () => {
    const { code, stderr, cdkCalls } = await cli(['bootstrap', '--env', 'production', '--assembly', baselineAssembly('staging'), '--dry-run']);
    expect(code).toBe(2);
    expect(stderr).toContain('which is not part of production');
    expect(cdkCalls).toEqual([]);
  });

  test('--help shows examples', async () => {
    const { code, stdout } = await cli(['bootstrap', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Examples:');
    expect(stdout).toContain('core-deploy bootstrap --env staging --dry-run');
  });
});

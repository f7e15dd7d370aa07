import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { coreAppContext } from '@core-infra/policies';
import { buildEnvironmentApp, type DeployPlan } from '../../src';
import { recordingCdk, runDeploy } from '../support/deploy-cli';

// The plan of the real staging app, synthesized once with its policy plugin: what the manifest
// really says about stack order, roles and termination protection, not what a fixture assumes.

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('the plan of a synthesized staging assembly', () => {
  let appDir: string;
  let assembly: string;
  let plan: DeployPlan;

  async function cli(args: readonly string[]) {
    const cdk = recordingCdk();
    return { ...(await runDeploy(args, { env: {}, runCdk: cdk.runCdk })), cdkCalls: cdk.calls };
  }

  beforeAll(async () => {
    appDir = mkdtempSync(path.join(tmpdir(), 'core-deploy-staging-'));
    assembly = path.join(appDir, 'cdk.out');
    const app = new App({ outdir: assembly, context: coreAppContext(), autoSynth: false });
    buildEnvironmentApp('staging', { app });
    // CDK's own template validator prints its advisory warnings (hard-coded AZs) on every synth;
    // they belong to the network construct's tests, not to the plan's.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      app.synth();
    } finally {
      quiet.mockRestore();
    }
    const result = await cli(['deploy', '--env', 'staging', '--assembly', assembly, '--dry-run', '--git-sha', SHA, '--format', 'json']);
    expect(result.stderr).toBe('');
    plan = JSON.parse(result.stdout) as DeployPlan;
  }, 300_000);

  afterAll(() => {
    rmSync(appDir, { recursive: true, force: true });
  });

  test('the policy plugin left its run record, which the plan relies on', () => {
    expect(existsSync(path.join(assembly, 'core-policies-run.json'))).toBe(true);
    expect(plan.validation?.summary).toBe('passed at synthesis (profile baseline, 0 violations; core-policies-run.json)');
  });

  test('orders the stacks by their manifest dependencies: data before app, edge after app and monitoring', () => {
    const order = plan.stacks.map((stack) => stack.id);
    const at = (name: string) => order.indexOf(`core-staging/${name}`);
    expect(order).toHaveLength(6);
    expect(at('network')).toBeLessThan(at('data'));
    expect(at('data')).toBeLessThan(at('app'));
    expect(at('app')).toBeLessThan(at('edge'));
    expect(at('monitoring')).toBeLessThan(at('edge'));
  });

  test('names each stack, its account and region, the rendered CDK deploy role and termination protection', () => {
    const byId = Object.fromEntries(plan.stacks.map((stack) => [stack.id, stack]));
    expect(byId['core-staging/edge']).toMatchObject({
      stackName: 'core-staging-edge',
      account: '100000000003',
      region: 'us-east-1',
      deployRoleArn: 'arn:aws:iam::100000000003:role/cdk-hnb659fds-deploy-role-100000000003-us-east-1',
      terminationProtection: false,
    });
    expect(byId['core-staging/data']).toMatchObject({ stackName: 'core-staging-data', region: 'eu-west-2', terminationProtection: true });
    expect(plan.stacks.every((stack) => stack.deployRoleArn?.startsWith('arn:aws:iam::100000000003:role/'))).toBe(true);
  });

  test('takes the staging lock of the non-prod store and archives under assemblies/staging/', () => {
    expect(plan.lock).toMatchObject({ tableName: 'core-non-prod-deployment-lock', lockId: 'locks/staging' });
    expect(plan.archive?.prefix).toBe(`assemblies/staging/<finish time YYYYMMDDTHHMMSSZ>-${SHA}/`);
  });

  test('a real run of the embedded config is refused: its accounts are placeholders', async () => {
    const result = await cli(['deploy', '--env', 'staging', '--assembly', assembly, '--git-sha', SHA]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refused: placeholder account ids from the committed config: 100000000003 \(stacks\).*CORE_CONFIG_FILE/);
    expect(result.cdkCalls).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type DeployDependencies, type DeployPlan } from '../../src';
import { removeFakeApps, stagingLikeStacks, writeConfigFile, writeFakeApp, type FakeStack } from './fake-assembly';
import { recordingCdk, runDeploy } from '../support/deploy-cli';

// The dry-run plan of `core-deploy deploy` on small hand-written assemblies: which stacks, in
// which order, with which role, lock, approval level and archive; and every refusal, which
// must exit 2 with one line naming the field, the value and the fix.

const SHA = '0123456789abcdef0123456789abcdef01234567';
const workspaceRoot = path.resolve(__dirname, '../../../..');

afterAll(() => {
  removeFakeApps();
});

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly cdkCalls: (readonly string[])[];
}

async function cli(args: readonly string[], deps: DeployDependencies = {}): Promise<CliResult> {
  const cdk = recordingCdk();
  return { ...(await runDeploy(args, { env: {}, runCdk: cdk.runCdk, ...deps })), cdkCalls: cdk.calls };
}

const plan = async (args: readonly string[]): Promise<DeployPlan> => {
  const result = await cli([...args, '--format', 'json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as DeployPlan;
};

const devStages = (account = '100000000002') => [
  { name: 'core-dev', stacks: stagingLikeStacks(account) },
  { name: 'core-review-1234', stacks: [{ name: 'app', account }] },
  { name: 'core-review-1250', stacks: [{ name: 'app', account }] },
];

function expectOneLineRefusal(result: CliResult, message: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.cdkCalls).toEqual([]);
}

describe('core-deploy deploy --dry-run', () => {
  describe('the text plan of staging', () => {
    let result: CliResult;
    let assembly: string;

    beforeAll(async () => {
      ({ assembly } = writeFakeApp([{ name: 'core-staging', stacks: stagingLikeStacks() }], { report: true }));
      result = await cli(['deploy', '--env', 'staging', '--assembly', assembly, '--dry-run', '--git-sha', SHA, '--holder', 'github-actions:deploy-staging', '--run-id', '987654']);
    });

    test('exits 0 without running the CDK CLI', () => {
      expect(result.code).toBe(0);
      expect(result.cdkCalls).toEqual([]);
    });

    test('names the environment, assembly, validation, approval, lock and archive', () => {
      expect(result.stdout).toContain('core-deploy: deploy staging (dry run: nothing is deployed, locked or archived)');
      expect(result.stdout).toMatch(/^ {2}environment: {2}staging$/m);
      expect(result.stdout).toContain(`  assembly:     ${assembly}\n`);
      expect(result.stdout).toMatch(/validation: {3}passed \(profile baseline, 0 open findings, 0 acknowledged; .*reports\/policy-report\.json\)/);
      expect(result.stdout).toContain('approval:     --require-approval broadening');
      expect(result.stdout).toContain(
        'lock:         locks/staging in DynamoDB table core-non-prod-deployment-lock (account 100000000001, eu-west-2), held by github-actions:deploy-staging, run 987654 for at most 180m',
      );
      expect(result.stdout).toContain(`archive:      s3://core-non-prod-deployment-state-100000000001/assemblies/staging/<finish time YYYYMMDDTHHMMSSZ>-${SHA}/`);
    });

    test('lists every stack in order with stack name, account and region, deploy role and termination protection', () => {
      expect(result.stdout).toContain(
        [
          '  4. core-staging/data',
          '       stack name:             core-staging-data',
          '       account / region:       100000000003 / eu-west-2',
          '       deploy role:            arn:aws:iam::100000000003:role/cdk-hnb659fds-deploy-role-100000000003-eu-west-2',
          '       termination protection: on',
        ].join('\n'),
      );
      expect(result.stdout).toContain('  6. core-staging/edge\n       stack name:             core-staging-edge\n       account / region:       100000000003 / us-east-1');
      expect(result.stdout).not.toContain('${AWS::Partition}');
    });

    test('shows the exact cdk command', () => {
      expect(result.stdout).toContain(
        `Command: cdk deploy --app ${assembly} --require-approval broadening --concurrency 1 --exclusively core-staging/deployment-access core-staging/monitoring core-staging/network core-staging/data core-staging/app core-staging/edge`,
      );
    });

    test('warns that a real run refuses the placeholder accounts', () => {
      expect(result.stdout).toMatch(/Warnings \(a real run refuses these\):\n {2}! placeholder account ids from the committed config: 100000000003 \(stacks\), 100000000001 \(meta account of the deployment state store\): .*CORE_CONFIG_FILE/);
    });
  });

  test('the JSON plan orders stacks by dependency (data before app; edge after app and monitoring)', async () => {
    const { assembly } = writeFakeApp([{ name: 'core-staging', stacks: stagingLikeStacks() }]);
    const json = await plan(['deploy', '--env', 'staging', '--assembly', assembly, '--dry-run', '--git-sha', SHA]);
    expect(json).toMatchObject({
      action: 'deploy',
      environment: 'staging',
      deploymentName: 'staging',
      dryRun: true,
      assembly,
      requireApproval: 'broadening',
      lock: { tableName: 'core-non-prod-deployment-lock', lockId: 'locks/staging', account: '100000000001', region: 'eu-west-2', ttlSeconds: 10800 },
      archive: { bucket: 'core-non-prod-deployment-state-100000000001', prefix: `assemblies/staging/<finish time YYYYMMDDTHHMMSSZ>-${SHA}/`, gitSha: SHA },
      validation: { profile: 'baseline' },
    });
    const order = json.stacks.map((stack) => stack.id.replace('core-staging/', ''));
    expect(order).toEqual(['deployment-access', 'monitoring', 'network', 'data', 'app', 'edge']);
    expect(json.stacks.map((stack) => stack.order)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(json.stacks[3]).toEqual({
      order: 4,
      id: 'core-staging/data',
      stackName: 'core-staging-data',
      account: '100000000003',
      region: 'eu-west-2',
      deployRoleArn: 'arn:aws:iam::100000000003:role/cdk-hnb659fds-deploy-role-100000000003-eu-west-2',
      terminationProtection: true,
    });
    expect(json.cdkArgs.slice(0, 8)).toEqual(['deploy', '--app', assembly, '--require-approval', 'broadening', '--concurrency', '1', '--exclusively']);
  });

  test('production, as its Nx target runs it, requires approval of any change and uses the prod store', async () => {
    const target = JSON.parse(readFileSync(path.join(workspaceRoot, 'apps/production/package.json'), 'utf8')).nx.targets.deploy.options.command as string;
    expect(target).toBe('core-deploy deploy --env production --assembly cdk.out --require-approval any-change');
    const { assembly } = writeFakeApp([{ name: 'core-prod', stacks: stagingLikeStacks('100000000004') }], { runRecord: { profile: 'production' } });
    const args = target.split(' ').slice(1).map((arg) => (arg === 'cdk.out' ? assembly : arg));

    const text = await cli([...args, '--dry-run', '--git-sha', SHA]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('approval:     --require-approval any-change (every change waits for a person to approve it)');
    const json = await plan([...args, '--dry-run', '--git-sha', SHA]);
    expect(json.requireApproval).toBe('any-change');
    expect(json.cdkArgs).toContain('any-change');
    expect(json.lock).toMatchObject({ tableName: 'core-prod-deployment-lock', lockId: 'locks/production' });
    expect(json.archive?.bucket).toBe('core-prod-deployment-state-100000000001');
  });

  test('meta deploys under the prod store, the one its GitHub environment role may use', async () => {
    const { assembly } = writeFakeApp([{ name: 'core-meta', stacks: [{ name: 'state-replica', region: 'eu-west-1' }, { name: 'state', dependsOn: ['state-replica'] }] }], { account: '100000000001' });
    const json = await plan(['deploy', '--env', 'meta', '--assembly', assembly, '--dry-run', '--git-sha', SHA]);
    expect(json.stacks.map((stack) => stack.id)).toEqual(['core-meta/state-replica', 'core-meta/state']);
    expect(json.lock).toMatchObject({ tableName: 'core-prod-deployment-lock', lockId: 'locks/meta' });
  });

  describe('dev and its review apps', () => {
    test('deploys the shared dev stacks only, never the review apps', async () => {
      const { assembly } = writeFakeApp(devStages());
      const json = await plan(['deploy', '--env', 'dev', '--assembly', assembly, '--dry-run', '--git-sha', SHA]);
      expect(json.stacks.map((stack) => stack.id)).toEqual([
        'core-dev/deployment-access',
        'core-dev/monitoring',
        'core-dev/network',
        'core-dev/data',
        'core-dev/app',
        'core-dev/edge',
      ]);
    });

    test('--review-app N deploys only that review app, under its own lock and archive', async () => {
      const { assembly } = writeFakeApp(devStages());
      const json = await plan(['deploy', '--env', 'dev', '--assembly', assembly, '--dry-run', '--git-sha', SHA, '--review-app', '1234']);
      expect(json.stacks.map((stack) => stack.id)).toEqual(['core-review-1234/app']);
      expect(json.deploymentName).toBe('review-1234');
      expect(json.lock).toMatchObject({ tableName: 'core-non-prod-deployment-lock', lockId: 'locks/review-1234' });
      expect(json.archive?.prefix).toBe(`assemblies/review-1234/<finish time YYYYMMDDTHHMMSSZ>-${SHA}/`);
      expect(json.cdkArgs.slice(-2)).toEqual(['--exclusively', 'core-review-1234/app']);
    });

    test('--review-app 99, not in the assembly, exits 2 with the fix', async () => {
      const { assembly } = writeFakeApp(devStages());
      const result = await cli(['deploy', '--env', 'dev', '--assembly', assembly, '--dry-run', '--review-app', '99']);
      expectOneLineRefusal(result, /--review-app: .* has no stage core-review-99 \(it holds core-dev, core-review-1234, core-review-1250\): synthesize with -c reviewApps=99/);
    });

    test('--review-app outside dev exits 2', async () => {
      const { assembly } = writeFakeApp([{ name: 'core-staging', stacks: stagingLikeStacks() }]);
      expectOneLineRefusal(await cli(['deploy', '--env', 'staging', '--assembly', assembly, '--review-app', '1234']), /--review-app: review apps live in dev, not staging/);
    });
  });

  describe('refuses an assembly without proof of policy validation', () => {
    test('no core-policies-run.json, even for a dry run', async () => {
      const { assembly } = writeFakeApp([{ name: 'core-staging', stacks: stagingLikeStacks() }], { runRecord: false });
      expectOneLineRefusal(await cli(['deploy', '--env', 'staging', '--assembly', assembly, '--dry-run']), /has no core-policies-run\.json, so nothing shows it passed policy validation: synthesize it with the app/);
    });

    test('a policy report with open findings', async () => {
      const finding = { ruleId: 'CORE.S3.1', logicalId: 'Bucket', templatePath: 'x', message: 'public' };
      const { assembly } = writeFakeApp([{ name: 'core-staging', stacks: stagingLikeStacks() }], { report: { findings: [finding] } });
      expectOneLineRefusal(await cli(['deploy', '--env', 'staging', '--assembly', assembly, '--dry-run']), /--policy-report: .*policy-report\.json failed policy validation with 1 open finding\(s\) and 0 error\(s\)/);
    });

    test('plugin violations at synthesis and no report to show they were acknowledged', async () => {
      const { assembly } = writeFakeApp([{ name: 'core-staging', stacks: stagingLikeStacks() }], { runRecord: { violations: 2 } });
      expectOneLineRefusal(await cli(['deploy', '--env', 'staging', '--assembly', assembly, '--dry-run']), /recorded 2 violation\(s\) at synthesis and there is no policy report .*run the app's validate target/);
    });

    test('acknowledged violations pass when the report shows them acknowledged', async () => {
      const { assembly } = writeFakeApp([{ name: 'core-staging', stacks: stagingLikeStacks() }], { runRecord: { violations: 1 }, report: { acknowledged: [{ ruleId: 'CORE.X.1' }] } });
      const json = await plan(['deploy', '--env', 'staging', '--assembly', assembly, '--dry-run', '--git-sha', SHA]);
      expect(json.validation?.summary).toMatch(/^passed \(profile baseline, 0 open findings, 1 acknowledged;/);
    });

    test('a stack the plugin never validated', async () => {
      const edgeless = writeFakeApp([{ name: 'core-staging', stacks: stagingLikeStacks() }]).templates.filter((t) => !t.includes('edge'));
      const { assembly } = writeFakeApp([{ name: 'core-staging', stacks: stagingLikeStacks() }], { runRecord: { templates: edgeless } });
      expectOneLineRefusal(
        await cli(['deploy', '--env', 'staging', '--assembly', assembly, '--dry-run']),
        /core-staging\/edge \(assembly-core-staging\/corestagingedgeAB12CD34\.template\.json\) is not in core-policies-run\.json, so the policy plugin never validated it/,
      );
    });

    test('an assembly validated in the wrong profile', async () => {
      const { assembly } = writeFakeApp([{ name: 'core-prod', stacks: stagingLikeStacks('100000000004') }]);
      expectOneLineRefusal(await cli(['deploy', '--env', 'production', '--assembly', assembly, '--dry-run']), /was validated in profile baseline, but this environment requires production/);
    });
  });

  describe('placeholder accounts', () => {
    test('are refused without --dry-run, before any lock or deployment, naming CORE_CONFIG_FILE', async () => {
      const { assembly } = writeFakeApp([{ name: 'core-staging', stacks: stagingLikeStacks() }]);
      const result = await cli(['deploy', '--env', 'staging', '--assembly', assembly, '--git-sha', SHA]);
      expectOneLineRefusal(result, /refused: placeholder account ids from the committed config: 100000000003 \(stacks\), 100000000001 \(meta account of the deployment state store\): supply the real ids in a config file named by CORE_CONFIG_FILE/);
      expect(result.stdout).toBe('');
    });
  });

  describe('rejects bad usage with exit 2 and one line', () => {
    let assembly: string;
    beforeAll(() => {
      ({ assembly } = writeFakeApp([{ name: 'core-staging', stacks: stagingLikeStacks() }]));
    });

    test.each([
      ['an unknown environment', ['--env', 'qa'], /argument 'qa' is invalid. "qa" is not an environment of this workspace; choose from meta, dev, staging, production/],
      ['a review app that is not a number', ['--env', 'dev', '--review-app', 'pr-12'], /argument 'pr-12' is invalid. use the pull request number/],
      ['a short git sha', ['--env', 'staging', '--git-sha', 'abc123'], /--git-sha: "abc123" is not a full commit id/],
      ['an unknown approval level', ['--env', 'staging', '--require-approval', 'sometimes'], /argument 'sometimes' is invalid/],
      ['a lock lifetime of zero', ['--env', 'staging', '--lock-ttl', '0'], /argument '0' is invalid. give whole minutes/],
      ['an unknown option', ['--env', 'staging', '--yes'], /unknown option '--yes'/],
    ])('%s', async (_label, args, message) => {
      expectOneLineRefusal(await cli(['deploy', '--assembly', assembly, '--dry-run', ...args]), message);
    });

    test('no --env', async () => {
      expectOneLineRefusal(await cli(['deploy', '--assembly', assembly]), /required option '--env <environment>' not specified/);
    });

    test('an assembly folder that does not exist', async () => {
      expectOneLineRefusal(await cli(['deploy', '--env', 'staging', '--assembly', path.join(assembly, 'nope')]), /--assembly: .*nope is not a folder: pass the app's synthesized cdk\.out/);
    });

    test("another environment's assembly", async () => {
      expectOneLineRefusal(await cli(['deploy', '--env', 'production', '--assembly', assembly, '--dry-run']), /--assembly: .* holds stack core-staging\/.*, which is not part of production: pass the production app's assembly, apps\/production\/cdk\.out/);
    });

    test('an assembly synthesized for other accounts than the config names', async () => {
      const config = writeConfigFile({ account: '123456789012', registry: { account: '210987654321' } });
      expectOneLineRefusal(
        await cli(['deploy', '--env', 'staging', '--assembly', assembly, '--dry-run', '--config-file', config]),
        /stack core-staging\/.* targets account 100000000003 but the staging config names account 123456789012: synthesize and deploy with the same config/,
      );
    });

    test('an invalid config file', async () => {
      const config = writeConfigFile({ account: '42' });
      expectOneLineRefusal(await cli(['deploy', '--env', 'staging', '--assembly', assembly, '--dry-run', '--config-file', config]), /invalid configuration for staging .*account: must be a 12-digit AWS account id.*\(got "42"\)/);
    });
  });
});

describe('core-deploy teardown-review-app --dry-run', () => {
  test('plans cdk destroy --force of the review app stacks only, dependents first, under the review app lock', async () => {
    const account = '100000000002';
    const { assembly } = writeFakeApp([
      { name: 'core-dev', stacks: stagingLikeStacks(account) },
      { name: 'core-review-1234', stacks: [{ name: 'cache', account }, { name: 'app', dependsOn: ['cache'], account }] as FakeStack[] },
    ]);
    const json = await plan(['teardown-review-app', '--review-app', '1234', '--assembly', assembly, '--dry-run']);
    expect(json).toMatchObject({ action: 'destroy', environment: 'dev', deploymentName: 'review-1234', lock: { lockId: 'locks/review-1234', tableName: 'core-non-prod-deployment-lock' } });
    expect(json.archive).toBeUndefined();
    expect(json.stacks.map((stack) => stack.id)).toEqual(['core-review-1234/app', 'core-review-1234/cache']);
    expect(json.cdkArgs).toEqual(['destroy', '--app', assembly, '--force', '--exclusively', 'core-review-1234/app', 'core-review-1234/cache']);

    const text = await cli(['teardown-review-app', '--review-app', '1234', '--assembly', assembly, '--dry-run']);
    expect(text.stdout).toContain('core-deploy: destroy review app 1234 of dev (dry run: nothing is deployed, locked or archived)');
    expect(text.stdout).toContain('Stacks, in teardown order (2):');
  });

  test('a review app that is not in the assembly exits 2 with the fix', async () => {
    const { assembly } = writeFakeApp(devStages());
    expectOneLineRefusal(await cli(['teardown-review-app', '--review-app', '99', '--assembly', assembly, '--dry-run']), /has no stage core-review-99 .*synthesize with -c reviewApps=99/);
  });

  test('refuses a termination-protected stack in the review app', async () => {
    const { assembly } = writeFakeApp([{ name: 'core-dev', stacks: [] }, { name: 'core-review-7', stacks: [{ name: 'app', account: '100000000002', terminationProtection: true }] }]);
    expectOneLineRefusal(await cli(['teardown-review-app', '--review-app', '7', '--assembly', assembly, '--dry-run']), /core-review-7\/app is termination-protected/);
  });

  test('requires --review-app', async () => {
    const { assembly } = writeFakeApp(devStages());
    expectOneLineRefusal(await cli(['teardown-review-app', '--assembly', assembly]), /required option '--review-app <number>' not specified/);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { changedFixture, exactDataStack, removeAdoptionFixtures, tfstateFixture, writeStagingAssembly } from './adoption-fixtures';
import { runDeploy } from '../support/deploy-cli';

// `core-deploy adopt` in-process: exit codes, the files it writes (and does not), its output.

const adopt = (args: readonly string[]) => runDeploy(['adopt', ...args]);

afterAll(() => {
  removeAdoptionFixtures();
});

test('an exact adoption exits 0, writes the data stack mapping and the report, and prints the import and state rm commands', async () => {
  const app = writeStagingAssembly({ data: exactDataStack() });
  const out = path.join(app.appDir, 'adoption');
  const result = await adopt(['--env', 'staging', '--tfstate', tfstateFixture('staging-data'), '--assembly', app.assembly, '--out', out]);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  const mapping = JSON.parse(readFileSync(path.join(out, 'core-staging-data.resource-mapping.json'), 'utf8')) as Record<string, unknown>;
  expect(mapping.DatabaseInstance).toEqual({ DBInstanceIdentifier: 'core-staging' });
  expect(JSON.parse(readFileSync(path.join(out, 'adoption-report.json'), 'utf8'))).toMatchObject({ schema: 'core-adoption/1', environment: 'staging', findings: 0 });
  expect(result.stdout).toContain('6 Terraform resources map onto CDK resources in 1 stack; no findings.');
  expect(result.stdout).toContain(`npx cdk import --app ${app.assembly} core-staging/data --resource-mapping ${path.join(out, 'core-staging-data.resource-mapping.json')}`);
  expect(result.stdout).toContain('terraform state rm module.rds.aws_db_instance.main\n');
  expect(result.stdout).toMatch(/Left to Terraform: 7 resources .*\n {2}aws_cloudwatch_metric_alarm ×3, aws_elasticache_parameter_group ×1/);
});

test('findings exit 1 with a one-line reason, still write the mapping of what matches, and name what to do', async () => {
  const app = writeStagingAssembly({ data: exactDataStack() });
  const out = path.join(app.appDir, 'adoption');
  const result = await adopt(['--env', 'staging', '--tfstate', tfstateFixture('staging'), '--assembly', app.assembly, '--out', out, '--format', 'text']);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^core-deploy: the adoption of staging is not exact: \d+ findings to decide on; the mapping files hold only the resources that match\n$/);
  expect(existsSync(path.join(out, 'core-staging-data.resource-mapping.json'))).toBe(true);
  expect(result.stdout).toContain('Terraform resources with no CDK counterpart');
  expect(result.stdout).toContain("module.application_secrets.aws_secretsmanager_secret.this[\"SENTRY_DSN\"] (AWS::SecretsManager::Secret) SENTRY_DSN");
  expect(result.stdout).toContain('Terraform resources CloudFormation cannot import:\n  module.rds.random_password.password (random_password): the value exists only in the Terraform state');
});

test('--format json prints the whole report', async () => {
  const app = writeStagingAssembly({ data: exactDataStack() });
  const result = await adopt(['--env', 'staging', '--tfstate', tfstateFixture('staging-data'), '--assembly', app.assembly, '--out', path.join(app.appDir, 'out'), '--format', 'json']);
  expect(JSON.parse(result.stdout)).toMatchObject({ environment: 'staging', stacks: [{ stackId: 'core-staging/data' }] });
});

describe('bad input exits 2 with one line naming the field, and writes nothing', () => {
  test.each([
    ['an unknown environment', (tfstate: string) => ['--env', 'preprod', '--tfstate', tfstate], /'--env <environment>' argument 'preprod' is invalid\. "preprod" is not an environment of this workspace; choose from meta, dev, staging, production/],
    ['a file that is not terraform show -json output', () => ['--env', 'staging', '--tfstate', path.join(__dirname, '..', '..', 'package.json')], /^core-deploy: --tfstate: .*package\.json has no format_version, so it is not terraform show -json output: pass the output of terraform show -json/],
    ['a missing state file', () => ['--env', 'staging', '--tfstate', '/nonexistent/state.json'], /^core-deploy: --tfstate: \/nonexistent\/state\.json does not exist/],
    [
      'a state that lists one physical id twice',
      () => [
        '--env',
        'staging',
        '--tfstate',
        changedFixture('staging-data', (state) => {
          const elasticache = state.values.root_module.child_modules.find((mod) => mod.address === 'module.elasticache');
          elasticache?.resources.push({ ...elasticache.resources[1], address: 'module.elasticache.aws_elasticache_replication_group.old' });
        }),
      ],
      /lists the physical id "core-staging" twice, as module\.elasticache\.aws_elasticache_replication_group\.main and module\.elasticache\.aws_elasticache_replication_group\.old/,
    ],
  ])('%s', async (_what, args, message) => {
    const app = writeStagingAssembly({ data: exactDataStack() });
    const out = path.join(app.appDir, 'adoption');
    const result = await adopt([...args(tfstateFixture('staging-data')), '--assembly', app.assembly, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  test('a resource two stacks would import', async () => {
    const app = writeStagingAssembly({ data: exactDataStack(), app: { LogsCopy: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'core-staging-bulk-upload-logs' } } } });
    const out = path.join(app.appDir, 'adoption');
    const result = await adopt(['--env', 'staging', '--tfstate', tfstateFixture('staging-data'), '--assembly', app.assembly, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/would be imported into 2 CDK resources, core-staging\/data BulkUploadLogsBucket and core-staging\/app LogsCopy/);
    expect(existsSync(out)).toBe(false);
  });
});

test('--help shows examples and the exit codes', async () => {
  const result = await adopt(['--help']);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('Examples:');
  expect(result.stdout).toContain('terraform -chdir=terraform/staging show -json > staging.tfstate.json');
  expect(result.stdout).toContain('npx core-deploy adopt --env staging --tfstate staging.tfstate.json');
  expect(result.stdout).toMatch(/Exit codes: 0 .*; 1 .*; 2 bad input, nothing written/s);
});

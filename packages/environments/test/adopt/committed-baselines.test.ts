import { copyFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { planAdoption, type AdoptionReport } from '../../src';
import { artifactId, writeFakeApp, type FakeStack } from '../deploy/fake-assembly';
import { removeAdoptionFixtures, tfstateFixture } from './adoption-fixtures';

// The fixture states of the real Terraform against the CDK app as committed (its baseline
// templates): what an adoption of staging and meta finds today. Only the facts that follow from
// the inventory and the app's naming are asserted, not every resource of the templates.

const root = path.resolve(__dirname, '..', '..', '..', '..');

/** A fake assembly of the environment whose templates are the committed baseline templates. */
function committedAssembly(environment: string, stage: string, stacks: FakeStack[]): string {
  const app = writeFakeApp([{ name: stage, stacks }]);
  const baselineDir = path.join(root, 'apps', environment, 'baseline');
  const baselines = readdirSync(baselineDir);
  for (const stack of stacks) {
    const prefix = `${stage}${stack.name}`.replace(/-/g, '');
    const baseline = baselines.find((file) => new RegExp(`^${prefix}[0-9A-F]{8}\\.template\\.json$`).test(file));
    if (baseline === undefined) throw new Error(`no baseline template of ${stage}/${stack.name} in ${baselineDir}`);
    copyFileSync(path.join(baselineDir, baseline), path.join(app.assembly, `assembly-${stage}`, `${artifactId(stage, stack.name)}.template.json`));
  }
  return app.assembly;
}

afterAll(() => {
  removeAdoptionFixtures();
});

describe('staging: the Terraform state against the committed CDK app', () => {
  let report: AdoptionReport;
  beforeAll(() => {
    const account = '100000000003';
    const names = ['monitoring', 'network', 'data', 'app', 'edge', 'deployment-access'];
    const assembly = committedAssembly('staging', 'core-staging', names.map((name) => ({ name, account, region: name === 'edge' ? 'us-east-1' : 'eu-west-2' })));
    report = planAdoption({ environment: 'staging', tfstateFile: tfstateFixture('staging'), assemblyDir: assembly });
  });

  test('the database and Redis keep their identifiers, so the data stack imports them', () => {
    const data = report.stacks.find((stack) => stack.stackId === 'core-staging/data');
    expect(Object.values(data?.mapping ?? {})).toEqual(expect.arrayContaining([{ DBInstanceIdentifier: 'core-staging' }, { ReplicationGroupId: 'core-staging' }]));
  });

  test('the CDK database is encrypted with its own key where Terraform used the AWS managed one: the first deploy would replace it', () => {
    const database = report.imports.find((entry) => entry.terraformAddress === 'module.rds.aws_db_instance.main');
    expect(database?.differences).toEqual(expect.arrayContaining([expect.objectContaining({ property: 'KmsKeyId', effect: 'replaces' })]));
  });

  test('the data buckets carry the account in their CDK names: each is a finding that names the CDK bucket to rename', () => {
    const bulkUpload = report.terraformOnly.find((entry) => entry.terraformAddress === 'module.bulk_upload.aws_s3_bucket.bulk_upload');
    expect(bulkUpload?.closest).toMatchObject({ stackId: 'core-staging/data', name: 'core-staging-bulk-upload-100000000003' });
  });

  test("the database password and the SecureString connection strings cannot be imported, and say what to do", () => {
    expect(report.notImportable.map((entry) => entry.terraformAddress)).toEqual(
      expect.arrayContaining(['module.rds.random_password.password', 'module.rds.aws_ssm_parameter.partial_connection_string', 'module.application.aws_ssm_parameter.complete_connection_string']),
    );
    expect(report.notImportable.find((entry) => entry.terraformType === 'random_password')?.instead).toMatch(/copy it into the Secrets Manager secret/);
  });

  test('every stateful CDK resource is accounted for: imported or reported as created empty', () => {
    const imported = new Set(report.imports.map((entry) => `${entry.stackId} ${entry.logicalId}`));
    const reported = new Set(report.cdkOnly.map((entry) => `${entry.stackId} ${entry.logicalId}`));
    expect([...imported].filter((id) => reported.has(id))).toEqual([]);
    expect(report.cdkOnly.length).toBeGreaterThan(0);
    expect(report.findings).toBeGreaterThan(0);
  });
});

describe('meta: the registry repositories', () => {
  let report: AdoptionReport;
  beforeAll(() => {
    const account = '100000000001';
    const stacks = [{ name: 'monitoring' }, { name: 'registry', dependsOn: ['monitoring'] }, { name: 'state-replica', region: 'eu-west-1' }, { name: 'state', dependsOn: ['state-replica'] }, { name: 'ci-access', dependsOn: ['registry', 'state'] }];
    const assembly = committedAssembly('meta', 'core-meta', stacks.map((stack) => ({ ...stack, account })));
    report = planAdoption({ environment: 'meta', tfstateFile: tfstateFixture('meta'), assemblyDir: assembly });
  });

  test('core, db-migration and s3-migration are imported into the registry stack by name', () => {
    const registry = report.stacks.find((stack) => stack.stackId === 'core-meta/registry');
    expect(Object.values(registry?.mapping ?? {})).toEqual(expect.arrayContaining([{ RepositoryName: 'core' }, { RepositoryName: 'db-migration' }, { RepositoryName: 's3-migration' }]));
    expect(report.stateRm).toEqual(expect.arrayContaining(['module.ecr.aws_ecr_repository.core', 'module.ecr.aws_ecr_lifecycle_policy.core', 'module.ecr_migration["db-migration"].aws_ecr_repository_policy.this']));
  });

  test('the Terraform state backends have no CDK counterpart: the CDK deployment state store is a different one', () => {
    expect(report.terraformOnly.map((entry) => entry.names[0])).toEqual(expect.arrayContaining(['core-non-prod-tf-state', 'core-prod-tf-state-lock']));
  });
});

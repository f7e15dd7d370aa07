import { writeFileSync } from 'node:fs';
import { parseTerraformState, readTerraformState } from '../../src';
import { changedFixture, removeAdoptionFixtures, tfstateFixture } from './adoption-fixtures';

afterAll(() => removeAdoptionFixtures());

describe('readTerraformState', () => {
  test('reads the managed resources of every module, child modules included, and leaves data sources out', () => {
    const state = readTerraformState(tfstateFixture('staging'));
    expect(state.terraformVersion).toBe('1.5.2');
    expect(state.resources.map((resource) => resource.address)).toEqual(
      expect.arrayContaining(['module.rds.aws_db_instance.main', 'module.application_secrets.aws_secretsmanager_secret.this["SENTRY_DSN"]', 'module.rds_migration[0].aws_cloudwatch_log_group.main']),
    );
    expect(state.resources.some((resource) => resource.address.includes('data.'))).toBe(false);
    expect(state.resources.find((resource) => resource.address === 'module.rds.aws_db_instance.main')?.values.identifier).toBe('core-staging');
  });

  test('a file that is not JSON names --tfstate and the command that writes the right file', () => {
    const file = changedFixture('meta', () => undefined);
    writeFileSync(file, 'Terraform has been successfully initialized!');
    expect(() => readTerraformState(file)).toThrow(/^--tfstate: .* is not JSON \(.*\): pass the output of terraform show -json/);
  });

  test.each([
    ['a raw state file', { version: 4, terraform_version: '1.5.2', resources: [] }, /is a raw state file \(state format version 4\), not terraform show -json output/],
    ['JSON of something else', { Resources: {} }, /has no format_version, so it is not terraform show -json output/],
    ['an unknown format', { format_version: '2.0', values: { root_module: {} } }, /has format_version 2\.0; this command reads format 1\.x/],
    ['an empty state', { format_version: '1.0' }, /holds no resources \(an empty state has no values\)/],
    ['a resource without a type', { format_version: '1.0', values: { root_module: { resources: [{ address: 'aws_s3_bucket.x', name: 'x' }] } } }, /has values\.root_module\.resources\[0\] without a type/],
    ['a list that is not a list', { format_version: '1.0', values: { root_module: { child_modules: {} } } }, /has values\.root_module\.child_modules that is not a list/],
  ])('%s is refused with the field and the fix', (_what, json, message) => {
    expect(() => parseTerraformState(json, 'state.json')).toThrow(message);
    expect(() => parseTerraformState(json, 'state.json')).toThrow(/terraform show -json > state\.json/);
  });
});

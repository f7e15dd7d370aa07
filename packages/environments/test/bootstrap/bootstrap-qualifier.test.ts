import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { coreAppContext } from '@core-infra/policies';
import { buildEnvironmentApp, ConfigError, loadEnvironmentConfig, PLACEHOLDER_ACCOUNTS } from '../../src';
import { writeConfigFile } from '../deploy/fake-assembly';
import { runDeploy } from '../support/deploy-cli';

// A bootstrap qualifier from the config: every stack of the environment synthesizes against the
// bootstrap stack of that qualifier, and `core-deploy bootstrap` bootstraps with it.

const QUALIFIER = 'coreinfra';
const ACCOUNT = PLACEHOLDER_ACCOUNTS.staging;
let assembly: string;
let templates: { file: string; text: string }[];

beforeAll(() => {
  assembly = mkdtempSync(path.join(tmpdir(), 'core-qualifier-'));
  const app = new App({ outdir: assembly, context: coreAppContext(), autoSynth: false });
  buildEnvironmentApp('staging', { app, overrides: { bootstrapQualifier: QUALIFIER } });
  // CDK's template validator prints advisory warnings (hard-coded AZs) that belong to other tests.
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app.synth();
  } finally {
    quiet.mockRestore();
  }
  const stageDir = path.join(assembly, 'assembly-core-staging');
  templates = readdirSync(stageDir)
    .filter((file) => file.endsWith('.template.json'))
    .map((file) => ({ file, text: readFileSync(path.join(stageDir, file), 'utf8') }));
}, 120_000);

afterAll(() => rmSync(assembly, { recursive: true, force: true }));

test('every stack checks the bootstrap version of the configured qualifier, and none the default', () => {
  expect(templates.length).toBeGreaterThan(0);
  for (const { file, text } of templates) {
    expect([file, text.includes(`/cdk-bootstrap/${QUALIFIER}/version`), text.includes('hnb659fds')]).toEqual([file, true, false]);
  }
});

test("roles are bounded by, and the infrastructure deployment role assumes, that qualifier's bootstrap resources", () => {
  const all = templates.map((t) => t.text).join('\n');
  expect(all).toContain(`policy/cdk-${QUALIFIER}-permissions-boundary-${ACCOUNT}-eu-west-2`);
  expect(all).toContain(`role/cdk-${QUALIFIER}-deploy-role-${ACCOUNT}-eu-west-2`);
});

test('core-deploy bootstrap uses the qualifier of the config the stacks were synthesized with', async () => {
  const configFile = writeConfigFile({ bootstrapQualifier: QUALIFIER });
  const { code, stdout, stderr } = await runDeploy(['bootstrap', '--env', 'staging', '--assembly', assembly, '--config-file', configFile, '--dry-run'], { env: {}, log: () => undefined });
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(stdout).toContain(`qualifier:  ${QUALIFIER} (the config's bootstrapQualifier)`);
  expect(stdout).toContain(`--qualifier ${QUALIFIER} `);
  expect(stdout).toContain(`cdk-${QUALIFIER}-permissions-boundary-${ACCOUNT}-eu-west-2`);
});

test('bootstrapping with the default qualifier stacks synthesized for another is refused, naming both', async () => {
  const { code, stderr } = await runDeploy(['bootstrap', '--env', 'staging', '--assembly', assembly, '--dry-run'], { env: {}, log: () => undefined });
  expect(code).toBe(2);
  expect(stderr).toContain(`reads bootstrap qualifier "${QUALIFIER}", but the staging config bootstraps with "hnb659fds"`);
});

test('a qualifier cdk bootstrap would refuse is a config error naming the field, the value and the fix', () => {
  expect(() => loadEnvironmentConfig('staging', { overrides: { bootstrapQualifier: 'Core-Infra' } })).toThrow(ConfigError);
  expect(() => loadEnvironmentConfig('staging', { overrides: { bootstrapQualifier: 'Core-Infra' } })).toThrow(/bootstrapQualifier: must be 1 to 10 lower-case letters or digits, as cdk bootstrap --qualifier takes it/);
});

/**
 * The set of environments is data: `nx g @core-infra/environments:environment` adds one to a
 * fresh copy of the workspace, the new app synthesizes and validates, meta, core-deploy and the
 * deploy workflow take it in its place in the deployment order, and removing its files leaves the
 * workspace as it was.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { expectSuccessInCopy, runInCopy, workspaceCopy } from './support/workspace-copy';

let copy: string;

const run = (command: string) => runInCopy(copy, command);
const expectSuccess = (command: string) => expectSuccessInCopy(copy, command);
const status = () => expectSuccess('git status --porcelain --untracked-files=all').trimEnd();
const GENERATE = 'npx nx g @core-infra/environments:environment preprod --skipInstall --no-interactive';

beforeAll(() => {
  copy = workspaceCopy('core-generator-');
}, 120_000);

afterAll(() => {
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

describe('nx g @core-infra/environments:environment', () => {
  test.each([
    ['an account that is not 12 digits', `${GENERATE} --account 12345`, /--account "12345" is not a 12-digit AWS account id/],
    ["another environment's account", `${GENERATE} --account 100000000004`, /--account 100000000004 is the production account: every environment needs an account of its own/],
    ['a name taken already', 'npx nx g @core-infra/environments:environment staging --account 100000000005 --skipInstall --no-interactive', /environment "staging" exists already/],
    ['an unknown environment to deploy after', `${GENERATE} --account 100000000005 --after qa`, /--after "qa" is not an environment: choose from meta, dev, staging, production/],
  ])('refuses %s, naming the option and the fix, and writes nothing', (_label, command, message) => {
    const { code, output } = run(command);
    expect(code).not.toBe(0);
    expect(output).toMatch(message);
    expect(status()).toBe('');
  }, 120_000);

  test('GIVEN preprod generated THEN it writes the app, its config, its meta entry and its deploy job, and nothing else', () => {
    expectSuccess(`${GENERATE} --account 100000000005`);
    expect(status().split('\n').sort()).toEqual(
      [
        ' M .github/workflows/deploy.yml',
        ' M apps/meta/config.yaml',
        '?? apps/preprod/baseline/acknowledgements.yaml',
        '?? apps/preprod/cdk.json',
        '?? apps/preprod/config.yaml',
        '?? apps/preprod/jest.config.js',
        '?? apps/preprod/package.json',
        '?? apps/preprod/src/main.ts',
        '?? apps/preprod/test/preprod.test.ts',
        '?? apps/preprod/tsconfig.json',
      ].sort(),
    );
    const config = YAML.parse(fs.readFileSync(path.join(copy, 'apps/preprod/config.yaml'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ stage: 'preprod', prefix: 'core-preprod', account: '100000000005', policyProfile: 'baseline', ci: { scope: 'nonprod' }, hostnames: { app: 'preprod.submit-social-housing-data.communities.gov.uk' } });
  }, 120_000);

  test('THEN preprod deploys after staging and before production: in meta, in core-deploy and in the deploy workflow', () => {
    const meta = YAML.parse(fs.readFileSync(path.join(copy, 'apps/meta/config.yaml'), 'utf8')) as { workloads: Record<string, unknown> };
    expect(Object.keys(meta.workloads)).toEqual(['dev', 'staging', 'preprod', 'production']);
    const deploy = YAML.parse(fs.readFileSync(path.join(copy, '.github/workflows/deploy.yml'), 'utf8')) as { jobs: Record<string, { needs: string[]; if: string }> };
    expect(deploy.jobs.preprod.needs).toEqual(['plan', 'staging']);
    expect(deploy.jobs.production.needs).toEqual(['plan', 'preprod']);
    expect(deploy.jobs.preprod.if).toContain("contains(fromJSON(needs.plan.outputs.environments), 'preprod')");
    expect(expectSuccess('npx core-deploy affected --files apps/preprod/config.yaml,apps/production/config.yaml --format json').trim().split('\n').at(-1)).toBe('["preprod","production"]');
  }, 120_000);

  test('THEN the configs still fit together, and preprod synthesizes and validates in its profile', () => {
    expect(expectSuccess('npx core-deploy check-configs')).toContain('the configs of meta, dev, staging, preprod, production are valid and fit together');
    const output = expectSuccess('npx nx run preprod:validate');
    expect(output).toMatch(/PASSED · 0 findings in 0 of 6 templates/);
    expect(fs.existsSync(path.join(copy, 'apps/preprod/cdk.out/manifest.json'))).toBe(true);
  }, 300_000);

  test('THEN deleting its files and the two entries restores the workspace, which still checks out', () => {
    expectSuccess('git checkout -- . && rm -rf apps/preprod');
    expect(status()).toBe('');
    expect(expectSuccess('npx core-deploy check-configs')).toContain('the configs of meta, dev, staging, production are valid and fit together');
  }, 120_000);
});

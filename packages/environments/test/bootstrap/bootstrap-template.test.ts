import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli } from '@core-infra/policies';
import {
  BOOTSTRAP_TEMPLATE_FILE,
  bootstrapRequirementOf,
  bootstrapTemplateVersion,
  cdkDefaultBootstrapTemplate,
  executionPolicyFor,
  formatBootstrapTemplate,
  hardenBootstrapTemplate,
  permissionsBoundaryFor,
  readBootstrapTemplate,
  renderBootstrapTemplate,
  type CfnTemplate,
} from '../../src/bootstrap';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const committed = readBootstrapTemplate();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bootstrap-template-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function checkProduction(template: CfnTemplate, name: string): Promise<{ code: number; output: string }> {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(template));
  let output = '';
  const code = await runCli(['check', file, '--profile', 'production'], { stdout: (t) => (output += t), stderr: (t) => (output += t) });
  return { code, output };
}

describe('the committed bootstrap template', () => {
  test('is what the generator makes of the installed CDK CLI default template (npm run bootstrap-template -w @core-infra/environments)', () => {
    expect(readFileSync(BOOTSTRAP_TEMPLATE_FILE, 'utf8')).toBe(formatBootstrapTemplate(hardenBootstrapTemplate(cdkDefaultBootstrapTemplate(ROOT))));
  }, 60_000);

  test('passes core-policies check in the production profile', async () => {
    const { code, output } = await checkProduction(committed, 'committed.json');
    expect(output).toContain('PASSED');
    expect(code).toBe(0);
  }, 60_000);

  test('installs a version every synthesized stack of every environment accepts', () => {
    const version = bootstrapTemplateVersion(committed);
    for (const environment of ['meta', 'dev', 'staging', 'production']) {
      const baseline = path.join(ROOT, 'apps', environment, 'baseline');
      for (const file of readdirSync(baseline).filter((name) => name.endsWith('.template.json'))) {
        const requirement = bootstrapRequirementOf(JSON.parse(readFileSync(path.join(baseline, file), 'utf8')) as CfnTemplate);
        expect({ file, qualifier: requirement?.qualifier, accepted: version >= (requirement?.minimumVersion ?? Infinity) }).toEqual({ file, qualifier: 'hnb659fds', accepted: true });
      }
    }
  });

  test('no bootstrap role trusts a whole account: each names the trusted role ARNs in aws:PrincipalArn', () => {
    for (const id of ['DeploymentActionRole', 'FilePublishingRole', 'ImagePublishingRole', 'LookupRole']) {
      const statements = (committed.Resources[id].Properties?.AssumeRolePolicyDocument as { Statement: { Condition?: Record<string, Record<string, unknown>> }[] }).Statement;
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) expect(statement.Condition?.ArnEquals?.['aws:PrincipalArn']).toEqual({ Ref: id === 'LookupRole' ? 'TrustedAccountsForLookup' : 'TrustedAccounts' });
    }
    expect(committed.Resources.LookupRole.Condition).toBe('HasTrustedAccountsForLookup');
    expect(committed.Parameters?.TrustedAccounts?.AllowedPattern).toMatch(/:role\//);
  });

  test('never falls back to AdministratorAccess and refuses AWS-managed execution policies', () => {
    expect(JSON.stringify(committed.Resources)).not.toContain('AdministratorAccess');
    expect(committed.Resources.CloudFormationExecutionRole.Properties?.ManagedPolicyArns).toEqual({ Ref: 'CloudFormationExecutionPolicies' });
    expect(new RegExp(committed.Parameters?.CloudFormationExecutionPolicies?.AllowedPattern as string).test('arn:aws:iam::aws:policy/AdministratorAccess')).toBe(false);
  });

  test('creates the permissions boundary, a rotated customer-managed key for the staging bucket, and refuses AWS-managed keys', () => {
    expect(committed.Resources.CdkBoostrapPermissionsBoundaryPolicy.Condition).toBeUndefined();
    expect(committed.Resources.FileAssetsBucketEncryptionKey.Properties?.EnableKeyRotation).toBe(true);
    expect(committed.Parameters?.FileAssetsBucketKmsKeyId?.AllowedValues).toEqual(['']);
  });

  test('rendered with the generated policies of staging, it still passes the production profile', async () => {
    const templates = readdirSync(path.join(ROOT, 'apps', 'staging', 'baseline')).filter((name) => name.endsWith('.template.json'));
    const stacks = templates.map((file) => ({ stage: 'core-staging', stackName: file, template: JSON.parse(readFileSync(path.join(ROOT, 'apps', 'staging', 'baseline', file), 'utf8')) as CfnTemplate }));
    const target = { account: '100000000003', region: 'eu-west-2', stacks };
    const { code, output } = await checkProduction(renderBootstrapTemplate(committed, executionPolicyFor(target), permissionsBoundaryFor(target)), 'staging.json');
    expect(output).toContain('PASSED');
    expect(code).toBe(0);
  }, 60_000);
});

import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { coreAppContext, CorePoliciesPlugin, type CorePoliciesOptions } from '../src';
import { fakeGuardBinary, malformedRuleFile, VERSIONED_RULE } from './fixtures/helpers';

interface SynthOutcome {
  readonly error?: string;
  readonly run?: { profile: string; templates: string[]; violations: number };
  readonly report: {
    pluginReports: {
      pluginName: string;
      conclusion: string;
      metadata?: Record<string, string>;
      violations: { ruleName: string; severity?: string; description: string; violatingConstructs: { constructPath: string }[] }[];
      suppressedViolations?: { ruleName: string; reason: string; violatingConstructs: { constructPath: string }[] }[];
    }[];
  };
}

function synth(build: (stack: Stack) => void, options: CorePoliciesOptions = { coreRules: false, controlTowerRules: false, extraRuleFiles: [VERSIONED_RULE] }): SynthOutcome {
  const outdir = mkdtempSync(path.join(tmpdir(), 'plugin-test-'));
  const app = new App({ outdir, context: coreAppContext() });
  Validations.of(app).addPlugins(new CorePoliciesPlugin(options));
  build(new Stack(app, 'Subject', { env: { account: '123456789012', region: 'eu-west-2' } }));
  let error: string | undefined;
  try {
    app.synth();
  } catch (e) {
    error = (e as Error).message;
  }
  const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  const runFile = path.join(outdir, 'core-policies-run.json');
  const run = existsSync(runFile) ? JSON.parse(readFileSync(runFile, 'utf8')) : undefined;
  return { error, report, run };
}

const corePlugin = (outcome: SynthOutcome) => {
  const report = outcome.report.pluginReports.find((r) => r.pluginName === 'core-policies');
  if (!report) throw new Error(`no core-policies report in ${JSON.stringify(outcome.report)}`);
  return report;
};

describe('CorePoliciesPlugin', () => {
  test('passes a compliant stack and records the profile', () => {
    // GIVEN a versioned bucket WHEN synthesized
    const outcome = synth((stack) => new s3.Bucket(stack, 'Data', { versioned: true, enforceSSL: true }));
    // THEN
    expect(outcome.error).toBeUndefined();
    // CDK leaves a clean plugin out of its report; the plugin's own run record proves it ran
    expect(outcome.report.pluginReports.filter((r) => r.pluginName === 'core-policies')).toEqual([]);
    expect(outcome.run).toEqual({ pluginVersion: expect.any(String), profile: 'baseline', templates: ['Subject.template.json'], violations: 0 });
  });

  test('fails synth naming the rule, the construct and the fix', () => {
    const outcome = synth((stack) => new s3.Bucket(stack, 'Data', { enforceSSL: true }));
    expect(outcome.error).toMatch(/core-policies/);
    const [violation] = corePlugin(outcome).violations;
    expect(violation).toMatchObject({ ruleName: 'FIXTURE.S3.1', severity: 'error', description: 'S3 bucket versioning is not enabled' });
    expect(violation.violatingConstructs[0].constructPath).toBe('Subject/Data/Resource');
  });

  test('acknowledging one of two findings still fails synth on the other', () => {
    // GIVEN two unversioned buckets, one acknowledged with a reason
    const outcome = synth((stack) => {
      const first = new s3.Bucket(stack, 'First', { enforceSSL: true });
      new s3.Bucket(stack, 'Second', { enforceSSL: true });
      Validations.of(first).acknowledge({ id: 'core-policies::FIXTURE.S3.1', reason: 'objects are write-once UUID uploads' });
    });
    // THEN synth fails, the other bucket is still a violation and the first is listed as acknowledged
    expect(outcome.error).toMatch(/core-policies/);
    const report = corePlugin(outcome);
    expect(report.conclusion).toBe('failure');
    expect(report.violations.flatMap((v) => v.violatingConstructs.map((c) => c.constructPath))).toEqual(['Subject/Second/Resource']);
    expect(report.suppressedViolations).toEqual([
      expect.objectContaining({ ruleName: 'FIXTURE.S3.1', reason: 'objects are write-once UUID uploads', violatingConstructs: [expect.objectContaining({ constructPath: 'Subject/First/Resource' })] }),
    ]);
  });

  test('acknowledging the only finding passes and lists it', () => {
    const outcome = synth((stack) => {
      const only = new s3.Bucket(stack, 'Only', { enforceSSL: true });
      Validations.of(only).acknowledge({ id: 'core-policies::FIXTURE.S3.1', reason: 'objects are write-once UUID uploads' });
    });
    expect(outcome.error).toBeUndefined();
    expect(corePlugin(outcome).suppressedViolations).toHaveLength(1);
  });

  test('fails an acknowledgement whose reason is shorter than 10 characters, and that cannot be acknowledged away', () => {
    const outcome = synth((stack) => {
      const bucket = new s3.Bucket(stack, 'Only', { enforceSSL: true });
      Validations.of(bucket).acknowledge({ id: 'core-policies::FIXTURE.S3.1', reason: 'ok' });
      Validations.of(stack).acknowledge({ id: 'core-policies::CORE.ACK.1', reason: 'trying to hide the short reason' });
    });
    expect(outcome.error).toMatch(/core-policies/);
    expect(corePlugin(outcome).violations).toEqual([expect.objectContaining({ ruleName: 'CORE.ACK.1', severity: 'fatal', description: expect.stringContaining('"ok"') })]);
  });

  test.each([
    ['the valid rules pass (cfn-guard exits 5)', true],
    ['the valid rules fail (cfn-guard exits 19 and reports the parse error only on stderr)', false],
  ])('fails synth when a rule file does not parse, even when %s', (_label, versioned) => {
    const outcome = synth((stack) => new s3.Bucket(stack, 'Data', { versioned, enforceSSL: true }), {
      coreRules: false,
      controlTowerRules: false,
      extraRuleFiles: [VERSIONED_RULE, malformedRuleFile()],
    });
    expect(outcome.error).toMatch(/core-policies/);
    expect(corePlugin(outcome)).toMatchObject({ conclusion: 'failure', metadata: { error: expect.stringMatching(/Pars(ing|er) [Ee]rror.*broken\.guard/) } });
  });

  test('fails synth when the cfn-guard binary is missing', () => {
    const outcome = synth((stack) => new s3.Bucket(stack, 'Data', { versioned: true }), {
      coreRules: false,
      controlTowerRules: false,
      extraRuleFiles: [VERSIONED_RULE],
      guardBinary: '/nonexistent/cfn-guard',
    });
    expect(corePlugin(outcome).metadata?.error).toMatch(/cfn-guard binary not found at \/nonexistent\/cfn-guard/);
    expect(outcome.error).toMatch(/core-policies/);
  });

  test('fails synth when the cfn-guard binary is not executable', () => {
    const binary = path.join(mkdtempSync(path.join(tmpdir(), 'noexec-')), 'cfn-guard');
    writeFileSync(binary, '#!/bin/sh\nexit 0\n');
    chmodSync(binary, 0o644);
    const outcome = synth((stack) => new s3.Bucket(stack, 'Data', { versioned: true }), { coreRules: false, controlTowerRules: false, extraRuleFiles: [VERSIONED_RULE], guardBinary: binary });
    expect(corePlugin(outcome).metadata?.error).toMatch(/is not executable/);
  });

  test.each([
    ['crashes', 'echo "thread main panicked" >&2; exit 101', /exit code 101/],
    ['prints no JSON', 'echo "not json"; exit 0', /not JSON/],
    ['skips a template', 'echo "[]"; exit 0', /did not report on/],
    ['exits 0 with violations', 'echo \'[{"name":"x","status":"FAIL","not_compliant":[{}]}]\'; exit 0', /did not report on|exited 0 but reported/],
  ])('fails synth when cfn-guard %s', (_label, script, expected) => {
    const outcome = synth((stack) => new s3.Bucket(stack, 'Data', { versioned: true }), {
      coreRules: false,
      controlTowerRules: false,
      extraRuleFiles: [VERSIONED_RULE],
      guardBinary: fakeGuardBinary(script),
    });
    expect(outcome.error).toMatch(/core-policies/);
    expect(corePlugin(outcome).metadata?.error).toMatch(expected);
  });

  test('reports a template above 1 MiB as fatal', () => {
    const outcome = synth((stack) => {
      for (let i = 0; i < 40; i++) new CfnResource(stack, `Param${i}`, { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'x'.repeat(30_000) } });
    });
    expect(corePlugin(outcome).violations).toEqual([expect.objectContaining({ ruleName: 'CORE.TEMPLATE.1', severity: 'fatal' })]);
  });

  test('names the profile and the CORE rule ids it runs', () => {
    const production = new CorePoliciesPlugin({ profile: 'production' });
    const baseline = new CorePoliciesPlugin();
    expect(production.profile).toBe('production');
    expect(production.ruleIds.length).toBeGreaterThanOrEqual(baseline.ruleIds.length);
    expect(baseline.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

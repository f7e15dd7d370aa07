import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledgeFinding, coreAppContext, CorePoliciesPlugin, type CorePoliciesOptions } from '../src';
import { fakeGuardBinary, malformedRuleFile, VERSIONED_RULE } from './fixtures/helpers';

interface SynthOutcome {
  readonly error?: string;
  readonly run?: { profile: string; templates: string[]; violations: number; acknowledged?: { ruleId: string; constructPath?: string; reason: string }[] };
  readonly templates: Record<string, unknown>;
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
  const templates = { Subject: JSON.parse(readFileSync(path.join(outdir, 'Subject.template.json'), 'utf8')) };
  return { error, report, run, templates };
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
    expect(outcome.run).toEqual({ pluginVersion: expect.any(String), profile: 'baseline', templates: ['Subject.template.json'], violations: 0, acknowledged: [] });
  });

  test('fails synth naming the rule, the construct and the fix', () => {
    const outcome = synth((stack) => new s3.Bucket(stack, 'Data', { enforceSSL: true }));
    expect(outcome.error).toMatch(/core-policies/);
    const [violation] = corePlugin(outcome).violations;
    expect(violation).toMatchObject({ ruleName: 'FIXTURE.S3.1', severity: 'error', description: 'S3 bucket versioning is not enabled' });
    expect(violation.violatingConstructs[0].constructPath).toBe('Subject/Data/Resource');
  });

  describe('acknowledgements', () => {
    const REASON = 'objects are write-once UUID uploads, never overwritten';
    const ids = (outcome: SynthOutcome) => corePlugin(outcome).violations.map((v) => v.ruleName).sort();
    const bucketPolicyOf = (bucket: s3.Bucket) => bucket.node.defaultChild as CfnResource;

    test('acknowledging one of two findings still fails synth on the other, and lists the acknowledged one with its reason', () => {
      // GIVEN two unversioned buckets, one acknowledged with a reason
      const outcome = synth((stack) => {
        const first = new s3.Bucket(stack, 'First', { enforceSSL: true });
        new s3.Bucket(stack, 'Second', { enforceSSL: true });
        acknowledgeFinding(first, { id: 'FIXTURE.S3.1', reason: REASON });
      });
      // THEN synth fails on the other bucket only, and the run record lists the acknowledged one
      expect(outcome.error).toMatch(/core-policies/);
      const report = corePlugin(outcome);
      expect(report.violations.flatMap((v) => v.violatingConstructs.map((c) => c.constructPath))).toEqual(['Subject/Second/Resource']);
      expect(outcome.run?.acknowledged).toEqual([expect.objectContaining({ ruleId: 'FIXTURE.S3.1', logicalId: expect.stringMatching(/^First/), templatePath: 'Subject.template.json', reason: REASON })]);
    });

    test('acknowledging the only finding passes; the reason is in the template itself', () => {
      const outcome = synth((stack) => {
        const only = new s3.Bucket(stack, 'Only', { enforceSSL: true });
        acknowledgeFinding(only, { id: 'FIXTURE_BUCKET_VERSIONED', reason: REASON });
      });
      expect(outcome.error).toBeUndefined();
      expect(outcome.run?.acknowledged).toHaveLength(1);
      expect(JSON.stringify(outcome.templates.Subject)).toContain(REASON);
    });

    test.each([
      ['a bare rule name', ['FIXTURE_BUCKET_VERSIONED'], 'CORE.ACK.1', /bare suppression without a reason/],
      ['a short reason', [{ id: 'FIXTURE.S3.1', reason: 'ok' }], 'CORE.ACK.1', /shorter than 20 characters/],
      ['an id no rule has', [{ id: 'FIXTURE.S3.2', reason: REASON }], 'CORE.ACK.4', /did you mean FIXTURE\.S3\.1/],
      ['a wildcard', [{ id: '*', reason: REASON }], 'CORE.ACK.4', /\* which is not a rule that ran|names \*, which is not a rule that ran/],
      ['an engine check', [{ id: 'CORE.ENGINE.1', reason: REASON }], 'CORE.ACK.2', /engine checks cannot be acknowledged/],
    ])('refuses %s written into the template, and the finding stays open', (_label, entries, id, message) => {
      // GIVEN suppression metadata written by hand, as a pull request could
      const outcome = synth((stack) => {
        const bucket = new s3.Bucket(stack, 'Only', { enforceSSL: true });
        bucketPolicyOf(bucket).addMetadata('guard', { SuppressedRules: entries });
      });
      // THEN synth fails with the fatal acknowledgement finding and the original finding
      expect(outcome.error).toMatch(/core-policies/);
      expect(ids(outcome)).toEqual(['FIXTURE.S3.1', id].sort());
      const refusal = corePlugin(outcome).violations.find((v) => v.ruleName === id)!;
      expect(refusal).toMatchObject({ severity: 'fatal', description: expect.stringMatching(message) });
    });

    test('reports a stale acknowledgement, on a resource the rule passes', () => {
      const outcome = synth((stack) => {
        const bucket = new s3.Bucket(stack, 'Versioned', { versioned: true, enforceSSL: true });
        acknowledgeFinding(bucket, { id: 'FIXTURE_BUCKET_VERSIONED', reason: REASON });
      });
      expect(outcome.error).toMatch(/core-policies/);
      expect(corePlugin(outcome).violations).toEqual([expect.objectContaining({ ruleName: 'CORE.ACK.5', severity: 'fatal', description: expect.stringContaining('matched no finding') })]);
    });

    test('refuses CDK acknowledgements of core-policies rules at any scope, naming where they belong', () => {
      const outcome = synth((stack) => {
        new s3.Bucket(stack, 'Only', { enforceSSL: true });
        Validations.of(stack.node.scope!).acknowledge({ id: 'core-policies::FIXTURE.S3.1', reason: REASON });
      });
      expect(outcome.error).toMatch(/core-policies/);
      const refusal = corePlugin(outcome).violations.find((v) => v.ruleName === 'CORE.ACK.3');
      expect(refusal).toMatchObject({ severity: 'fatal', description: expect.stringContaining("Validations.of((app)).acknowledge('core-policies::FIXTURE.S3.1') is refused") });
    });

    test('a template-level suppression is refused', () => {
      const outcome = synth((stack) => {
        new s3.Bucket(stack, 'Only', { versioned: true, enforceSSL: true });
        stack.templateOptions.metadata = { guard: { SuppressedRules: [{ id: 'FIXTURE.S3.1', reason: REASON }] } };
      });
      expect(ids(outcome)).toEqual(['CORE.ACK.3']);
    });

    test.each([
      ['the app', (stack: Stack) => stack.node.scope!, /App, Stage or Stack level/],
      ['a stack', (stack: Stack) => stack, /App, Stage or Stack level/],
    ])('acknowledgeFinding refuses %s as scope', (_label, scopeOf, message) => {
      const app = new App();
      const stack = new Stack(app, 'S');
      new s3.Bucket(stack, 'B');
      expect(() => acknowledgeFinding(scopeOf(stack), { id: 'CORE.S3.4', reason: REASON })).toThrow(message);
    });

    test.each([
      ['an unknown id, suggesting the closest', { id: 'CORE.S3.22', reason: REASON }, /CORE\.S3\.22 is not a rule of the catalogue; did you mean CORE\.S3\.2\?/],
      ['a short reason', { id: 'CORE.S3.4', reason: 'because' }, /shorter than 20 characters/],
      ['an engine check', { id: 'CORE.ACK.1', reason: REASON }, /engine check, which cannot be acknowledged/],
    ])('acknowledgeFinding refuses %s', (_label, acknowledgement, message) => {
      const stack = new Stack(new App(), 'S');
      const bucket = new s3.Bucket(stack, 'B');
      expect(() => acknowledgeFinding(bucket, acknowledgement)).toThrow(message);
    });
  });

  describe('coverage', () => {
    test.each([
      ['emptied', '# nothing left\n', /declares no rule/],
      ['left with a rule cfn-guard never reports', 'rule FIXTURE_ONLY_HELPER(x) {\n  %x exists\n}\n', /declares no rule/],
    ])('fails a rule file that was %s', (_label, text, message) => {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'rule-')), 'emptied.guard');
      writeFileSync(file, text);
      const outcome = synth((stack) => new s3.Bucket(stack, 'Data', { versioned: true, enforceSSL: true }), {
        coreRules: false,
        controlTowerRules: false,
        extraRuleFiles: [VERSIONED_RULE, file],
      });
      expect(outcome.error).toMatch(/core-policies/);
      expect(corePlugin(outcome).violations).toEqual([expect.objectContaining({ ruleName: 'CORE.ENGINE.2', severity: 'fatal', description: expect.stringMatching(message) })]);
    });
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

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RULE_CATALOGUE } from '@core-infra/policies';
import { corePoliciesCheck, logicalIdOf, mutatedAssembly, stageAssemblyDir, stackTemplatePath, synthesizedEnvironment, trustedAccountsArgument, type MutableTemplate } from './real-assembly';

// A verdict nobody can forge or empty: each case edits the real production assembly the way a
// careless or hostile pull request could, and `core-policies check` must still fail it.

const REASON = 'the access-log bucket keeps 90 days of logs and never needs old versions';
const PRODUCTION = ['--profile', 'production', '--require-plugin', trustedAccountsArgument('production'), '--format', 'json'];

/** Removes versioning and lifecycle from the access-log bucket: exactly one finding, CORE.S3.4. */
function weakenLogBucket(template: MutableTemplate, metadata?: Record<string, unknown>): string {
  const id = logicalIdOf(template, 'AWS::S3::Bucket', 'DataAccessLogsBucket');
  const bucket = template.Resources[id];
  delete bucket.Properties?.VersioningConfiguration;
  delete bucket.Properties?.LifecycleConfiguration;
  if (metadata) bucket.Metadata = { ...bucket.Metadata, ...metadata };
  return id;
}

describe('core-policies check on the production assembly', () => {
  let production: string;
  const scratch: string[] = [];
  const mutate = (stack: string, edit: (template: MutableTemplate) => void) => {
    const copy = mutatedAssembly(production, stack, edit);
    scratch.push(copy);
    return copy;
  };

  beforeAll(() => {
    production = synthesizedEnvironment('production');
  }, 300_000);
  afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  test('passes the unmutated assembly, proving every rule ran', async () => {
    const { code, report } = await corePoliciesCheck(production, ...PRODUCTION);
    expect(code).toBe(0);
    expect(report?.rules.map((r) => r.id)).toEqual(expect.arrayContaining(RULE_CATALOGUE.map((r) => r.id)));
    expect(report?.tool.guard).toEqual({ version: expect.stringMatching(/^3\./), source: 'bundled' });
  });

  test('a bare Metadata.guard.SuppressedRules listing every CORE rule hides nothing and is itself critical', async () => {
    let bucket = '';
    const copy = mutate('data', (t) => {
      bucket = weakenLogBucket(t, { guard: { SuppressedRules: RULE_CATALOGUE.map((r) => r.ruleName) } });
    });
    const { code, report } = await corePoliciesCheck(copy, ...PRODUCTION);
    expect(code).toBe(1);
    const onBucket = report!.findings.filter((f) => f.logicalId === bucket).map((f) => f.ruleId);
    expect(onBucket).toContain('CORE.S3.4');
    expect(onBucket.filter((id) => id === 'CORE.ACK.1')).toHaveLength(RULE_CATALOGUE.length);
    expect(report!.acknowledged).toEqual([]);
  });

  test('a hand-written validation-report.json and run record cannot acknowledge a finding', async () => {
    let bucket = '';
    const copy = mutate('data', (t) => {
      bucket = weakenLogBucket(t);
    });
    const template = path.relative(copy, stackTemplatePath(copy, 'data'));
    const suppressed = { ruleName: 'CORE.S3.4', reason: '', violatingConstructs: [{ cloudFormationResource: { logicalId: bucket, templatePath: template } }] };
    writeFileSync(path.join(copy, 'validation-report.json'), JSON.stringify({ pluginReports: [{ pluginName: 'core-policies', conclusion: 'success', suppressedViolations: [suppressed] }] }));
    const run = JSON.parse(readFileSync(path.join(copy, 'core-policies-run.json'), 'utf8'));
    writeFileSync(path.join(copy, 'core-policies-run.json'), JSON.stringify({ ...run, violations: 0, acknowledged: [{ ruleId: 'CORE.S3.4', templatePath: template, logicalId: bucket, reason: REASON }] }));
    const { code, report } = await corePoliciesCheck(copy, ...PRODUCTION);
    expect(code).toBe(1);
    expect(report!.findings).toEqual([expect.objectContaining({ ruleId: 'CORE.S3.4', logicalId: bucket })]);
  });

  test('an acknowledgement with a reason on the resource passes, and every report format shows it', async () => {
    let bucket = '';
    const copy = mutate('data', (t) => {
      bucket = weakenLogBucket(t, { guard: { SuppressedRules: [{ id: 'CORE.S3.4', reason: REASON }] } });
    });
    const reports = mkdtempSync(path.join(tmpdir(), 'policies-reports-'));
    scratch.push(reports);
    const { code, report } = await corePoliciesCheck(copy, ...PRODUCTION, '--report-dir', reports);
    expect(code).toBe(0);
    expect(report!.acknowledged).toEqual([expect.objectContaining({ ruleId: 'CORE.S3.4', logicalId: bucket, reason: REASON })]);
    expect(readFileSync(path.join(reports, 'policy-report.txt'), 'utf8')).toMatch(new RegExp(`Acknowledged \\(1\\):\\n  CORE\\.S3\\.4 .*${bucket}.*: ${REASON}`));
    const sarif = JSON.parse(readFileSync(path.join(reports, 'policy-report.sarif'), 'utf8'));
    expect(sarif.runs[0].results).toEqual([expect.objectContaining({ ruleId: 'CORE.S3.4', suppressions: [{ kind: 'inSource', status: 'accepted', justification: REASON }] })]);
    expect(readFileSync(path.join(reports, 'policy-report.junit.xml'), 'utf8')).toContain(`name="CORE.S3.4 ${bucket}"><skipped message="acknowledged: ${REASON}"/>`);
  });

  test('an acknowledgement at template level is refused', async () => {
    const copy = mutate('data', (t) => {
      weakenLogBucket(t);
      t.Metadata = { ...t.Metadata, guard: { SuppressedRules: [{ id: 'CORE.S3.4', reason: REASON }] } };
    });
    const { code, report } = await corePoliciesCheck(copy, ...PRODUCTION);
    expect(code).toBe(1);
    expect(report!.findings.map((f) => f.ruleId).sort()).toEqual(['CORE.ACK.3', 'CORE.S3.4']);
  });

  test('a stack removed from the manifest after synthesis is noticed against the run record', async () => {
    const copy = mutate('data', () => undefined);
    const manifestFile = path.join(stageAssemblyDir(copy), 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const dataArtifact = Object.keys(manifest.artifacts).find((id) => /data/.test(id) && manifest.artifacts[id].type === 'aws:cloudformation:stack');
    delete manifest.artifacts[dataArtifact!];
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const { code, report } = await corePoliciesCheck(copy, ...PRODUCTION);
    expect(code).toBe(1);
    expect(report!.findings).toEqual([expect.objectContaining({ ruleId: 'CORE.ENGINE.3', message: expect.stringContaining('manifest.json no longer lists its stack') })]);
  });

  describe('an assembly with nothing to check', () => {
    test.each([
      ['no artifacts', { version: '48.0.0', artifacts: {} }],
      ['an empty manifest', {}],
    ])('fails with %s, and passes only with --allow-empty', async (_label, manifest) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'policies-empty-'));
      scratch.push(dir);
      writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
      const empty = await corePoliciesCheck(dir, '--format', 'json');
      expect(empty.code).toBe(1);
      expect(empty.report!.findings).toEqual([expect.objectContaining({ ruleId: 'CORE.ENGINE.4' })]);
      expect(empty.report!.rules).toEqual([]);
      expect((await corePoliciesCheck(dir, '--allow-empty')).code).toBe(0);
      expect(existsSync(path.join(dir, 'core-policies-run.json'))).toBe(false);
    });
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import '@microsoft/jest-sarif';
import { runCli } from '../src';

const fixture = path.join(__dirname, 'fixtures', 'cli-app');
const cdk = require.resolve('aws-cdk/bin/cdk');

function cdkSynth(env: Record<string, string>): { status: number | null; output: string; out: string } {
  const out = mkdtempSync(path.join(tmpdir(), 'cdk-cli-'));
  const result = spawnSync(process.execPath, [cdk, 'synth', '--quiet', '--app', `"${process.execPath}" --conditions=@core-infra/source --import tsx app.ts`, '--output', out], {
    cwd: fixture,
    encoding: 'utf8',
    env: { ...process.env, ...env, CDK_DISABLE_VERSION_CHECK: 'true', NODE_ENV: 'production' },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}`, out };
}

// The real CDK CLI, because in aws-cdk-lib 2.276 a plugin that throws produces a report the CLI
// prints nothing for and `cdk synth` exits 0; the plugin reports engine failures as fatal
// violations instead, which these tests prove fail the command.
describe('cdk synth with the CORE plugin', () => {
  test('passes a compliant app', () => {
    expect(cdkSynth({ FIXTURE_VERSIONED: 'true' })).toMatchObject({ status: 0 });
  });

  // Code scanning must see findings exactly when synthesis fails on them: the assembly a failed
  // synthesis leaves behind is checked (as CI's report step does) and every result points at the
  // line of the app that declared the resource, with the template as a related location.
  test('fails on a violation, and the assembly left behind yields SARIF naming the source file and line', async () => {
    const synth = cdkSynth({ FIXTURE_VERSIONED: 'false' });
    expect(synth.status).not.toBe(0);
    expect(synth.output).toMatch(/FIXTURE\.S3\.1/);
    const sarifFile = path.join(synth.out, 'policy-report.sarif');
    const code = await runCli(['check', synth.out, '--require-plugin', '--format', 'sarif', '--output', sarifFile], { stdout: () => undefined, stderr: () => undefined });
    expect(code).toBe(1);
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'));
    expect(sarif).toBeValidSarifLog();
    const results = sarif.runs[0].results as { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } } }[]; relatedLocations?: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    const declaringLine = readFileSync(path.join(fixture, 'app.ts'), 'utf8').split('\n').findIndex((line) => line.includes('new s3.Bucket')) + 1;
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) {
      expect(result.level).toBe('error');
      expect(result.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'packages/policies/test/fixtures/cli-app/app.ts', uriBaseId: '%SRCROOT%' });
      expect(result.locations[0].physicalLocation.region.startLine).toBe(declaringLine);
      expect(result.relatedLocations?.[0].physicalLocation.artifactLocation.uri).toMatch(/assembly-fixture\/fixtureSubject\w+\.template\.json$/);
    }
  });

  test('fails when the cfn-guard binary is missing', () => {
    const result = cdkSynth({ FIXTURE_VERSIONED: 'true', CORE_POLICIES_GUARD_BINARY: '/nonexistent/cfn-guard' });
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/CORE\.ENGINE\.1|policy engine failed/);
    expect(result.output).toMatch(/cfn-guard binary not found at \/nonexistent\/cfn-guard/);
  });
});

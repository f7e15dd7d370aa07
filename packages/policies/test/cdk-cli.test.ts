import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const fixture = path.join(__dirname, 'fixtures', 'cli-app');
const cdk = require.resolve('aws-cdk/bin/cdk');

function cdkSynth(env: Record<string, string>): { status: number | null; output: string } {
  const out = mkdtempSync(path.join(tmpdir(), 'cdk-cli-'));
  const result = spawnSync(process.execPath, [cdk, 'synth', '--quiet', '--app', `"${process.execPath}" --conditions=@core-infra/source --import tsx app.ts`, '--output', out], {
    cwd: fixture,
    encoding: 'utf8',
    env: { ...process.env, ...env, CDK_DISABLE_VERSION_CHECK: 'true', NODE_ENV: 'production' },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

// The real CDK CLI, because in aws-cdk-lib 2.276 a plugin that throws produces a report the CLI
// prints nothing for and `cdk synth` exits 0; the plugin reports engine failures as fatal
// violations instead, which these tests prove fail the command.
describe('cdk synth with the CORE plugin', () => {
  test('passes a compliant app', () => {
    expect(cdkSynth({ FIXTURE_VERSIONED: 'true' })).toMatchObject({ status: 0 });
  });

  test('fails on a violation', () => {
    const result = cdkSynth({ FIXTURE_VERSIONED: 'false' });
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/FIXTURE\.S3\.1/);
  });

  test('fails when the cfn-guard binary is missing', () => {
    const result = cdkSynth({ FIXTURE_VERSIONED: 'true', CORE_POLICIES_GUARD_BINARY: '/nonexistent/cfn-guard' });
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/CORE\.ENGINE\.1|policy engine failed/);
    expect(result.output).toMatch(/cfn-guard binary not found at \/nonexistent\/cfn-guard/);
  });
});

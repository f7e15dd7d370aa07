import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import '@microsoft/jest-sarif';
import { App, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { runCli, type PolicyReport } from '../src';

const fixture = (name: string) => path.join(__dirname, 'fixtures', 'templates', name);

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('core-policies check', () => {
  describe('rejects bad input with exit 2 and a one-line reason', () => {
    test.each([
      ['a missing path', [fixture('nope.json')], /nope\.json does not exist/],
      ['invalid JSON', [fixture('invalid.json')], /invalid\.json is not valid JSON/],
      ['invalid YAML', [fixture('invalid.yaml')], /invalid\.yaml is not valid YAML/],
      ['a file that is not a template', [fixture('not-a-template.json')], /not-a-template\.json is not a CloudFormation template: it has no Resources map/],
      ['a folder that is not a cloud assembly', [path.join(__dirname, 'fixtures')], /folder without manifest\.json/],
      ['an unknown profile', ['--profile', 'strict', fixture('neutral.template.json')], /argument 'strict' is invalid/],
      ['an unknown format', ['--format', 'html', fixture('neutral.template.json')], /argument 'html' is invalid/],
      ['an unknown option', ['--colour', fixture('neutral.template.json')], /unknown option '--colour'/],
    ])('%s', async (_label, args, message) => {
      const result = await cli('check', ...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });

    test('no input at all', async () => {
      const result = await cli('check');
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/missing required argument 'inputs'/);
    });
  });

  test('passes a template no rule objects to, with exit 0', async () => {
    const result = await cli('check', fixture('neutral.template.json'));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^PASSED · 0 findings/m);
  });

  describe('a known-bad template', () => {
    let json: PolicyReport;
    let text: { code: number; stdout: string };

    beforeAll(async () => {
      const asJson = await cli('check', fixture('insecure.template.json'), '--format', 'json');
      json = JSON.parse(asJson.stdout);
      text = await cli('check', fixture('insecure.template.json'));
    });

    test('exits 1', () => {
      expect(text.code).toBe(1);
    });

    test('finds violations on every insecure resource', () => {
      const flagged = new Set(json.findings.map((f) => f.logicalId));
      expect([...flagged].sort()).toEqual(expect.arrayContaining(['AdminPolicy', 'OpenBucket', 'SshFromAnywhere']));
      for (const finding of json.findings) expect(finding.ruleId).toMatch(/^(CORE|CT)\./);
    });

    test('names every violated rule and logical id in the text report', () => {
      for (const finding of json.findings) {
        expect(text.stdout).toContain(finding.ruleId);
        if (finding.logicalId) expect(text.stdout).toContain(finding.logicalId);
      }
      expect(text.stdout).toMatch(/^FAILED · \d+ findings/m);
    });
  });

  test('reads YAML templates with short-form intrinsics and reports them under their own path', async () => {
    const result = await cli('check', fixture('insecure.template.yaml'), '--format', 'json');
    const report: PolicyReport = JSON.parse(result.stdout);
    expect(result.code).toBe(1);
    expect(new Set(report.findings.map((f) => f.templatePath))).toEqual(new Set([fixture('insecure.template.yaml')]));
    expect(report.findings.map((f) => f.logicalId)).toContain('OpenBucket');
  });

  test('writes SARIF 2.1.0 that validates against the schema, with rule ids and locations', async () => {
    const result = await cli('check', fixture('insecure.template.json'), '--format', 'sarif');
    const sarif = JSON.parse(result.stdout);
    expect(sarif).toBeValidSarifLog();
    const [run] = sarif.runs;
    expect(run.results.length).toBeGreaterThan(0);
    const ruleIds = new Set(run.tool.driver.rules.map((r: { id: string }) => r.id));
    for (const r of run.results) {
      expect(ruleIds.has(r.ruleId)).toBe(true);
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe(fixture('insecure.template.json'));
      expect(r.locations[0].physicalLocation.region.startLine).toBeGreaterThan(1);
    }
    expect(run.results.some((r: { locations: { logicalLocations?: { name: string }[] }[] }) => r.locations[0].logicalLocations?.[0].name === 'OpenBucket')).toBe(true);
  });

  test('writes JUnit with one test case per rule and resource the rule evaluates', async () => {
    const junit = (await cli('check', fixture('insecure.template.json'), '--format', 'junit')).stdout;
    const report: PolicyReport = JSON.parse((await cli('check', fixture('insecure.template.json'), '--format', 'json')).stdout);
    const expected = report.rules.reduce((sum, rule) => {
      if (rule.resourceTypes.length === 0 || rule.resourceTypes.includes('AWS::CloudFormation::Stack')) return sum + 1;
      return sum + report.templates[0].resources.filter((r) => rule.resourceTypes.includes(r.type)).length;
    }, 0);
    expect((junit.match(/<testcase /g) ?? []).length).toBe(expected);
    expect(junit).toMatch(/<testcase classname="[^"]+" name="CORE\.\S+ OpenBucket"><failure /);
    const failures = Number(/<testsuites [^>]*failures="(\d+)"/.exec(junit)?.[1]);
    expect(failures).toBeGreaterThan(0);
  });

  test('--output writes the report to a file and prints the summary; --report-dir writes every format', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-out-'));
    const result = await cli('check', fixture('insecure.template.json'), '--format', 'sarif', '--output', path.join(dir, 'out.sarif'), '--report-dir', path.join(dir, 'all'));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAILED/);
    expect(JSON.parse(readFileSync(path.join(dir, 'out.sarif'), 'utf8')).version).toBe('2.1.0');
    for (const file of ['policy-report.txt', 'policy-report.json', 'policy-report.sarif', 'policy-report.junit.xml']) {
      expect(existsSync(path.join(dir, 'all', file))).toBe(true);
    }
  });

  test('--require-plugin fails an assembly synthesized without the plugin', async () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'cli-assembly-'));
    const app = new App({ outdir });
    new sns.Topic(new Stack(app, 'Plain'), 'Topic');
    app.synth();
    const result = await cli('check', outdir, '--require-plugin');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/synthesized without the core-policies plugin/);
  });
});

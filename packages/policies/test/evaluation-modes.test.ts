import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { coreRulesDirectory, evaluateTemplates, GuardResultCache, loadTemplateFile, type EvaluateOptions, type TemplateFile } from '../src';

// Pruning, merging and the result cache only make validation faster: on a fixture assembly full of
// findings, every combination must report exactly what a plain run reports.

const dir = mkdtempSync(path.join(tmpdir(), 'evaluation-modes-'));

function fixtureAssembly(): TemplateFile[] {
  const root = coreRulesDirectory();
  // The first failing case of every rule's tests, one template each, plus the insecure fixture
  // with and without an acknowledgement (so cfn-guard also gets a copy without `Metadata.guard`).
  const failing = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('_tests.yaml'))
    .sort()
    .map((f) => (parse(readFileSync(path.join(root, f), 'utf8')) as { input?: object; expectations: { rules: Record<string, string> } }[]).find((c) => Object.values(c.expectations.rules).includes('FAIL'))?.input)
    .filter((input): input is object => input !== undefined);
  const insecure = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'templates', 'insecure.template.json'), 'utf8'));
  const acknowledged = structuredClone(insecure);
  const [firstId] = Object.keys(acknowledged.Resources);
  acknowledged.Resources[firstId].Metadata = { guard: { SuppressedRules: [{ id: 'CORE.S3.5', reason: 'the fixture acknowledges access logging on purpose' }] } };
  return [...failing, insecure, acknowledged].map((template, index) => {
    const file = path.join(dir, `Stack${index}.template.json`);
    writeFileSync(file, JSON.stringify(template, undefined, 1));
    return loadTemplateFile(file);
  });
}

describe('evaluation modes', () => {
  const templates = fixtureAssembly();
  const run = (options: Partial<EvaluateOptions>) => {
    const e = evaluateTemplates(templates, { profile: 'production', trustedAccounts: ['111122223333'], ...options });
    return { verdict: { findings: e.findings, acknowledged: e.acknowledged, rulesRun: e.rulesRun }, fromCache: e.templatesFromCache };
  };
  const plain = run({ pruneRules: false, mergeRuleFiles: false, cache: false });

  test('the fixture assembly is full of findings from many rules', () => {
    expect(templates.length).toBeGreaterThan(50);
    expect(new Set(plain.verdict.findings.map((f) => f.ruleId)).size).toBeGreaterThan(50);
    expect(plain.verdict.acknowledged.length).toBeGreaterThan(0);
  });

  test.each([
    ['pruned', { pruneRules: true, mergeRuleFiles: false }],
    ['merged', { pruneRules: false, mergeRuleFiles: true }],
    ['pruned and merged', { pruneRules: true, mergeRuleFiles: true }],
  ])('%s: the same report, cold and from a warm cache', (_mode, options) => {
    const cache = new GuardResultCache(mkdtempSync(path.join(tmpdir(), 'evaluation-modes-cache-')));
    const cold = run({ ...options, cache });
    const warm = run({ ...options, cache });
    expect(cold.fromCache).toBe(0);
    expect(warm.fromCache).toBe(templates.length);
    expect(cold.verdict).toEqual(plain.verdict);
    expect(warm.verdict).toEqual(plain.verdict);
  });
});

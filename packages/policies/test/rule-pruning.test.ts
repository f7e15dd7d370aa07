import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { applicableRuleFiles, coreRulesDirectory, coverageFindings, enabledControlTowerRules, RULE_CATALOGUE, resourceTypesOf, runGuardJobs, type RuleFileToRun } from '../src';

// Pruning skips a rule file on a template that holds none of the resource types the file declares.
// That is only sound if no rule can fail on such a template, which these tests prove for every
// CORE rule and every enabled Control Tower rule on every input of the rules' own test cases.

const RULE_FILES: (RuleFileToRun & { readonly label: string })[] = [
  ...RULE_CATALOGUE.map((r) => ({ label: r.id, path: path.join(coreRulesDirectory(), r.file), resourceTypes: r.resourceTypes })),
  ...enabledControlTowerRules().map((r) => ({ label: r.id, path: r.path, resourceTypes: r.resourceTypes })),
];

interface Case {
  readonly name: string;
  readonly input: { Resources?: Record<string, { Type?: string }> };
}

function ruleCases(): Case[] {
  const root = coreRulesDirectory();
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('_tests.yaml'))
    .flatMap((f) => (parse(readFileSync(path.join(root, f), 'utf8')) as { name: string; input: Case['input'] }[]).map((c) => ({ name: `${f}: ${c.name}`, input: c.input ?? {} })));
}

const scratch = mkdtempSync(path.join(tmpdir(), 'rule-pruning-'));
let counter = 0;
function writeTemplate(template: object): string {
  const file = path.join(scratch, `t${counter++}.json`);
  writeFileSync(file, JSON.stringify(template));
  return file;
}

function failedRules(ruleFile: string, templates: readonly string[]): Map<string, string[]> {
  const results = runGuardJobs([{ ruleFiles: [ruleFile], templateFiles: templates }], { processes: 1 });
  const failed = new Map<string, string[]>();
  for (const [name, result] of results) {
    const rules = result.not_compliant.map((e) => (e as { Rule: { name: string } }).Rule.name);
    if (rules.length > 0) failed.set(name, rules);
  }
  return failed;
}

describe('rule pruning', () => {
  const cases = ruleCases();

  test('the corpus is the rules’ own test cases, failing ones included', () => {
    expect(cases.length).toBeGreaterThan(300);
  });

  test.each(RULE_FILES.map((f) => [f.label, f] as const))('%s never fails on a test input without its resource types', (_label, ruleFile) => {
    // GIVEN every test input with the rule's declared resource types taken out
    expect(ruleFile.resourceTypes!.length).toBeGreaterThan(0);
    const declared = new Set(ruleFile.resourceTypes);
    const inputs = cases.map((c) => {
      const resources = Object.fromEntries(Object.entries(c.input.Resources ?? {}).filter(([, r]) => !declared.has(r?.Type ?? '')));
      return writeTemplate({ ...c.input, Resources: resources });
    });
    // THEN the rule reports no failure on any of them, so skipping it there changes nothing
    expect(Object.fromEntries(failedRules(ruleFile.path, inputs))).toEqual({});
  });

  test('the check catches declared types that leave out a type the rule fails on', () => {
    // GIVEN the bucket-TLS rule (buckets and their policies) declared as reporting on bucket policies only
    const rule = RULE_CATALOGUE.find((r) => r.id === 'CORE.S3.2')!;
    const inputs = cases.map((c) => writeTemplate({ ...c.input, Resources: Object.fromEntries(Object.entries(c.input.Resources ?? {}).filter(([, r]) => r?.Type !== 'AWS::S3::BucketPolicy')) }));
    // THEN it fails on inputs that keep a bucket without a policy: pruning on that list would hide it
    expect(failedRules(path.join(coreRulesDirectory(), rule.file), inputs).size).toBeGreaterThan(0);
  });

  test('a rule file without resource types runs on every template', () => {
    const extra = { path: '/rules/extra.guard' };
    const typed = { path: '/rules/bucket.guard', resourceTypes: ['AWS::S3::Bucket'] };
    expect(applicableRuleFiles([extra, typed], new Set(['AWS::SNS::Topic']))).toEqual([extra]);
    expect(applicableRuleFiles([extra, typed], new Set(['AWS::S3::Bucket']))).toEqual([extra, typed]);
  });

  test('resource types are read from every resource, and a template without resources has none', () => {
    expect(resourceTypesOf({ Resources: { A: { Type: 'AWS::S3::Bucket' }, B: { Type: 'AWS::SNS::Topic' }, C: {}, D: null } })).toEqual(new Set(['AWS::S3::Bucket', 'AWS::SNS::Topic']));
    expect(resourceTypesOf({})).toEqual(new Set());
    expect(resourceTypesOf(null)).toEqual(new Set());
  });

  test('a pruned rule file that lost its rule is still reported by the coverage proof', () => {
    // GIVEN a copy of the bucket-TLS rule whose rule block was renamed, pruned from a template without buckets
    const rule = RULE_CATALOGUE.find((r) => r.id === 'CORE.S3.2')!;
    const renamed = path.join(scratch, path.basename(rule.file));
    writeFileSync(renamed, readFileSync(path.join(coreRulesDirectory(), rule.file), 'utf8').replace(`rule ${rule.ruleName}`, 'rule S3_ANYTHING_GOES'));
    const file = { path: renamed, id: rule.id, requiredName: rule.ruleName, resourceTypes: rule.resourceTypes };
    // WHEN the coverage proof looks at a result that does not mention it
    const { findings, incomplete } = coverageFindings({ name: 't.json', status: 'SKIP', not_compliant: [], compliant: [], not_applicable: [] }, [file], 't.json', new Set([renamed]));
    // THEN the lost rule is reported although the file was not run there
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'CORE.ENGINE.2', message: expect.stringContaining(`no longer declares its rule ${rule.ruleName}`) })]);
    expect(incomplete.has(renamed)).toBe(true);
  });

  test('a pruned rule file is not expected in cfn-guard’s report', () => {
    const rule = RULE_CATALOGUE.find((r) => r.id === 'CORE.S3.2')!;
    const file = { path: path.join(coreRulesDirectory(), rule.file), id: rule.id, requiredName: rule.ruleName, resourceTypes: rule.resourceTypes };
    const result = { name: 't.json', status: 'SKIP', not_compliant: [], compliant: [], not_applicable: [] };
    expect(coverageFindings(result, [file], 't.json', new Set([file.path])).findings).toEqual([]);
    // but the same file, not pruned, must be reported
    expect(coverageFindings(result, [file], 't.json').findings).toEqual([expect.objectContaining({ ruleId: 'CORE.ENGINE.2' })]);
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { defaultResultCache, evaluateTemplates, GuardResultCache, loadTemplateFile, RESULT_CACHE_DIR_ENV, RESULT_CACHE_ENV, RULE_CATALOGUE, type TemplateFile } from '../src';
import { fakeGuardBinary } from './fixtures/helpers';

const INSECURE = path.join(__dirname, 'fixtures', 'templates', 'insecure.template.json');

function scratch(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `${prefix}-`));
}

function copyOf(file: string, edit: (template: { Resources: Record<string, Record<string, unknown>> }) => void = () => undefined): TemplateFile {
  const target = path.join(scratch('cache-template'), 'App.template.json');
  const template = JSON.parse(readFileSync(file, 'utf8'));
  edit(template);
  writeFileSync(target, JSON.stringify(template, undefined, 1));
  return loadTemplateFile(target);
}

function entries(cache: GuardResultCache): string[] {
  return readdirSync(cache.directory, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => path.join(cache.directory, f));
}

const verdict = (e: ReturnType<typeof evaluateTemplates>) => ({ findings: e.findings, acknowledged: e.acknowledged, rulesRun: e.rulesRun });

describe('result cache', () => {
  test('an unchanged template is taken from the cache with the same findings, and a changed one is evaluated again', () => {
    // GIVEN an empty cache and the insecure fixture
    const cache = new GuardResultCache(scratch('cache'));
    const template = copyOf(INSECURE);
    // WHEN evaluated twice
    const first = evaluateTemplates([template], { profile: 'production', cache });
    const second = evaluateTemplates([template], { profile: 'production', cache });
    // THEN the second run comes from the cache and reports exactly the same
    expect(first.templatesFromCache).toBe(0);
    expect(second.templatesFromCache).toBe(1);
    expect(first.findings.length).toBeGreaterThan(5);
    expect(verdict(second)).toEqual(verdict(first));
    // AND a changed template is evaluated again
    const changed = copyOf(INSECURE, (t) => (t.Resources.Extra = { Type: 'AWS::SNS::Topic', Properties: {} }));
    expect(evaluateTemplates([changed], { profile: 'production', cache }).templatesFromCache).toBe(0);
  });

  test('the profile and the rule set are part of the key', () => {
    const cache = new GuardResultCache(scratch('cache'));
    const template = copyOf(INSECURE);
    evaluateTemplates([template], { profile: 'baseline', cache });
    expect(evaluateTemplates([template], { profile: 'production', cache }).templatesFromCache).toBe(0);
    expect(evaluateTemplates([template], { profile: 'production', cache, controlTowerRules: false }).templatesFromCache).toBe(0);
    expect(evaluateTemplates([template], { profile: 'production', cache, controlTowerRules: false }).templatesFromCache).toBe(1);
  });

  test('changing an acknowledgement needs no re-evaluation, and the acknowledgement still applies', () => {
    // GIVEN a cached evaluation of the insecure fixture
    const cache = new GuardResultCache(scratch('cache'));
    const open = evaluateTemplates([copyOf(INSECURE)], { profile: 'baseline', cache });
    const guardRules = new Set(RULE_CATALOGUE.map((r) => r.id));
    const target = open.findings.find((f) => guardRules.has(f.ruleId) && f.severity !== 'critical' && f.logicalId)!;
    const matching = open.findings.filter((f) => f.ruleId === target.ruleId && f.logicalId === target.logicalId);
    // WHEN the finding is acknowledged in the template
    const reason = 'accepted for the fixture: the bucket holds no data at all';
    const acknowledged = copyOf(INSECURE, (t) => (t.Resources[target.logicalId!].Metadata = { guard: { SuppressedRules: [{ id: target.ruleId, reason }] } }));
    const after = evaluateTemplates([acknowledged], { profile: 'baseline', cache });
    // THEN cfn-guard's result comes from the cache and the finding moves to the acknowledged list
    expect(after.templatesFromCache).toBe(1);
    expect(after.acknowledged).toEqual(matching.map(() => expect.objectContaining({ ruleId: target.ruleId, logicalId: target.logicalId, reason })));
    expect(after.findings).toHaveLength(open.findings.length - matching.length);
  });

  test.each([
    ['does not parse', () => '{"key": '],
    ['carries another key', (key: string) => JSON.stringify({ key: key.replace(/^./, (c) => (c === '0' ? '1' : '0')), result: { status: 'PASS', not_compliant: [], compliant: [], not_applicable: [] } })],
    ['is not a cfn-guard result', (key: string) => JSON.stringify({ key, result: { status: 'PASS', not_compliant: [] } })],
    ['lists something that is not a rule name', (key: string) => JSON.stringify({ key, result: { status: 'PASS', not_compliant: [], compliant: [{}], not_applicable: [] } })],
  ])('an entry that %s is ignored and the template evaluated again', (_what, forge) => {
    // GIVEN a cache whose entry for the insecure fixture is replaced
    const cache = new GuardResultCache(scratch('cache'));
    const template = copyOf(INSECURE);
    const honest = evaluateTemplates([template], { profile: 'baseline', cache });
    const [entry] = entries(cache);
    const key = JSON.parse(readFileSync(entry, 'utf8')).key as string;
    writeFileSync(entry, forge(key));
    // WHEN evaluated again
    const again = evaluateTemplates([template], { profile: 'baseline', cache });
    // THEN the forged entry did not count, and the findings are all there
    expect(again.templatesFromCache).toBe(0);
    expect(verdict(again)).toEqual(verdict(honest));
  });

  test('a cfn-guard failure is never cached', () => {
    const cache = new GuardResultCache(scratch('cache'));
    const broken = fakeGuardBinary('echo "boom" >&2; exit 101');
    expect(() => evaluateTemplates([copyOf(INSECURE)], { profile: 'baseline', cache, guardBinary: broken })).toThrow(/exit code 101/);
    expect(existsSync(cache.directory) ? entries(cache) : []).toEqual([]);
  });

  test('writes leave no temporary file, and trimming removes the least recently used entries first', () => {
    const cache = new GuardResultCache(scratch('cache'));
    const result = { name: 'x', status: 'PASS', not_compliant: [], compliant: ['A'], not_applicable: [] };
    for (const key of ['a1', 'b2', 'c3']) cache.set(key.padEnd(64, '0'), result);
    const files = entries(cache);
    expect(readdirSync(cache.directory, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // the first entry is the oldest; reading the second makes it the most recent
    files.forEach((f, i) => utimesSync(f, new Date(2020, 0, i + 1), new Date(2020, 0, i + 1)));
    expect(cache.get('b2'.padEnd(64, '0'), 'x')).toBeDefined();
    const size = readFileSync(files[0]).length;
    cache.trim(size * 2);
    expect(entries(cache).map((f) => path.basename(f)).sort()).toEqual(['b2'.padEnd(64, '0') + '.json', 'c3'.padEnd(64, '0') + '.json']);
  });
});

describe('defaultResultCache', () => {
  const saved = { cache: process.env[RESULT_CACHE_ENV], dir: process.env[RESULT_CACHE_DIR_ENV], ci: process.env.CI };
  afterEach(() => {
    for (const [name, value] of [[RESULT_CACHE_ENV, saved.cache], [RESULT_CACHE_DIR_ENV, saved.dir], ['CI', saved.ci]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test('lives in node_modules/.cache/core-policies of the nearest folder with node_modules', () => {
    delete process.env[RESULT_CACHE_ENV];
    delete process.env[RESULT_CACHE_DIR_ENV];
    delete process.env.CI;
    const root = scratch('workspace');
    mkdirSync(path.join(root, 'node_modules'));
    mkdirSync(path.join(root, 'apps', 'dev'), { recursive: true });
    expect(defaultResultCache(undefined, path.join(root, 'apps', 'dev'))?.directory).toBe(path.join(root, 'node_modules', '.cache', 'core-policies'));
    process.env[RESULT_CACHE_DIR_ENV] = path.join(root, 'elsewhere');
    expect(defaultResultCache(undefined, root)?.directory).toBe(path.join(root, 'elsewhere'));
  });

  test('is off with CORE_POLICIES_CACHE=off, in CI unless CORE_POLICIES_CACHE=on, and when asked', () => {
    delete process.env.CI;
    process.env[RESULT_CACHE_ENV] = 'off';
    expect(defaultResultCache(undefined, __dirname)).toBeUndefined();
    delete process.env[RESULT_CACHE_ENV];
    process.env.CI = 'true';
    expect(defaultResultCache(undefined, __dirname)).toBeUndefined();
    process.env[RESULT_CACHE_ENV] = 'on';
    expect(defaultResultCache(undefined, __dirname)).toBeInstanceOf(GuardResultCache);
    expect(defaultResultCache(false, __dirname)).toBeUndefined();
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  CONTROL_TOWER_DECISIONS,
  RULE_CATALOGUE,
  type RuleMetadata,
  controlTowerRulesDirectory,
  coreRulesDirectory,
  enabledControlTowerRuleFiles,
  parseControlTowerDecisions,
  ruleFilesForProfile,
  ruleMetadataByName,
} from '../src/catalogue';
import { resolveGuardBinary } from '../src/engine/guard-binary';
import { CORE_EMITTED_RESOURCE_TYPES } from '../src/risks';

const RULES_DIR = coreRulesDirectory();
const GUARD = resolveGuardBinary();

const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const NIST_CONTROL = /^[A-Z]{2}-\d+(\(\d+\))?$/;
const CATALOGUE_ID = /^CORE\.[A-Z][A-Z0-9]*\.[1-9]\d*$/;

const ruleMetadataSchema = z.strictObject({
  id: z.string().regex(CATALOGUE_ID),
  ruleName: z.string().regex(UPPER_SNAKE),
  file: z
    .string()
    .regex(/^[a-z0-9]+\/[a-z0-9]+(?:_[a-z0-9]+)*\.guard$/)
    .refine((file) => existsSync(path.join(RULES_DIR, file)), 'rule file does not exist under rules/'),
  title: z.string().trim().min(10),
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  description: z.string().trim().min(40),
  remediation: z.string().trim().min(10),
  resourceTypes: z.array(z.string().regex(/^(AWS|Custom)::[A-Za-z0-9]+(::[A-Za-z0-9]+)?$/)).min(1),
  nistControls: z.array(z.string().regex(NIST_CONTROL)).min(1),
  profile: z.enum(['baseline', 'production']),
});

const guardTestCaseSchema = z.strictObject({
  name: z.string().trim().min(1),
  input: z.record(z.string(), z.unknown()),
  expectations: z.strictObject({
    rules: z.record(z.string(), z.enum(['PASS', 'FAIL', 'SKIP'])),
  }),
});
type GuardTestCase = z.infer<typeof guardTestCaseSchema>;

/** Every `.guard` file under rules/, relative to it, ignoring the tests folders. */
function guardFilesOnDisk(): string[] {
  return (readdirSync(RULES_DIR, { recursive: true, encoding: 'utf8' }) as string[])
    .map((file) => file.split(path.sep).join('/'))
    .filter((file) => file.endsWith('.guard') && !file.split('/').includes('tests'))
    .sort();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function testsFileFor(rule: RuleMetadata): string {
  return path.join(RULES_DIR, path.dirname(rule.file), 'tests', `${path.basename(rule.file, '.guard')}_tests.yaml`);
}

function ruleText(rule: RuleMetadata): string {
  return readFileSync(path.join(RULES_DIR, rule.file), 'utf8');
}

function testCases(rule: RuleMetadata): GuardTestCase[] {
  return z.array(guardTestCaseSchema).min(1).parse(parseYaml(readFileSync(testsFileFor(rule), 'utf8')));
}

function expectation(testCase: GuardTestCase, rule: RuleMetadata): string | undefined {
  return testCase.expectations.rules[rule.ruleName];
}

interface TemplateResource {
  readonly Metadata?: { readonly guard?: { readonly SuppressedRules?: unknown } };
}

function suppressesRule(testCase: GuardTestCase, rule: RuleMetadata): boolean {
  const resources = Object.values((testCase.input.Resources ?? {}) as Record<string, TemplateResource>);
  return resources.some((resource) => {
    const suppressed = resource.Metadata?.guard?.SuppressedRules;
    return Array.isArray(suppressed) && suppressed.includes(rule.ruleName);
  });
}

/** Custom messages of every failing clause in cfn-guard's structured JSON output. */
function clauseMessages(node: unknown, found: (string | null)[] = []): (string | null)[] {
  if (Array.isArray(node)) {
    node.forEach((child) => clauseMessages(child, found));
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'messages' && value !== null && typeof value === 'object' && 'custom_message' in value) {
        found.push((value as { custom_message: string | null }).custom_message);
      } else {
        clauseMessages(value, found);
      }
    }
  }
  return found;
}

interface ValidationRun {
  readonly status: number | null;
  readonly messages: (string | null)[];
  readonly stderr: string;
}

interface GuardDocumentReport {
  readonly not_compliant: { readonly Rule: { readonly checks: unknown } }[];
}

/** Validates one template against one rule through cfn-guard's payload mode (status 19 means non-compliant). */
function failingClauseMessages(rule: RuleMetadata, input: Record<string, unknown>): ValidationRun {
  const args = ['validate', '--payload', '--output-format', 'json', '--show-summary', 'none', '--structured'];
  const result = spawnSync(GUARD, args, {
    input: JSON.stringify({ rules: [ruleText(rule)], data: [JSON.stringify(input)] }),
    encoding: 'utf8',
  });
  const documents = result.status === 19 ? (JSON.parse(result.stdout) as GuardDocumentReport[]) : [];
  const checks = documents.flatMap((document) => document.not_compliant.map((entry) => entry.Rule.checks));
  return { status: result.status, messages: clauseMessages(checks), stderr: result.stderr };
}

const ruleCases = RULE_CATALOGUE.map((rule) => [rule.id, rule] as const);

describe('rule catalogue', () => {
  test.each(ruleCases)('%s metadata is complete and valid', (_id, rule) => {
    expect(() => ruleMetadataSchema.parse(rule)).not.toThrow();
    expect(rule.ruleName).toBe(path.basename(rule.file, '.guard').toUpperCase());
  });

  test('ids, rule names and files are unique', () => {
    for (const key of ['id', 'ruleName', 'file'] as const) {
      const values = RULE_CATALOGUE.map((rule) => rule[key]);
      expect(values.filter((value, index) => values.indexOf(value) !== index)).toEqual([]);
    }
  });

  test('every .guard file has exactly one catalogue entry and every entry has a file', () => {
    expect(RULE_CATALOGUE.map((rule) => rule.file).sort()).toEqual(guardFilesOnDisk());
  });

  test('ruleFilesForProfile runs baseline rules everywhere and production rules only in production', () => {
    const baseline = ruleFilesForProfile('baseline');
    const production = ruleFilesForProfile('production');
    const fileOf = (rule: RuleMetadata) => path.join(RULES_DIR, rule.file);

    expect(baseline).toEqual(RULE_CATALOGUE.filter((rule) => rule.profile === 'baseline').map(fileOf));
    expect(production).toEqual(RULE_CATALOGUE.map(fileOf));
    expect(production.length).toBeGreaterThan(baseline.length);
    for (const file of production) {
      expect(path.isAbsolute(file)).toBe(true);
      expect(existsSync(file)).toBe(true);
    }
  });

  test('ruleMetadataByName finds entries by the rule name cfn-guard reports', () => {
    for (const rule of RULE_CATALOGUE) expect(ruleMetadataByName(rule.ruleName)).toBe(rule);
    expect(ruleMetadataByName('ct_s3_bucket_level_public_access_prohibited_check')).toBeUndefined();
  });
});

describe('rule files', () => {
  test.each(ruleCases)('%s declares one rule block, named as catalogued, with its id in the header', (_id, rule) => {
    const text = ruleText(rule);
    const ruleBlocks = [...text.matchAll(/^rule\s+([A-Za-z0-9_]+)/gm)].map((match) => match[1]);

    expect(ruleBlocks.filter((name) => UPPER_SNAKE.test(name))).toEqual([rule.ruleName]);
    expect(text.split('\n')[0]).toBe(`# ${rule.id} ${rule.ruleName}`);
  });

  test.each(ruleCases)('%s points to the catalogue file that holds its metadata, and repeats none of it', (_id, rule) => {
    // The catalogue entry is the one place a rule's metadata is written: the header names it
    // instead of carrying a second description, resource list or profile that could drift.
    const header = ruleText(rule).split(/\n(?!#)/)[0];
    const catalogueFile = `packages/policies/src/catalogue/${path.dirname(rule.file)}.ts`;

    expect(header).toContain(`# written once, in ${catalogueFile}; its cases are in tests/.`);
    expect(readFileSync(path.join(RULES_DIR, '..', '..', '..', catalogueFile), 'utf8')).toContain(`id: '${rule.id}'`);
    expect(header).not.toMatch(/^# (Description|Reports on|Profile|Rule Identifier|Scenarios):/m);
  });

  test.each(ruleCases)('%s leaves acknowledgements to the engine: its clauses never read Metadata.guard', (_id, rule) => {
    // A rule that skipped suppressed resources itself would hide them without a reason and
    // without a trace in the report; the engine applies reasoned acknowledgements instead.
    const code = ruleText(rule)
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'));
    expect(code.filter((line) => line.includes('Metadata.guard'))).toEqual([]);
  });

  test.each(ruleCases)('%s messages carry its id and a [FIX] line', (_id, rule) => {
    const messages = [...ruleText(rule).matchAll(/<<([\s\S]*?)>>/g)].map((match) =>
      match[1]
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== ''),
    );

    expect(messages.length).toBeGreaterThan(0);
    for (const lines of messages) {
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(new RegExp(`^\\[${escapeRegExp(rule.id)}\\]: \\S.{9,}$`));
      expect(lines[1]).toMatch(/^\[FIX\]: \S.{9,}$/);
      expect(lines.join(' ')).not.toContain(';');
    }
  });
});

describe('rule tests', () => {
  test.each(ruleCases)('%s has a tests file with SKIP, PASS, FAIL and bare-suppression cases', (_id, rule) => {
    expect(existsSync(testsFileFor(rule))).toBe(true);
    const cases = testCases(rule);
    const names = cases.map((testCase) => testCase.name);

    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
    for (const testCase of cases) expect(Object.keys(testCase.expectations.rules)).toEqual([rule.ruleName]);
    for (const outcome of ['SKIP', 'PASS', 'FAIL']) {
      expect(cases.some((testCase) => expectation(testCase, rule) === outcome)).toBe(true);
    }
    const skipped = cases.filter((testCase) => expectation(testCase, rule) === 'SKIP');
    expect(skipped.some((testCase) => Object.keys(testCase.input).length === 0)).toBe(true);
    // Suppression metadata no longer switches the rule off: the case still fails in cfn-guard.
    expect(cases.some((testCase) => suppressesRule(testCase, rule) && expectation(testCase, rule) === 'FAIL')).toBe(true);
  });

  test.each(ruleCases)('%s reports every failing clause with its id and a [FIX] line', (_id, rule) => {
    for (const testCase of testCases(rule).filter((candidate) => expectation(candidate, rule) === 'FAIL')) {
      const { status, messages, stderr } = failingClauseMessages(rule, testCase.input);
      const shape = new RegExp(`^\\s*\\[${escapeRegExp(rule.id)}\\]: .+\\n\\s*\\[FIX\\]: .+\\s*$`);
      const malformed = messages.filter((message) => message === null || !shape.test(message));

      expect({ testCase: testCase.name, status, stderr, malformed }).toEqual({
        testCase: testCase.name,
        status: 19,
        stderr: '',
        malformed: [],
      });
      expect(messages.length).toBeGreaterThan(0);
    }
  });
});

interface BundledControlTowerRule {
  readonly id: string;
  readonly file: string;
  readonly resourceTypes: readonly string[];
}

function bundledControlTowerRules(): BundledControlTowerRule[] {
  const metadataDir = path.join(controlTowerRulesDirectory(), '..', 'metadata');
  return readdirSync(metadataDir).flatMap((service) =>
    readdirSync(path.join(metadataDir, service))
      .filter((file) => file.endsWith('.metadata.json'))
      .map((file) => {
        const metadataFile = path.join(metadataDir, service, file);
        const metadata = JSON.parse(readFileSync(metadataFile, 'utf8')) as { Id: string; EvaluatedResourceTypes: string[] };
        return {
          id: metadata.Id,
          file: `${service}/${file.replace(/\.metadata\.json$/, '.guard')}`,
          resourceTypes: metadata.EvaluatedResourceTypes,
        };
      }),
  );
}

describe('Control Tower decisions', () => {
  const bundled = bundledControlTowerRules();
  const emitted = new Set(CORE_EMITTED_RESOURCE_TYPES);
  const applicable = bundled.filter((rule) => rule.resourceTypes.some((type) => emitted.has(type)));

  test('the emitted resource type list has no duplicates', () => {
    expect(new Set(CORE_EMITTED_RESOURCE_TYPES).size).toBe(CORE_EMITTED_RESOURCE_TYPES.length);
    for (const type of CORE_EMITTED_RESOURCE_TYPES) expect(type).toMatch(/^(AWS|Custom)::[A-Za-z0-9]+(::[A-Za-z0-9]+)?$/);
  });

  test('every bundled rule for a type CORE emits has exactly one decision, and no other rule has one', () => {
    const decided = CONTROL_TOWER_DECISIONS.map((decision) => decision.id);
    expect(decided.filter((id, index) => decided.indexOf(id) !== index)).toEqual([]);
    expect([...decided].sort()).toEqual(applicable.map((rule) => rule.id).sort());
  });

  test('every decision names an existing bundled rule file with a matching id', () => {
    const byFile = new Map(bundled.map((rule) => [rule.file, rule.id]));
    for (const decision of CONTROL_TOWER_DECISIONS) {
      expect({ id: decision.id, bundledId: byFile.get(decision.file) }).toEqual({ id: decision.id, bundledId: decision.id });
      expect(existsSync(path.join(controlTowerRulesDirectory(), decision.file))).toBe(true);
    }
  });

  test('every reason is specific and cites only catalogued CORE rules', () => {
    const catalogued = new Set(RULE_CATALOGUE.map((rule) => rule.id));
    for (const decision of CONTROL_TOWER_DECISIONS) {
      expect(decision.reason.trim().length).toBeGreaterThanOrEqual(10);
      const cited = decision.reason.match(/CORE\.[A-Z0-9]+\.\d+/g) ?? [];
      expect(cited.filter((id) => !catalogued.has(id))).toEqual([]);
    }
  });

  test('a malformed decision fails at load, naming the file, the entry and the field', () => {
    // GIVEN
    const valid = { id: 'CT.S3.PR.1', file: 's3/ct-s3-pr-1.guard', enabled: false, reason: 'Covered by CORE.S3.1 already.' };
    const malformed = { id: 'CT.S3.PR.2', file: 's3/ct-s3-pr-2.guard', enabled: 'no', reason: 'Covered by CORE.S3.5 already.' };

    // WHEN / THEN
    expect(() => parseControlTowerDecisions([valid, malformed], 'decisions.json')).toThrow(
      'decisions.json is not a valid list of Control Tower decisions: entry 2 (CT.S3.PR.2), field enabled: Invalid input: expected boolean, received string',
    );
    expect(() => parseControlTowerDecisions([{ ...valid, enable: true }], 'decisions.json')).toThrow('entry 1 (CT.S3.PR.1): Unrecognized key: "enable"');
    expect(() => parseControlTowerDecisions([{ ...valid, reason: ' ok ' }], 'decisions.json')).toThrow('entry 1 (CT.S3.PR.1), field reason: expected a reason of at least 10 characters');
    expect(() => parseControlTowerDecisions({}, 'decisions.json')).toThrow('decisions.json is not a valid list of Control Tower decisions: Invalid input: expected array');
  });

  test('the decisions are read from the data file as written', () => {
    const file = path.join(__dirname, '..', 'src', 'catalogue', 'control-tower-decisions.json');
    expect(CONTROL_TOWER_DECISIONS).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });

  test('enabledControlTowerRuleFiles returns the absolute paths of the enabled rules', () => {
    const files = enabledControlTowerRuleFiles();
    const enabled = CONTROL_TOWER_DECISIONS.filter((decision) => decision.enabled);

    expect(files).toEqual(enabled.map((decision) => path.join(controlTowerRulesDirectory(), decision.file)));
    for (const file of files) {
      expect(path.isAbsolute(file)).toBe(true);
      expect(existsSync(file)).toBe(true);
    }
  });
});

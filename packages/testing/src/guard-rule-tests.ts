import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { resolveGuardBinary } from '@core-infra/policies';
import * as YAML from 'yaml';

/** One case of a cfn-guard tests file. */
export interface GuardTestCase {
  /** The case's name. */
  readonly name: string;
  /** The template fragment the rules evaluate. */
  readonly input: unknown;
  /** Expected status per rule name: `PASS`, `FAIL` or `SKIP`. */
  readonly expectations: {
    /** Expected status per rule name. */
    readonly rules: Readonly<Record<string, string>>;
  };
}

/** A rule file with its tests file. */
export interface GuardRuleTestFile {
  /** Absolute path of the `.guard` file. */
  readonly ruleFile: string;
  /** Absolute path of `tests/<rule>_tests.yaml`, or undefined when the rule has none. */
  readonly testsFile?: string;
}

/**
 * Finds every `.guard` file below a folder with its `tests/<stem>_tests.yaml` (or `.yml`).
 *
 * @param rulesDir the folder holding the rules (searched recursively)
 */
export function findGuardRuleTests(rulesDir: string): GuardRuleTestFile[] {
  const files: GuardRuleTestFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.guard')) {
        const stem = entry.name.slice(0, -'.guard'.length);
        const testsFile = ['yaml', 'yml'].map((ext) => path.join(dir, 'tests', `${stem}_tests.${ext}`)).find((f) => existsSync(f));
        files.push({ ruleFile: full, testsFile });
      }
    }
  };
  walk(rulesDir);
  return files;
}

/**
 * Reads the cases of a cfn-guard tests file.
 *
 * @param testsFile a YAML or JSON tests file
 */
export function readGuardTestCases(testsFile: string): GuardTestCase[] {
  const cases = YAML.parse(readFileSync(testsFile, 'utf8')) as GuardTestCase[];
  if (!Array.isArray(cases)) throw new Error(`${testsFile} is not a list of test cases`);
  return cases;
}

/** Outcome of running one case. */
export interface GuardCaseResult {
  /** Whether cfn-guard agreed with every expectation. */
  readonly passed: boolean;
  /** cfn-guard's own output, which explains a mismatch. */
  readonly output: string;
}

/**
 * Runs one test case through `cfn-guard test` (the real binary), so a failure carries
 * cfn-guard's own explanation.
 *
 * @param ruleFile the `.guard` file
 * @param testCase the case
 * @param guardBinary cfn-guard to use (default: the bundled one)
 */
export function runGuardTestCase(ruleFile: string, testCase: GuardTestCase, guardBinary?: string): GuardCaseResult {
  const dir = mkdtempSync(path.join(tmpdir(), 'guard-case-'));
  try {
    const caseFile = path.join(dir, 'case.json');
    writeFileSync(caseFile, JSON.stringify([testCase]));
    const result = spawnSync(resolveGuardBinary(guardBinary), ['test', '--rules-file', ruleFile, '--test-data', caseFile], { encoding: 'utf8' });
    const output = `${result.stdout}${result.stderr}`.trim();
    if (result.error) return { passed: false, output: `cfn-guard could not run: ${result.error.message}` };
    return { passed: result.status === 0, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Declares one jest test per guard test case, for every rule file below `rulesDir`, plus a
 * failing test for any rule file without a tests file (cfn-guard itself would skip it silently).
 * Call it at the top level of a test file.
 *
 * @param rulesDir the folder holding the rules
 * @param options `guardBinary` to use another cfn-guard
 * @example
 * describeGuardRules(path.join(__dirname, '..', 'rules'));
 */
export function describeGuardRules(rulesDir: string, options: { readonly guardBinary?: string } = {}): void {
  const ruleFiles = findGuardRuleTests(rulesDir);
  if (ruleFiles.length === 0) {
    test(`guard rules exist below ${rulesDir}`, () => {
      throw new Error(`no .guard files found below ${rulesDir}`);
    });
    return;
  }
  for (const { ruleFile, testsFile } of ruleFiles) {
    const label = path.relative(rulesDir, ruleFile);
    describe(label, () => {
      if (!testsFile) {
        test('has a tests file', () => {
          throw new Error(`${label} has no tests/${path.basename(ruleFile, '.guard')}_tests.yaml: a rule without tests does not exist`);
        });
        return;
      }
      const cases = readGuardTestCases(testsFile);
      test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
        const result = runGuardTestCase(ruleFile, testCase, options.guardBinary);
        if (!result.passed) throw new Error(`cfn-guard test failed for ${label} › ${testCase.name}:\n${result.output}`);
      });
    });
  }
}

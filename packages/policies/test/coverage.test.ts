import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { coreRulesDirectory, coverageFindings, declaredRuleNames, RULE_CATALOGUE, runGuard } from '../src';

// Coverage proof: a rule file that lost its rule still parses, so cfn-guard alone would report a
// clean pass; the engine must notice that the catalogue's rule was never evaluated.

const template = path.join(__dirname, 'fixtures', 'templates', 'insecure.template.json');
const ssl = RULE_CATALOGUE.find((rule) => rule.id === 'CORE.S3.2')!;

function copyOfRule(edit: (text: string) => string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'coverage-')), path.basename(ssl.file));
  writeFileSync(file, edit(readFileSync(path.join(coreRulesDirectory(), ssl.file), 'utf8')));
  return file;
}

function coverageOf(ruleFile: string) {
  const [result] = runGuard({ ruleFiles: [ruleFile], templateFiles: [template] });
  return coverageFindings(result, [{ path: ruleFile, id: ssl.id, requiredName: ssl.ruleName }], template);
}

describe('coverage proof', () => {
  test('the real rule file is fully evaluated', () => {
    expect(coverageOf(path.join(coreRulesDirectory(), ssl.file)).findings).toEqual([]);
  });

  test('a renamed rule block is reported, although cfn-guard evaluated the file', () => {
    const renamed = copyOfRule((text) => text.replace(`rule ${ssl.ruleName}`, 'rule S3_ANYTHING_GOES'));
    const { findings, incomplete } = coverageOf(renamed);
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'CORE.ENGINE.2', severity: 'critical', message: expect.stringContaining(`no longer declares its rule ${ssl.ruleName}`) })]);
    expect(incomplete.has(renamed)).toBe(true);
  });

  test('an emptied rule file is reported', () => {
    const emptied = copyOfRule((text) => text.split('\n').filter((line) => line.startsWith('#')).join('\n'));
    expect(coverageOf(emptied).findings).toEqual([expect.objectContaining({ ruleId: 'CORE.ENGINE.2', message: expect.stringContaining('declares no rule') })]);
  });

  test('output without the compliant and not-applicable lists proves nothing', () => {
    const file = path.join(coreRulesDirectory(), ssl.file);
    const { findings } = coverageFindings({ name: template, status: 'PASS', not_compliant: [] }, [{ path: file, id: ssl.id, requiredName: ssl.ruleName }], template);
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'CORE.ENGINE.2', message: expect.stringContaining(`did not report on this template: ${ssl.ruleName}`) })]);
  });

  test('parameterised helper rules are not expected in the report', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'coverage-')), 'helpers.guard');
    writeFileSync(file, 'rule check_one(x) {\n  %x exists\n}\nrule MAIN {\n  Resources exists\n}\n# rule COMMENTED\n');
    expect(declaredRuleNames(file)).toEqual(['MAIN']);
  });
});

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findGuardRuleTests, readGuardTestCases, runGuardTestCase } from '../src';

const RULE = `let topics = Resources.*[ Type == 'AWS::SNS::Topic' ]
rule TOPIC_ENCRYPTED when %topics !empty {
  %topics.Properties.KmsMasterKeyId exists
  <<
    [FIXTURE.SNS.1]: topic is not encrypted
    [FIX]: set a key
  >>
}
`;

function rulesDir(withTests: boolean): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rules-'));
  mkdirSync(path.join(dir, 'sns', 'tests'), { recursive: true });
  writeFileSync(path.join(dir, 'sns', 'topic_encrypted.guard'), RULE);
  if (withTests) {
    writeFileSync(
      path.join(dir, 'sns', 'tests', 'topic_encrypted_tests.yaml'),
      [
        '- name: unencrypted topic fails',
        '  input: { Resources: { T: { Type: AWS::SNS::Topic, Properties: {} } } }',
        '  expectations: { rules: { TOPIC_ENCRYPTED: FAIL } }',
        '- name: wrong expectation',
        '  input: { Resources: { T: { Type: AWS::SNS::Topic, Properties: {} } } }',
        '  expectations: { rules: { TOPIC_ENCRYPTED: PASS } }',
      ].join('\n'),
    );
  }
  return dir;
}

describe('guard rule test runner', () => {
  test('finds each rule with its tests file, or notes it has none', () => {
    expect(findGuardRuleTests(rulesDir(true))).toEqual([{ ruleFile: expect.stringMatching(/topic_encrypted\.guard$/), testsFile: expect.stringMatching(/topic_encrypted_tests\.yaml$/) }]);
    expect(findGuardRuleTests(rulesDir(false))).toEqual([{ ruleFile: expect.stringMatching(/topic_encrypted\.guard$/), testsFile: undefined }]);
  });

  test('passes a case whose expectation holds and fails one that does not, with cfn-guard\'s explanation', () => {
    const [file] = findGuardRuleTests(rulesDir(true));
    const [good, wrong] = readGuardTestCases(file.testsFile!);
    expect(runGuardTestCase(file.ruleFile, good)).toEqual({ passed: true, output: expect.any(String) });
    const failed = runGuardTestCase(file.ruleFile, wrong);
    expect(failed.passed).toBe(false);
    expect(failed.output).toMatch(/TOPIC_ENCRYPTED/);
    expect(failed.output).toMatch(/FAIL/);
  });
});

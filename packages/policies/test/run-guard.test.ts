import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PolicyEngineError, resolveGuardBinary, runGuard } from '../src';
import { fakeGuardBinary, VERSIONED_RULE } from './fixtures/helpers';

function templates(versioned: boolean[]): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'run-guard-'));
  return versioned.map((on, index) => {
    const file = path.join(dir, `t${index}.template.json`);
    const properties = on ? { VersioningConfiguration: { Status: 'Enabled' } } : {};
    writeFileSync(file, JSON.stringify({ Resources: { [`Bucket${index}`]: { Type: 'AWS::S3::Bucket', Properties: properties } } }));
    return file;
  });
}

describe('runGuard', () => {
  test.each([1, 2, 3])('reports every template, in order, with %i cfn-guard process(es)', (processes) => {
    // GIVEN three templates of which the first and the last violate the rule
    const files = templates([false, true, false]);
    // WHEN
    const results = runGuard({ ruleFiles: [VERSIONED_RULE], templateFiles: files, processes });
    // THEN
    expect(results.map((r) => [r.name, r.status])).toEqual([
      [files[0], 'FAIL'],
      [files[1], 'PASS'],
      [files[2], 'FAIL'],
    ]);
  });

  test('fails closed when one of several parallel processes fails', () => {
    // GIVEN a cfn-guard that fails only for the process holding the second template
    const binary = fakeGuardBinary(`case "$*" in *t1.template.json*) echo "boom" >&2; exit 101;; esac; exec "${resolveGuardBinary()}" "$@"`);
    // THEN the whole run fails, naming the failure
    const run = () => runGuard({ ruleFiles: [VERSIONED_RULE], templateFiles: templates([true, true, true]), processes: 3, binary });
    expect(run).toThrow(PolicyEngineError);
    expect(run).toThrow(/exit code 101: boom/);
  });
});

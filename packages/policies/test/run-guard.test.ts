import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GUARD_BINARY_ENV, guardBinaryInfo, PolicyEngineError, resolveGuardBinary, runGuard, runGuardJobs, SUPPORTED_GUARD_MAJOR_VERSION, TemplateInputError } from '../src';
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

describe('guardBinaryInfo', () => {
  const savedEnv = process.env[GUARD_BINARY_ENV];
  afterEach(() => {
    if (savedEnv === undefined) delete process.env[GUARD_BINARY_ENV];
    else process.env[GUARD_BINARY_ENV] = savedEnv;
  });

  test('describes the bundled binary and its supported version', () => {
    // GIVEN no override
    delete process.env[GUARD_BINARY_ENV];
    // WHEN
    const info = guardBinaryInfo();
    // THEN
    expect(info).toEqual({ path: resolveGuardBinary(), version: expect.stringMatching(new RegExp(`^${SUPPORTED_GUARD_MAJOR_VERSION}\\.\\d+\\.\\d+$`)), source: 'bundled' });
  });

  test('describes an override given as an option or in CORE_POLICIES_GUARD_BINARY', () => {
    // GIVEN a binary reporting cfn-guard 3.1.1
    const binary = fakeGuardBinary('exit 0');
    // THEN
    expect(guardBinaryInfo(binary)).toEqual({ path: binary, version: '3.1.1', source: 'override' });
    process.env[GUARD_BINARY_ENV] = binary;
    expect(guardBinaryInfo()).toEqual({ path: binary, version: '3.1.1', source: 'override' });
  });

  test('asks a binary for its version once', () => {
    // GIVEN a binary that counts how often it is run
    const dir = mkdtempSync(path.join(tmpdir(), 'counting-guard-'));
    const binary = path.join(dir, 'cfn-guard');
    writeFileSync(binary, `#!/bin/sh\necho run >> "${dir}/runs"\necho "cfn-guard 3.1.1"\n`);
    chmodSync(binary, 0o755);
    // WHEN
    guardBinaryInfo(binary);
    guardBinaryInfo(binary);
    // THEN
    expect(readFileSync(path.join(dir, 'runs'), 'utf8')).toBe('run\n');
  });

  test('refuses cfn-guard 2.x, naming the binary, the version and the fix', () => {
    // GIVEN
    const binary = fakeGuardBinary('exit 0', 'cfn-guard 2.1.0');
    process.env[GUARD_BINARY_ENV] = binary;
    // THEN
    expect(() => guardBinaryInfo()).toThrow(PolicyEngineError);
    expect(() => guardBinaryInfo()).toThrow(
      `cfn-guard binary ${binary} is version 2.1.0, but the rules need cfn-guard 3.x: set CORE_POLICIES_GUARD_BINARY to the path of a cfn-guard 3.x binary, or unset it to use the bundled cfn-guard`,
    );
  });

  test('refuses a binary whose --version output is not a cfn-guard version', () => {
    // GIVEN
    const binary = fakeGuardBinary('exit 0', 'garbage');
    // THEN
    expect(() => guardBinaryInfo(binary)).toThrow(PolicyEngineError);
    expect(() => guardBinaryInfo(binary)).toThrow(new RegExp(`^cfn-guard binary ${binary} does not report a cfn-guard version: \`--version\` exited 0 and printed "garbage" instead of "cfn-guard X\\.Y\\.Z"`));
  });

  test.each([[''], ['  ']])('refuses CORE_POLICIES_GUARD_BINARY set to %j as a usage error naming the variable', (value) => {
    // GIVEN
    process.env[GUARD_BINARY_ENV] = value;
    // THEN
    expect(() => guardBinaryInfo()).toThrow(TemplateInputError);
    expect(() => resolveGuardBinary()).toThrow(
      'CORE_POLICIES_GUARD_BINARY is set but empty: unset it to use the bundled cfn-guard, or set it to the path of a cfn-guard 3.x binary',
    );
  });

  test('runGuard refuses an unsupported binary before evaluating anything', () => {
    // GIVEN a 2.x binary that would report every template as passing
    const binary = fakeGuardBinary(`echo '[]'; exit 0`, 'cfn-guard 2.1.0');
    // THEN
    expect(() => runGuard({ ruleFiles: [VERSIONED_RULE], templateFiles: templates([false]), binary })).toThrow(/is version 2\.1\.0/);
  });
});

describe('runGuardJobs', () => {
  test('runs job lists far larger than one command-line argument may be', () => {
    // GIVEN 40 jobs that each name the rule file 400 times (about 1 MB of arguments in all)
    const files = templates(Array.from({ length: 40 }, (_, i) => i % 2 === 0));
    const jobs = files.map((file) => ({ ruleFiles: Array.from({ length: 400 }, () => VERSIONED_RULE), templateFiles: [file] }));
    // WHEN
    const results = runGuardJobs(jobs, { processes: 2 });
    // THEN every template is reported
    expect(files.map((f) => results.get(f)?.status)).toEqual(files.map((_, i) => (i % 2 === 0 ? 'PASS' : 'FAIL')));
  });
});

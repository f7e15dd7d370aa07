import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readJsonFile, TemplateInputError } from '../../src';
import * as check from '../../src/report/check';
import { cli, cliProcess, expectOneLine, handWrittenAssembly, scratch } from './helpers';

const RESYNTH = 'synthesize the app again (cdk synth) to rewrite';

describe('file-level failures name the file and the fix, exit 2 and print no stack trace', () => {
  test('a template the manifest lists is missing', async () => {
    // GIVEN an assembly whose App.template.json was deleted
    const dir = handWrittenAssembly({ 'App.template.json': undefined });
    // WHEN
    const result = await cli('check', dir);
    // THEN
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`core-policies: template of stack App ${path.join(dir, 'App.template.json')} does not exist: ${RESYNTH} the cloud assembly\n`);
  });

  test('a template of the assembly is not JSON', async () => {
    const dir = handWrittenAssembly({ 'App.template.json': '{"Resources": ' });
    const result = await cli('check', dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/App\.template\.json is not valid JSON \(.+\): synthesize the app again \(cdk synth\) to rewrite the cloud assembly\n$/);
    expectOneLine(result.stderr);
  });

  test('manifest.json is not JSON', async () => {
    const dir = handWrittenAssembly({ 'manifest.json': '{\n  "artifacts": x\n}' });
    const result = await cli('check', dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^core-policies: cloud assembly manifest ${path.join(dir, 'manifest.json')} is not valid JSON \\(.+\\): ${RESYNTH.replace(/[()]/g, '\\$&')} it\\n$`));
    expectOneLine(result.stderr);
  });

  test('manifest.json is JSON but not a manifest', async () => {
    const dir = handWrittenAssembly({ 'manifest.json': '{"artifacts": []}' });
    const result = await cli('check', dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cloud assembly manifest ${path.join(dir, 'manifest.json')} is not a manifest (expected an object with an artifacts map)`);
    expectOneLine(result.stderr);
  });

  test('core-policies-run.json is not JSON', async () => {
    // GIVEN an assembly whose plugin run record is damaged
    const dir = handWrittenAssembly({ 'core-policies-run.json': 'not json' });
    // WHEN
    const result = await cli('check', dir, '--require-plugin');
    // THEN
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain(path.join(dir, 'core-policies-run.json'));
    expect(result.stderr).toMatch(/is not valid JSON/);
  });

  test('the gate names a damaged manifest.json too', async () => {
    const dir = handWrittenAssembly({ 'manifest.json': '{' });
    const result = await cli('diff', '--baseline', scratch('cli-baseline'), '--assembly', dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^core-policies diff: cloud assembly manifest .*manifest\.json is not valid JSON/);
    expectOneLine(result.stderr);
  });
});

describe('--debug', () => {
  test.each([
    ['before the command', ['--debug', 'check']],
    ['after the command', ['check', '--debug']],
  ])('adds the stack trace below the one-line reason, given %s', async (_label, args) => {
    const dir = handWrittenAssembly({ 'App.template.json': undefined });
    const result = await cli(...args, dir);
    expect(result.code).toBe(2);
    const [first, ...rest] = result.stderr.split('\n');
    expect(first).toMatch(/^core-policies: template of stack App .* does not exist/);
    expect(rest.join('\n')).toMatch(/^TemplateInputError: .*\n\s+at /);
  });

  test('is a global option the diff command honours', async () => {
    const dir = handWrittenAssembly({ 'manifest.json': '{' });
    const result = await cli('--debug', 'diff', '--baseline', scratch('cli-baseline'), '--assembly', dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^core-policies diff: cloud assembly manifest .* is not valid JSON.*\n.*\n\s+at /);
  });
});

describe('an unexpected error', () => {
  afterEach(() => jest.restoreAllMocks());

  test('prints its message on one line and exits 2', async () => {
    jest.spyOn(check, 'checkTemplates').mockImplementation(() => {
      throw new Error('boom\nsecond line');
    });
    const result = await cli('check', handWrittenAssembly());
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('core-policies: unexpected error: boom second line (run again with --debug for the stack trace)\n');
  });

  test('prints the stack trace with --debug', async () => {
    jest.spyOn(check, 'checkTemplates').mockImplementation(() => {
      throw new Error('boom');
    });
    const result = await cli('--debug', 'check', handWrittenAssembly());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^core-policies: unexpected error: boom\nError: boom\n\s+at /);
  });

  test('from the file system names the path', async () => {
    jest.spyOn(check, 'checkTemplates').mockImplementation(() => {
      throw Object.assign(new Error("EACCES: permission denied, open '/x/y.json'"), { code: 'EACCES', syscall: 'open', path: '/x/y.json' });
    });
    const result = await cli('check', handWrittenAssembly());
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('core-policies: cannot open /x/y.json (EACCES): check the path and its permissions\n');
  });
});

describe('readJsonFile', () => {
  test('names a missing file and the fix', () => {
    const file = path.join(scratch('read-json'), 'core-policies-run.json');
    expect(() => readJsonFile(file, 'core-policies plugin run record')).toThrow(TemplateInputError);
    expect(() => readJsonFile(file, 'core-policies plugin run record')).toThrow(`core-policies plugin run record ${file} does not exist: ${RESYNTH} it`);
  });

  test('names a file that is not JSON, on one line', () => {
    const file = path.join(scratch('read-json'), 'core-policies-run.json');
    writeFileSync(file, '{\n  "profile": x\n}');
    expect(() => readJsonFile(file, 'core-policies plugin run record')).toThrow(
      new RegExp(`^core-policies plugin run record ${file} is not valid JSON \\([^\\n]+\\): ${RESYNTH.replace(/[()]/g, '\\$&')} it$`),
    );
  });

  test('returns the parsed JSON', () => {
    const file = path.join(scratch('read-json'), 'ok.json');
    writeFileSync(file, '{"profile":"baseline"}');
    expect(readJsonFile(file, 'record')).toEqual({ profile: 'baseline' });
  });
});

describe('core-policies baseline', () => {
  test('refuses a baseline folder under /proc instead of hanging', () => {
    const result = cliProcess(['baseline', '--assembly', handWrittenAssembly(), '--baseline', '/proc/core-test/baseline']);
    expect(result.killed).toBe(false);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^core-policies baseline: cannot create baseline folder \/proc\/core-test\/baseline: /);
  }, 60_000);

  test('leaves no baseline folder behind when the refresh fails', async () => {
    const baseline = path.join(scratch('cli-baseline'), 'apps', 'dev', 'baseline');
    const result = await cli('baseline', '--assembly', path.join(scratch('cli-empty'), 'missing'), '--baseline', baseline);
    expect(result.code).toBe(2);
    expect(existsSync(path.dirname(path.dirname(baseline)))).toBe(false);
  });
});

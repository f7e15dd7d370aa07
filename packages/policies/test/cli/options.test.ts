import * as path from 'node:path';
import { GUARD_BINARY_ENV, RESULT_CACHE_DIR_ENV, RESULT_CACHE_ENV } from '../../src';
import * as check from '../../src/report/check';
import { fakeGuardBinary } from '../fixtures/helpers';
import { cli, NEUTRAL_TEMPLATE, scratch } from './helpers';

const INSECURE_TEMPLATE = path.join(__dirname, '..', 'fixtures', 'templates', 'insecure.template.json');

describe('check --allow-empty', () => {
  afterEach(() => jest.restoreAllMocks());

  test.each([
    ['given', ['--allow-empty'], true],
    ['not given', [], false],
  ])('is passed to checkTemplates when %s', async (_label, args, allowEmpty) => {
    const checkTemplates = jest.spyOn(check, 'checkTemplates');
    const result = await cli('check', NEUTRAL_TEMPLATE, ...args);
    expect(result.code).toBe(0);
    expect(checkTemplates).toHaveBeenCalledWith(expect.objectContaining({ allowEmpty }));
  });

  test('is listed in the help', async () => {
    const result = await cli('check', '--help');
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('--allow-empty pass when the inputs hold no templates; by default an empty assembly fails');
  });
});

test('--debug is a global option listed in the help', async () => {
  const result = await cli('--help');
  expect(result.stdout.replace(/\s+/g, ' ')).toContain('--debug print the stack trace of a failure (for bug reports)');
});

describe('CORE_POLICIES_GUARD_BINARY', () => {
  const saved = process.env[GUARD_BINARY_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[GUARD_BINARY_ENV];
    else process.env[GUARD_BINARY_ENV] = saved;
  });

  test('set but empty is a usage error naming the variable', async () => {
    process.env[GUARD_BINARY_ENV] = '';
    const result = await cli('check', NEUTRAL_TEMPLATE);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'core-policies: CORE_POLICIES_GUARD_BINARY is set but empty: unset it to use the bundled cfn-guard, or set it to the path of a cfn-guard 3.x binary\n',
    );
  });

  test('pointing at cfn-guard 2.x fails before anything is checked', async () => {
    const binary = fakeGuardBinary(`echo '[]'; exit 0`, 'cfn-guard 2.1.0');
    process.env[GUARD_BINARY_ENV] = binary;
    const result = await cli('check', NEUTRAL_TEMPLATE);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `core-policies: policy engine failed, nothing was checked: cfn-guard binary ${binary} is version 2.1.0, but the rules need cfn-guard 3.x: ` +
        'set CORE_POLICIES_GUARD_BINARY to the path of a cfn-guard 3.x binary, or unset it to use the bundled cfn-guard\n',
    );
  });

  test('pointing at a binary that prints garbage for --version fails', async () => {
    process.env[GUARD_BINARY_ENV] = fakeGuardBinary(`echo '[]'; exit 0`, 'garbage');
    const result = await cli('check', NEUTRAL_TEMPLATE);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/does not report a cfn-guard version: `--version` exited 0 and printed "garbage"/);
  });
});

describe('check --no-cache', () => {
  const saved = { cache: process.env[RESULT_CACHE_ENV], dir: process.env[RESULT_CACHE_DIR_ENV] };
  afterEach(() => {
    for (const [name, value] of [[RESULT_CACHE_ENV, saved.cache], [RESULT_CACHE_DIR_ENV, saved.dir]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test('the report says when results came from the cache, and --no-cache evaluates everything again', async () => {
    // GIVEN the cache on, in an empty folder
    process.env[RESULT_CACHE_ENV] = 'on';
    process.env[RESULT_CACHE_DIR_ENV] = scratch('cli-cache');
    // WHEN the insecure fixture is checked twice, then once with --no-cache
    const first = await cli('check', INSECURE_TEMPLATE);
    const second = await cli('check', INSECURE_TEMPLATE);
    const uncached = await cli('check', INSECURE_TEMPLATE, '--no-cache');
    // THEN the verdict is the same every time, and only the second run took cfn-guard's result from the cache
    expect([first.code, second.code, uncached.code]).toEqual([1, 1, 1]);
    expect(first.stdout).not.toContain('from the cache');
    expect(second.stdout).toContain("1 of 1 templates' cfn-guard results from the cache");
    expect(uncached.stdout).not.toContain('from the cache');
    const body = (text: string) => text.split('\n').slice(1).join('\n');
    expect(body(second.stdout)).toBe(body(first.stdout));
    expect(body(uncached.stdout)).toBe(body(first.stdout));
  });
});

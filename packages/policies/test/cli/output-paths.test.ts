import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cli, cliProcess, expectOneLine, NEUTRAL_TEMPLATE, scratch } from './helpers';

// Node's recursive mkdir spins forever under /proc, synchronously, so these run the bin in a
// child process that a timeout can kill.
describe('output paths under /proc are refused instead of hanging', () => {
  test.each([
    ['--output', ['--output', '/proc/core-test/x/report.json'], /^core-policies: cannot write report file \/proc\/core-test\/x\/report\.json: /],
    ['--report-dir', ['--report-dir', '/proc/core-test/x'], /^core-policies: cannot create report folder \/proc\/core-test\/x: /],
  ])('%s', (_label, args, message) => {
    const result = cliProcess(['check', NEUTRAL_TEMPLATE, ...args]);
    expect(result.killed).toBe(false);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/: pass a path inside a folder you can write to\n$/);
    expectOneLine(result.stderr);
  }, 60_000);
});

describe('output paths that cannot be written exit 2 naming the path', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = scratch('cli-out');
    file = path.join(dir, 'plain-file');
    writeFileSync(file, 'x');
  });

  test('--output below a regular file', async () => {
    const result = await cli('check', NEUTRAL_TEMPLATE, '--output', path.join(file, 'sub', 'report.json'));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`core-policies: cannot write report file ${path.join(file, 'sub', 'report.json')}: ${file} is not a folder: pass a path inside a folder you can write to\n`);
  });

  test('--report-dir below a regular file', async () => {
    const result = await cli('check', NEUTRAL_TEMPLATE, '--report-dir', path.join(file, 'reports'));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`core-policies: cannot create report folder ${path.join(file, 'reports')}: ${file} is not a folder: pass a path inside a folder you can write to\n`);
  });

  test('--report-dir that is a regular file', async () => {
    const result = await cli('check', NEUTRAL_TEMPLATE, '--report-dir', file);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`core-policies: cannot create report folder ${file}: ${file} is not a folder: pass a path inside a folder you can write to\n`);
  });

  test('--output that is a folder', async () => {
    const folder = path.join(dir, 'a-folder');
    mkdirSync(folder);
    const result = await cli('check', NEUTRAL_TEMPLATE, '--output', folder);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`core-policies: cannot write report file ${folder}: it is a folder: pass the path of a file to write\n`);
  });
});

test('--output and --report-dir create missing folders, level by level', async () => {
  const dir = scratch('cli-out');
  const output = path.join(dir, 'a', 'b', 'report.txt');
  const reportDir = path.join(dir, 'c', 'd');
  const result = await cli('check', NEUTRAL_TEMPLATE, '--output', output, '--report-dir', reportDir);
  expect(result.code).toBe(0);
  expect(readFileSync(output, 'utf8')).toMatch(/^PASSED/m);
  for (const name of ['policy-report.txt', 'policy-report.json', 'policy-report.sarif', 'policy-report.junit.xml']) {
    expect(existsSync(path.join(reportDir, name))).toBe(true);
  }
});

/**
 * The command line of `npm run bench` (bench/options.ts): the defaults of each mode, and a bad
 * flag or value stops the run with one line that names it, before anything is measured.
 */
import * as path from 'node:path';
import { CommanderError } from 'commander';
import { parseOptions, STEPS, type Options } from '../bench/options';

/** Parses `argv`, capturing what commander prints. */
function parse(argv: string[]): { options?: Options; error?: CommanderError; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const output = { stdout: (text: string) => (stdout += text), stderr: (text: string) => (stderr += text) };
  try {
    return { options: parseOptions(argv, output), stdout, stderr };
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return { error, stdout, stderr };
  }
}

describe('npm run bench options', () => {
  test('full mode by default: 3 runs, growth 1/10/50 once each, every step, results in bench/results.json', () => {
    // GIVEN no flags
    // WHEN parsed
    const { options } = parse([]);
    // THEN
    expect(options).toEqual({
      quick: false,
      runs: 3,
      growth: [1, 10, 50],
      growthRuns: 1,
      testRuns: 1,
      steps: new Set(STEPS),
      out: path.resolve(__dirname, '..', 'bench', 'results.json'),
      keepLogs: false,
    });
  });

  test('--quick: 1 run each, growth 1/10, no tests unless --with-tests', () => {
    const quick = parse(['--quick']).options!;
    expect({ runs: quick.runs, growth: quick.growth, tests: quick.steps.has('tests') }).toEqual({ runs: 1, growth: [1, 10], tests: false });
    expect(parse(['--quick', '--with-tests']).options!.steps.has('tests')).toBe(true);
    expect(parse(['--no-tests']).options!.steps.has('tests')).toBe(false);
  });

  test('values are read in both --flag value and --flag=value forms; growth is sorted and deduplicated', () => {
    const { options } = parse(['--runs=2', '--growth', '10, 1,10', '--growth-runs', '3', '--test-runs=2', '--only', 'overhead,growth', '--out', 'x.json', '--keep-logs']);
    expect(options).toMatchObject({ runs: 2, growth: [1, 10], growthRuns: 3, testRuns: 2, out: path.resolve('x.json'), keepLogs: true });
    expect([...options!.steps]).toEqual(['overhead', 'growth']);
  });

  test('--help prints every flag and exits 0', () => {
    const { error, stdout } = parse(['--help']);
    expect(error?.exitCode).toBe(0);
    for (const flag of ['--quick', '--runs', '--growth', '--growth-runs', '--with-tests', '--no-tests', '--test-runs', '--only', '--out', '--keep-logs']) expect(stdout).toContain(flag);
  });

  test.each([
    [['--only', 'cold,bogus'], /^bench: option '--only <a,b>' argument 'cold,bogus' is invalid\. Unknown step 'bogus'; the steps are cold, warm/],
    [['--growth', '1,abc'], /^bench: option '--growth <1,10,50>' argument '1,abc' is invalid\. Review-app counts go from 1 to 100 .*not 'abc'/],
    [['--growth=0,101'], /^bench: option '--growth <1,10,50>' argument '0,101' is invalid\..*not '0', '101'/],
    [['--runs', '0'], /^bench: option '--runs <N>' argument '0' is invalid\. It must be a positive integer/],
    [['--test-runs', '1.5'], /^bench: option '--test-runs <N>' argument '1\.5' is invalid/],
    [['--runs'], /^bench: option '--runs <N>' argument missing/],
    [['--quik'], /^bench: unknown option '--quik' \(Did you mean --quick\?\)/],
    [['--quick=1'], /^bench: unknown option '--quick=1'/],
    [['overhead'], /^bench: unexpected argument 'overhead'/],
  ])('%j fails with exit code 1 and one line naming the flag and value', (argv, message) => {
    // GIVEN a bad flag or value
    // WHEN parsed
    const { options, error, stderr } = parse(argv);
    // THEN no options, a non-zero exit code and exactly one line on stderr
    expect(options).toBeUndefined();
    expect(error?.exitCode).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

import { Command, InvalidArgumentError } from 'commander';
import { runCommandLine, type CliContext, type CommandLineProgram, type FailureContext } from '../../src';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly failures: { readonly error: unknown; readonly debug: boolean; readonly command?: string }[];
}

/** A two-command program: `exit <code>` returns the code, `fail` throws, `quiet` returns nothing. */
function toyProgram(failures: Run['failures']): CommandLineProgram {
  return {
    build: (cli: CliContext) => {
      const program = new Command('toy')
        .option('--debug', 'stack traces', false)
        .configureOutput({ writeOut: cli.io.stdout, writeErr: cli.io.stderr })
        .exitOverride();
      program
        .command('exit')
        .argument('<code>')
        .action(cli.action((code: string) => Number(code)));
      program.command('quiet').action(cli.action(() => cli.io.stdout('done\n')));
      program.command('bad-value').action(
        cli.action(() => {
          throw new InvalidArgumentError('--config "x" is not <environment>=<file>: write e.g. --config production=prod.yaml');
        }),
      );
      program.command('fail').action(
        cli.action(() => {
          throw new Error('boom');
        }),
      );
      return program;
    },
    usageExitCode: 2,
    describeFailure: (error: unknown, { debug, command }: FailureContext) => {
      failures.push({ error, debug, command: command?.name() });
      return { message: `toy: ${(error as Error).message}`, exitCode: 7 };
    },
  };
}

async function run(...argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const failures: Run['failures'] = [];
  const code = await runCommandLine(toyProgram(failures), argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr, failures };
}

describe('runCommandLine', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  test('returns the exit code the action returns, and 0 when it returns nothing', async () => {
    expect((await run('exit', '3')).code).toBe(3);
    expect(await run('quiet')).toEqual({ code: 0, stdout: 'done\n', stderr: '', failures: [] });
  });

  test('gives the usage exit code for bad usage and 0 for --help, leaving the message to Commander', async () => {
    const bad = await run('exit');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("missing required argument 'code'");
    expect(bad.failures).toEqual([]);
    expect((await run('--help')).code).toBe(0);
  });

  test('prints a usage error an action throws, which Commander never saw, and gives the usage exit code', async () => {
    expect(await run('bad-value')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --config "x" is not <environment>=<file>: write e.g. --config production=prod.yaml\n',
      failures: [],
    });
  });

  test('describes what an action throws, naming the command and --debug, and writes the message', async () => {
    const failed = await run('--debug', 'fail');
    expect(failed.code).toBe(7);
    expect(failed.stderr).toBe('toy: boom\n');
    expect(failed.failures).toEqual([{ error: new Error('boom'), debug: true, command: 'fail' }]);
  });

  test('never sets process.exitCode: the bin entry does, once', async () => {
    process.exitCode = undefined;
    await run('exit', '4');
    await run('fail');
    expect(process.exitCode).toBeUndefined();
  });
});

import { Command, CommanderError } from 'commander';

/** Where a command-line program writes; injectable so tests run it in-process. */
export interface CliIo {
  /** Writes normal output. */
  readonly stdout: (text: string) => void;
  /** Writes errors. */
  readonly stderr: (text: string) => void;
}

/**
 * The process's own standard output and standard error.
 *
 * @returns an {@link CliIo} that writes to `process.stdout` and `process.stderr`
 */
export function processIo(): CliIo {
  return { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) };
}

/** What a command's action returns: the run's exit code, or nothing for exit code 0. */
export type CommandResult = number | void;

/** What the user sees of a failure: the text written to standard error and the exit code. */
export interface CliFailure {
  /** The text for standard error, without the final newline. */
  readonly message: string;
  /** Exit code of the run. */
  readonly exitCode: number;
}

/** Where a failure happened, for {@link CommandLineProgram.describeFailure}. */
export interface FailureContext {
  /** Whether `--debug` was given (always false for a program without that option). */
  readonly debug: boolean;
  /** The command whose action threw; `undefined` when no action had started. */
  readonly command?: Command;
}

/** What a program's builder gets for one run. */
export interface CliContext {
  /** Where the run writes. */
  readonly io: CliIo;
  /**
   * Wraps a command's action so that the exit code it returns becomes the run's exit code.
   * Every action of a program goes through it: commands return their exit code instead of
   * setting `process.exitCode`.
   *
   * @param handler the action, called with Commander's arguments (arguments, options, command)
   * @returns the handler to pass to Commander's `.action()`
   */
  action<Args extends unknown[]>(handler: (...args: Args) => CommandResult | Promise<CommandResult>): (...args: Args) => Promise<void>;
}

/** One command-line program, as {@link runCommandLine} runs it. */
export interface CommandLineProgram {
  /**
   * Builds the Commander program for one run. It must call `exitOverride()` (so bad usage throws
   * instead of exiting) and write through `configureOutput()` to the context's `io`.
   */
  readonly build: (context: CliContext) => Command;
  /** Exit code of bad usage: an unknown option, a missing argument, an invalid choice. */
  readonly usageExitCode: number;
  /** Turns what an action (or an option parser) threw into the message and exit code the user gets. */
  readonly describeFailure: (error: unknown, context: FailureContext) => CliFailure;
}

/**
 * Runs a command-line program and returns its exit code; never throws, and never touches
 * `process.exitCode`: the bin entry sets it, once, from the result.
 *
 * - An action's returned exit code is the result (0 when it returns nothing).
 * - Bad usage gives {@link CommandLineProgram.usageExitCode}, after its one-line reason: printed
 *   by Commander, or here when an action throws a Commander error (`InvalidArgumentError`);
 *   `--help` gives 0.
 * - Anything else an action throws goes through {@link CommandLineProgram.describeFailure},
 *   whose message is written to standard error.
 *
 * @param program the program to run
 * @param argv arguments after the program name
 * @param io where output goes
 * @returns the exit code
 */
export async function runCommandLine(program: CommandLineProgram, argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = 0;
  let running: Command | undefined;
  const context: CliContext = {
    io,
    action:
      <Args extends unknown[]>(handler: (...args: Args) => CommandResult | Promise<CommandResult>) =>
      async (...args: Args) => {
        // Commander passes the command itself last.
        const command = args.at(-1);
        running = command instanceof Command ? command : undefined;
        let result: CommandResult;
        try {
          result = await handler(...args);
        } catch (error) {
          // Commander prints the usage errors it raises itself, not one an action raises (an
          // InvalidArgumentError from a value the action parses): say it here, in its style.
          if (error instanceof CommanderError) io.stderr(`error: ${error.message}\n`);
          throw error;
        }
        if (typeof result === 'number') exitCode = result;
      },
  };
  const command = program.build(context);
  try {
    await command.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its one-line reason (or the help).
      return error.exitCode === 0 ? 0 : program.usageExitCode;
    }
    const failure = program.describeFailure(error, { debug: command.opts<{ debug?: boolean }>().debug === true, command: running });
    io.stderr(`${failure.message}\n`);
    return failure.exitCode;
  }
}

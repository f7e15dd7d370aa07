import { Command, Option, type ErrorOptions } from 'commander';
import { compareAssemblies } from '../gate/compare';
import { writeBaseline } from '../gate/baseline';
import { formatBaselineUpdate, formatGateReport, GATE_EXIT_INPUT_ERROR, GATE_EXIT_PASSED, gateExitCode } from '../gate/format';
import { describeFailure } from './failures';
import { ensureDirectory, removeCreatedDirectories } from './output-files';

/** Output formats of the `diff` command. */
export const DIFF_FORMATS = ['text', 'json'] as const;

/** An output format of the `diff` command. */
export type DiffFormat = (typeof DIFF_FORMATS)[number];

interface DiffOptions {
  readonly baseline: string;
  readonly assembly: string;
  readonly acknowledgements?: string;
  readonly format: DiffFormat;
}

interface BaselineOptions {
  readonly baseline: string;
  readonly assembly: string;
}

/**
 * A subcommand whose usage errors (a missing option, an unknown option, a bad choice) exit
 * with code 2, keeping code 1 for "the gate found a destructive change".
 */
class GateCommand extends Command {
  override error(message: string, errorOptions?: ErrorOptions): never {
    return super.error(message, { ...errorOptions, exitCode: GATE_EXIT_INPUT_ERROR });
  }
}

/**
 * Adds the destructive-change gate's two commands to a commander program:
 *
 * - `diff --baseline <dir> --assembly <cdk.out> [--acknowledgements <file>] [--format text|json]`
 *   compares the assembly with the baseline templates; exit code 0 when nothing unacknowledged
 *   is destructive, 1 when something is (or an acknowledgement is stale or expired), 2 for bad
 *   usage or unreadable input;
 * - `baseline --assembly <cdk.out> --baseline <dir>` refreshes the baseline from the assembly
 *   after review; exit code 0, or 2 for bad usage or unreadable input.
 *
 * The actions set `process.exitCode` instead of exiting, and write through the program's
 * `configureOutput()` streams, so the program can run in-process (with `exitOverride()`).
 *
 * @param program the program to extend; its settings (output, exit override) are inherited
 */
export function registerDiffCommand(program: Command): void {
  const diff = new GateCommand('diff')
    .copyInheritedSettings(program)
    .description('Fail when a stateful resource (database, bucket, key, ...) would be replaced, destroyed or orphaned compared with the baseline')
    .requiredOption('--baseline <dir>', 'folder of committed baseline templates, e.g. apps/dev/baseline')
    .requiredOption('--assembly <dir>', 'the synthesized cloud assembly (cdk.out folder)')
    .option('--acknowledgements <file>', 'YAML or JSON list of acknowledged changes (default: <baseline>/acknowledgements.yaml when present)')
    .addOption(new Option('--format <format>', 'output format').choices(DIFF_FORMATS).default('text'))
    .action((options: DiffOptions, command: Command) => {
      runGuarded(command, 'diff', () => {
        const report = compareAssemblies({
          baselineDir: options.baseline,
          assemblyDir: options.assembly,
          acknowledgementsFile: options.acknowledgements,
        });
        writeOut(command, options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatGateReport(report));
        return gateExitCode(report);
      });
    });

  const baseline = new GateCommand('baseline')
    .copyInheritedSettings(program)
    .description('Refresh the baseline templates from a synthesized cloud assembly, after its destructive changes are reviewed')
    .requiredOption('--assembly <dir>', 'the synthesized cloud assembly (cdk.out folder)')
    .requiredOption('--baseline <dir>', 'folder of baseline templates to write, e.g. apps/dev/baseline')
    .action((options: BaselineOptions, command: Command) => {
      runGuarded(command, 'baseline', () => {
        const update = writeBaselineSafely(options);
        writeOut(command, formatBaselineUpdate(update));
        return GATE_EXIT_PASSED;
      });
    });

  program.addCommand(diff);
  program.addCommand(baseline);
}

/**
 * Creates the baseline folder before `writeBaseline` does: its recursive mkdir never returns for a
 * path under `/proc`. Folders created here are removed again when the refresh fails, so a bad
 * `--assembly` leaves no empty baseline folder behind.
 */
function writeBaselineSafely(options: BaselineOptions): ReturnType<typeof writeBaseline> {
  const created = ensureDirectory(options.baseline, 'baseline folder');
  try {
    return writeBaseline({ assemblyDir: options.assembly, baselineDir: options.baseline });
  } catch (error) {
    removeCreatedDirectories(created);
    throw error;
  }
}

/** Runs an action, turning any failure into a one-line message (a stack trace only with `--debug`) and exit code 2. */
function runGuarded(command: Command, name: string, action: () => number): void {
  try {
    process.exitCode = action();
  } catch (error) {
    writeErr(command, `core-policies ${name}: ${describeFailure(error, command.optsWithGlobals<{ debug?: boolean }>().debug === true)}\n`);
    process.exitCode = GATE_EXIT_INPUT_ERROR;
  }
}

function writeOut(command: Command, text: string): void {
  const write = command.configureOutput().writeOut ?? ((chunk: string) => process.stdout.write(chunk));
  write(text);
}

function writeErr(command: Command, text: string): void {
  const write = command.configureOutput().writeErr ?? ((chunk: string) => process.stderr.write(chunk));
  write(text);
}

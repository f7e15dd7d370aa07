import { Option, type Command } from 'commander';
import { compareAssemblies } from '../gate/compare';
import { writeBaseline } from '../gate/baseline';
import { formatBaselineUpdate, formatGateReport, GATE_EXIT_PASSED, gateExitCode } from '../gate/format';
import { ensureDirectory, removeCreatedDirectories } from './output-files';
import type { CliContext } from './runner';

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

/** The gate's commands: their failure messages name the command (`core-policies diff: …`). */
export const GATE_COMMANDS: readonly string[] = ['diff', 'baseline'];

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
 * Their failures are described by the program's runner (a one-line reason, a stack trace only
 * with `--debug`, exit code 2).
 *
 * @param program the program to extend; its settings (output, exit override) are inherited
 * @param cli where output goes, and the wrapper every action returns its exit code through
 */
export function registerDiffCommand(program: Command, cli: CliContext): void {
  program
    .command('diff')
    .description('Fail when a stateful resource (database, bucket, key, ...) would be replaced, destroyed or orphaned compared with the baseline')
    .requiredOption('--baseline <dir>', 'folder of committed baseline templates, e.g. apps/dev/baseline')
    .requiredOption('--assembly <dir>', 'the synthesized cloud assembly (cdk.out folder)')
    .option('--acknowledgements <file>', 'YAML or JSON list of acknowledged changes (default: <baseline>/acknowledgements.yaml when present)')
    .addOption(new Option('--format <format>', 'output format').choices(DIFF_FORMATS).default('text'))
    .action(cli.action((options: DiffOptions) => {
      const report = compareAssemblies({
        baselineDir: options.baseline,
        assemblyDir: options.assembly,
        acknowledgementsFile: options.acknowledgements,
      });
      cli.io.stdout(options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatGateReport(report));
      return gateExitCode(report);
    }));

  program
    .command('baseline')
    .description('Refresh the baseline templates from a synthesized cloud assembly, after its destructive changes are reviewed')
    .requiredOption('--assembly <dir>', 'the synthesized cloud assembly (cdk.out folder)')
    .requiredOption('--baseline <dir>', 'folder of baseline templates to write, e.g. apps/dev/baseline')
    .action(cli.action((options: BaselineOptions) => {
      const update = writeBaselineSafely(options);
      cli.io.stdout(formatBaselineUpdate(update));
      return GATE_EXIT_PASSED;
    }));
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

import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { PolicyProfile } from '../catalogue/types';
import { checkTemplates, reportPassed } from '../report/check';
import { formatReport, REPORT_FILE_NAMES, REPORT_FORMATS, type ReportFormat } from '../report/format';
import { summaryLine } from '../report/format-text';
import type { PolicyReport } from '../report/policy-report';
import { registerDiffCommand } from './diff-command';
import { describePolicyFailure } from './failures';
import { ensureDirectory, prepareOutputFile, writeOutputFile } from './output-files';
import { runCommandLine, type CliContext, type CliIo } from './runner';

/** Exit codes of the CLI: 0 compliant, 1 violations, 2 bad usage or unreadable input. */
export const EXIT_CODES = {
  /** Compliant. */
  ok: 0,
  /** Violations found (or the gate blocked). */
  violations: 1,
  /** Bad usage or unreadable input. */
  usage: 2,
} as const;

const PROFILES: readonly PolicyProfile[] = ['baseline', 'production'];

interface CheckCommandOptions {
  readonly profile: PolicyProfile;
  readonly format: ReportFormat;
  readonly output?: string;
  readonly reportDir?: string;
  readonly requirePlugin: boolean;
  readonly allowEmpty: boolean;
  readonly trustedAccounts: readonly string[];
  readonly cache: boolean;
  readonly sourceRoot?: string;
}

/**
 * Builds the `core-policies` command-line program: `check`, and the destructive-change gate's
 * `diff` and `baseline`.
 *
 * @param cli where output goes, and the wrapper every action returns its exit code through
 */
export function buildProgram(cli: CliContext): Command {
  const { io } = cli;
  const program = new Command('core-policies')
    .description('Policy checks for CloudFormation templates and CDK cloud assemblies')
    .option('--debug', 'print the stack trace of a failure (for bug reports)', false)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError(false);

  program
    .command('check')
    .description('Check a cdk.out folder or CloudFormation templates (JSON or YAML) against the CORE guard rules')
    .argument('<inputs...>', 'a cdk.out folder and/or template files')
    .addOption(new Option('--profile <profile>', 'rule profile').choices(PROFILES).default('baseline'))
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('text'))
    .option('--output <file>', 'write the report to this file instead of standard output')
    .option('--report-dir <dir>', 'also write the report in every format into this folder')
    .option('--require-plugin', 'fail unless each assembly was synthesized with the core-policies plugin in this profile', false)
    .option('--allow-empty', 'pass when the inputs hold no templates; by default an empty assembly fails', false)
    .option('--trusted-accounts <ids>', 'comma-separated 12-digit account ids that resource policies may name besides the template’s own', parseAccountList, [])
    .option('--source-root <dir>', 'folder that source locations of findings are relative to (default: the repository root, the nearest folder with .git)')
    .option('--no-cache', 'evaluate every template with cfn-guard instead of taking unchanged ones from the result cache (also CORE_POLICIES_CACHE=off; the cache is off in CI)')
    .action(cli.action((inputs: string[], options: CheckCommandOptions) => {
      // Output paths are checked first, so a typo fails at once instead of after the evaluation.
      if (options.reportDir) ensureDirectory(options.reportDir, 'report folder');
      if (options.output) prepareOutputFile(options.output, 'report file');
      const report = checkTemplates({ inputs, profile: options.profile, requirePlugin: options.requirePlugin, allowEmpty: options.allowEmpty, trustedAccounts: options.trustedAccounts, cache: options.cache ? undefined : false, sourceRoot: options.sourceRoot });
      writeReports(report, options, io);
      return reportPassed(report) ? EXIT_CODES.ok : EXIT_CODES.violations;
    }));

  registerDiffCommand(program, cli);
  return program;
}

/** Parses `--trusted-accounts`: every entry a 12-digit account id (an empty value means none). */
export function parseAccountList(value: string): string[] {
  const accounts = value.split(',').map((a) => a.trim()).filter((a) => a.length > 0);
  const bad = accounts.filter((a) => !/^\d{12}$/.test(a));
  if (bad.length > 0) {
    throw new InvalidArgumentError(`--trusted-accounts: ${bad.map((a) => JSON.stringify(a)).join(', ')} ${bad.length === 1 ? 'is not a' : 'are not'} 12-digit AWS account id${bad.length === 1 ? '' : 's'}; pass ids such as 123456789012, separated by commas`);
  }
  return accounts;
}

function writeReports(report: PolicyReport, options: CheckCommandOptions, io: CliIo): void {
  if (options.reportDir) {
    for (const format of REPORT_FORMATS) writeOutputFile(path.join(options.reportDir, REPORT_FILE_NAMES[format]), formatReport(report, format), `${format} report`);
  }
  const rendered = formatReport(report, options.format);
  if (options.output) {
    writeOutputFile(options.output, rendered, 'report file');
    io.stdout(summaryLine(report) + '\n');
  } else {
    io.stdout(rendered);
  }
}

/**
 * Runs the CLI and returns its exit code; never throws. Usage errors and unreadable input give
 * exit 2 with a one-line reason naming the file or setting; `--debug` adds the stack trace.
 *
 * @param argv arguments after the program name
 * @param io where output goes
 */
export async function runCli(argv: readonly string[], io?: CliIo): Promise<number> {
  return runCommandLine({ build: buildProgram, usageExitCode: EXIT_CODES.usage, describeFailure: describePolicyFailure }, argv, io);
}

import * as path from 'node:path';
import type { CliContext } from '@core-infra/policies';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { EnvironmentName } from '../config/load';
import { environmentOption } from '../deploy/environment-option';
import type { DeployDependencies } from '../deploy/deploy';
import { combineChangeSummaries, COMMENT_MAX_CHARS } from './combine';
import { DEFAULT_SUMMARY_MAX_CHARS, renderEnvironmentSummary } from './render-environment';
import { summarizeEnvironmentChanges } from './summarize-environment';
import { readSummaryInput, summaryOutputFiles, writeSummaryFile } from './summary-files';

/** Output formats of `core-deploy diff` on standard output. */
export const SUMMARY_FORMATS = ['markdown', 'json'] as const;

/** GitHub's limit on a comment's length, the most `--max-chars` accepts. */
const GITHUB_COMMENT_LIMIT = 65_536;

interface DiffFlags {
  readonly env: EnvironmentName;
  readonly assembly: string;
  readonly baseline?: string;
  readonly acknowledgements?: string;
  readonly policyReport?: string;
  readonly basePolicyReport?: string;
  readonly output?: string;
  readonly maxChars: number;
  readonly format: (typeof SUMMARY_FORMATS)[number];
  readonly deployed: boolean;
  readonly configFile?: string;
}

interface CommentFlags {
  readonly output?: string;
  readonly maxChars: number;
}

/**
 * Adds the pull-request change summary commands to `core-deploy`:
 *
 * - `diff --env <env> --assembly <cdk.out>` summarizes one environment's change as Markdown
 *   (or JSON with `--format json`); `--output <file.md>` also writes the full Markdown there, the
 *   size-limited Markdown to `<file>.comment.md` and the JSON to `<file>.json`. It exits 0 even
 *   when the destructive-change gate blocks: the `check-stateful` target fails the build.
 * - `comment [files…] [--output <file>]` combines the per-environment summaries into one comment.
 *
 * @param program the `core-deploy` program
 * @param cli where output goes, and the wrapper every action goes through
 * @param deps CDK runner (for `--deployed`), working folder and log
 */
export function addChangeSummaryCommands(program: Command, cli: CliContext, deps: DeployDependencies): void {
  const { io } = cli;
  program
    .command('diff')
    .description("summarize what the change does to an environment, for its pull request: resources per stack compared with the committed baseline, broadened access, the destructive-change gate's and the policy verdicts")
    .addOption(environmentOption(deps.cwd))
    .requiredOption('--assembly <dir>', 'the synthesized cdk.out folder (never synthesized again)')
    .option('--baseline <dir>', 'the committed baseline templates (default: baseline beside the assembly)')
    .option('--acknowledgements <file>', "the gate's acknowledgements (default: <baseline>/acknowledgements.yaml when present)")
    .option('--policy-report <file>', 'the JSON policy report of the assembly (default: reports/policy-report.json beside it, when present)')
    .option('--base-policy-report <file>', "the base branch's JSON policy report, to list only new findings (default: none, every open finding is listed)")
    .option('--output <file.md>', 'also write the full Markdown there, the size-limited Markdown to <file>.comment.md and the JSON to <file>.json')
    .addOption(new Option('--max-chars <n>', 'longest Markdown on standard output and in <file>.comment.md').argParser(parseMaxChars).default(DEFAULT_SUMMARY_MAX_CHARS))
    .addOption(new Option('--format <format>', 'what standard output gets').choices(SUMMARY_FORMATS).default('markdown'))
    .option('--deployed', 'compare with the deployed stacks by cdk diff (needs AWS credentials) instead of the baseline', false)
    .option('--config-file <file>', 'config override file, as for synthesis (default: CORE_CONFIG_FILE)')
    .action(cli.action(async (flags: DiffFlags) => {
      const files = flags.output === undefined ? undefined : summaryOutputFiles(flags.output);
      const summarized = await summarizeEnvironmentChanges(
        {
          environment: flags.env,
          assemblyDir: flags.assembly,
          baselineDir: flags.baseline,
          acknowledgementsFile: flags.acknowledgements,
          policyReportFile: flags.policyReport,
          basePolicyReportFile: flags.basePolicyReport,
          deployed: flags.deployed,
          configFile: flags.configFile,
        },
        deps,
      );
      const summary = files === undefined ? summarized : { ...summarized, fullSummaryFile: path.basename(files.full) };
      const fullSummaryNote =
        files === undefined
          ? 'The full summary was not kept: run core-deploy diff with --output <file.md> to write it.'
          : `The full summary is in the workflow artifact (file ${path.basename(files.full)}).`;
      const comment = renderEnvironmentSummary(summary, { maxChars: flags.maxChars, fullSummaryNote });
      const json = `${JSON.stringify(summary, null, 2)}\n`;
      if (files !== undefined) {
        writeSummaryFile(files.full, renderEnvironmentSummary(summary), '--output');
        writeSummaryFile(files.comment, comment, '--output');
        writeSummaryFile(files.json, json, '--output');
        deps.log?.(`core-deploy: wrote ${files.full}, ${files.comment} and ${files.json}`);
      }
      io.stdout(flags.format === 'json' ? json : comment);
    }));

  program
    .command('comment')
    .description('combine the per-environment summaries of core-deploy diff into one pull-request comment, environments in deployment order')
    .argument('[summaries...]', 'the .json (preferred: re-rendered to fit) or .md files core-deploy diff wrote; none: no environment is affected')
    .option('--output <file>', 'write the comment there instead of standard output')
    .addOption(new Option('--max-chars <n>', 'longest comment').argParser(parseMaxChars).default(COMMENT_MAX_CHARS))
    .action(cli.action((files: string[], flags: CommentFlags) => {
      const comment = combineChangeSummaries(files.map(readSummaryInput), { maxChars: flags.maxChars });
      if (flags.output === undefined) {
        io.stdout(comment);
        return;
      }
      writeSummaryFile(flags.output, comment, '--output');
      deps.log?.(`core-deploy: wrote the comment (${comment.length} characters) to ${flags.output}`);
    }));
}

function parseMaxChars(value: string): number {
  if (!/^[1-9]\d*$/.test(value) || Number(value) < 1000 || Number(value) > GITHUB_COMMENT_LIMIT) {
    throw new InvalidArgumentError(`give a whole number of characters from 1000 to ${GITHUB_COMMENT_LIMIT} (GitHub's comment limit).`);
  }
  return Number(value);
}

import { readFileSync } from 'node:fs';
import { runCommandLine, type CliContext, type CliFailure, type CliIo } from '@core-infra/policies';
import { Command, InvalidArgumentError, Option } from 'commander';
import { addAdoptCommand } from '../adopt/command';
import { addBootstrapCommand } from '../bootstrap/bootstrap-command';
import { addChangeSummaryCommands } from '../change-summary/commands';
import { addFirstDeployCommand } from '../first-deploy/command';
import { MAX_REVIEW_APP_NUMBER } from '../config/schema';
import { ConfigError, loadEnvironmentConfig, loadMetaConfig, type EnvironmentName } from '../config/load';
import { loadEnvironmentSet, parseConfigFiles } from '../config/environment-set';
import { trustedAccountsOf } from '../config/trusted-accounts';
import { environmentsFromAffectedGraph, listAffectedEnvironments } from './affected';
import { environmentOption } from './environment-option';
import { DEFAULT_REQUIRE_APPROVAL, REQUIRE_APPROVAL_LEVELS, type RequireApproval } from './cdk-cli';
import { DEFAULT_LOCK_TTL_MINUTES, executePlan, planDeployment, planReviewAppTeardown, type DeployDependencies } from './deploy';
import { DEPLOY_EXIT_CODES, DeployFailedError, DeployInputError } from './errors';
import { formatPlanJson, formatPlanText, type DeployPlan } from './plan';

/**
 * Where the deploy CLI writes: the plan and other results to `stdout`, progress and errors to
 * `stderr`. Injectable so tests run it in-process.
 */
export type DeployCliIo = CliIo;

const DEPLOY_EXAMPLES = `
Examples:
  # The plan only: stacks in order, roles, lock, archive, the exact cdk command.
  npx core-deploy deploy --env staging --assembly apps/staging/cdk.out --dry-run

  # What CI runs (npx nx run production:deploy): takes the lock, assumes the infrastructure
  # deployment role for the CDK CLI, deploys, archives, releases the lock.
  npx core-deploy deploy --env production --assembly apps/production/cdk.out --require-approval any-change

  # Break-glass, with an administrator session of the account instead of CI's role chain:
  npx core-deploy deploy --env staging --assembly apps/staging/cdk.out --no-assume-role
`;

/** Output formats of a plan. */
export const PLAN_FORMATS = ['text', 'json'] as const;

type PlanFormat = (typeof PLAN_FORMATS)[number];

interface CommonFlags {
  readonly assembly: string;
  readonly dryRun: boolean;
  readonly runId?: string;
  readonly holder?: string;
  readonly configFile?: string;
  readonly lockTtl: number;
  readonly assumeRole: boolean;
  readonly format: PlanFormat;
}

interface DeployFlags extends CommonFlags {
  readonly env: EnvironmentName;
  readonly reviewApp?: number;
  readonly gitSha?: string;
  readonly requireApproval: RequireApproval;
  readonly policyReport?: string;
}

interface AffectedFlags {
  readonly base?: string;
  readonly head?: string;
  readonly files?: string;
  readonly graphFile?: string;
  readonly format: PlanFormat;
}

/**
 * Builds the `core-deploy` program: `deploy`, `teardown-review-app`, `trusted-accounts`,
 * `check-configs`, `affected`, the pull-request change summary's `diff` and `comment`, and the
 * day-0 commands `bootstrap`, `first-deploy` and `adopt`.
 *
 * @param cli where output goes, and the wrapper every action goes through
 * @param deps CDK runner, AWS clients and environment (tests inject fakes)
 */
export function buildDeployProgram(cli: CliContext, deps: DeployDependencies = {}): Command {
  const { io } = cli;
  const log = deps.log ?? ((line: string) => io.stderr(`${line}\n`));
  const withLog: DeployDependencies = { ...deps, log };
  const program = new Command('core-deploy')
    .description('Deploys (or plans) the already-synthesized, validated cloud assembly of a CORE environment under its deploy lock, and archives it')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError(false);

  const common = (command: Command) =>
    command
      .requiredOption('--assembly <dir>', 'the synthesized cdk.out folder (never synthesized again)')
      .option('--dry-run', 'print the plan and stop: nothing is deployed, locked or archived; placeholder accounts are allowed', false)
      .option('--run-id <id>', 'CI run taking the lock (default: GITHUB_RUN_ID)')
      .option('--holder <name>', 'who takes the lock (default: github-actions:<repository>/<job> in CI, else <user>@<host>)')
      .option('--config-file <file>', 'config override file, as for synthesis (default: CORE_CONFIG_FILE)')
      .addOption(new Option('--lock-ttl <minutes>', 'how long the lock lasts unless released').argParser(parseLockTtl).default(DEFAULT_LOCK_TTL_MINUTES))
      .option('--no-assume-role', "break-glass: run the CDK CLI with the credentials in use instead of the environment's infrastructure deployment role")
      .addOption(new Option('--format <format>', 'plan output format').choices(PLAN_FORMATS).default('text'));

  common(
    program
      .command('deploy')
      .description('cdk deploy of an environment (or one dev review app), stacks in dependency order')
      .addOption(environmentOption(deps.cwd))
      .addOption(new Option('--review-app <number>', 'deploy only this review app of dev (the pull request number)').argParser(parseReviewApp))
      .addOption(new Option('--git-sha <sha>', 'full commit the assembly was synthesized from (default: GITHUB_SHA, else git rev-parse HEAD)'))
      .addOption(new Option('--require-approval <level>', 'which changes wait for a person to approve').choices(REQUIRE_APPROVAL_LEVELS).default(DEFAULT_REQUIRE_APPROVAL))
      .option('--policy-report <file>', 'the JSON policy report of the assembly (default: reports/policy-report.json beside it, when present)')
      .addHelpText('after', DEPLOY_EXAMPLES),
  ).action(cli.action(async (flags: DeployFlags) => {
    const plan = planDeployment(
      {
        environment: flags.env,
        assemblyDir: flags.assembly,
        dryRun: flags.dryRun,
        reviewApp: flags.reviewApp,
        gitSha: flags.gitSha,
        runId: flags.runId,
        holder: flags.holder,
        requireApproval: flags.requireApproval,
        configFile: flags.configFile,
        policyReportFile: flags.policyReport,
        lockTtlMinutes: flags.lockTtl,
        assumeRole: flags.assumeRole,
      },
      withLog,
    );
    await printAndExecute(plan, flags.format, io, withLog);
  }));

  common(
    program
      .command('teardown-review-app')
      .description("cdk destroy --force of one dev review app's stacks, and nothing else")
      .addOption(new Option('--review-app <number>', 'the review app (pull request number)').argParser(parseReviewApp).makeOptionMandatory()),
  ).action(cli.action(async (flags: CommonFlags & { reviewApp: number }) => {
    const plan = planReviewAppTeardown(
      { reviewApp: flags.reviewApp, assemblyDir: flags.assembly, dryRun: flags.dryRun, runId: flags.runId, holder: flags.holder, configFile: flags.configFile, lockTtlMinutes: flags.lockTtl, assumeRole: flags.assumeRole },
      withLog,
    );
    await printAndExecute(plan, flags.format, io, withLog);
  }));

  program
    .command('trusted-accounts')
    .description("print the accounts an environment's resource policies may name, comma-separated, for core-policies check --trusted-accounts")
    .addOption(environmentOption(deps.cwd))
    .option('--config-file <file>', 'config override file, as for synthesis (default: CORE_CONFIG_FILE)')
    .action(cli.action((flags: { env: EnvironmentName; configFile?: string }) => {
      const options = { configFile: flags.configFile };
      const config = flags.env === 'meta' ? loadMetaConfig(options) : loadEnvironmentConfig(flags.env, options);
      io.stdout(`${trustedAccountsOf(config).join(',')}\n`);
    }));

  const configsCommand = program
    .command('check-configs')
    .description('load every environment\'s config, each with its own override file, and check them together: an account per environment, meta\'s workloads matching, one registry');
  configsCommand.option('--config <env=file...>', 'an override file per environment, e.g. production=prod.yaml (default: none; CORE_CONFIG_FILE is for one app and is not read)');
  configsCommand.action(cli.action((flags: { config?: string[] }) => {
    const set = loadEnvironmentSet(parseConfigFiles(flags.config ?? []));
    io.stdout(`the configs of ${['meta', ...Object.keys(set.workloads)].join(', ')} are valid and fit together\n`);
  }));

  program
    .command('affected')
    .description('list the environments a change affects, in deployment order (meta, dev, staging, production)')
    .option('--base <ref>', 'base of the comparison (default: Nx defaultBase)')
    .option('--head <ref>', 'head of the comparison (default: the working tree)')
    .option('--files <paths>', 'comma-separated changed files instead of a git comparison')
    .option('--graph-file <file>', 'read saved output of nx affected -t deploy --graph=stdout instead of running Nx')
    .addOption(new Option('--format <format>', 'output format').choices(PLAN_FORMATS).default('text'))
    .action(cli.action(async (flags: AffectedFlags) => {
      const environments =
        flags.graphFile !== undefined
          ? environmentsFromAffectedGraph(readGraphFile(flags.graphFile))
          : await listAffectedEnvironments({
              workspaceRoot: deps.cwd ?? process.cwd(),
              base: flags.base,
              head: flags.head,
              files: flags.files?.split(',').map((file) => file.trim()).filter((file) => file.length > 0),
              env: deps.env,
            });
      io.stdout(flags.format === 'json' ? `${JSON.stringify(environments)}\n` : environments.map((name) => `${name}\n`).join(''));
    }));

  addChangeSummaryCommands(program, cli, withLog);
  addBootstrapCommand(program, io, withLog);
  addAdoptCommand(program, cli, withLog);
  addFirstDeployCommand(program, cli, withLog);

  return program;
}

/**
 * Runs `core-deploy` and returns its exit code; never throws. 0: done or planned; 1: the
 * deployment failed or the lock is held; 2: bad usage or an assembly that may not be deployed,
 * with a one-line reason and nothing touched.
 *
 * @param argv arguments after the program name
 * @param io where output goes
 * @param deps CDK runner, AWS clients and environment (tests inject fakes)
 */
export async function runDeployCli(argv: readonly string[], io?: DeployCliIo, deps: DeployDependencies = {}): Promise<number> {
  return runCommandLine({ build: (cli) => buildDeployProgram(cli, deps), usageExitCode: DEPLOY_EXIT_CODES.usage, describeFailure: describeDeployFailure }, argv, io);
}

/** `core-deploy: <reason>`; exit 2 when nothing was touched, 1 for a failed deployment or an unexpected error (shown with its stack). */
function describeDeployFailure(error: unknown): CliFailure {
  if (error instanceof DeployInputError || error instanceof InvalidArgumentError || error instanceof ConfigError) {
    return { message: `core-deploy: ${error.message}`, exitCode: DEPLOY_EXIT_CODES.usage };
  }
  if (error instanceof DeployFailedError) {
    return { message: `core-deploy: ${error.message}`, exitCode: DEPLOY_EXIT_CODES.failed };
  }
  return { message: `core-deploy: unexpected error: ${(error as Error).stack ?? String(error)}`, exitCode: DEPLOY_EXIT_CODES.failed };
}

async function printAndExecute(plan: DeployPlan, format: PlanFormat, io: DeployCliIo, deps: DeployDependencies): Promise<void> {
  io.stdout(format === 'json' ? formatPlanJson(plan) : formatPlanText(plan));
  await executePlan(plan, deps);
}

function parseReviewApp(value: string): number {
  if (!/^[1-9]\d*$/.test(value) || Number(value) > MAX_REVIEW_APP_NUMBER) {
    throw new InvalidArgumentError(`use the pull request number, a whole number from 1 to ${MAX_REVIEW_APP_NUMBER}.`);
  }
  return Number(value);
}

function parseLockTtl(value: string): number {
  if (!/^[1-9]\d*$/.test(value) || Number(value) > 24 * 60) {
    throw new InvalidArgumentError('give whole minutes from 1 to 1440, longer than the slowest deployment.');
  }
  return Number(value);
}

function readGraphFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new DeployInputError(`--graph-file: ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): save the output of nx affected -t deploy --graph=stdout there first`);
  }
}

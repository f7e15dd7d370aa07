import * as path from 'node:path';
import type { CliContext } from '@core-infra/policies';
import { Option, type Command } from 'commander';
import { loadEnvironmentSet, parseConfigFiles, type EnvironmentConfigFiles } from '../config/environment-set';
import type { EnvironmentName } from '../config/load';
import type { DeployDependencies } from '../deploy/deploy';
import { environmentOption } from '../deploy/environment-option';
import { DeployInputError } from '../deploy/errors';
import { planFirstDeploy } from './first-deploy-plan';
import { formatFirstDeployJson, formatFirstDeployText } from './render';

/** Output formats of `core-deploy first-deploy`. */
export const FIRST_DEPLOY_FORMATS = ['text', 'json'] as const;

interface FirstDeployFlags {
  readonly env?: EnvironmentName;
  readonly config?: string[];
  readonly configFile?: string;
  readonly dryRun: boolean;
  readonly format: (typeof FIRST_DEPLOY_FORMATS)[number];
}

const EXAMPLES = `
Examples:
  # The whole sequence for four empty accounts: meta, the bootstrap of every workload account,
  # then each workload environment in two deployments with the DNS and secret steps between.
  npx core-deploy first-deploy --dry-run

  # Only production's steps, with its real account ids, as JSON for a script:
  npx core-deploy first-deploy --dry-run --env production --config-file prod.yaml --format json

  # Everything, each environment with its own override file (named in the printed commands):
  npx core-deploy first-deploy --dry-run --config meta=meta.yaml --config dev=dev.yaml \\
    --config staging=staging.yaml --config production=prod.yaml

It reads the configs only: no AWS credentials, nothing written or deployed. Without --dry-run it
refuses (exit 2): the steps need administrator sessions of several accounts, CI, and people
outside AWS (DNS records, secret values), so each is run by hand, in order, and checked with the
command printed under it. Exit codes: 0 planned; 2 bad input or no --dry-run.
See docs/guides/first-deploy.md.
`;

/**
 * Adds `core-deploy first-deploy` to the program: the ordered first deployment of empty accounts
 * (meta; every workload account bootstrapped; then each workload environment deployed with
 * `-c core:firstDeploy=true`, given its secrets and its load balancer's DNS name, deployed whole
 * through CI while its certificates wait for DNS, and given its service's DNS name), with who
 * runs each step, its commands, what people do by hand and how to check it worked. It only
 * prints: without `--dry-run` it exits 2.
 *
 * @param program the `core-deploy` program
 * @param cli where output goes, and the wrapper every action goes through
 * @param deps working folder
 */
export function addFirstDeployCommand(program: Command, cli: CliContext, deps: DeployDependencies): void {
  program
    .command('first-deploy')
    .description(
      'print the first deployment of empty accounts, step by step with checks: meta, the bootstrap of each workload account, then each workload environment (with -c core:firstDeploy=true, secrets, DNS, the whole environment through CI, DNS)',
    )
    .addOption(environmentOption(deps.cwd, false))
    .option('--config <env=file...>', 'an override file per environment with the real account ids, e.g. production=prod.yaml (default: none; CORE_CONFIG_FILE is for one app and is not read)')
    .option('--config-file <file>', 'the override file of the environment --env names (the same as --config <env>=<file>)')
    .option('--dry-run', 'print the plan (required: the steps are run one by one, by people and CI)', false)
    .addOption(new Option('--format <format>', 'output format').choices(FIRST_DEPLOY_FORMATS).default('text'))
    .addHelpText('after', EXAMPLES)
    .action(
      cli.action((flags: FirstDeployFlags) => {
        if (!flags.dryRun) {
          throw new DeployInputError(
            '--dry-run: first-deploy only prints the plan (got no --dry-run): pass --dry-run, then run each step yourself in order; they need administrator sessions of several accounts, CI and people outside AWS',
          );
        }
        const configFiles = configFilesOf(flags);
        const set = loadEnvironmentSet(configFiles);
        const absolute = Object.fromEntries(Object.entries(configFiles).map(([name, file]) => [name, path.resolve(file)]));
        const plan = planFirstDeploy(set, { only: flags.env, configFiles: absolute });
        cli.io.stdout(flags.format === 'json' ? formatFirstDeployJson(plan) : formatFirstDeployText(plan));
      }),
    );
}

function configFilesOf(flags: FirstDeployFlags): EnvironmentConfigFiles {
  const files = parseConfigFiles(flags.config ?? []);
  if (flags.configFile === undefined) return files;
  if (flags.env === undefined) {
    throw new DeployInputError(
      `--config-file: is the override file of the one environment --env names (got ${flags.configFile} without --env): add --env <environment>, or give each environment's file with --config <environment>=<file>`,
    );
  }
  const other = files[flags.env];
  if (other !== undefined && other !== flags.configFile) {
    throw new DeployInputError(`--config-file: ${flags.configFile} and --config ${flags.env}=${other} name two override files for ${flags.env}: keep one`);
  }
  return { ...files, [flags.env]: flags.configFile };
}

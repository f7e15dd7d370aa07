import type { CliContext } from '@core-infra/policies';
import { Option, type Command } from 'commander';
import { loadEnvironmentSet, parseConfigFiles } from '../config/environment-set';
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
  readonly dryRun: boolean;
  readonly format: (typeof FIRST_DEPLOY_FORMATS)[number];
}

const EXAMPLES = `
Examples:
  # The whole sequence for four empty accounts: meta, then each workload environment.
  npx core-deploy first-deploy --dry-run

  # Only production's steps, with its real account ids, as JSON:
  npx core-deploy first-deploy --dry-run --env production --config production=prod.yaml --config meta=meta.yaml --format json

It prints and runs nothing else: the steps need administrator sessions of several accounts, CI,
and people outside AWS (DNS records, secret values). Exit codes: 0 planned; 2 bad input or no
--dry-run. See docs/guides/first-deploy.md.
`;

/**
 * Adds `core-deploy first-deploy` to the program: the ordered first deployment of empty accounts
 * (meta, then each workload environment: bootstrap, the deployment without the request path,
 * secrets, the whole deployment through CI while the certificates wait for DNS, the DNS names),
 * with who runs each step, its commands, what people do by hand and how to check it worked.
 *
 * @param program the `core-deploy` program
 * @param cli where output goes, and the wrapper every action goes through
 * @param deps working folder
 */
export function addFirstDeployCommand(program: Command, cli: CliContext, deps: DeployDependencies): void {
  program
    .command('first-deploy')
    .description('print the first deployment of empty accounts, step by step with checks: meta, then each workload environment (bootstrap, the stacks without the request path, secrets, the whole environment through CI, DNS)')
    .addOption(environmentOption(deps.cwd, false))
    .option('--config <env=file...>', 'an override file per environment with the real account ids, e.g. production=prod.yaml (default: none)')
    .option('--dry-run', 'print the plan (required: the steps are run one by one, by people and CI)', false)
    .addOption(new Option('--format <format>', 'output format').choices(FIRST_DEPLOY_FORMATS).default('text'))
    .addHelpText('after', EXAMPLES)
    .action(
      cli.action((flags: FirstDeployFlags) => {
        if (!flags.dryRun) {
          throw new DeployInputError('first-deploy only prints the plan: pass --dry-run, then run each step yourself; they need administrator sessions of several accounts, CI and people outside AWS');
        }
        const plan = planFirstDeploy(loadEnvironmentSet(parseConfigFiles(flags.config ?? [])), flags.env);
        cli.io.stdout(flags.format === 'json' ? formatFirstDeployJson(plan) : formatFirstDeployText(plan));
      }),
    );
}

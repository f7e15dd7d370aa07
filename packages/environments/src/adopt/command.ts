import * as path from 'node:path';
import type { CliContext } from '@core-infra/policies';
import { Option, type Command } from 'commander';
import type { EnvironmentName } from '../config/load';
import type { DeployDependencies } from '../deploy/deploy';
import { environmentOption } from '../deploy/environment-option';
import { DEPLOY_EXIT_CODES } from '../deploy/errors';
import { planAdoption, writeAdoption } from './adopt';
import { renderAdoption } from './render';

/** Output formats of `core-deploy adopt` on standard output. */
export const ADOPTION_FORMATS = ['text', 'json'] as const;

interface AdoptFlags {
  readonly env: EnvironmentName;
  readonly tfstate: string;
  readonly assembly?: string;
  readonly out?: string;
  readonly configFile?: string;
  readonly format: (typeof ADOPTION_FORMATS)[number];
}

const EXAMPLES = `
Examples:
  # Save the Terraform state as JSON (where it is initialized), then plan the adoption:
  terraform -chdir=terraform/staging show -json > staging.tfstate.json
  npx core-deploy adopt --env staging --tfstate staging.tfstate.json

  # Mapping files somewhere else, the whole report as JSON:
  npx core-deploy adopt --env production --tfstate prod.json --assembly apps/production/cdk.out --out adoption/production --format json

Exit codes: 0 every stateful resource matches exactly; 1 the files were written but there are
findings to decide on (unmatched resources, types CloudFormation cannot import, property
differences); 2 bad input, nothing written. AWS is never called.
`;

/**
 * Adds `core-deploy adopt` to the program: it maps an environment's Terraform-managed stateful
 * resources onto the CDK resources that take them over, writes one `cdk import
 * --resource-mapping` file per stack, and prints the findings, the import commands and the
 * `terraform state rm` list. It reads files only.
 *
 * @param program the `core-deploy` program
 * @param cli where output goes, and the wrapper every action goes through
 * @param deps working folder
 */
export function addAdoptCommand(program: Command, cli: CliContext, deps: DeployDependencies): void {
  const { io } = cli;
  program
    .command('adopt')
    .description("map an environment's Terraform-managed stateful resources onto its CDK stacks: one cdk import --resource-mapping file per stack, every unmatched resource and property difference, the import commands and the terraform state rm list")
    .addOption(environmentOption(deps.cwd))
    .requiredOption('--tfstate <file>', 'the output of terraform show -json for the environment')
    .option('--assembly <dir>', "the environment's synthesized cdk.out (default: apps/<env>/cdk.out; never synthesized again)")
    .option('--out <dir>', 'where the mapping files and adoption-report.json go (default: reports/adoption beside the assembly)')
    .option('--config-file <file>', 'config override file, as for synthesis (default: CORE_CONFIG_FILE)')
    .addOption(new Option('--format <format>', 'what standard output gets').choices(ADOPTION_FORMATS).default('text'))
    .addHelpText('after', EXAMPLES)
    .action(
      cli.action((flags: AdoptFlags) => {
        const assemblyDir = flags.assembly ?? path.join('apps', flags.env, 'cdk.out');
        const report = planAdoption({ environment: flags.env, tfstateFile: flags.tfstate, assemblyDir, outDir: flags.out, configFile: flags.configFile });
        const written = writeAdoption(report);
        io.stdout(flags.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderAdoption(report, written));
        if (report.findings === 0) return DEPLOY_EXIT_CODES.ok;
        io.stderr(`core-deploy: the adoption of ${report.environment} is not exact: ${report.findings} finding${report.findings === 1 ? '' : 's'} to decide on; the mapping files hold only the resources that match\n`);
        return DEPLOY_EXIT_CODES.failed;
      }),
    );
}

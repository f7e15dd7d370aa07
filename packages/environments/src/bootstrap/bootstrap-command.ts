import { Option, type Command } from 'commander';
import type { EnvironmentName } from '../config/load';
import type { DeployDependencies } from '../deploy/deploy';
import { environmentOption } from '../deploy/environment-option';
import { planBootstrap } from './bootstrap-plan';
import { executeBootstrap, formatBootstrapPlan } from './bootstrap-run';

const EXAMPLES = `
Examples:
  $ core-deploy bootstrap --env staging --dry-run
      print the cdk bootstrap commands and generated policies for staging's accounts and regions
  $ cd apps/production && core-deploy bootstrap --env production --assembly cdk.out
      bootstrap production's region and us-east-1 (run with an administrator session of that account)
  $ npx nx run staging:bootstrap -- --dry-run
      the same through Nx, after synthesizing the assembly
`;

/**
 * Adds `bootstrap` to the `core-deploy` program.
 *
 * @param program the program
 * @param io where the plan goes
 * @param io.stdout writes the plan
 * @param deps CDK runner, working folder and log (tests inject fakes)
 */
export function addBootstrapCommand(program: Command, io: { readonly stdout: (text: string) => void }, deps: DeployDependencies): void {
  program
    .command('bootstrap')
    .description("cdk bootstrap of every account and region an environment's stacks deploy to, with CORE's hardened template: trust for its infrastructure deployment role only, an execution policy generated from its stacks, a permissions boundary, a customer-managed key, termination protection")
    .addOption(environmentOption(deps.cwd))
    .option('--assembly <dir>', "the environment's synthesized cdk.out, whose stacks decide the accounts, regions and policies", 'cdk.out')
    .option('--dry-run', 'print the commands and the generated policies and stop: nothing is written or bootstrapped; placeholder accounts are allowed', false)
    .option('--config-file <file>', 'config override file, as for synthesis (default: CORE_CONFIG_FILE)')
    .addOption(new Option('--output <dir>', 'where the rendered templates are written (default: bootstrap inside the assembly)'))
    .addHelpText('after', EXAMPLES)
    .action(async (flags: { env: EnvironmentName; assembly: string; dryRun: boolean; configFile?: string; output?: string }) => {
      const plan = planBootstrap({ environment: flags.env, assemblyDir: flags.assembly, dryRun: flags.dryRun, configFile: flags.configFile, outputDir: flags.output });
      io.stdout(formatBootstrapPlan(plan));
      await executeBootstrap(plan, deps);
    });
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { DEFAULT_CDK_BOOTSTRAP_QUALIFIER } from '@core-infra/constructs';
import { DeployFailedError } from '../deploy/errors';
import { runCdkCli } from '../deploy/cdk-cli';
import type { DeployDependencies } from '../deploy/deploy';
import type { BootstrapPlan } from './bootstrap-plan';
import { readBootstrapTemplate, renderBootstrapTemplate } from './bootstrap-template';
import { formatBootstrapTemplate } from './default-template';

/**
 * Runs a bootstrap plan: writes each account and region's rendered template, then runs its
 * `cdk bootstrap` through the CDK runner, one at a time, stopping at the first failure. A dry
 * run does nothing.
 *
 * @param plan from {@link planBootstrap}
 * @param deps CDK runner, working folder and log (tests inject fakes)
 * @throws DeployFailedError when a `cdk bootstrap` fails
 */
export async function executeBootstrap(plan: BootstrapPlan, deps: DeployDependencies = {}): Promise<void> {
  if (plan.dryRun) return;
  const runCdk = deps.runCdk ?? runCdkCli;
  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const base = readBootstrapTemplate();
  mkdirSync(plan.outputDir, { recursive: true });
  for (const target of plan.targets) {
    writeFileSync(target.templateFile, formatBootstrapTemplate(renderBootstrapTemplate(base, target.executionPolicy, target.permissionsBoundary)));
  }
  for (const target of plan.targets) {
    log(`core-deploy: bootstrapping aws://${target.account}/${target.region}`);
    const code = await runCdk(target.cdkArgs, { cwd: deps.cwd ?? process.cwd() });
    if (code !== 0) {
      throw new DeployFailedError(`cdk bootstrap of aws://${target.account}/${target.region} exited ${code}: read the CloudFormation events of the CDKToolkit stack there, fix the cause and run again (finished targets are unchanged by a rerun)`);
    }
  }
}

/**
 * The plan as text: each account and region with its stacks, the exact `cdk bootstrap` command
 * and the generated policies.
 *
 * @param plan from {@link planBootstrap}
 */
export function formatBootstrapPlan(plan: BootstrapPlan): string {
  const lines = [
    `core-deploy: bootstrap ${plan.environment}${plan.dryRun ? ' (dry run: nothing is written or bootstrapped)' : ''}`,
    '',
    `  qualifier:  ${plan.qualifier} ${plan.qualifier === DEFAULT_CDK_BOOTSTRAP_QUALIFIER ? "(the config names none: CDK's default)" : "(the config's bootstrapQualifier)"}`,
    `  template:   version ${plan.templateVersion} (the stacks require ${plan.requiredVersion} or later)`,
    '',
  ];
  for (const target of plan.targets) {
    lines.push(
      `aws://${target.account}/${target.region}`,
      `  stacks:               ${target.stacks.join(', ')}`,
      `  trusted roles only:   ${target.trustedRoleArns.join(', ')}`,
      `  execution policy:     ${target.executionPolicyArn}`,
      `  permissions boundary: ${target.permissionsBoundaryArn}`,
      `  command: cdk ${target.cdkArgs.join(' ')}`,
      '  execution policy statements (added to the committed template):',
      ...target.executionPolicy.statements.map((statement) => `    ${JSON.stringify(statement)}`),
      '  permissions boundary statements (added to the committed template):',
      ...target.permissionsBoundary.statements.map((statement) => `    ${JSON.stringify(statement)}`),
      '',
    );
  }
  if (plan.warnings.length > 0) lines.push('Warnings (a real run refuses these):', ...plan.warnings.map((warning) => `  ! ${warning}`), '');
  return `${lines.join('\n')}\n`;
}

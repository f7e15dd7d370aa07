import { execFileSync } from 'node:child_process';
import type { CfnTemplate } from './bootstrap-template';
import { resolveCdkCli } from '../deploy/cdk-cli';

/**
 * CDK's default bootstrap template, as the installed CLI prints it with
 * `cdk bootstrap --show-template --json` (offline: no credentials, no network).
 *
 * @param cwd where to find the CDK CLI
 */
export function cdkDefaultBootstrapTemplate(cwd: string = process.cwd()): CfnTemplate {
  const output = execFileSync(process.execPath, [resolveCdkCli(cwd), 'bootstrap', '--show-template', '--json', '--no-notices'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(output) as CfnTemplate;
}

/**
 * The committed form of a bootstrap template: two-space JSON with a final newline.
 *
 * @param template the template
 */
export function formatBootstrapTemplate(template: CfnTemplate): string {
  return `${JSON.stringify(template, null, 2)}\n`;
}

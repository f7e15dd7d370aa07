import { cdkDiffArgs, runCdkCli } from '../deploy/cdk-cli';
import type { DeployDependencies } from '../deploy/deploy';
import { DeployFailedError } from '../deploy/errors';
import type { DeployedDiff } from './types';

// Colour and cursor codes the CLI writes when it thinks it talks to a terminal.
// eslint-disable-next-line no-control-regex
const ANSI_ESCAPE = /\u001b\[[0-9;?]*[A-Za-z]/g;

/**
 * Runs `cdk diff` on exactly the given stacks of an assembly against what is deployed, and keeps
 * what it prints. It needs credentials that can read the stacks (the CDK lookup role of each
 * account). `cdk diff` exits 0 whether or not there are differences, so any other code is a
 * failure of the comparison itself.
 *
 * @param assemblyDir the `cdk.out` folder
 * @param stackIds the environment's stacks, as the CLI selects them (e.g. `core-prod/app`)
 * @param deps the CDK runner, working folder and log
 * @throws DeployFailedError when the CLI exits with a code other than 0
 */
export async function runDeployedDiff(assemblyDir: string, stackIds: readonly string[], deps: DeployDependencies = {}): Promise<DeployedDiff> {
  const args = cdkDiffArgs(assemblyDir, stackIds);
  let output = '';
  deps.log?.(`core-deploy: cdk ${args.join(' ')}`);
  const exitCode = await (deps.runCdk ?? runCdkCli)(args, {
    cwd: deps.cwd ?? process.cwd(),
    output: (text) => {
      output += text;
    },
  });
  if (exitCode !== 0) {
    const lastLine = output.replace(ANSI_ESCAPE, '').trim().split('\n').pop() ?? '';
    throw new DeployFailedError(`cdk diff exited with code ${exitCode}${lastLine === '' ? '' : ` (${lastLine})`}: check that AWS credentials can read the environment's stacks, or summarize against the baseline without --deployed`);
  }
  return { stacks: [...stackIds], args, exitCode, output: output.replace(ANSI_ESCAPE, '') };
}

import { runDeployCli, type DeployDependencies } from '../../src';

/** What one in-process `core-deploy` run returned and wrote. */
export interface DeployCliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `core-deploy` in-process with `deps` (fakes for the CDK CLI and AWS clients), capturing
 * what it writes to stdout and stderr.
 */
export async function runDeploy(args: readonly string[], deps: DeployDependencies = {}): Promise<DeployCliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runDeployCli(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) }, deps);
  return { code, stdout, stderr };
}

/** A fake CDK CLI that records each command's arguments and answers with one exit code. */
export function recordingCdk(exitCode = 0): { readonly calls: (readonly string[])[]; readonly runCdk: NonNullable<DeployDependencies['runCdk']> } {
  const calls: (readonly string[])[] = [];
  return {
    calls,
    runCdk: async (args) => {
      calls.push(args);
      return exitCode;
    },
  };
}

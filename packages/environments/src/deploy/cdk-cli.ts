import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import * as path from 'node:path';
import { DeployFailedError } from './errors';

/** Values of `cdk deploy --require-approval`: which changes a person must confirm. */
export const REQUIRE_APPROVAL_LEVELS = ['never', 'any-change', 'broadening', 'destructive'] as const;

/** One of {@link REQUIRE_APPROVAL_LEVELS}. */
export type RequireApproval = (typeof REQUIRE_APPROVAL_LEVELS)[number];

/** Approval level of `cdk deploy` unless the app's target says otherwise. */
export const DEFAULT_REQUIRE_APPROVAL: RequireApproval = 'broadening';

/** How {@link CdkRunner} runs the CLI. */
export interface CdkRunOptions {
  /** Working folder of the CLI. */
  readonly cwd: string;
  /**
   * Receives what the CLI prints (standard output and error, as it comes) instead of the
   * terminal, e.g. the text of `cdk diff` for a change summary.
   *
   * @default - the CLI writes to this terminal
   */
  readonly output?: (text: string) => void;
  /**
   * Environment of the CLI (e.g. with an assumed role's credentials).
   *
   * @default - this process's environment
   */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs the AWS CDK CLI with the given arguments and resolves to its exit code. Injected so that
 * tests replace the real CLI with a fake that records the arguments.
 */
export type CdkRunner = (args: readonly string[], options: CdkRunOptions) => Promise<number>;

/**
 * Arguments of `cdk deploy` for an already-synthesized assembly. `--exclusively` keeps the CLI
 * to exactly the stacks planned (it would otherwise add their dependencies from other
 * deployments, e.g. dev's shared stacks for a review app), and `--concurrency 1` deploys them
 * one at a time, in dependency order, which is also the only mode in which the CLI can ask for
 * an approval.
 *
 * @param assemblyDir the `cdk.out` folder; `--app` given a folder reads it instead of synthesizing
 * @param stackIds stacks in deployment order, as the CLI selects them (e.g. `core-staging/network`)
 * @param requireApproval which changes need a person's confirmation
 */
export function cdkDeployArgs(assemblyDir: string, stackIds: readonly string[], requireApproval: RequireApproval): string[] {
  return ['deploy', '--app', assemblyDir, '--require-approval', requireApproval, '--concurrency', '1', '--exclusively', ...stackIds];
}

/**
 * Arguments of `cdk destroy` for stacks of an already-synthesized assembly, without a prompt
 * (`--force`: the command that plans the teardown is the confirmation) and without stacks
 * that depend on them (`--exclusively`).
 *
 * @param assemblyDir the `cdk.out` folder
 * @param stackIds stacks to destroy
 */
export function cdkDestroyArgs(assemblyDir: string, stackIds: readonly string[]): string[] {
  return ['destroy', '--app', assemblyDir, '--force', '--exclusively', ...stackIds];
}

/**
 * Arguments of `cdk diff` for stacks of an already-synthesized assembly. The stacks must be
 * named: every CORE stack lives in a Stage (a nested assembly), and without a selector the CLI
 * picks only top-level stacks, finds none and reports "Number of stacks with differences: 0".
 * `--exclusively` keeps the comparison to exactly these stacks, as for a deployment.
 *
 * @param assemblyDir the `cdk.out` folder
 * @param stackIds stacks to compare with their deployed templates, as the CLI selects them (e.g. `core-prod/app`)
 */
export function cdkDiffArgs(assemblyDir: string, stackIds: readonly string[]): string[] {
  return ['diff', '--app', assemblyDir, '--exclusively', ...stackIds];
}

/**
 * Finds the entry script of the `aws-cdk` CLI package: first where the command runs (the
 * consuming project's own CDK CLI), then beside this package.
 *
 * @param cwd where the command runs
 * @throws DeployFailedError when the CLI is not installed
 */
export function resolveCdkCli(cwd: string = process.cwd()): string {
  let packageJson: string;
  try {
    packageJson = require.resolve('aws-cdk/package.json', { paths: [cwd, __dirname] });
  } catch {
    throw new DeployFailedError('the AWS CDK CLI (npm package aws-cdk) is not installed: add it to the project (npm install --save-dev aws-cdk) and run again');
  }
  const bin = (JSON.parse(readFileSync(packageJson, 'utf8')) as { bin?: Record<string, string> }).bin?.cdk ?? 'bin/cdk';
  const script = path.join(path.dirname(packageJson), bin);
  if (!existsSync(script)) throw new DeployFailedError(`the AWS CDK CLI package at ${path.dirname(packageJson)} has no ${bin}: reinstall aws-cdk`);
  return script;
}

/**
 * Runs the installed AWS CDK CLI under the current Node.js, attached to this terminal so that
 * approval prompts reach the person deploying (its output goes to `options.output` instead when
 * given). SIGINT and SIGTERM are passed on to the CLI and otherwise ignored while it runs: the
 * CLI stops CloudFormation cleanly, and the caller still gets to release the deploy lock.
 */
export const runCdkCli: CdkRunner = (args, options) =>
  new Promise<number>((resolve, reject) => {
    const output = options.output;
    const child = spawn(process.execPath, [resolveCdkCli(options.cwd), ...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: output ? ['inherit', 'pipe', 'pipe'] : 'inherit' });
    if (output) {
      child.stdout?.setEncoding('utf8').on('data', output);
      child.stderr?.setEncoding('utf8').on('data', output);
    }
    const forward = (signal: NodeJS.Signals) => {
      child.kill(signal);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const stopForwarding = () => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
    };
    child.on('error', (error) => {
      stopForwarding();
      reject(new DeployFailedError(`could not start the AWS CDK CLI: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      stopForwarding();
      // A CLI killed by a signal reports no code; the shell convention 128 + signal keeps it non-zero.
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });

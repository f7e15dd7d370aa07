import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { coreAppContext, listAssemblyStacks, runCli, type PolicyReport } from '@core-infra/policies';
import { buildEnvironmentApp, loadEnvironmentConfig, loadMetaConfig, trustedAccountsOf, type EnvironmentName } from '../../src';

// Real synthesized environment assemblies for the policy tests: a rule or an engine guarantee is
// proven by weakening what the environment apps really emit, not only a toy fixture.

/** A CloudFormation template as the mutations edit it. */
export interface MutableTemplate {
  Metadata?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown>; [key: string]: unknown }>;
}

const assemblies = new Map<EnvironmentName, string>();

/**
 * Synthesizes an environment app once per test file (with its policy plugin, as `cdk synth` does)
 * and returns its assembly folder.
 */
export function synthesizedEnvironment(environment: EnvironmentName): string {
  let outdir = assemblies.get(environment);
  if (!outdir) {
    outdir = mkdtempSync(path.join(tmpdir(), `policies-${environment}-`));
    const saved = process.env.CORE_CONFIG_FILE;
    delete process.env.CORE_CONFIG_FILE;
    // CDK's template validator prints advisory warnings (hard-coded AZs) on every synth.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const app = new App({ outdir, context: coreAppContext(), autoSynth: false });
      buildEnvironmentApp(environment, { app });
      app.synth();
    } finally {
      quiet.mockRestore();
      if (saved !== undefined) process.env.CORE_CONFIG_FILE = saved;
    }
    assemblies.set(environment, outdir);
  }
  return outdir;
}

/** Path of the template of the stack whose display name ends with `/<stack>` (e.g. `data`). */
export function stackTemplatePath(assemblyDir: string, stack: string): string {
  const found = listAssemblyStacks(assemblyDir).find((s) => s.displayName.endsWith(`/${stack}`));
  if (!found) throw new Error(`no stack ending in /${stack} in ${assemblyDir}`);
  return found.templatePath;
}

/**
 * Copies an assembly and edits one stack's template, as a pull request could.
 *
 * @param assemblyDir the synthesized assembly
 * @param stack the stack's last display-name segment, e.g. `data`
 * @param edit changes the parsed template in place
 */
export function mutatedAssembly(assemblyDir: string, stack: string, edit: (template: MutableTemplate) => void): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'policies-mutated-'));
  cpSync(assemblyDir, copy, { recursive: true });
  const file = stackTemplatePath(copy, stack);
  const template = JSON.parse(readFileSync(file, 'utf8')) as MutableTemplate;
  edit(template);
  writeFileSync(file, JSON.stringify(template, null, 1));
  return copy;
}

/** The logical id of the first resource of a type whose id starts with `prefix`. */
export function logicalIdOf(template: MutableTemplate, type: string, prefix = ''): string {
  const id = Object.keys(template.Resources).find((key) => template.Resources[key].Type === type && key.startsWith(prefix));
  if (!id) throw new Error(`no ${type}${prefix ? ` starting with ${prefix}` : ''} in the template; it has ${[...new Set(Object.values(template.Resources).map((r) => r.Type))].join(', ')}`);
  return id;
}

/** Outcome of one `core-policies check` run. */
export interface CheckOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The JSON report, when `--format json` was asked for and the check got that far. */
  readonly report?: PolicyReport;
}

/** Runs the real `core-policies check` CLI in-process. */
export async function corePoliciesCheck(...args: string[]): Promise<CheckOutcome> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['check', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  const report = args.includes('json') && stdout.trim().startsWith('{') ? (JSON.parse(stdout) as PolicyReport) : undefined;
  return { code, stdout, stderr, report };
}

/** The nested assembly folder of an environment's stage (`assembly-core-prod`, ...). */
export function stageAssemblyDir(assemblyDir: string): string {
  const nested = readdirSync(assemblyDir).find((name) => name.startsWith('assembly-'));
  if (!nested) throw new Error(`no nested stage assembly in ${assemblyDir}`);
  return path.join(assemblyDir, nested);
}

/** `--trusted-accounts=<ids>` for an environment, as its `validate` target passes it. */
export function trustedAccountsArgument(environment: EnvironmentName): string {
  const config = environment === 'meta' ? loadMetaConfig() : loadEnvironmentConfig(environment);
  return `--trusted-accounts=${trustedAccountsOf(config).join(',')}`;
}

import * as path from 'node:path';
import { listAssemblyStacks, PolicyEngineError } from '@core-infra/policies';
import { DeployInputError } from './errors';

/** One stack of a synthesized cloud assembly, as the deploy command sees it. */
export interface DeployableStack {
  /**
   * The id the CDK CLI selects the stack by: its hierarchical display name, e.g.
   * `core-staging/network` for a stack inside the `core-staging` Stage.
   */
  readonly id: string;
  /**
   * Artifact id in the (nested) assembly's manifest, e.g. `corestagingnetwork24166483`; the
   * destructive-change gate names baseline templates after it (`<artifactId>.template.json`).
   */
  readonly artifactId: string;
  /** Stage (nested assembly) holding the stack, e.g. `core-staging`; undefined for a top-level stack. */
  readonly stage?: string;
  /** CloudFormation stack name, e.g. `core-staging-network`. */
  readonly stackName: string;
  /** Account the stack deploys to; undefined for an environment-agnostic stack. */
  readonly account?: string;
  /** Region the stack deploys to; undefined for an environment-agnostic stack. */
  readonly region?: string;
  /**
   * Role the CDK CLI assumes to deploy the stack, with `${AWS::Partition}` (and the account and
   * region, when known) rendered, e.g. `arn:aws:iam::123456789012:role/cdk-hnb659fds-deploy-role-123456789012-eu-west-2`.
   */
  readonly deployRoleArn?: string;
  /** Whether CloudFormation termination protection is on. */
  readonly terminationProtection: boolean;
  /** Ids ({@link DeployableStack.id}) of the stacks this one depends on. */
  readonly dependencies: readonly string[];
  /** Template path relative to the top-level assembly folder. */
  readonly relativeTemplatePath: string;
}

const UNKNOWN = /^unknown-(account|region)$/;

/**
 * Reads every stack of an already-synthesized cloud assembly, stacks of nested assemblies
 * (Stages) included, with dependencies resolved to stack ids. Nothing is synthesized.
 *
 * @param assemblyDir a `cdk.out` folder
 * @throws DeployInputError when the folder is not a readable cloud assembly
 */
export function readAssemblyStacks(assemblyDir: string): DeployableStack[] {
  let stacks;
  try {
    stacks = listAssemblyStacks(assemblyDir);
  } catch (error) {
    if (error instanceof PolicyEngineError) {
      throw new DeployInputError(`--assembly: ${error.message}; pass the app's synthesized cdk.out folder (npx nx run <env>:synth)`);
    }
    throw error;
  }
  // Artifact ids are unique only within one (nested) assembly, so dependencies resolve per folder.
  const idsByArtifact = new Map(stacks.map((stack) => [artifactKey(path.dirname(stack.templatePath), stack.artifactId), stack.displayName]));
  return stacks.map((stack) => {
    const [account, region] = parseEnvironment(stack.environment);
    const segments = stack.displayName.split('/');
    return {
      id: stack.displayName,
      artifactId: stack.artifactId,
      stage: segments.length > 1 ? segments.slice(0, -1).join('/') : undefined,
      stackName: stack.stackName,
      account,
      region,
      deployRoleArn: stack.assumeRoleArn === undefined ? undefined : renderRoleArn(stack.assumeRoleArn, account, region),
      terminationProtection: stack.terminationProtection,
      dependencies: stack.dependencies
        .map((dependency) => idsByArtifact.get(artifactKey(path.dirname(stack.templatePath), dependency)))
        .filter((id): id is string => id !== undefined),
      relativeTemplatePath: stack.relativeTemplatePath.split(path.sep).join('/'),
    };
  });
}

/**
 * Orders stacks so that each comes after the stacks it depends on (a topological sort). Among
 * stacks that are ready at the same time the display name decides, so the order is stable from
 * one synthesis to the next. Dependencies on stacks outside `stacks` are ignored: they belong
 * to a different deployment (e.g. the shared dev stacks of a review app).
 *
 * @param stacks the stacks to deploy
 * @returns the same stacks, dependencies first
 * @throws DeployInputError when the dependencies form a cycle
 */
export function orderStacks(stacks: readonly DeployableStack[]): DeployableStack[] {
  const byId = new Map(stacks.map((stack) => [stack.id, stack]));
  const waitingOn = new Map(stacks.map((stack) => [stack.id, new Set(stack.dependencies.filter((d) => d !== stack.id && byId.has(d)))]));
  const ordered: DeployableStack[] = [];
  while (waitingOn.size > 0) {
    const ready = [...waitingOn].filter(([, deps]) => deps.size === 0).map(([id]) => id).sort(compareNames);
    if (ready.length === 0) {
      throw new DeployInputError(`--assembly: the stacks ${[...waitingOn.keys()].sort(compareNames).join(', ')} depend on each other in a cycle: remove one of the dependencies in the app and synthesize again`);
    }
    const next = ready[0];
    ordered.push(byId.get(next) as DeployableStack);
    waitingOn.delete(next);
    for (const deps of waitingOn.values()) deps.delete(next);
  }
  return ordered;
}

/**
 * Renders the deploy role the way IAM shows it: CDK writes `${AWS::Partition}` (and, for
 * environment-agnostic stacks, `${AWS::AccountId}` and `${AWS::Region}`) for CloudFormation to
 * fill in, which a plan must not leave to the reader.
 *
 * @param arn the `assumeRoleArn` of the manifest
 * @param account the stack's account, when known
 * @param region the stack's region, when known
 */
export function renderRoleArn(arn: string, account?: string, region?: string): string {
  let rendered = arn.replace(/\$\{AWS::Partition\}/g, 'aws');
  if (account !== undefined) rendered = rendered.replace(/\$\{AWS::AccountId\}/g, account);
  if (region !== undefined) rendered = rendered.replace(/\$\{AWS::Region\}/g, region);
  return rendered;
}

function parseEnvironment(environment: string | undefined): [string | undefined, string | undefined] {
  const match = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(environment ?? '');
  if (!match) return [undefined, undefined];
  return [UNKNOWN.test(match[1]) ? undefined : match[1], UNKNOWN.test(match[2]) ? undefined : match[2]];
}

function artifactKey(folder: string, artifactId: string): string {
  return `${folder}\u0000${artifactId}`;
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { EnvironmentName } from '../config/load';
import { isPlaceholderAccount } from '../configs/accounts';
import { readAssemblyStacks } from '../deploy/assembly-stacks';
import { resolveDeployTarget } from '../deploy/deploy-target';
import { executionPolicyFor, permissionsBoundaryFor, resourceTypesOf, type BootstrapStacksTarget } from './bootstrap-policies';
import { bootstrapTemplateVersion, permissionsBoundaryArn, readBootstrapTemplate, type CfnTemplate, type GeneratedPolicy } from './bootstrap-template';
import { BootstrapInputError } from './errors';
import { bootstrapRequirementOf } from './stack-requirements';

/** What to bootstrap. */
export interface BootstrapOptions {
  /** The environment. */
  readonly environment: EnvironmentName;
  /** The environment's synthesized `cdk.out`: its stacks decide the accounts, regions and policies. */
  readonly assemblyDir: string;
  /**
   * Plan only: print the commands and policies, write and run nothing, and accept placeholder accounts.
   *
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * Config override file, as for synthesis.
   *
   * @default - the file named by `CORE_CONFIG_FILE`, else the committed config alone
   */
  readonly configFile?: string;
  /**
   * Folder the rendered bootstrap templates are written to.
   *
   * @default - `bootstrap` inside the assembly
   */
  readonly outputDir?: string;
}

/** The bootstrap of one account and region. */
export interface BootstrapTargetPlan {
  /** The account. */
  readonly account: string;
  /** The region. */
  readonly region: string;
  /** Ids of the stacks deployed there, e.g. `core-staging/edge`. */
  readonly stacks: readonly string[];
  /** Resource types of those stacks, which the execution policy covers. */
  readonly resourceTypes: readonly string[];
  /** The only role ARNs the bootstrap roles trust. */
  readonly trustedRoleArns: readonly string[];
  /** ARN of the customer-managed execution policy the bootstrap stack creates. */
  readonly executionPolicyArn: string;
  /** ARN of the permissions boundary policy the bootstrap stack creates. */
  readonly permissionsBoundaryArn: string;
  /** The generated execution policy statements. */
  readonly executionPolicy: GeneratedPolicy;
  /** The generated permissions boundary statements. */
  readonly permissionsBoundary: GeneratedPolicy;
  /** Where the rendered template is written. */
  readonly templateFile: string;
  /** Arguments of `cdk bootstrap`. */
  readonly cdkArgs: readonly string[];
}

/** Everything a bootstrap does, decided before anything runs. */
export interface BootstrapPlan {
  /** The environment. */
  readonly environment: EnvironmentName;
  /** Whether this is a dry run. */
  readonly dryRun: boolean;
  /** Bootstrap qualifier: the config's `bootstrapQualifier`, else CDK's default. */
  readonly qualifier: string;
  /** Version the template installs. */
  readonly templateVersion: number;
  /** Highest version any stack requires. */
  readonly requiredVersion: number;
  /** Folder of the rendered templates. */
  readonly outputDir: string;
  /** Accounts and regions, in the order they are bootstrapped. */
  readonly targets: readonly BootstrapTargetPlan[];
  /** What a real run refuses. */
  readonly warnings: readonly string[];
}

/**
 * Plans the bootstrap of every account and region an environment's assembly deploys to (its
 * region, and us-east-1 for an edge stack): trust for the environment's infrastructure
 * deployment role only, an execution policy and permissions boundary generated from the stacks,
 * the customer-managed key, termination protection. Nothing is written and AWS is not called.
 *
 * @param options environment, assembly and mode
 * @throws BootstrapInputError for an unknown environment, an assembly of another environment or
 *   account, a resource type without actions, or (unless a dry run) placeholder accounts
 */
export function planBootstrap(options: BootstrapOptions): BootstrapPlan {
  const target = resolveDeployTarget(options.environment, { configFile: options.configFile });
  const trustedRoleArn = target.infrastructureRoleArn;
  const qualifier = target.bootstrapQualifier;
  const base = readBootstrapTemplate();
  const templateVersion = bootstrapTemplateVersion(base);
  const outputDir = options.outputDir ?? path.join(options.assemblyDir, 'bootstrap');

  const groups = new Map<string, BootstrapStacksTarget & { ids: string[] }>();
  let requiredVersion = 0;
  for (const stack of readAssemblyStacks(options.assemblyDir)) {
    if (stack.stage === undefined || !target.assemblyStages.test(stack.stage)) {
      throw new BootstrapInputError(`--assembly: ${options.assemblyDir} holds stack ${stack.id}, which is not part of ${options.environment}: pass apps/${options.environment}/cdk.out`);
    }
    if (stack.account !== target.account || stack.region === undefined) {
      throw new BootstrapInputError(`--assembly: stack ${stack.id} targets aws://${stack.account ?? 'unknown'}/${stack.region ?? 'unknown'}, not the ${options.environment} account ${target.account}: synthesize with the same config (CORE_CONFIG_FILE)`);
    }
    const template = JSON.parse(readFileSync(path.join(options.assemblyDir, stack.relativeTemplatePath), 'utf8')) as CfnTemplate;
    const requirement = bootstrapRequirementOf(template);
    if (requirement && requirement.qualifier !== qualifier) {
      throw new BootstrapInputError(`stack ${stack.id} reads bootstrap qualifier "${requirement.qualifier}", but the ${options.environment} config bootstraps with "${qualifier}": synthesize with the same config (bootstrapQualifier, CORE_CONFIG_FILE)`);
    }
    requiredVersion = Math.max(requiredVersion, requirement?.minimumVersion ?? 0);
    const key = `${stack.account}/${stack.region}`;
    const group = groups.get(key) ?? { account: stack.account, region: stack.region, stacks: [], ids: [] };
    (group.stacks as BootstrapStacksTarget['stacks'][number][]).push({ stage: stack.stage, stackName: stack.stackName, template });
    group.ids.push(stack.id);
    groups.set(key, group);
  }
  if (groups.size === 0) throw new BootstrapInputError(`--assembly: ${options.assemblyDir} holds no stacks: synthesize ${options.environment} first (npx nx run ${options.environment}:synth)`);
  if (templateVersion < requiredVersion) {
    throw new BootstrapInputError(`the committed bootstrap template installs version ${templateVersion}, but the stacks require ${requiredVersion}: regenerate it with a newer CDK CLI (npm run bootstrap-template -w @core-infra/environments)`);
  }

  // The environment's own region first: it holds the stacks the edge region's depend on.
  const targets = [...groups.values()]
    .sort((a, b) => Number(b.ids.length) - Number(a.ids.length) || a.region.localeCompare(b.region))
    .map((group) => planTarget(group, group.ids, trustedRoleArn, qualifier, outputDir));
  const warnings = isPlaceholderAccount(target.account) ? [`placeholder account id ${target.account} from the committed config: supply the real accounts in an override file (CORE_CONFIG_FILE)`] : [];
  if (!options.dryRun && warnings.length > 0) throw new BootstrapInputError(`${warnings[0]}; nothing was bootstrapped`);
  return { environment: options.environment, dryRun: options.dryRun ?? false, qualifier, templateVersion, requiredVersion, outputDir, targets, warnings };
}

function planTarget(group: BootstrapStacksTarget, ids: readonly string[], trustedRoleArn: string, qualifier: string, outputDir: string): BootstrapTargetPlan {
  const { account, region } = group;
  const executionPolicyArn = `arn:aws:iam::${account}:policy/cdk-${qualifier}-cfn-exec-policy-${account}-${region}`;
  const templateFile = path.join(outputDir, `bootstrap-${account}-${region}.json`);
  return {
    account,
    region,
    stacks: [...ids].sort(),
    resourceTypes: resourceTypesOf(group),
    trustedRoleArns: [trustedRoleArn],
    executionPolicyArn,
    permissionsBoundaryArn: permissionsBoundaryArn(account, region, qualifier),
    executionPolicy: executionPolicyFor(group, qualifier),
    permissionsBoundary: permissionsBoundaryFor(group),
    templateFile,
    cdkArgs: [
      'bootstrap',
      `aws://${account}/${region}`,
      '--template', templateFile,
      '--qualifier', qualifier,
      '--trust', trustedRoleArn,
      '--cloudformation-execution-policies', executionPolicyArn,
      '--bootstrap-customer-key',
      '--termination-protection',
    ],
  };
}

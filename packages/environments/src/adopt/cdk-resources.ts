import * as path from 'node:path';
import { isStatefulResourceType } from '@core-infra/policies';
import { isJsonObject, readJsonFile } from '../change-summary/json-files';
import type { EnvironmentName } from '../config/load';
import { orderStacks, readAssemblyStacks, type DeployableStack } from '../deploy/assembly-stacks';
import { assertAssemblyDir } from '../deploy/deploy';
import { resolveDeployTarget, selectTargetStacks } from '../deploy/deploy-target';
import { ADOPTABLE_TYPES } from './adoptable-types';
import { resolveTemplateName, type TemplateName } from './template-values';

/** A KMS alias of the CDK app, which names the key it points at. */
export interface CdkKeyAlias {
  /** Logical id of the `AWS::KMS::Alias`. */
  readonly logicalId: string;
  /** The alias name, e.g. `alias/core-staging-app-secrets`. */
  readonly name: TemplateName;
}

/** A resource of a stateful type (the policies package's list) in one of the environment's stacks. */
export interface CdkStatefulResource {
  /** The stack holding it. */
  readonly stack: DeployableStack;
  /** Its logical id, the key of a `cdk import` resource mapping. */
  readonly logicalId: string;
  /** CloudFormation type, e.g. `AWS::S3::Bucket`. */
  readonly type: string;
  /** Construct path from the template metadata, e.g. `core-staging/data/Database/Instance/Resource`. */
  readonly constructPath?: string;
  /** The physical name the template gives it (for KMS keys: `generated`; they are named by {@link CdkStatefulResource.aliases}). */
  readonly name: TemplateName;
  /** The aliases that point at it (KMS keys only). */
  readonly aliases: readonly CdkKeyAlias[];
  /** Its template properties. */
  readonly properties: Readonly<Record<string, unknown>>;
}

/** The environment's stacks and the stateful resources in them. */
export interface CdkEnvironmentResources {
  /** The environment's own stacks, dependencies first (dev's review apps are left out). */
  readonly stacks: readonly DeployableStack[];
  /** Every stateful resource of those stacks, in stack order. */
  readonly resources: readonly CdkStatefulResource[];
}

/**
 * Reads the stateful resources of an environment from its synthesized cloud assembly: the
 * stacks a deployment of the environment covers, read the way `core-deploy deploy` and `diff`
 * read them, with each resource's physical name worked out from its template (pseudo
 * parameters from the stack's account and region).
 *
 * @param environment the environment
 * @param assemblyDir its `cdk.out`
 * @param configFile config override file, as for synthesis
 * @throws DeployInputError when the assembly is unreadable or belongs to another environment
 */
export function readCdkStatefulResources(environment: EnvironmentName, assemblyDir: string, configFile?: string): CdkEnvironmentResources {
  const assembly = assertAssemblyDir(assemblyDir);
  const target = resolveDeployTarget(environment, { configFile });
  const stacks = orderStacks(selectTargetStacks(readAssemblyStacks(assembly), target, assemblyDir));
  const resources = stacks.flatMap((stack) => statefulResourcesOf(stack, path.join(assembly, stack.relativeTemplatePath)));
  return { stacks, resources };
}

function statefulResourcesOf(stack: DeployableStack, templateFile: string): CdkStatefulResource[] {
  const template = readJsonFile(templateFile, '--assembly', 'synthesize the app again');
  const entries = isJsonObject(template) && isJsonObject(template.Resources) ? Object.entries(template.Resources).filter((entry): entry is [string, Record<string, unknown>] => isJsonObject(entry[1])) : [];
  const pseudo = { account: stack.account, region: stack.region };
  const aliases = new Map<string, CdkKeyAlias[]>();
  for (const [logicalId, resource] of entries) {
    const properties = isJsonObject(resource.Properties) ? resource.Properties : {};
    const target = resource.Type === 'AWS::KMS::Alias' ? referencedLogicalId(properties.TargetKeyId) : undefined;
    if (target !== undefined) aliases.set(target, [...(aliases.get(target) ?? []), { logicalId, name: resolveTemplateName(properties.AliasName, pseudo) }]);
  }
  return entries
    .filter(([, resource]) => typeof resource.Type === 'string' && isStatefulResourceType(resource.Type))
    .map(([logicalId, resource]) => {
      const type = resource.Type as string;
      const properties = isJsonObject(resource.Properties) ? resource.Properties : {};
      const nameProperty = ADOPTABLE_TYPES.find((entry) => entry.cloudFormationType === type)?.nameProperty;
      const metadata = isJsonObject(resource.Metadata) ? resource.Metadata : {};
      return {
        stack,
        logicalId,
        type,
        constructPath: typeof metadata['aws:cdk:path'] === 'string' ? metadata['aws:cdk:path'] : undefined,
        name: nameProperty === undefined ? { kind: 'generated' } : resolveTemplateName(properties[nameProperty], pseudo),
        aliases: aliases.get(logicalId) ?? [],
        properties,
      };
    });
}

/**
 * The logical id a `Ref` or `Fn::GetAtt` points at, e.g. `DatabaseKey4C38813A` for
 * `{"Fn::GetAtt": ["DatabaseKey4C38813A", "Arn"]}`.
 *
 * @param value a template value
 * @returns the logical id, or undefined when the value is not such a reference
 */
export function referencedLogicalId(value: unknown): string | undefined {
  if (!isJsonObject(value)) return undefined;
  if (typeof value.Ref === 'string' && !value.Ref.startsWith('AWS::')) return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}


import { DeployInputError } from '../deploy/errors';
import { adoptableTypeOf, ADOPTABLE_TYPES, type AdoptableType } from './adoptable-types';
import type { CdkStatefulResource } from './cdk-resources';
import type { TerraformResource } from './terraform-state';
import type { CdkOnlyResource, TerraformOnlyResource } from './types';

/** A stateful Terraform resource of an adoptable type, with the names it is matched by. */
export interface AdoptableTerraformResource {
  /** The resource. */
  readonly resource: TerraformResource;
  /** How its type is adopted. */
  readonly adoptable: AdoptableType;
  /** Its physical names: one, or for a KMS key the names of its aliases. */
  readonly names: readonly string[];
  /** Its region, from its ARN; undefined when the state records no ARN. */
  readonly region?: string;
  /** For a KMS key: its aliases in the state. */
  readonly aliases: readonly TerraformResource[];
}

/** A Terraform resource and the CDK resource that imports it. */
export interface ResourcePair {
  /** The Terraform side. */
  readonly terraform: AdoptableTerraformResource;
  /** The CDK side. */
  readonly cdk: CdkStatefulResource;
}

/** How the two sides matched. */
export interface ResourceMatching {
  /** Matched by physical name. */
  readonly pairs: readonly ResourcePair[];
  /** Adoptable Terraform resources no CDK resource has the name of. */
  readonly terraformOnly: readonly TerraformOnlyResource[];
  /** Stateful CDK resources nothing is imported into. */
  readonly cdkOnly: readonly CdkOnlyResource[];
}

/**
 * Matches the adoptable Terraform resources with the CDK app's stateful resources by physical
 * name (KMS keys by alias), within the same CloudFormation type and region.
 *
 * @param terraform every managed resource of the state
 * @param cdk every stateful resource of the environment's stacks
 * @param tfstate the state file, for messages
 * @throws DeployInputError when the state lists one physical resource twice, or when one
 *   resource would be imported into two CDK resources (two owners)
 */
export function matchResources(terraform: readonly TerraformResource[], cdk: readonly CdkStatefulResource[], tfstate: string): ResourceMatching {
  const adoptable = adoptableResourcesOf(terraform);
  refuseDuplicates(adoptable, tfstate);
  const pairs: ResourcePair[] = [];
  const terraformOnly: TerraformOnlyResource[] = [];
  const owners = new Map<CdkStatefulResource, AdoptableTerraformResource>();
  for (const candidate of adoptable) {
    const matches = cdk.filter((resource) => sameResource(candidate, resource));
    if (matches.length > 1) {
      throw new DeployInputError(
        `--tfstate: ${candidate.resource.address} (${candidate.names.join(', ')}) would be imported into ${matches.length} CDK resources, ${matches.map(describeCdk).join(' and ')}: a resource can have one owner only; give the CDK resources different names in the app (or remove one) and synthesize again`,
      );
    }
    const [match] = matches;
    if (match === undefined) {
      terraformOnly.push({ terraformAddress: candidate.resource.address, terraformType: candidate.resource.type, type: candidate.adoptable.cloudFormationType, names: candidate.names, closest: closestOf(candidate, cdk) });
      continue;
    }
    const owner = owners.get(match);
    if (owner !== undefined) {
      throw new DeployInputError(`--tfstate: ${owner.resource.address} and ${candidate.resource.address} would both be imported into ${describeCdk(match)}: keep one of them in the state file, or give the CDK app a resource for each`);
    }
    owners.set(match, candidate);
    pairs.push({ terraform: candidate, cdk: match });
  }
  const cdkOnly = cdk.filter((resource) => !owners.has(resource)).map(cdkOnlyOf);
  return { pairs, terraformOnly, cdkOnly };
}

function adoptableResourcesOf(terraform: readonly TerraformResource[]): AdoptableTerraformResource[] {
  const aliases = terraform.filter((resource) => resource.type === 'aws_kms_alias');
  return terraform.flatMap((resource) => {
    const adoptable = adoptableTypeOf(resource.type);
    if (adoptable === undefined) return [];
    const keyAliases = resource.type === 'aws_kms_key' ? aliases.filter((alias) => [resource.values.key_id, resource.values.arn].includes(alias.values.target_key_id)) : [];
    const names = resource.type === 'aws_kms_key' ? keyAliases.map((alias) => alias.values.name) : [resource.values[adoptable.nameAttribute]];
    return [{ resource, adoptable, names: names.filter((name): name is string => typeof name === 'string' && name !== ''), region: regionOf(resource.values.arn), aliases: keyAliases }];
  });
}

function refuseDuplicates(adoptable: readonly AdoptableTerraformResource[], tfstate: string): void {
  const seen = new Map<string, AdoptableTerraformResource>();
  for (const candidate of adoptable) {
    for (const name of candidate.names) {
      const key = [candidate.adoptable.cloudFormationType, candidate.region ?? '', normalize(name, candidate.adoptable)].join('\u0000');
      const first = seen.get(key);
      if (first !== undefined && first !== candidate) {
        throw new DeployInputError(
          `--tfstate: ${tfstate} lists the physical id "${name}" twice, as ${first.resource.address} and ${candidate.resource.address}: one resource has one address in one state; pass the terraform show -json output of a single state (one workspace) and remove the duplicate`,
        );
      }
      seen.set(key, candidate);
    }
  }
}

function sameResource(candidate: AdoptableTerraformResource, resource: CdkStatefulResource): boolean {
  if (resource.type !== candidate.adoptable.cloudFormationType) return false;
  if (candidate.region !== undefined && resource.stack.region !== undefined && candidate.region !== resource.stack.region) return false;
  const names = cdkNamesOf(resource).map((name) => normalize(name, candidate.adoptable));
  return candidate.names.some((name) => names.includes(normalize(name, candidate.adoptable)));
}

/** The names a CDK resource is matched by: its physical name, or for a KMS key its aliases' names. */
function cdkNamesOf(resource: CdkStatefulResource): string[] {
  if (resource.type === 'AWS::KMS::Key') return resource.aliases.flatMap((alias) => (alias.name.kind === 'named' ? [alias.name.value] : []));
  return resource.name.kind === 'named' ? [resource.name.value] : [];
}

function closestOf(candidate: AdoptableTerraformResource, cdk: readonly CdkStatefulResource[]): TerraformOnlyResource['closest'] {
  for (const resource of cdk.filter((entry) => entry.type === candidate.adoptable.cloudFormationType)) {
    for (const cdkName of cdkNamesOf(resource)) {
      const near = candidate.names.some((name) => addsAffix(cdkName, name) || addsAffix(name, cdkName));
      if (near) return { stackId: resource.stack.id, logicalId: resource.logicalId, name: cdkName };
    }
  }
  return undefined;
}

/** Whether `longer` is `shorter` plus a prefix or suffix at a word boundary (e.g. an account id). */
function addsAffix(longer: string, shorter: string): boolean {
  if (longer.length <= shorter.length || shorter.length < 3) return false;
  return (longer.startsWith(shorter) && /[-_/.]/.test(longer[shorter.length])) || (longer.endsWith(shorter) && /[-_/.]/.test(longer[longer.length - shorter.length - 1]));
}

function cdkOnlyOf(resource: CdkStatefulResource): CdkOnlyResource {
  const base = { stackId: resource.stack.id, logicalId: resource.logicalId, type: resource.type, constructPath: resource.constructPath };
  const name = cdkNamesOf(resource)[0];
  if (!ADOPTABLE_TYPES.some((entry) => entry.cloudFormationType === resource.type)) {
    return { ...base, name, reason: 'no-terraform-type', detail: `no Terraform type is mapped to ${resource.type}: it is created empty; import it by hand (cdk import) if Terraform holds it` };
  }
  if (name !== undefined) {
    return { ...base, name, reason: 'no-terraform-resource', detail: 'no Terraform resource has this name: the first deploy creates it empty' };
  }
  const unresolved = resource.type === 'AWS::KMS::Key' ? resource.aliases.find((alias) => alias.name.kind === 'unresolved')?.name : resource.name;
  if (unresolved?.kind === 'unresolved') {
    return { ...base, reason: 'unresolved-name', detail: `its name cannot be worked out before deployment (${unresolved.reason}): nothing is imported into it; give it a literal name to adopt an existing resource` };
  }
  const what = resource.type === 'AWS::KMS::Key' ? 'no alias names it' : 'CloudFormation generates its name';
  return { ...base, reason: 'generated-name', detail: `${what}, so nothing existing can be imported into it: the first deploy creates it empty` };
}

function describeCdk(resource: CdkStatefulResource): string {
  return `${resource.stack.id} ${resource.logicalId}`;
}

function normalize(name: string, adoptable: AdoptableType): string {
  const trimmed = adoptable.cloudFormationType === 'AWS::Route53::HostedZone' ? name.replace(/\.$/, '') : name;
  return adoptable.caseInsensitive ? trimmed.toLowerCase() : trimmed;
}

function regionOf(arn: unknown): string | undefined {
  if (typeof arn !== 'string' || !arn.startsWith('arn:')) return undefined;
  const region = arn.split(':')[3];
  return region === '' ? undefined : region;
}

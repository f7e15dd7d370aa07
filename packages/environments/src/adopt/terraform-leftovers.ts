import { adoptableTypeOf, COMPANION_TYPES, NOT_IMPORTABLE_TYPES } from './adoptable-types';
import type { ResourcePair } from './match';
import type { TerraformResource } from './terraform-state';
import type { NotImportableResource, TerraformTypeCount } from './types';

/** What happens to the Terraform resources that are not imported themselves. */
export interface TerraformLeftovers {
  /** Addresses to `terraform state rm` after the imports: the imported resources, then the parts Terraform keeps separately. */
  readonly stateRm: readonly string[];
  /** Stateful resources CloudFormation cannot import, with what to do. */
  readonly notImportable: readonly NotImportableResource[];
  /** Everything else, counted by type. */
  readonly leftToTerraform: readonly TerraformTypeCount[];
}

/**
 * Sorts the rest of the state: the parts of imported resources that Terraform keeps as
 * resources of their own (a bucket's versioning, policy and encryption; a key's aliases; a
 * secret's value) leave the state with them, or a later `terraform destroy` would strip them
 * from the resources CDK now owns. Stateful types CloudFormation cannot import are named with
 * what to do; the rest stays with Terraform, which destroys it after the cutover.
 *
 * @param terraform every managed resource of the state
 * @param pairs the resources that are imported
 */
export function sortTerraformLeftovers(terraform: readonly TerraformResource[], pairs: readonly ResourcePair[]): TerraformLeftovers {
  const imported = new Set(pairs.map((pair) => pair.terraform.resource));
  const companions = terraform.filter((resource) => !imported.has(resource) && isPartOfImported(resource, pairs));
  const notImportable = terraform.flatMap((resource) => {
    const entry = NOT_IMPORTABLE_TYPES.find((candidate) => candidate.terraformType === resource.type && (candidate.applies?.(resource.values) ?? true));
    return entry === undefined ? [] : [{ terraformAddress: resource.address, terraformType: resource.type, instead: entry.instead }];
  });
  const handled = new Set([...imported, ...companions, ...terraform.filter((resource) => notImportable.some((entry) => entry.terraformAddress === resource.address))]);
  const counts = new Map<string, number>();
  for (const resource of terraform) {
    // Adoptable resources that nothing imports are findings of their own (no CDK counterpart).
    if (handled.has(resource) || adoptableTypeOf(resource.type) !== undefined) continue;
    counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
  }
  return {
    stateRm: [...pairs.map((pair) => pair.terraform.resource.address), ...companions.map((resource) => resource.address)],
    notImportable,
    leftToTerraform: [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([terraformType, count]) => ({ terraformType, count })),
  };
}

function isPartOfImported(resource: TerraformResource, pairs: readonly ResourcePair[]): boolean {
  const companion = COMPANION_TYPES.find((entry) => entry.terraformType === resource.type);
  if (companion === undefined) return false;
  const reference = resource.values[companion.field];
  return pairs.some(
    (pair) => pair.terraform.resource.type === companion.parentType && companion.parentFields.some((field) => reference !== undefined && pair.terraform.resource.values[field] === reference),
  );
}

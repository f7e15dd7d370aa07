// `core-deploy adopt`: hands an environment's Terraform-managed stateful resources over to its
// CDK stacks. terraform-state reads `terraform show -json`, cdk-resources reads the assembly's
// stateful resources, adoptable-types says how each Terraform type maps, match pairs them by
// physical name, compare checks the properties that would break the import, terraform-leftovers
// sorts the rest of the state, adopt plans and writes, render prints, command is the CLI verb.
export { ADOPTION_REPORT_FILE, planAdoption, writeAdoption, type AdoptionOptions } from './adopt';
export { ADOPTABLE_TYPES, COMPANION_TYPES, NOT_IMPORTABLE_TYPES, adoptableTypeOf, type AdoptableType, type CompanionType, type ImportIdentifier, type NotImportableType } from './adoptable-types';
export { readCdkStatefulResources, type CdkEnvironmentResources, type CdkKeyAlias, type CdkStatefulResource } from './cdk-resources';
export { ADOPTION_FORMATS, addAdoptCommand } from './command';
export { compareProperties } from './compare';
export { matchResources, type AdoptableTerraformResource, type ResourceMatching, type ResourcePair } from './match';
export type { DifferenceEffect, PropertyCheck, PropertyComparison } from './property-checks';
export { renderAdoption } from './render';
export { resolveTemplateName, type PseudoParameters, type TemplateName } from './template-values';
export { sortTerraformLeftovers, type TerraformLeftovers } from './terraform-leftovers';
export { parseTerraformState, readTerraformState, type TerraformResource, type TerraformState } from './terraform-state';
export * from './types';

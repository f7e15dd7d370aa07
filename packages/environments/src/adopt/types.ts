import type { DifferenceEffect } from './property-checks';

/** Version of the adoption report's JSON shape. */
export const ADOPTION_REPORT_SCHEMA = 'core-adoption/1';

/** A property on which the Terraform-managed resource and its CDK definition disagree. */
export interface PropertyDifference {
  /** CloudFormation property, e.g. `EngineVersion`. */
  readonly property: string;
  /** The value in the Terraform state, as text. */
  readonly terraform: string;
  /** The value in the CDK template, as text. */
  readonly cdk: string;
  /** What the first `cdk deploy` after the import does about it. */
  readonly effect: DifferenceEffect;
}

/** A Terraform resource and the CDK resource that imports it. */
export interface AdoptedResource {
  /** Terraform address, e.g. `module.rds.aws_db_instance.main`. */
  readonly terraformAddress: string;
  /** Terraform type, e.g. `aws_db_instance`. */
  readonly terraformType: string;
  /** Stack that imports it, as the CDK CLI selects it, e.g. `core-staging/data`. */
  readonly stackId: string;
  /** Logical id of the CDK resource. */
  readonly logicalId: string;
  /** CloudFormation type. */
  readonly type: string;
  /** Construct path of the CDK resource, when the template records it. */
  readonly constructPath?: string;
  /** The import identifier, e.g. `{"DBInstanceIdentifier": "core-staging"}`. */
  readonly identifier: Readonly<Record<string, string>>;
  /** Properties on which the two disagree. */
  readonly differences: readonly PropertyDifference[];
}

/** A CDK resource and its physical name. */
export interface CdkResourceName {
  /** Stack holding it, e.g. `core-staging/data`. */
  readonly stackId: string;
  /** Its logical id. */
  readonly logicalId: string;
  /** Its physical name. */
  readonly name: string;
}

/** How many resources of one Terraform type are left to Terraform. */
export interface TerraformTypeCount {
  /** Terraform type, e.g. `aws_security_group`. */
  readonly terraformType: string;
  /** How many the state holds. */
  readonly count: number;
}

/** A stateful Terraform resource no CDK resource takes over. */
export interface TerraformOnlyResource {
  /** Terraform address. */
  readonly terraformAddress: string;
  /** Terraform type. */
  readonly terraformType: string;
  /** The CloudFormation type it would be imported as. */
  readonly type: string;
  /** Its physical names (for KMS keys: its aliases). */
  readonly names: readonly string[];
  /** A CDK resource of the same type whose name differs only by a prefix or suffix: probably meant to be the same one. */
  readonly closest?: CdkResourceName;
}

/** Why a stateful CDK resource has no Terraform resource to import. */
export type CdkOnlyReason =
  /** No Terraform resource has its name: the first deploy creates it empty. */
  | 'no-terraform-resource'
  /** The template leaves the name to CloudFormation, so nothing existing can be imported into it. */
  | 'generated-name'
  /** Its name is known only at deployment. */
  | 'unresolved-name'
  /** No Terraform type is mapped to its CloudFormation type. */
  | 'no-terraform-type';

/** A stateful CDK resource that nothing is imported into: it is created empty. */
export interface CdkOnlyResource {
  /** Stack holding it. */
  readonly stackId: string;
  /** Logical id. */
  readonly logicalId: string;
  /** CloudFormation type. */
  readonly type: string;
  /** Construct path, when the template records it. */
  readonly constructPath?: string;
  /** Its physical name, when the template states one. */
  readonly name?: string;
  /** Why nothing is imported into it. */
  readonly reason: CdkOnlyReason;
  /** The reason in words, with what to do. */
  readonly detail: string;
}

/** A stateful Terraform resource CloudFormation cannot import. */
export interface NotImportableResource {
  /** Terraform address. */
  readonly terraformAddress: string;
  /** Terraform type. */
  readonly terraformType: string;
  /** What to do instead. */
  readonly instead: string;
}

/** The import of one stack. */
export interface StackImport {
  /** Stack as the CDK CLI selects it, e.g. `core-staging/data`. */
  readonly stackId: string;
  /** CloudFormation stack name. */
  readonly stackName: string;
  /** The `cdk import --resource-mapping` file. */
  readonly mappingFile: string;
  /** Its content: logical id → identifier properties. */
  readonly mapping: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The command that imports the stack's resources. */
  readonly command: string;
}

/** Everything `core-deploy adopt` found, and what to run. */
export interface AdoptionReport {
  /** {@link ADOPTION_REPORT_SCHEMA}. */
  readonly schema: typeof ADOPTION_REPORT_SCHEMA;
  /** The environment. */
  readonly environment: string;
  /** The `terraform show -json` file read. */
  readonly tfstate: string;
  /** Terraform version that wrote it. */
  readonly terraformVersion?: string;
  /** The cloud assembly read. */
  readonly assemblyDir: string;
  /** Where the mapping files go. */
  readonly outDir: string;
  /** Terraform resources that CDK resources import. */
  readonly imports: readonly AdoptedResource[];
  /** Imports per stack, in deployment order. */
  readonly stacks: readonly StackImport[];
  /** Stateful Terraform resources with no CDK counterpart. */
  readonly terraformOnly: readonly TerraformOnlyResource[];
  /** Stateful CDK resources with no Terraform counterpart. */
  readonly cdkOnly: readonly CdkOnlyResource[];
  /** Stateful Terraform resources CloudFormation cannot import. */
  readonly notImportable: readonly NotImportableResource[];
  /** Addresses to `terraform state rm` once every import succeeded: the imported resources and the parts Terraform keeps separately (a bucket's versioning, a key's aliases). */
  readonly stateRm: readonly string[];
  /** The other Terraform resources, counted by type: CDK creates its own, and Terraform destroys these after the cutover. */
  readonly leftToTerraform: readonly TerraformTypeCount[];
  /** How many things need a decision: unmatched resources on either side, types that cannot be imported, property differences. */
  readonly findings: number;
}

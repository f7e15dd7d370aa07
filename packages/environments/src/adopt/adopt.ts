import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { EnvironmentName } from '../config/load';
import { DeployInputError } from '../deploy/errors';
import { readCdkStatefulResources } from './cdk-resources';
import { compareProperties } from './compare';
import { matchResources, type ResourcePair } from './match';
import { sortTerraformLeftovers } from './terraform-leftovers';
import { readTerraformState } from './terraform-state';
import { ADOPTION_REPORT_SCHEMA, type AdoptedResource, type AdoptionReport, type StackImport } from './types';

/** What to adopt, and from where. */
export interface AdoptionOptions {
  /** The environment whose stacks take the resources over. */
  readonly environment: EnvironmentName;
  /** `terraform show -json` output of the environment's Terraform state. */
  readonly tfstateFile: string;
  /** The environment's synthesized `cdk.out`. */
  readonly assemblyDir: string;
  /**
   * Where the mapping files and the JSON report go.
   *
   * @default - `reports/adoption` beside the assembly
   */
  readonly outDir?: string;
  /**
   * Config override file, as for synthesis.
   *
   * @default - the file named by `CORE_CONFIG_FILE`, else the committed config alone
   */
  readonly configFile?: string;
}

/** The file name of the JSON report in the output folder. */
export const ADOPTION_REPORT_FILE = 'adoption-report.json';

/**
 * Plans the adoption of an environment's Terraform-managed resources by its CDK stacks:
 * matches each stateful Terraform resource with the CDK resource of the same physical name,
 * compares the properties that would make the import fail or drift, and lists what is left on
 * either side. Reads files only; nothing is written and AWS is never called.
 *
 * @param options the environment, the state output and the assembly
 * @throws DeployInputError naming the option, the value and the fix for unusable input, a state
 *   that lists a resource twice, or a resource that would get two owners
 */
export function planAdoption(options: AdoptionOptions): AdoptionReport {
  const state = readTerraformState(options.tfstateFile);
  const cdk = readCdkStatefulResources(options.environment, options.assemblyDir, options.configFile);
  const matching = matchResources(state.resources, cdk.resources, options.tfstateFile);
  const differences = compareProperties(matching.pairs, state.resources);
  const imports = matching.pairs.flatMap((pair, index) => [adoptedResource(pair, differences[index]), ...keyAliasesOf(pair)]);
  const outDir = options.outDir ?? path.join(path.dirname(options.assemblyDir), 'reports', 'adoption');
  const stacks = cdk.stacks.flatMap((stack): StackImport[] => {
    const entries = imports.filter((entry) => entry.stackId === stack.id);
    if (entries.length === 0) return [];
    const mappingFile = path.join(outDir, `${stack.stackName}.resource-mapping.json`);
    return [
      {
        stackId: stack.id,
        stackName: stack.stackName,
        mappingFile,
        mapping: Object.fromEntries(entries.map((entry) => [entry.logicalId, entry.identifier])),
        command: `npx cdk import --app ${options.assemblyDir} ${stack.id} --resource-mapping ${mappingFile}`,
      },
    ];
  });
  const leftovers = sortTerraformLeftovers(state.resources, matching.pairs);
  const differenceCount = imports.reduce((sum, entry) => sum + entry.differences.length, 0);
  return {
    schema: ADOPTION_REPORT_SCHEMA,
    environment: options.environment,
    tfstate: options.tfstateFile,
    terraformVersion: state.terraformVersion,
    assemblyDir: options.assemblyDir,
    outDir,
    imports,
    stacks,
    terraformOnly: matching.terraformOnly,
    cdkOnly: matching.cdkOnly,
    notImportable: leftovers.notImportable,
    stateRm: leftovers.stateRm,
    leftToTerraform: leftovers.leftToTerraform,
    findings: matching.terraformOnly.length + matching.cdkOnly.length + leftovers.notImportable.length + differenceCount,
  };
}

/**
 * Writes one `cdk import --resource-mapping` file per stack and the JSON report into the
 * report's output folder. Call it only with a report {@link planAdoption} returned, so that
 * nothing is written unless every check passed.
 *
 * @param report the planned adoption
 * @returns the files written
 * @throws DeployInputError when the output folder is a file or cannot be written
 */
export function writeAdoption(report: AdoptionReport): string[] {
  if (existsSync(report.outDir) && !statSync(report.outDir).isDirectory()) {
    throw new DeployInputError(`--out: ${report.outDir} is a file: pass a folder for the mapping files`);
  }
  const files = [...report.stacks.map((stack) => ({ file: stack.mappingFile, content: stack.mapping })), { file: path.join(report.outDir, ADOPTION_REPORT_FILE), content: report }];
  try {
    mkdirSync(report.outDir, { recursive: true });
    for (const { file, content } of files) writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`);
  } catch (error) {
    throw new DeployInputError(`--out: ${report.outDir} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): pass a folder you can write to`);
  }
  return files.map(({ file }) => file);
}

function adoptedResource(pair: ResourcePair, differences: AdoptedResource['differences']): AdoptedResource {
  const { resource, adoptable } = pair.terraform;
  const identifier = resource.values[adoptable.identifier.attribute];
  if (typeof identifier !== 'string' || identifier === '') {
    throw new DeployInputError(
      `--tfstate: ${resource.address} has no values.${adoptable.identifier.attribute}, which ${adoptable.identifier.property} is imported by: run terraform refresh, then terraform show -json again`,
    );
  }
  return {
    terraformAddress: resource.address,
    terraformType: resource.type,
    stackId: pair.cdk.stack.id,
    logicalId: pair.cdk.logicalId,
    type: pair.cdk.type,
    constructPath: pair.cdk.constructPath,
    identifier: { [adoptable.identifier.property]: identifier },
    differences,
  };
}

/**
 * The aliases of an imported key that the CDK app also defines: they are imported with it, or
 * the first deploy would fail to create an alias that already exists.
 */
function keyAliasesOf(pair: ResourcePair): AdoptedResource[] {
  return pair.terraform.aliases.flatMap((alias) => {
    const cdkAlias = pair.cdk.aliases.find((candidate) => candidate.name.kind === 'named' && candidate.name.value === alias.values.name);
    if (cdkAlias === undefined) return [];
    return [{ terraformAddress: alias.address, terraformType: alias.type, stackId: pair.cdk.stack.id, logicalId: cdkAlias.logicalId, type: 'AWS::KMS::Alias', identifier: { AliasName: String(alias.values.name) }, differences: [] }];
  });
}

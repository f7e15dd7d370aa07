import { isJsonObject, readJsonFile } from '../change-summary/json-files';
import { DeployInputError } from '../deploy/errors';

/** One managed resource of a Terraform state, as `terraform show -json` lists it. */
export interface TerraformResource {
  /** Full address, e.g. `module.rds.aws_db_instance.main` or `module.ecr.aws_ecr_repository.this[0]`. */
  readonly address: string;
  /** Terraform resource type, e.g. `aws_db_instance`. */
  readonly type: string;
  /** Resource name inside its module, e.g. `main`. */
  readonly name: string;
  /** The resource's attributes as the state records them. */
  readonly values: Readonly<Record<string, unknown>>;
}

/** The managed resources of a Terraform state, read from `terraform show -json` output. */
export interface TerraformState {
  /** Terraform version that wrote the output, e.g. `1.5.2`. */
  readonly terraformVersion?: string;
  /** Every managed resource of the root module and of every child module; data sources are left out. */
  readonly resources: readonly TerraformResource[];
}

const FIX = 'pass the output of terraform show -json, e.g. terraform show -json > state.json, run where the state is initialized';

/**
 * Reads a Terraform state as `terraform show -json` prints it: `{format_version, terraform_version,
 * values: {root_module: {resources, child_modules}}}`. Child modules are read recursively and data
 * sources are left out, because only managed resources are owned by Terraform.
 *
 * @param file the saved output
 * @throws DeployInputError naming `--tfstate`, what was found and the fix when the file is not that output
 */
export function readTerraformState(file: string): TerraformState {
  return parseTerraformState(readJsonFile(file, '--tfstate', FIX), file);
}

/**
 * Parses already-loaded `terraform show -json` output; see {@link readTerraformState}.
 *
 * @param json the parsed output
 * @param file where it came from, for messages
 * @throws DeployInputError when it is not that output
 */
export function parseTerraformState(json: unknown, file: string): TerraformState {
  const problem = (what: string) => new DeployInputError(`--tfstate: ${file} ${what}: ${FIX}`);
  if (!isJsonObject(json)) throw problem('is not a JSON object');
  if (typeof json.version === 'number' && Array.isArray(json.resources)) {
    throw problem(`is a raw state file (state format version ${json.version}), not terraform show -json output`);
  }
  if (typeof json.format_version !== 'string') throw problem('has no format_version, so it is not terraform show -json output');
  if (!json.format_version.startsWith('1.')) throw problem(`has format_version ${json.format_version}; this command reads format 1.x`);
  if (json.values === undefined) throw problem('holds no resources (an empty state has no values)');
  if (!isJsonObject(json.values) || !isJsonObject(json.values.root_module)) throw problem('has no values.root_module');
  const resources: TerraformResource[] = [];
  collectModule(json.values.root_module, 'values.root_module', resources, problem);
  return { terraformVersion: typeof json.terraform_version === 'string' ? json.terraform_version : undefined, resources };
}

function collectModule(module: Record<string, unknown>, at: string, into: TerraformResource[], problem: (what: string) => Error): void {
  const resources = module.resources ?? [];
  const children = module.child_modules ?? [];
  if (!Array.isArray(resources)) throw problem(`has ${at}.resources that is not a list`);
  if (!Array.isArray(children)) throw problem(`has ${at}.child_modules that is not a list`);
  resources.forEach((resource: unknown, index) => {
    const where = `${at}.resources[${index}]`;
    if (!isJsonObject(resource)) throw problem(`has ${where} that is not an object`);
    for (const field of ['address', 'type', 'name'] as const) {
      if (typeof resource[field] !== 'string' || resource[field] === '') throw problem(`has ${where} without a ${field}`);
    }
    if (resource.mode === 'data') return;
    if (!isJsonObject(resource.values)) throw problem(`has ${where} (${String(resource.address)}) without values`);
    into.push({ address: resource.address as string, type: resource.type as string, name: resource.name as string, values: resource.values });
  });
  children.forEach((child: unknown, index) => {
    if (!isJsonObject(child)) throw problem(`has ${at}.child_modules[${index}] that is not an object`);
    collectModule(child, `${at}.child_modules[${index}]`, into, problem);
  });
}

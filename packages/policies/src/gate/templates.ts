import { existsSync, readFileSync, statSync } from 'node:fs';
import { listAssemblyStacks } from '../engine/assembly';
import { PolicyEngineError } from '../engine/guard-binary';
import { GateInputError } from './errors';
import { type EphemeralStackDeclaration, type ExemptionSource, type GateStackIdentity } from './types';

/** The parts of a CloudFormation resource the gate reads. */
export interface TemplateResource {
  /** CloudFormation resource type. */
  readonly Type: string;
  /** Resource properties. */
  readonly Properties?: Record<string, unknown>;
  /** `Delete` (CloudFormation's default), `Retain`, `RetainExceptOnCreate` or `Snapshot`. */
  readonly DeletionPolicy?: string;
  /** Same values as `DeletionPolicy`, applied to the old resource on replacement. */
  readonly UpdateReplacePolicy?: string;
  /** Resource metadata; CDK writes the construct path under `aws:cdk:path`. */
  readonly Metadata?: Record<string, unknown>;
  /** Any other resource attribute. */
  readonly [attribute: string]: unknown;
}

/** The parts of a CloudFormation template the gate reads. */
export interface StackTemplate {
  /** Template metadata; `CoreInfra.Lifecycle` and `CoreInfra.Reason` declare an ephemeral stack. */
  readonly Metadata?: Record<string, unknown>;
  /** Resources by logical id. */
  readonly Resources?: Record<string, TemplateResource>;
  /** Any other template section. */
  readonly [section: string]: unknown;
}

/** A stack of a synthesized cloud assembly with its template. */
export interface SynthesizedStack extends GateStackIdentity {
  /** Absolute path of the template. */
  readonly templateFile: string;
  /** The parsed template. */
  readonly template: StackTemplate;
}

/** The value of `Metadata.CoreInfra.Lifecycle` that exempts a stack from the gate. */
export const EPHEMERAL_LIFECYCLE = 'ephemeral';

/** Why a stack is exempt from the gate. */
export interface EphemeralExemption {
  /** The declared reason. */
  readonly reason: string;
  /** Where the declaration comes from. */
  readonly declaredBy: ExemptionSource;
}

/**
 * Reads every stack of a cloud assembly, including stacks of nested assemblies (Stages), with
 * its template.
 *
 * @param assemblyDir a `cdk.out` folder
 * @throws GateInputError when the folder, its `manifest.json` or a template is missing or unreadable
 */
export function readAssemblyStacks(assemblyDir: string): SynthesizedStack[] {
  requireDirectory(assemblyDir, 'assembly', 'pass the cdk.out folder written by `cdk synth`');
  let stacks;
  try {
    stacks = listAssemblyStacks(assemblyDir);
  } catch (error) {
    if (error instanceof PolicyEngineError) {
      throw new GateInputError(error.message);
    }
    throw error;
  }
  return stacks.map((stack) => ({
    stack: stack.artifactId,
    stackName: stack.stackName,
    displayName: stack.displayName,
    templateFile: stack.templatePath,
    template: readTemplateFile(stack.templatePath, `template of stack ${stack.displayName}`, 'synthesize the app again'),
  }));
}

/**
 * Reads and parses a CloudFormation template written as JSON.
 *
 * @param file path of the template
 * @param what what the file is, for error messages
 * @param fix what to do when it cannot be read
 * @throws GateInputError when the file is missing, not JSON or not a template
 */
export function readTemplateFile(file: string, what: string, fix: string): StackTemplate {
  if (!existsSync(file)) {
    throw new GateInputError(`${what} ${file} does not exist; ${fix}`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new GateInputError(`${what} ${file} cannot be read (${(error as Error).message}); check its permissions`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new GateInputError(`${what} ${file} is not valid JSON (${(error as Error).message}); ${fix}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new GateInputError(`${what} ${file} is not a CloudFormation template (expected a JSON object); ${fix}`);
  }
  const resources = (parsed as StackTemplate).Resources;
  if (resources !== undefined && (resources === null || typeof resources !== 'object' || Array.isArray(resources))) {
    throw new GateInputError(`${what} ${file} has a Resources section that is not an object; ${fix}`);
  }
  return parsed as StackTemplate;
}

/**
 * Fails with a clear message unless a path is an existing folder.
 *
 * @param dir the path
 * @param what what the folder is, e.g. `baseline`
 * @param fix what to do when it is missing
 * @throws GateInputError when the path does not exist or is not a folder
 */
export function requireDirectory(dir: string, what: string, fix: string): void {
  if (!existsSync(dir)) {
    throw new GateInputError(`${what} folder ${dir} does not exist; ${fix}`);
  }
  if (!statSync(dir).isDirectory()) {
    throw new GateInputError(`${what} folder ${dir} is not a folder; ${fix}`);
  }
}

/**
 * Decides whether a stack is exempt from the gate because it is declared ephemeral, either by
 * `Metadata.CoreInfra.Lifecycle: ephemeral` (with `Metadata.CoreInfra.Reason`) in its template
 * or by a matching declaration.
 *
 * @param stack the synthesized stack
 * @param declarations stacks declared ephemeral by the caller
 * @returns the exemption, or `undefined` when the stack is checked
 * @throws GateInputError when the template declares the stack ephemeral without a reason
 */
export function ephemeralExemption(
  stack: SynthesizedStack,
  declarations: readonly EphemeralStackDeclaration[],
): EphemeralExemption | undefined {
  const fromMetadata = declaredLifecycle(stack.template, stack.templateFile);
  if (fromMetadata) {
    return { reason: fromMetadata, declaredBy: 'template-metadata' };
  }
  const declaration = declarations.find((candidate) => stackMatches(stack, candidate.stack));
  return declaration ? { reason: declaration.reason, declaredBy: 'declaration' } : undefined;
}

/**
 * Reads the ephemeral declaration of a template.
 *
 * @param template the template
 * @param file its path, for error messages
 * @returns the declared reason when the template declares itself ephemeral, otherwise `undefined`
 * @throws GateInputError when `Lifecycle` is ephemeral but `Reason` is missing or empty
 */
export function declaredLifecycle(template: StackTemplate, file: string): string | undefined {
  const coreInfra = template.Metadata?.CoreInfra;
  if (coreInfra === null || typeof coreInfra !== 'object') {
    return undefined;
  }
  const { Lifecycle: lifecycle, Reason: reason } = coreInfra as Record<string, unknown>;
  if (lifecycle !== EPHEMERAL_LIFECYCLE) {
    return undefined;
  }
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new GateInputError(
      `${file}: Metadata.CoreInfra.Lifecycle is "ephemeral" but Metadata.CoreInfra.Reason is ${JSON.stringify(reason ?? null)}; ` +
        'set Metadata.CoreInfra.Reason to why the stack holds no data worth keeping',
    );
  }
  return reason.trim();
}

/**
 * Whether a stack is the one a pattern names: its artifact id, stack name or construct path,
 * where `*` matches any run of characters.
 *
 * @param stack the stack
 * @param pattern the name or pattern
 */
export function stackMatches(stack: GateStackIdentity, pattern: string): boolean {
  if (!pattern.includes('*')) {
    return isStackNamed(stack, pattern);
  }
  const expression = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return expression.test(stack.stack) || expression.test(stack.stackName) || expression.test(stack.displayName);
}

/**
 * Whether a name is the stack's artifact id, stack name or construct path.
 *
 * @param stack the stack
 * @param name the name
 */
export function isStackNamed(stack: GateStackIdentity, name: string): boolean {
  return name === stack.stack || name === stack.stackName || name === stack.displayName;
}

/**
 * Validates ephemeral declarations passed in code.
 *
 * @param declarations the declarations
 * @throws GateInputError naming the first declaration without a stack or a reason
 */
export function validateEphemeralDeclarations(declarations: readonly EphemeralStackDeclaration[]): void {
  declarations.forEach((declaration, index) => {
    if (typeof declaration.stack !== 'string' || declaration.stack.trim() === '') {
      throw new GateInputError(`ephemeralStacks[${index}].stack is ${JSON.stringify(declaration.stack)}; set it to a stack artifact id, name or pattern`);
    }
    if (typeof declaration.reason !== 'string' || declaration.reason.trim() === '') {
      throw new GateInputError(
        `ephemeralStacks[${index}].reason is ${JSON.stringify(declaration.reason)} for stack ${declaration.stack}; say why the stack holds no data worth keeping`,
      );
    }
  });
}

/**
 * The construct path CDK records in a resource's metadata, when present.
 *
 * @param resource the resource
 */
export function constructPathOf(resource: TemplateResource | undefined): string | undefined {
  const value = resource?.Metadata?.['aws:cdk:path'];
  return typeof value === 'string' ? value : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

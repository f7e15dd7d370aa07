import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TemplateInputError } from './guard-binary';

/** What to do about a damaged file of a cloud assembly: the CDK writes them all at synthesis. */
const RESYNTHESIZE = 'synthesize the app again (cdk synth) to rewrite it';

/** One CloudFormation stack of a cloud assembly. */
export interface AssemblyStack {
  /** Artifact id in the manifest, unique within its assembly. */
  readonly artifactId: string;
  /** Hierarchical display name, e.g. `core-dev/review-1234/app` for a stack inside a Stage. */
  readonly displayName: string;
  /** Deployed stack name. */
  readonly stackName: string;
  /** Absolute path of the stack's template. */
  readonly templatePath: string;
  /** Path of the template relative to the top-level assembly folder. */
  readonly relativeTemplatePath: string;
  /** `aws://account/region` of the stack. */
  readonly environment?: string;
  /** Artifact ids (same assembly) this stack depends on. */
  readonly dependencies: readonly string[];
  /** Whether termination protection is on. */
  readonly terminationProtection: boolean;
  /** Role the CDK CLI assumes to deploy the stack. */
  readonly assumeRoleArn?: string;
  /**
   * Absolute path of the stack's construct metadata file (`additionalMetadataFile`), which holds
   * each construct's logical id and creation stack trace; absent when the manifest has none.
   */
  readonly metadataPath?: string;
}

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly dependencies?: string[];
  readonly additionalMetadataFile?: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly directoryName?: string;
    readonly stackName?: string;
    readonly terminationProtection?: boolean;
    readonly assumeRoleArn?: string;
  };
}

/**
 * Lists every stack of a cloud assembly, including stacks of nested assemblies (Stages), in
 * manifest order.
 *
 * @param assemblyDir a `cdk.out` folder
 * @throws TemplateInputError naming the `manifest.json` that is missing, unreadable or not a
 *   cloud assembly manifest
 */
export function listAssemblyStacks(assemblyDir: string): AssemblyStack[] {
  const root = path.resolve(assemblyDir);
  const stacks: AssemblyStack[] = [];
  collect(root, root, stacks);
  return stacks;
}

function collect(root: string, dir: string, into: AssemblyStack[]): void {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new TemplateInputError(`${dir} is not a cloud assembly: it has no manifest.json (run cdk synth first)`);
  }
  for (const [artifactId, artifact] of Object.entries(readArtifacts(manifestPath))) {
    if (artifact?.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
      const templatePath = path.join(dir, artifact.properties.templateFile);
      into.push({
        artifactId,
        displayName: artifact.displayName ?? artifactId,
        stackName: artifact.properties.stackName ?? artifactId,
        templatePath,
        relativeTemplatePath: path.relative(root, templatePath),
        environment: artifact.environment,
        dependencies: (artifact.dependencies ?? []).filter((d) => !d.endsWith('.assets')),
        terminationProtection: artifact.properties.terminationProtection ?? false,
        assumeRoleArn: artifact.properties.assumeRoleArn,
        metadataPath: artifact.additionalMetadataFile ? path.join(dir, artifact.additionalMetadataFile) : undefined,
      });
    } else if (artifact?.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      collect(root, path.join(dir, artifact.properties.directoryName), into);
    }
  }
}

function readArtifacts(manifestPath: string): Record<string, ManifestArtifact | null> {
  const manifest = readJsonFile(manifestPath, 'cloud assembly manifest');
  const artifacts = isObject(manifest) ? (manifest.artifacts ?? {}) : undefined;
  if (!isObject(artifacts)) {
    throw new TemplateInputError(`cloud assembly manifest ${manifestPath} is not a manifest (expected an object with an artifacts map): ${RESYNTHESIZE}`);
  }
  return artifacts as Record<string, ManifestArtifact | null>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a text file the CLI was given or found in a cloud assembly.
 *
 * @param file path of the file
 * @param what what the file is, for the message, e.g. `template of stack app`
 * @param fix what to do when the file is missing
 * @throws TemplateInputError naming the file when it is missing or cannot be read
 */
export function readTextFile(file: string, what: string, fix: string = RESYNTHESIZE): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TemplateInputError(`${what} ${file} does not exist: ${fix}`);
    if (code === 'EISDIR') throw new TemplateInputError(`${what} ${file} is a folder, not a file: ${fix}`);
    throw new TemplateInputError(`${what} ${file} cannot be read (${code ?? oneLine((error as Error).message)}): check its permissions, or ${fix}`);
  }
}

/**
 * Reads and parses a JSON file of a cloud assembly, such as `manifest.json`,
 * `core-policies-run.json` or `validation-report.json`.
 *
 * @param file path of the file
 * @param what what the file is, for the message, e.g. `core-policies plugin run record`
 * @param fix what to do when the file is missing or damaged
 * @returns the parsed JSON, not yet checked against any shape
 * @throws TemplateInputError naming the file when it does not exist, cannot be read or is not JSON
 */
export function readJsonFile(file: string, what: string, fix: string = RESYNTHESIZE): unknown {
  const text = readTextFile(file, what, fix);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TemplateInputError(`${what} ${file} is not valid JSON (${oneLine((error as Error).message)}): ${fix}`);
  }
}

// Parser messages can quote the offending text, newlines included; the CLI prints one line.
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim().slice(0, 300);
}

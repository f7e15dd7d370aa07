import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PolicyEngineError } from './guard-binary';

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
}

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly dependencies?: string[];
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
 * @throws PolicyEngineError when the folder holds no readable `manifest.json`
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
    throw new PolicyEngineError(`${dir} is not a cloud assembly: it has no manifest.json (run cdk synth first)`);
  }
  let manifest: { artifacts?: Record<string, ManifestArtifact> };
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    throw new PolicyEngineError(`${manifestPath} is not valid JSON: ${(error as Error).message}`);
  }
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
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
      });
    } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      collect(root, path.join(dir, artifact.properties.directoryName), into);
    }
  }
}

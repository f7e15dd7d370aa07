import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

// Small cloud assemblies written by hand: a root manifest.json with one nested assembly per
// Stage, stack artifacts the way CDK writes them (with `.assets` dependencies and
// `${AWS::Partition}` in the deploy role), the policy plugin's run record and, optionally, the
// app's policy report beside cdk.out. Fast enough to build one per test.

const created: string[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every folder the helpers created; call it in afterAll. */
export function removeFakeApps(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** One stack of a fake stage. */
export interface FakeStack {
  /** Construct id inside the stage, e.g. `network`. */
  readonly name: string;
  /** Names of stacks of the same stage it depends on. */
  readonly dependsOn?: readonly string[];
  readonly account?: string;
  readonly region?: string;
  readonly terminationProtection?: boolean;
}

/** One Stage (nested assembly). */
export interface FakeStage {
  /** Stage name, e.g. `core-staging`. */
  readonly name: string;
  readonly stacks: readonly FakeStack[];
}

/** What else to write. */
export interface FakeAssemblyOptions {
  /** Write the plugin run record (default true); an object overrides its fields. */
  readonly runRecord?: boolean | { readonly profile?: string; readonly violations?: number; readonly templates?: string[] };
  /** Write reports/policy-report.json (default: no); an object overrides its fields. */
  readonly report?: boolean | { readonly profile?: string; readonly findings?: unknown[]; readonly errors?: string[]; readonly acknowledged?: unknown[] };
  /** Default account of the stacks. */
  readonly account?: string;
}

/** A written fake app folder. */
export interface FakeApp {
  /** The app folder (holds cdk.out and reports). */
  readonly appDir: string;
  /** Absolute path of its cdk.out. */
  readonly assembly: string;
  /** Template paths relative to cdk.out. */
  readonly templates: string[];
}

/** The staging stacks and dependencies as the real app synthesizes them. */
export function stagingLikeStacks(account = '100000000003'): FakeStack[] {
  return [
    { name: 'monitoring', account },
    { name: 'network', account },
    { name: 'data', dependsOn: ['network', 'monitoring'], account, terminationProtection: true },
    { name: 'app', dependsOn: ['data', 'network', 'monitoring'], account },
    { name: 'edge', dependsOn: ['monitoring', 'app'], account, region: 'us-east-1' },
    { name: 'deployment-access', account },
  ];
}

/** Artifact id of a stack, CDK style: path without dashes plus a hash-like suffix. */
export function artifactId(stage: string, stack: string): string {
  return `${stage}${stack}`.replace(/-/g, '') + 'AB12CD34';
}

/**
 * Writes a fake app folder with `cdk.out` (and optionally `reports/`) in a new temp folder.
 *
 * @param stages stages and their stacks
 * @param options run record, report and default account
 */
export function writeFakeApp(stages: readonly FakeStage[], options: FakeAssemblyOptions = {}): FakeApp {
  const appDir = tempDir('core-deploy-');
  const assembly = path.join(appDir, 'cdk.out');
  mkdirSync(assembly);
  const rootArtifacts: Record<string, unknown> = {};
  const templates: string[] = [];
  for (const stage of stages) {
    const directoryName = `assembly-${stage.name}`;
    rootArtifacts[directoryName] = { type: 'cdk:cloud-assembly', properties: { directoryName, displayName: stage.name } };
    const dir = path.join(assembly, directoryName);
    mkdirSync(dir);
    const artifacts: Record<string, unknown> = {};
    for (const stack of stage.stacks) {
      const id = artifactId(stage.name, stack.name);
      const account = stack.account ?? options.account ?? '100000000003';
      const region = stack.region ?? 'eu-west-2';
      const templateFile = `${id}.template.json`;
      writeFileSync(path.join(dir, templateFile), JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } }));
      writeFileSync(path.join(dir, `${id}.assets.json`), JSON.stringify({ version: '55.0.0', files: {} }));
      templates.push(`${directoryName}/${templateFile}`);
      artifacts[`${id}.assets`] = { type: 'cdk:asset-manifest', properties: { file: `${id}.assets.json` } };
      artifacts[id] = {
        type: 'aws:cloudformation:stack',
        environment: `aws://${account}/${region}`,
        properties: {
          templateFile,
          terminationProtection: stack.terminationProtection ?? false,
          stackName: `${stage.name}-${stack.name}`,
          assumeRoleArn: `arn:\${AWS::Partition}:iam::${account}:role/cdk-hnb659fds-deploy-role-${account}-${region}`,
        },
        dependencies: [...(stack.dependsOn ?? []).map((name) => artifactId(stage.name, name)), `${id}.assets`],
        displayName: `${stage.name}/${stack.name}`,
      };
    }
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }, null, 2));
  }
  writeFileSync(path.join(assembly, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts: rootArtifacts }, null, 2));
  writeFileSync(path.join(assembly, 'cdk.out'), JSON.stringify({ version: '55.0.0' }));

  const profile = 'baseline';
  if (options.runRecord !== false) {
    const overrides = typeof options.runRecord === 'object' ? options.runRecord : {};
    writeFileSync(path.join(assembly, 'core-policies-run.json'), JSON.stringify({ pluginVersion: '0.1.0', profile, templates: [...templates].sort(), violations: 0, ...overrides }, null, 2));
  }
  if (options.report) {
    const overrides = typeof options.report === 'object' ? options.report : {};
    mkdirSync(path.join(appDir, 'reports'));
    const report = {
      tool: { name: 'core-policies', version: '0.1.0' },
      profile,
      templates: templates.map((t) => ({ path: `cdk.out/${t}`, resources: [], lines: {} })),
      rules: [],
      findings: [],
      acknowledged: [],
      errors: [],
      ...overrides,
    };
    writeFileSync(path.join(appDir, 'reports', 'policy-report.json'), JSON.stringify(report, null, 2));
  }
  return { appDir, assembly, templates };
}

/** Writes a config override file (JSON) in a new temp folder and returns its path. */
export function writeConfigFile(values: Record<string, unknown>): string {
  const file = path.join(tempDir('core-deploy-config-'), 'config.json');
  writeFileSync(file, JSON.stringify(values));
  return file;
}

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadEnvironmentConfig, loadMetaConfig, type EnvironmentName } from '../../src';

// A cloud assembly written from an environment's committed baseline templates (what its stacks
// contain, as reviewed) with the manifest CDK writes: fast enough for every environment in one
// test file, unlike a synthesis of all four apps.

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const STACKS = ['deployment-access', 'state-replica', 'monitoring', 'ci-access', 'registry', 'network', 'state', 'data', 'edge', 'app'];
const created: string[] = [];

/** A template of the assembly, by its stack's last name segment. */
export type TemplateEdit = (stack: string, template: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }) => void;

/**
 * Writes `cdk.out` for an environment from `apps/<env>/baseline/`, each stack in the region it
 * deploys to (the edge stack in us-east-1, meta's replica in its replica region).
 *
 * @param environment the environment
 * @param options account of every stack (default: the config's), and an edit of the templates
 */
export function baselineAssembly(environment: EnvironmentName, options: { account?: string; edit?: TemplateEdit } = {}): string {
  const config = environment === 'meta' ? loadMetaConfig({ configFile: undefined }) : loadEnvironmentConfig(environment, { configFile: undefined });
  const account = options.account ?? config.account;
  const stage = config.prefix;
  const assembly = mkdtempSync(path.join(tmpdir(), `bootstrap-${environment}-`));
  created.push(assembly);
  const directoryName = `assembly-${stage}`;
  mkdirSync(path.join(assembly, directoryName));
  const artifacts: Record<string, unknown> = {};
  const baselineDir = path.join(ROOT, 'apps', environment, 'baseline');
  for (const file of readdirSync(baselineDir).filter((name) => name.endsWith('.template.json'))) {
    const artifactId = file.replace(/\.template\.json$/, '');
    const rest = artifactId.slice(stage.replace(/-/g, '').length).slice(0, -8);
    const stack = STACKS.find((name) => name.replace(/-/g, '') === rest);
    if (!stack) throw new Error(`no stack name for baseline ${file}`);
    const region = stack === 'edge' ? 'us-east-1' : stack === 'state-replica' && 'replicaRegion' in config ? config.replicaRegion : config.region;
    const template = JSON.parse(readFileSync(path.join(baselineDir, file), 'utf8'));
    options.edit?.(stack, template);
    writeFileSync(path.join(assembly, directoryName, file), JSON.stringify(template));
    artifacts[artifactId] = {
      type: 'aws:cloudformation:stack',
      environment: `aws://${account}/${region}`,
      properties: { templateFile: file, stackName: `${stage}-${stack}`, assumeRoleArn: `arn:\${AWS::Partition}:iam::${account}:role/cdk-hnb659fds-deploy-role-${account}-${region}` },
      displayName: `${stage}/${stack}`,
    };
  }
  writeFileSync(path.join(assembly, directoryName, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }));
  writeFileSync(path.join(assembly, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts: { [directoryName]: { type: 'cdk:cloud-assembly', properties: { directoryName, displayName: stage } } } }));
  writeFileSync(path.join(assembly, 'cdk.out'), JSON.stringify({ version: '55.0.0' }));
  return assembly;
}

/** Removes every assembly the helper wrote; call it in afterAll. */
export function removeBaselineAssemblies(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

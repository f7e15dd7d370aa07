import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { compareAssemblies, coreAppContext, writeBaseline, type GateReport } from '@core-infra/policies';
import { buildEnvironmentApp } from '../../src';

// The destructive-change gate on real staging templates: a baseline from the committed config,
// then changes a refactor or a config edit could bring.

function synthStaging(overrides?: Record<string, unknown>): string {
  const outdir = mkdtempSync(path.join(tmpdir(), 'staging-'));
  const app = new App({ outdir, context: coreAppContext(), autoSynth: false });
  buildEnvironmentApp('staging', { app, overrides });
  app.synth();
  return outdir;
}

function dataTemplatePath(assemblyDir: string): string {
  const nested = path.join(assemblyDir, 'assembly-core-staging');
  const file = readdirSync(nested).find((f) => /^corestagingdata.*\.template\.json$/.test(f));
  if (!file) throw new Error('no data stack template');
  return path.join(nested, file);
}

/** Copies an assembly and edits its data-stack template, as a refactor would change it. */
function editedCopy(assemblyDir: string, edit: (template: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }) => void): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'staging-edit-'));
  cpSync(assemblyDir, copy, { recursive: true });
  const file = dataTemplatePath(copy);
  const template = JSON.parse(readFileSync(file, 'utf8'));
  edit(template);
  writeFileSync(file, JSON.stringify(template));
  return copy;
}

function logicalIdOf(template: { Resources: Record<string, { Type: string }> }, type: string, prefix: string): string {
  const id = Object.keys(template.Resources).find((key) => template.Resources[key].Type === type && key.startsWith(prefix));
  if (!id) throw new Error(`no ${type} starting with ${prefix}`);
  return id;
}

describe('destructive-change gate on the staging environment', () => {
  let assembly: string;
  let baseline: string;

  beforeAll(() => {
    assembly = synthStaging();
    baseline = mkdtempSync(path.join(tmpdir(), 'staging-baseline-'));
    writeBaseline({ assemblyDir: assembly, baselineDir: baseline });
  });

  const gate = (assemblyDir: string, acknowledgements: GateReport['acknowledged'][number]['acknowledgeWith'][] = []): GateReport =>
    compareAssemblies({ baselineDir: baseline, assemblyDir, acknowledgements: acknowledgements.map((a) => ({ ...a, reason: 'reviewed: the replacement is planned and data was exported first' })) });

  test('passes the unchanged environment', () => {
    expect(gate(assembly)).toMatchObject({ passed: true, findings: [] });
  });

  test('renaming the RDS construct id fails as a destroy of the old instance', () => {
    const renamed = editedCopy(assembly, (template) => {
      const id = logicalIdOf(template, 'AWS::RDS::DBInstance', 'DatabaseInstance');
      template.Resources[id.replace('DatabaseInstance', 'PrimaryDatabase')] = template.Resources[id];
      delete template.Resources[id];
    });
    const report = gate(renamed);
    expect(report.passed).toBe(false);
    expect(report.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ resourceType: 'AWS::RDS::DBInstance', logicalId: expect.stringMatching(/^DatabaseInstance/), probableRename: expect.anything() })]),
    );
  });

  test('a config change that forces replacement of a data bucket fails, naming BucketName', () => {
    const report = gate(synthStaging({ storage: { exportBucketSuffix: '-cds' } }));
    expect(report.passed).toBe(false);
    const bucket = report.findings.find((f) => f.resourceType === 'AWS::S3::Bucket' && f.change === 'replace');
    expect(bucket?.replacementProperties.map((p) => p.name)).toContain('BucketName');
  });

  test('a property change that replaces the Redis replication group fails', () => {
    const changed = editedCopy(assembly, (template) => {
      const id = logicalIdOf(template, 'AWS::ElastiCache::ReplicationGroup', 'Redis');
      template.Resources[id].Properties!.ReplicationGroupId = 'core-staging-renamed';
    });
    expect(gate(changed).findings).toEqual([expect.objectContaining({ resourceType: 'AWS::ElastiCache::ReplicationGroup', change: 'replace' })]);
  });

  test('removing a data bucket fails (orphaned, since buckets are retained)', () => {
    const removed = editedCopy(assembly, (template) => {
      delete template.Resources[logicalIdOf(template, 'AWS::S3::Bucket', 'BulkUpload')];
    });
    expect(gate(removed).findings).toEqual([expect.objectContaining({ resourceType: 'AWS::S3::Bucket', change: 'orphan' })]);
  });

  test.each([
    ['an EBS volume', 'AWS::EC2::Volume', { AvailabilityZone: 'eu-west-2a', Size: 100, Encrypted: true }],
    ['a Redshift cluster', 'AWS::Redshift::Cluster', { ClusterType: 'single-node', NodeType: 'ra3.large', DBName: 'reports', MasterUsername: 'core' }],
    ['a DocumentDB elastic cluster', 'AWS::DocDBElastic::Cluster', { ClusterName: 'core-docs', AdminUserName: 'core', AuthType: 'SECRET_ARN', ShardCapacity: 2, ShardCount: 1 }],
  ])('deleting %s that the reviewed data stack held fails as a destroy', (_label, type, properties) => {
    // The reviewed baseline held the store (added to the real staging data template); the change removes it.
    const withStore = mkdtempSync(path.join(tmpdir(), 'staging-baseline-store-'));
    cpSync(baseline, withStore, { recursive: true });
    const file = path.join(withStore, readdirSync(withStore).find((f) => /^corestagingdata.*\.template\.json$/.test(f))!);
    const template = JSON.parse(readFileSync(file, 'utf8'));
    template.Resources.ReportsStore = { Type: type, Properties: properties };
    writeFileSync(file, JSON.stringify(template));
    const report = compareAssemblies({ baselineDir: withStore, assemblyDir: assembly });
    expect(report.passed).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({ resourceType: type, logicalId: 'ReportsStore', change: 'destroy' })]);
  });

  test('changing a task size and the budget passes', () => {
    const report = gate(synthStaging({ app: { web: { cpu: 1024, memoryMiB: 2048, desiredCount: 4 } }, monitoring: { budgetUsd: 650 } }));
    expect(report).toMatchObject({ passed: true, findings: [] });
  });

  test('an acknowledged replacement passes and is listed', () => {
    const changed = editedCopy(assembly, (template) => {
      const id = logicalIdOf(template, 'AWS::ElastiCache::ReplicationGroup', 'Redis');
      template.Resources[id].Properties!.ReplicationGroupId = 'core-staging-renamed';
    });
    const blocked = gate(changed);
    const report = gate(changed, blocked.findings.map((f) => f.acknowledgeWith));
    expect(report.passed).toBe(true);
    expect(report.acknowledged).toEqual([expect.objectContaining({ resourceType: 'AWS::ElastiCache::ReplicationGroup', change: 'replace' })]);
  });
});

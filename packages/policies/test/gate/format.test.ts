import * as path from 'node:path';
import { compareAssemblies, formatBaselineUpdate, formatGateReport, gateExitCode, writeBaseline, type BaselineUpdate } from '../../src/gate';
import { logicalIdsOf, removeScratch, REVIEW_REASON, scratchDir, synthGateApp } from './gate-apps';

let workspace: string;
let baselineDir: string;
let assemblyDir: string;
let baselineAssembly: string;
let baselineUpdate: BaselineUpdate;
let secretsAndRetention: string;

beforeAll(() => {
  // Lay the folders out like the repository, so printed paths are relative to the workspace.
  workspace = scratchDir('format');
  baselineDir = path.join(workspace, 'apps', 'dev', 'baseline');
  baselineAssembly = synthGateApp();
  baselineUpdate = writeBaseline({ assemblyDir: baselineAssembly, baselineDir });
  assemblyDir = synthGateApp({ uploadsBucketName: 'core-uploads-renamed', withProdStage: false, withExtraStack: true });
  secretsAndRetention = synthGateApp({ masterKeyLength: 48, backupRetentionDays: 14 });
}, 90_000);

afterAll(() => removeScratch(workspace, baselineAssembly, assemblyDir, secretsAndRetention));

describe('formatGateReport', () => {
  test('says what blocks, why, and how to acknowledge it or refresh the baseline', () => {
    // GIVEN
    const [uploads] = logicalIdsOf(baselineAssembly, 'Data', 'AWS::S3::Bucket', 'Uploads');
    const report = compareAssemblies({ baselineDir, assemblyDir });

    // WHEN
    const text = formatGateReport(report, { cwd: workspace });

    // THEN
    expect(gateExitCode(report)).toBe(1);
    expect(text).toMatch(/^Destructive-change gate: FAILED \(2 blocking changes, 0 acknowledgement problems\)\n/);
    expect(text).toContain('  baseline          apps/dev/baseline (2 stacks compared, 1 removed from the app)\n');
    expect(text).toContain(`REPLACE  Data  ${uploads}  AWS::S3::Bucket\n`);
    expect(text).toContain('forces replacement: BucketName (absent) -> "core-uploads-renamed"\n');
    expect(text).toContain('data at risk: every object (and every object version) stored in the bucket\n');
    expect(text).toMatch(/ORPHAN {2}ProdStore[0-9A-F]{8} {2}Archive[0-9A-F]{8} {2}AWS::S3::Bucket\n/);
    expect(text).toContain('its stack is no longer in the app (a resource of the same type');
    expect(text).toContain(`Exempt (declared ephemeral):\n  Review1234: ${REVIEW_REASON} [declared by Metadata.CoreInfra in its template]\n`);
    expect(text).toContain('New, no baseline (allowed):\n  Extra\n');
    expect(text).toContain(
      [
        '  - Intended and reviewed? Add these entries to apps/dev/baseline/acknowledgements.yaml, each with a reason of at least 20 characters',
        '    saying why losing the data is acceptable (and, optionally, expires: YYYY-MM-DD):',
        '    - stack: Data',
        `      logicalId: ${uploads}`,
        '      change: replace',
        '      reason:',
      ].join('\n'),
    );
    expect(text).toContain("(construct.node.defaultChild as CfnResource).overrideLogicalId('<old logical id>')");
    expect(text).toContain(`refresh the baseline (core-policies baseline --assembly ${assemblyDir} --baseline apps/dev/baseline)`);
  });

  test('lists acknowledged changes with their reason', () => {
    // GIVEN
    const [uploads] = logicalIdsOf(baselineAssembly, 'Data', 'AWS::S3::Bucket', 'Uploads');
    const report = compareAssemblies({
      baselineDir,
      assemblyDir,
      acknowledgements: [{ stack: 'Data', logicalId: uploads, change: 'replace', reason: 'Objects are copied by the migration job first', expires: '2999-01-31' }],
    });

    // WHEN
    const text = formatGateReport(report, { cwd: workspace });

    // THEN
    expect(text).toContain(
      `Acknowledged (allowed):\n  REPLACE  Data  ${uploads}  AWS::S3::Bucket\n    will be replaced because BucketName changes`,
    );
    expect(text).toContain('    reason: Objects are copied by the migration job first (until 2999-01-31)\n');
  });

  test('names a regenerated secret with the fix, and lists an interruption without blocking on it', () => {
    // GIVEN
    const [masterKey] = logicalIdsOf(baselineAssembly, 'App', 'AWS::SecretsManager::Secret', 'RailsMasterKey');
    const [database] = logicalIdsOf(baselineAssembly, 'Data', 'AWS::RDS::DBInstance');
    const report = compareAssemblies({ baselineDir, assemblyDir: secretsAndRetention });

    // WHEN
    const text = formatGateReport(report, { cwd: workspace });

    // THEN
    expect(text).toMatch(/^Destructive-change gate: FAILED \(1 blocking change, 0 acknowledgement problems\)\n/);
    expect(text).toContain(`REGENERATE  App  ${masterKey}  AWS::SecretsManager::Secret\n`);
    expect(text).toMatch(/ {4}regenerates value: GenerateSecretString \{.*"PasswordLength":32.*\} -> \{.*"PasswordLength":48.*\}\n/);
    expect(text).toContain('    fix:          restore the previous value of the property in the code (CDK: generateSecretString or secretStringValue);\n');
    expect(text).toContain('--version-stage AWSPREVIOUS');
    expect(text).toContain(`      logicalId: ${masterKey}\n      change: regenerate\n`);
    expect(text).toContain(
      [
        'Updated in place with some interruption (allowed, not blocking; time the deploy accordingly):',
        `  Data  ${database}  AWS::RDS::DBInstance`,
        '    BackupRetentionPeriod 7 -> 14: RDS applies a change between two non-zero retention periods in place',
      ].join('\n'),
    );
  });

  test('a passing report says nothing blocks', () => {
    // GIVEN
    const report = compareAssemblies({ baselineDir, assemblyDir: baselineAssembly });

    // WHEN
    const text = formatGateReport(report, { cwd: workspace });

    // THEN
    expect(gateExitCode(report)).toBe(0);
    expect(text).toMatch(/^Destructive-change gate: PASSED\n/);
    expect(text).toContain('Nothing unacknowledged would replace, destroy or orphan a stateful resource.');
    expect(text).not.toContain('BLOCKING');
  });
});

describe('formatBaselineUpdate', () => {
  test('lists what the refresh did and reminds to delete stale acknowledgements', () => {
    // WHEN
    const text = formatBaselineUpdate(baselineUpdate, { cwd: workspace });

    // THEN
    expect(text).toMatch(/^Baseline apps\/dev\/baseline refreshed:\n {2}created: ProdStore[0-9A-F]{8}, Data, App\n/);
    expect(text).toContain('  not recorded (ephemeral): Review1234\n');
    expect(text).toContain('made stale from apps/dev/baseline/acknowledgements.yaml: the gate fails on stale entries.');
  });
});

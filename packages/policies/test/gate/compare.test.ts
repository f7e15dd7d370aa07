import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { compareAssemblies, GateInputError, writeBaseline, type GateReport, type StatefulChange } from '../../src/gate';
import {
  artifactIdOf,
  copyAssembly,
  editTemplate,
  logicalIdsOf,
  removeScratch,
  REVIEW_REASON,
  scratchDir,
  synthGateApp,
} from './gate-apps';

// Each app variant is synthesized once and shared by the tests that read it.
let baselineAssembly: string;
let baselineDir: string;
const variants: Record<string, string> = {};
const scratch: string[] = [];

beforeAll(() => {
  baselineAssembly = synthGateApp();
  baselineDir = scratchDir('baseline');
  writeBaseline({ assemblyDir: baselineAssembly, baselineDir });
  variants.renamedDatabase = synthGateApp({ databaseId: 'PrimaryDatabase' });
  variants.namedUploads = synthGateApp({ uploadsBucketName: 'core-uploads-renamed' });
  variants.redisSubnets = synthGateApp({ redisSubnetGroupName: 'core-redis-b' });
  variants.bucketsRemoved = synthGateApp({ withBuckets: false });
  variants.resized = synthGateApp({ alarmThreshold: 95, taskCpu: 512 });
  variants.stageMoved = synthGateApp({ withProdStage: false, withExtraStack: true });
  variants.namedArchive = synthGateApp({ archiveBucketName: 'core-archive-renamed' });
  variants.reviewChanged = synthGateApp({ reviewBucketName: 'core-review-1234-uploads' });
  variants.longerRetention = synthGateApp({ backupRetentionDays: 14 });
  variants.longerMasterKey = synthGateApp({ masterKeyLength: 48 });
}, 180_000);

afterAll(() => {
  removeScratch(baselineAssembly, baselineDir, ...Object.values(variants), ...scratch);
});

function compare(assemblyDir: string, extra: Partial<Parameters<typeof compareAssemblies>[0]> = {}): GateReport {
  return compareAssemblies({ baselineDir, assemblyDir, ...extra });
}

/** A copy of the baseline assembly whose Redis replication group is edited, e.g. resharded. */
function withRedis(edit: (redis: Record<string, unknown>, properties: Record<string, unknown>) => void): string {
  const assembly = copyAssembly(baselineAssembly);
  scratch.push(assembly);
  const [logicalId] = logicalIdsOf(baselineAssembly, 'Data', 'AWS::ElastiCache::ReplicationGroup');
  editTemplate(assembly, 'Data', (template) => {
    const redis = (template.Resources as Record<string, Record<string, unknown>>)[logicalId];
    edit(redis, redis.Properties as Record<string, unknown>);
  });
  return assembly;
}

function findingFor(report: GateReport, logicalId: string): StatefulChange {
  const finding = report.findings.find((candidate) => candidate.logicalId === logicalId);
  if (!finding) {
    throw new Error(`no finding for ${logicalId}; findings: ${report.findings.map((f) => f.logicalId).join(', ')}`);
  }
  return finding;
}

describe('compareAssemblies', () => {
  test('an unchanged app passes, with every stack compared, Stage stacks included', () => {
    // WHEN
    const report = compare(baselineAssembly);

    // THEN
    expect(report.passed).toBe(true);
    expect(report.findings).toEqual([]);
    expect(report.stacksCompared.map((stack) => stack.displayName)).toEqual(['App', 'Data', 'Prod/Store']);
    expect(report.stacksCompared.find((stack) => stack.displayName === 'Data')?.statefulResources).toBe(5);
    expect(report.newStacks).toEqual([]);
  });

  test('renaming the construct id of an RDS instance fails as a probable rename', () => {
    // GIVEN
    const [oldId] = logicalIdsOf(baselineAssembly, 'Data', 'AWS::RDS::DBInstance');
    const [newId] = logicalIdsOf(variants.renamedDatabase, 'Data', 'AWS::RDS::DBInstance');

    // WHEN
    const report = compare(variants.renamedDatabase);

    // THEN
    expect(report.passed).toBe(false);
    const finding = findingFor(report, oldId);
    expect(finding).toMatchObject({
      stack: 'Data',
      resourceType: 'AWS::RDS::DBInstance',
      change: 'destroy',
      cause: 'resource-removed',
      deletionPolicy: 'Snapshot',
      probableRename: { logicalId: newId, stack: 'Data' },
      acknowledgeWith: { stack: 'Data', logicalId: oldId, change: 'destroy' },
    });
    expect(finding.summary).toContain(`probably renamed to ${newId}`);
    expect(finding.summary).toContain('final snapshot');
    // The generated credentials are renamed with it, and are just as lost.
    expect(report.findings.map((f) => f.resourceType)).toContain('AWS::SecretsManager::Secret');
  });

  test('setting bucketName fails as a replacement naming BucketName', () => {
    // GIVEN
    const [uploads] = logicalIdsOf(baselineAssembly, 'Data', 'AWS::S3::Bucket', 'Uploads');

    // WHEN
    const report = compare(variants.namedUploads);

    // THEN
    expect(report.passed).toBe(false);
    expect(report.findings).toHaveLength(1);
    expect(findingFor(report, uploads)).toMatchObject({
      resourceType: 'AWS::S3::Bucket',
      change: 'replace',
      cause: 'property-change',
      replacementProperties: [{ name: 'BucketName', certainty: 'will', newValue: '"core-uploads-renamed"' }],
    });
    expect(findingFor(report, uploads).summary).toMatch(/^will be replaced because BucketName changes/);
  });

  test('changing the subnet group of a Redis replication group fails as a replacement', () => {
    // GIVEN
    const [redis] = logicalIdsOf(baselineAssembly, 'Data', 'AWS::ElastiCache::ReplicationGroup');

    // WHEN
    const report = compare(variants.redisSubnets);

    // THEN
    expect(report.passed).toBe(false);
    expect(findingFor(report, redis)).toMatchObject({
      resourceType: 'AWS::ElastiCache::ReplicationGroup',
      change: 'replace',
      replacementProperties: [
        { name: 'CacheSubnetGroupName', certainty: 'will', oldValue: '"core-redis-a"', newValue: '"core-redis-b"' },
      ],
    });
  });

  test('removing buckets fails: orphan for a retained bucket, destroy for a DESTROY one', () => {
    // GIVEN
    const [uploads] = logicalIdsOf(baselineAssembly, 'Data', 'AWS::S3::Bucket', 'Uploads');
    const [exportsBucket] = logicalIdsOf(baselineAssembly, 'Data', 'AWS::S3::Bucket', 'Exports');

    // WHEN
    const report = compare(variants.bucketsRemoved);

    // THEN
    expect(report.passed).toBe(false);
    expect(findingFor(report, uploads)).toMatchObject({ change: 'orphan', cause: 'resource-removed', deletionPolicy: 'Retain' });
    expect(findingFor(report, exportsBucket)).toMatchObject({ change: 'destroy', cause: 'resource-removed', deletionPolicy: 'Delete' });
    expect(findingFor(report, uploads).probableRename).toBeUndefined();
  });

  test('changing an alarm threshold and a task size passes', () => {
    // WHEN
    const report = compare(variants.resized);

    // THEN
    expect(report.passed).toBe(true);
    expect(report.findings).toEqual([]);
    expect(report.stacksCompared.find((stack) => stack.displayName === 'App')?.destructiveChanges).toBe(0);
  });

  test('an acknowledged replacement passes and is listed', () => {
    // GIVEN
    const [uploads] = logicalIdsOf(baselineAssembly, 'Data', 'AWS::S3::Bucket', 'Uploads');
    const acknowledgement = {
      stack: 'Data',
      logicalId: uploads,
      change: 'replace' as const,
      reason: 'Uploads are copied to the new bucket by the migration job before the switch-over',
      expires: '2999-12-31',
    };

    // WHEN
    const report = compare(variants.namedUploads, { acknowledgements: [acknowledgement] });

    // THEN
    expect(report.passed).toBe(true);
    expect(report.findings).toEqual([]);
    expect(report.acknowledged).toHaveLength(1);
    expect(report.acknowledged[0]).toMatchObject({ logicalId: uploads, change: 'replace', acknowledgement });
  });

  test('acknowledgements in <baseline>/acknowledgements.yaml are read by default', () => {
    // GIVEN
    const [uploads] = logicalIdsOf(baselineAssembly, 'Data', 'AWS::S3::Bucket', 'Uploads');
    const ownBaseline = scratchDir('baseline-ack');
    scratch.push(ownBaseline);
    writeBaseline({ assemblyDir: baselineAssembly, baselineDir: ownBaseline });
    writeFileSync(
      path.join(ownBaseline, 'acknowledgements.yaml'),
      [
        '# Reviewed destructive changes',
        `- stack: Data`,
        `  logicalId: ${uploads}`,
        '  change: orphan',
        '  reason: The uploads bucket is kept and re-imported into the storage stack',
        '',
      ].join('\n'),
    );

    // WHEN
    const report = compareAssemblies({ baselineDir: ownBaseline, assemblyDir: variants.bucketsRemoved });

    // THEN
    expect(report.acknowledgementsFile).toBe(path.join(ownBaseline, 'acknowledgements.yaml'));
    expect(report.acknowledged.map((change) => change.logicalId)).toEqual([uploads]);
    expect(report.findings.map((change) => change.change)).toEqual(['destroy']);
    expect(report.passed).toBe(false);
  });

  test('a stale acknowledgement fails the gate', () => {
    // WHEN
    const report = compare(variants.resized, {
      acknowledgements: [{ stack: 'Data', logicalId: 'UploadsGone', change: 'destroy', reason: 'Left over from the bucket consolidation' }],
    });

    // THEN
    expect(report.passed).toBe(false);
    expect(report.findings).toEqual([]);
    expect(report.acknowledgementProblems).toEqual([
      expect.objectContaining({ index: 0, problem: 'stale', message: expect.stringContaining('matches no destructive change; remove the entry') }),
    ]);
  });

  test('an acknowledgement of the wrong kind of change is stale and says which change is pending', () => {
    // GIVEN
    const [uploads] = logicalIdsOf(baselineAssembly, 'Data', 'AWS::S3::Bucket', 'Uploads');

    // WHEN
    const report = compare(variants.bucketsRemoved, {
      acknowledgements: [{ stack: 'Data', logicalId: uploads, change: 'destroy', reason: 'The uploads bucket moves to the storage stack' }],
    });

    // THEN
    expect(report.passed).toBe(false);
    expect(report.acknowledgementProblems[0].message).toContain('the pending change to that resource is orphan, not destroy');
    expect(report.findings.map((finding) => finding.logicalId)).toContain(uploads);
  });

  test('an expired acknowledgement fails the gate and lets nothing through', () => {
    // GIVEN
    const [uploads] = logicalIdsOf(baselineAssembly, 'Data', 'AWS::S3::Bucket', 'Uploads');

    // WHEN
    const report = compare(variants.namedUploads, {
      now: new Date('2026-03-02T09:00:00Z'),
      acknowledgements: [
        { stack: 'Data', logicalId: uploads, change: 'replace', reason: 'Uploads are copied before the switch-over', expires: '2026-03-01' },
      ],
    });

    // THEN
    expect(report.passed).toBe(false);
    expect(report.acknowledged).toEqual([]);
    expect(report.findings.map((finding) => finding.logicalId)).toEqual([uploads]);
    expect(report.acknowledgementProblems).toEqual([
      expect.objectContaining({ problem: 'expired', message: expect.stringContaining('expired on 2026-03-01') }),
    ]);
  });

  test('an acknowledgement with a short reason is an input error naming the field', () => {
    expect(() =>
      compare(variants.namedUploads, { acknowledgements: [{ stack: 'Data', logicalId: 'Uploads1', change: 'replace', reason: 'planned' }] }),
    ).toThrow(new GateInputError(
      'acknowledgements is invalid: entry 0 (logicalId Uploads1): reason "planned" is 7 characters, fewer than 20; ' +
        "write at least 20 characters saying why losing this resource's data is acceptable",
    ));
  });

  test('a review-app stack declared ephemeral is exempt, with its reason, whatever changes in it', () => {
    // WHEN
    const report = compare(variants.reviewChanged);

    // THEN
    expect(report.passed).toBe(true);
    expect(report.exempt).toEqual([
      expect.objectContaining({ stack: 'Review1234', reason: REVIEW_REASON, declaredBy: 'template-metadata' }),
    ]);
    expect(report.stacksCompared.map((stack) => stack.stack)).not.toContain('Review1234');
  });

  test('a stack declared ephemeral in code is exempt', () => {
    // WHEN
    const report = compare(variants.stageMoved, { ephemeralStacks: [{ stack: 'Ex*', reason: 'Scratch stack for load tests' }] });

    // THEN
    expect(report.newStacks).toEqual([]);
    expect(report.exempt.map((stack) => [stack.displayName, stack.declaredBy, stack.reason])).toEqual([
      ['Extra', 'declaration', 'Scratch stack for load tests'],
      ['Review1234', 'template-metadata', REVIEW_REASON],
    ]);
  });

  test('a declaration in code does not exempt a stack whose baseline is not ephemeral', () => {
    // WHEN
    const report = compare(variants.namedArchive, { ephemeralStacks: [{ stack: 'Prod/*', reason: 'Prod is rebuilt from backups nightly' }] });

    // THEN
    expect(report.passed).toBe(false);
    expect(report.exempt.map((stack) => stack.displayName)).toEqual(['Review1234']);
    expect(report.stacksCompared.find((stack) => stack.displayName === 'Prod/Store')?.notes).toEqual([
      expect.stringContaining('declared ephemeral (Prod is rebuilt from backups nightly) but its baseline'),
    ]);
  });

  test('an ephemeral declaration without a reason is an input error', () => {
    // GIVEN
    const assembly = copyAssembly(variants.reviewChanged);
    scratch.push(assembly);
    editTemplate(assembly, 'Review1234', (template) => {
      template.Metadata = { CoreInfra: { Lifecycle: 'ephemeral' } };
    });

    // THEN
    expect(() => compare(assembly)).toThrow(/Metadata\.CoreInfra\.Lifecycle is "ephemeral" but Metadata\.CoreInfra\.Reason is null/);
  });

  test('a stack with a baseline cannot exempt itself by turning ephemeral', () => {
    // GIVEN
    const assembly = copyAssembly(variants.bucketsRemoved);
    scratch.push(assembly);
    editTemplate(assembly, 'Data', (template) => {
      template.Metadata = { CoreInfra: { Lifecycle: 'ephemeral', Reason: 'Nothing in here matters any more' } };
    });

    // WHEN
    const report = compare(assembly);

    // THEN
    expect(report.passed).toBe(false);
    expect(report.exempt.map((stack) => stack.stack)).toEqual(['Review1234']);
    expect(report.findings.filter((finding) => finding.resourceType === 'AWS::S3::Bucket')).toHaveLength(2);
    expect(report.stacksCompared.find((stack) => stack.stack === 'Data')?.notes[0]).toContain('declared ephemeral');
  });

  test('a bucket in a nested Stage stack is found', () => {
    // GIVEN
    const storeId = artifactIdOf(baselineAssembly, 'Prod/Store');
    const [archive] = logicalIdsOf(baselineAssembly, 'Prod/Store', 'AWS::S3::Bucket');

    // WHEN
    const report = compare(variants.namedArchive);

    // THEN
    expect(report.passed).toBe(false);
    expect(findingFor(report, archive)).toMatchObject({
      stack: storeId,
      stackName: 'Prod-Store',
      displayName: 'Prod/Store',
      change: 'replace',
      replacementProperties: [expect.objectContaining({ name: 'BucketName' })],
    });
  });

  test('a removed stack counts as removing its stateful resources; a new stack passes as new', () => {
    // GIVEN
    const storeId = artifactIdOf(baselineAssembly, 'Prod/Store');
    const [archive] = logicalIdsOf(baselineAssembly, 'Prod/Store', 'AWS::S3::Bucket');
    const [extraArchive] = logicalIdsOf(variants.stageMoved, 'Extra', 'AWS::S3::Bucket');

    // WHEN
    const report = compare(variants.stageMoved);

    // THEN
    expect(report.passed).toBe(false);
    expect(findingFor(report, archive)).toMatchObject({
      stack: storeId,
      change: 'orphan',
      cause: 'stack-removed',
      probableRename: { logicalId: extraArchive, stack: 'Extra' },
    });
    expect(report.stacksCompared.find((stack) => stack.stack === storeId)).toMatchObject({ removed: true, statefulResources: 1 });
    expect(report.newStacks).toEqual([expect.objectContaining({ stack: 'Extra', displayName: 'Extra' })]);
  });

  test('a baseline file named after the stack name is used too', () => {
    // GIVEN
    const storeId = artifactIdOf(baselineAssembly, 'Prod/Store');
    const ownBaseline = scratchDir('baseline-by-name');
    scratch.push(ownBaseline);
    writeBaseline({ assemblyDir: baselineAssembly, baselineDir: ownBaseline });
    renameSync(path.join(ownBaseline, `${storeId}.template.json`), path.join(ownBaseline, 'Prod-Store.template.json'));

    // WHEN
    const report = compareAssemblies({ baselineDir: ownBaseline, assemblyDir: variants.namedArchive });

    // THEN
    expect(report.findings.map((finding) => finding.stack)).toEqual([storeId]);
    expect(report.stacksCompared.map((stack) => stack.stack)).not.toContain('Prod-Store');
  });

  describe('input errors', () => {
    test('a missing baseline folder', () => {
      expect(() => compareAssemblies({ baselineDir: '/nonexistent/baseline', assemblyDir: baselineAssembly })).toThrow(
        /^baseline folder \/nonexistent\/baseline does not exist; create it with `core-policies baseline/,
      );
    });

    test('a missing assembly folder', () => {
      expect(() => compareAssemblies({ baselineDir, assemblyDir: '/nonexistent/cdk.out' })).toThrow(
        new GateInputError('assembly folder /nonexistent/cdk.out does not exist; pass the cdk.out folder written by `cdk synth`'),
      );
    });

    test('a folder without manifest.json', () => {
      const empty = scratchDir('empty');
      scratch.push(empty);
      expect(() => compareAssemblies({ baselineDir, assemblyDir: empty })).toThrow(/has no manifest\.json/);
    });

    test('a baseline template that is not JSON', () => {
      const broken = scratchDir('broken-baseline');
      scratch.push(broken);
      mkdirSync(broken, { recursive: true });
      writeFileSync(path.join(broken, 'Data.template.json'), '{ "Resources": ');
      expect(() => compareAssemblies({ baselineDir: broken, assemblyDir: baselineAssembly })).toThrow(
        /^baseline template .*Data\.template\.json is not valid JSON/,
      );
    });

    test('both acknowledgements and an acknowledgement file', () => {
      expect(() => compare(baselineAssembly, { acknowledgements: [], acknowledgementsFile: 'acknowledgements.yaml' })).toThrow(
        /pass the entries or the file, not both/,
      );
    });
  });
});

describe('compareAssemblies: documented update behaviour', () => {
  test('raising the database backup retention from 7 to 14 days passes, and the interruption is listed', () => {
    // GIVEN
    const [database] = logicalIdsOf(baselineAssembly, 'Data', 'AWS::RDS::DBInstance');

    // WHEN
    const report = compare(variants.longerRetention);

    // THEN
    expect(report.passed).toBe(true);
    expect(report.findings).toEqual([]);
    expect(report.interruptions).toEqual([
      expect.objectContaining({
        stack: 'Data',
        logicalId: database,
        resourceType: 'AWS::RDS::DBInstance',
        properties: [
          expect.objectContaining({
            name: 'BackupRetentionPeriod',
            oldValue: '7',
            newValue: '14',
            explanation: expect.stringContaining('in place (Update requires: Some interruptions'),
            documentation: expect.stringContaining('#cfn-rds-dbinstance-backupretentionperiod'),
          }),
        ],
      }),
    ]);
  });

  test('resharding Redis without UseOnlineResharding still blocks, as the documented replacement', () => {
    // GIVEN
    const [redis] = logicalIdsOf(baselineAssembly, 'Data', 'AWS::ElastiCache::ReplicationGroup');
    const assembly = withRedis((_redis, properties) => {
      properties.NumNodeGroups = 2;
    });

    // WHEN
    const report = compare(assembly);

    // THEN
    expect(report.passed).toBe(false);
    expect(findingFor(report, redis)).toMatchObject({
      change: 'replace',
      replacementProperties: [
        { name: 'NumNodeGroups', certainty: 'will', newValue: '2', reason: expect.stringContaining('UseOnlineResharding: true') },
      ],
    });
    expect(report.interruptions).toEqual([]);
  });

  test('resharding Redis with UpdatePolicy UseOnlineResharding passes without a note', () => {
    // GIVEN
    const assembly = withRedis((redis, properties) => {
      properties.NumNodeGroups = 2;
      redis.UpdatePolicy = { UseOnlineResharding: true };
    });

    // WHEN
    const report = compare(assembly);

    // THEN
    expect(report.passed).toBe(true);
    expect(report.findings).toEqual([]);
    expect(report.interruptions).toEqual([]);
  });
});

describe('compareAssemblies: stored secret values', () => {
  test('changing the generator of the Rails master key blocks as a regenerate of that secret', () => {
    // GIVEN
    const [masterKey] = logicalIdsOf(baselineAssembly, 'App', 'AWS::SecretsManager::Secret', 'RailsMasterKey');

    // WHEN
    const report = compare(variants.longerMasterKey);

    // THEN: the review app's key changes too, but its stack stays exempt
    expect(report.passed).toBe(false);
    expect(report.findings).toHaveLength(1);
    const finding = findingFor(report, masterKey);
    expect(finding).toMatchObject({
      stack: 'App',
      resourceType: 'AWS::SecretsManager::Secret',
      change: 'regenerate',
      cause: 'value-regenerated',
      replacementProperties: [expect.objectContaining({ name: 'GenerateSecretString', certainty: 'will' })],
      acknowledgeWith: { stack: 'App', logicalId: masterKey, change: 'regenerate' },
    });
    expect(finding.summary).toMatch(/^its stored value will be regenerated because GenerateSecretString changes: /);
    expect(finding.summary).toContain('version stage AWSPREVIOUS');
    expect(report.exempt.map((stack) => stack.stack)).toEqual(['Review1234']);
    expect(report.stacksCompared.find((stack) => stack.stack === 'App')).toMatchObject({ statefulResources: 1, destructiveChanges: 1 });
  });

  test('an acknowledged regenerate passes and is listed', () => {
    // GIVEN
    const [masterKey] = logicalIdsOf(baselineAssembly, 'App', 'AWS::SecretsManager::Secret', 'RailsMasterKey');
    const acknowledgement = {
      stack: 'App',
      logicalId: masterKey,
      change: 'regenerate' as const,
      reason: 'The master key is put back from AWSPREVIOUS by the release runbook straight after the deploy',
    };

    // WHEN
    const report = compare(variants.longerMasterKey, { acknowledgements: [acknowledgement] });

    // THEN
    expect(report.passed).toBe(true);
    expect(report.findings).toEqual([]);
    expect(report.acknowledged).toEqual([expect.objectContaining({ logicalId: masterKey, change: 'regenerate', acknowledgement })]);
  });

  test('a stale regenerate acknowledgement fails the gate', () => {
    // GIVEN
    const [masterKey] = logicalIdsOf(baselineAssembly, 'App', 'AWS::SecretsManager::Secret', 'RailsMasterKey');

    // WHEN: the key generator is unchanged, so there is nothing to acknowledge
    const report = compare(baselineAssembly, {
      acknowledgements: [{ stack: 'App', logicalId: masterKey, change: 'regenerate', reason: 'Master key rotation from last quarter' }],
    });

    // THEN
    expect(report.passed).toBe(false);
    expect(report.findings).toEqual([]);
    expect(report.acknowledgementProblems).toEqual([
      expect.objectContaining({
        index: 0,
        problem: 'stale',
        message: expect.stringContaining(`logicalId ${masterKey}, change regenerate) matches no destructive change; remove the entry`),
      }),
    ]);
  });
});

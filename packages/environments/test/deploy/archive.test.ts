import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { archiveAssembly, archivePrefix, formatArchiveTimestamp, type DeploymentRecord } from '../../src';
import { removeFakeApps, stagingLikeStacks, writeFakeApp } from './fake-assembly';

const s3 = mockClient(S3Client);
afterAll(removeFakeApps);
beforeEach(() => s3.reset());

const deployment: DeploymentRecord = {
  environment: 'staging',
  gitSha: 'a'.repeat(40),
  holder: 'github-actions:deploy-staging',
  startedAt: '2026-03-02T10:30:00.000Z',
  finishedAt: '2026-03-02T10:45:12.000Z',
  stacks: ['core-staging-network'],
  requireApproval: 'broadening',
};

describe('archive names', () => {
  test('the timestamp is UTC YYYYMMDDTHHMMSSZ, so keys sort chronologically', () => {
    expect(formatArchiveTimestamp(new Date('2026-03-02T10:45:12.345Z'))).toBe('20260302T104512Z');
  });

  test('the prefix is assemblies/<environment>/<timestamp>-<sha>/', () => {
    expect(archivePrefix('review-1234', '20260302T104512Z', 'a'.repeat(40))).toBe(`assemblies/review-1234/20260302T104512Z-${'a'.repeat(40)}/`);
  });
});

describe('archiveAssembly', () => {
  test('writes deployment.json only after every other upload finished, however slow', async () => {
    // GIVEN uploads that finish out of order
    const { assembly } = writeFakeApp([{ name: 'core-staging', stacks: stagingLikeStacks() }]);
    const finished: string[] = [];
    s3.on(PutObjectCommand).callsFake(async (input: { Key: string }) => {
      await new Promise((resolve) => setTimeout(resolve, input.Key.endsWith('manifest.json') ? 20 : 1));
      finished.push(input.Key);
      return {};
    });

    // WHEN the assembly is archived
    const keys = await archiveAssembly({ client: new S3Client({ region: 'eu-west-2' }), bucket: 'b', expectedBucketOwner: '210987654321', prefix: 'p/', assemblyDir: assembly, deployment });

    // THEN deployment.json is the last object written and carries the record
    expect(finished.at(-1)).toBe('p/deployment.json');
    expect(keys.at(-1)).toBe('p/deployment.json');
    expect(JSON.parse(String(s3.commandCalls(PutObjectCommand).at(-1)?.args[0].input.Body))).toEqual(deployment);
  });

  test('leaves out the CDK CLI lock files and keeps nested paths', async () => {
    const { assembly } = writeFakeApp([{ name: 'core-staging', stacks: [{ name: 'network' }] }]);
    writeFileSync(path.join(assembly, 'read.1234.1.lock'), '');
    mkdirSync(path.join(assembly, 'asset.abc'));
    writeFileSync(path.join(assembly, 'asset.abc', 'index.js'), 'exports.handler = async () => undefined;');
    s3.on(PutObjectCommand).resolves({});

    const keys = await archiveAssembly({ client: new S3Client({ region: 'eu-west-2' }), bucket: 'b', expectedBucketOwner: '210987654321', prefix: 'p/', assemblyDir: assembly, deployment, concurrency: 1 });

    expect(keys).toContain('p/asset.abc/index.js');
    expect(keys).toContain('p/assembly-core-staging/corestagingnetworkAB12CD34.template.json');
    expect(keys.some((key) => key.endsWith('.lock'))).toBe(false);
    const contentTypes = Object.fromEntries(s3.commandCalls(PutObjectCommand).map((call) => [call.args[0].input.Key, call.args[0].input.ContentType]));
    expect(contentTypes['p/manifest.json']).toBe('application/json');
    expect(contentTypes['p/asset.abc/index.js']).toBe('application/octet-stream');
  });

  test('a failed upload rejects and deployment.json is never written', async () => {
    const { assembly } = writeFakeApp([{ name: 'core-staging', stacks: [{ name: 'network' }] }]);
    s3.on(PutObjectCommand).resolves({});
    s3.on(PutObjectCommand, { Key: 'p/manifest.json' }).rejects(new Error('AccessDenied'));

    await expect(archiveAssembly({ client: new S3Client({ region: 'eu-west-2' }), bucket: 'b', expectedBucketOwner: '1', prefix: 'p/', assemblyDir: assembly, deployment })).rejects.toThrow('AccessDenied');
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key)).not.toContain('p/deployment.json');
  });
});

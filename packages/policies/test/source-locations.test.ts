import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findSourceRoot, resourceSourceLocations } from '../src';

// A repository with one app file and one construct file, and a stack metadata file whose frames
// name them the way aws-cdk-lib writes creation stacks.
function repository(): { root: string; metadata: (frames: Record<string, string[]>) => string } {
  const root = mkdtempSync(path.join(tmpdir(), 'source-root-'));
  mkdirSync(path.join(root, '.git'));
  mkdirSync(path.join(root, 'apps', 'prod', 'src'), { recursive: true });
  mkdirSync(path.join(root, 'packages', 'constructs', 'src'), { recursive: true });
  writeFileSync(path.join(root, 'apps', 'prod', 'src', 'main.ts'), '');
  writeFileSync(path.join(root, 'packages', 'constructs', 'src', 'bucket.ts'), '');
  const metadata = (frames: Record<string, string[]>) => {
    const file = path.join(root, 'stack.metadata.json');
    const entries = Object.fromEntries(
      Object.entries(frames).map(([logicalId, trace]) => [`/stage/stack/${logicalId}/Resource`, [{ type: 'aws:cdk:logicalId', data: logicalId }, { type: 'aws:cdk:creationStack', data: trace }]]),
    );
    writeFileSync(file, JSON.stringify(entries));
    return file;
  };
  return { root, metadata };
}

describe('resourceSourceLocations', () => {
  test('takes the first frame in the repository, skipping library frames', () => {
    const { root, metadata } = repository();
    const file = metadata({
      Bucket: [
        '...new Bucket2 in aws-cdk-lib...',
        `new Thing (${path.join(root, 'node_modules', 'lib', 'index.js')}:1:1)`,
        `new SecureBucket (${path.join(root, 'packages', 'constructs', 'src', 'bucket.ts')}:42:7)`,
        `<anonymous> (${path.join(root, 'apps', 'prod', 'src', 'main.ts')}:4:1)`,
      ],
    });
    expect(resourceSourceLocations(file, new Set(['Bucket']), root).get('Bucket')).toEqual({ file: 'packages/constructs/src/bucket.ts', line: 42, column: 7 });
  });

  test('maps frames of an assembly synthesized in another checkout by path suffix', () => {
    const { root, metadata } = repository();
    const file = metadata({ Bucket: ['<anonymous> (/home/runner/work/core-infra/core-infra/apps/prod/src/main.ts:4:1)'] });
    expect(resourceSourceLocations(file, new Set(['Bucket']), root).get('Bucket')).toEqual({ file: 'apps/prod/src/main.ts', line: 4, column: 1 });
  });

  test('locates only the resources asked for, and none whose frames are all outside the repository', () => {
    const { root, metadata } = repository();
    const file = metadata({
      Bucket: [`<anonymous> (${path.join(root, 'apps', 'prod', 'src', 'main.ts')}:4:1)`],
      Other: [`<anonymous> (${path.join(root, 'apps', 'prod', 'src', 'main.ts')}:9:1)`],
      Foreign: ['<anonymous> (/elsewhere/not-here.ts:1:1)', '...node internals, tsx...'],
    });
    const located = resourceSourceLocations(file, new Set(['Bucket', 'Foreign']), root);
    expect([...located.keys()]).toEqual(['Bucket']);
  });

  test('a missing or damaged metadata file locates nothing instead of failing the check', () => {
    const { root } = repository();
    writeFileSync(path.join(root, 'broken.json'), '{');
    expect(resourceSourceLocations(path.join(root, 'broken.json'), new Set(['Bucket']), root).size).toBe(0);
    expect(resourceSourceLocations(path.join(root, 'missing.json'), new Set(['Bucket']), root).size).toBe(0);
  });
});

describe('findSourceRoot', () => {
  test('is the nearest folder with .git above the start', () => {
    const { root } = repository();
    expect(findSourceRoot(path.join(root, 'apps', 'prod', 'src'))).toBe(root);
  });
});

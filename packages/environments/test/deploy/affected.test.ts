import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { environmentsFromAffectedGraph, listAffectedEnvironments, orderEnvironments } from '../../src';
import { runDeploy } from '../support/deploy-cli';

// Which environments a change deploys, and in which order. The fixtures are recorded output of
// `nx affected -t deploy --files=<file> --graph=stdout` (Nx 24.0.6, project graph trimmed to
// names): a change in packages/constructs, and a change in apps/dev only.

const workspaceRoot = path.resolve(__dirname, '../../../..');
const fixture = (name: string) => path.join(__dirname, 'fixtures', name);

describe('orderEnvironments', () => {
  test('orders meta → dev → staging → production and drops duplicates', () => {
    expect(orderEnvironments(['production', 'staging', 'dev', 'meta', 'dev'])).toEqual(['meta', 'dev', 'staging', 'production']);
    expect(orderEnvironments(['production', 'dev'])).toEqual(['dev', 'production']);
    expect(orderEnvironments([])).toEqual([]);
  });

  test('refuses a name that is not an environment', () => {
    expect(() => orderEnvironments(['staging', 'qa'])).toThrow(/qa is not one of the environments \(meta, dev, staging, production\)/);
  });
});

describe('environmentsFromAffectedGraph', () => {
  test('a change in packages/constructs deploys every environment, meta first and production last', () => {
    const graph = readFileSync(fixture('nx-affected-deploy-constructs.json'), 'utf8');
    expect(environmentsFromAffectedGraph(graph)).toEqual(['meta', 'dev', 'staging', 'production']);
  });

  test('a change touching only apps/dev deploys only dev, although the project graph lists every project', () => {
    const graph = JSON.parse(readFileSync(fixture('nx-affected-deploy-dev.json'), 'utf8'));
    expect(Object.keys(graph.graph.nodes)).toEqual(expect.arrayContaining(['meta', 'staging', 'production']));
    expect(environmentsFromAffectedGraph(graph)).toEqual(['dev']);
  });

  test('skips anything Nx printed before the JSON', () => {
    const graph = readFileSync(fixture('nx-affected-deploy-dev.json'), 'utf8');
    expect(environmentsFromAffectedGraph(`NX  Affected criteria defaulted to --base=main\n${graph}`)).toEqual(['dev']);
  });

  test('refuses output without a task graph', () => {
    expect(() => environmentsFromAffectedGraph({ graph: { nodes: {} } })).toThrow(/has no task graph \(tasks\.tasks\): produce it with nx affected -t deploy --graph=stdout/);
    expect(() => environmentsFromAffectedGraph('not json')).toThrow(/the Nx output is not JSON/);
  });
});

describe('core-deploy affected', () => {
  const cli = (...args: string[]) => runDeploy(['affected', ...args]);

  test('prints the environments of a saved graph one per line, in order', async () => {
    expect(await cli('--graph-file', fixture('nx-affected-deploy-constructs.json'))).toEqual({ code: 0, stdout: 'meta\ndev\nstaging\nproduction\n', stderr: '' });
  });

  test('prints JSON for pipelines', async () => {
    expect((await cli('--graph-file', fixture('nx-affected-deploy-dev.json'), '--format', 'json')).stdout).toBe('["dev"]\n');
  });

  test('a missing graph file exits 2', async () => {
    const result = await cli('--graph-file', fixture('missing.json'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--graph-file: .*missing\.json cannot be read \(ENOENT\)/);
  });
});

describe('against the real workspace', () => {
  const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

  test('a change in packages/constructs affects the deploy of meta, dev, staging and production, in that order', async () => {
    expect(await listAffectedEnvironments({ workspaceRoot, files: ['packages/constructs/src/index.ts'], env })).toEqual(['meta', 'dev', 'staging', 'production']);
  }, 120_000);

  test('a change touching only apps/dev affects only dev', async () => {
    expect(await listAffectedEnvironments({ workspaceRoot, files: ['apps/dev/src/main.ts'], env })).toEqual(['dev']);
  }, 120_000);
});

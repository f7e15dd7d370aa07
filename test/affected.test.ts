import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const APPS = ['meta', 'dev', 'staging', 'production'];

/** Task ids `nx affected` would run for a change to `file`, read from Nx's own task graph. */
function affectedTasks(file: string, targets = ['synth', 'validate', 'check-stateful', 'deploy']): string[] {
  const out = execFileSync(process.execPath, [require.resolve('nx/bin/nx'), 'affected', '-t', ...targets, `--files=${file}`, '--graph=stdout'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const graph = JSON.parse(out.slice(out.indexOf('{'))) as { tasks?: { tasks?: Record<string, unknown> } };
  return Object.keys(graph.tasks?.tasks ?? {}).sort();
}

const tasksOf = (target: string, apps: string[]) => apps.map((app) => `${app}:${target}`);

describe('nx affected selects only the tasks a change reaches', () => {
  test('a change only under apps/dev/src selects dev:synth and no other app', () => {
    const tasks = affectedTasks('apps/dev/src/main.ts');
    expect(tasks).toEqual(expect.arrayContaining(['dev:synth', 'dev:validate', 'dev:deploy']));
    expect(tasks.filter((t) => !t.startsWith('dev:'))).toEqual([]);
  });

  test("a change to apps/production/config.yaml selects production's synth, validate, check-stateful and deploy, and no other app", () => {
    const tasks = affectedTasks('apps/production/config.yaml');
    expect(tasks).toEqual(expect.arrayContaining(tasksOf('synth', ['production']).concat('production:validate', 'production:check-stateful', 'production:deploy')));
    expect(tasks.filter((t) => !t.startsWith('production:'))).toEqual([]);
  });

  test('a test-only change in packages/constructs selects no app synth or deploy', () => {
    expect(affectedTasks('packages/constructs/test/security/encryption-key.test.ts')).toEqual([]);
  });

  test('a source change in packages/constructs selects synth of all four apps', () => {
    expect(affectedTasks('packages/constructs/src/index.ts', ['synth'])).toEqual(tasksOf('synth', APPS).sort());
  });

  test('a change in packages/policies selects validate of all four apps', () => {
    expect(affectedTasks('packages/policies/src/index.ts', ['validate'])).toEqual(expect.arrayContaining(tasksOf('validate', APPS)));
  });

  test('a change to a guard rule selects validate of all four apps', () => {
    expect(affectedTasks('packages/policies/rules/s3/s3_bucket_public_access_blocked.guard', ['validate'])).toEqual(expect.arrayContaining(tasksOf('validate', APPS)));
  });

  test('a change to a baseline selects that app check-stateful and deploy (with their cached dependencies) and nothing else', () => {
    const tasks = affectedTasks('apps/staging/baseline/acknowledgements.yaml', ['check-stateful', 'deploy']);
    expect(tasks).toEqual(expect.arrayContaining(['staging:check-stateful', 'staging:deploy']));
    expect(tasks.filter((t) => !t.startsWith('staging:'))).toEqual([]);
  });

  test('a change to a baseline does not select synth by itself', () => {
    expect(affectedTasks('apps/staging/baseline/acknowledgements.yaml', ['synth'])).toEqual([]);
  });

  test('touching one construct selects the tests of constructs and its dependents only', () => {
    const tasks = affectedTasks('packages/constructs/src/data/redis-cache.ts', ['test']);
    expect(tasks).toEqual(expect.arrayContaining(['constructs:test', 'environments:test', ...tasksOf('test', APPS)]));
    expect(tasks).not.toContain('policies:test');
    expect(tasks).not.toContain('testing:test');
  });
});

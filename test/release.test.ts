/**
 * Versioned releases: `nx release` with the workspace's npm version actions, driven by
 * tools/release/release.js, run against a throw-away git repository holding a copy of this
 * workspace (node_modules linked, not copied). Nothing here touches this repository's git state
 * or any registry: every run is `--dry-run` or `--skip-publish`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { workspaceCopy } from './support/workspace-copy';

const root = path.resolve(__dirname, '..');
const PACKAGES = ['constructs', 'environments', 'policies', 'testing'] as const;
type Project = (typeof PACKAGES)[number];

interface RunResult {
  readonly code: number | null;
  readonly output: string;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/**
 * Runs the release script of the copy, the way `npm run release -- …` does. The Nx variables of
 * the task running this test (workspace root, task ids) are left out: they describe this
 * workspace, not the copy.
 */
function release(cwd: string, ...args: string[]): RunResult {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('NX_')));
  const result = spawnSync(process.execPath, [path.join(cwd, 'tools/release/release.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...inherited, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0', NO_COLOR: '1' },
    timeout: 120_000,
  });
  return { code: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** The parts of package.json and package-lock.json entries these tests read. */
interface Manifest {
  readonly version: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

const manifestOf = (repo: string, dir: string) => readJson<Manifest>(path.join(repo, dir, 'package.json'));
const lockEntryOf = (repo: string, dir: string) => readJson<{ packages: Record<string, Manifest> }>(path.join(repo, 'package-lock.json')).packages[dir];
const versionOf = (repo: string, project: Project) => manifestOf(repo, `packages/${project}`).version;

function bump(version: string, kind: 'patch' | 'minor'): string {
  const [major, minor, patch] = version.split('.').map(Number);
  return kind === 'patch' ? `${major}.${minor}.${patch + 1}` : `${major}.${minor + 1}.0`;
}

/** Appends a line to a package source file and commits it with `message`. */
function commitChange(repo: string, file: string, message: string): void {
  fs.appendFileSync(path.join(repo, file), `\n// ${message}\n`);
  git(repo, 'commit', '--quiet', '--all', '--message', message);
}

/** Lines of the publish plan that release.js prints at the end of a dry run. */
function plannedPublishes(output: string): string[] {
  const start = output.indexOf('Would build and publish');
  if (start < 0) return [];
  return output
    .slice(start)
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line.startsWith('@core-infra/'))
    .sort();
}

/**
 * A copy of the workspace in a fresh git repository; `tagged` adds a `<project>@<version>` tag
 * per package, as if the current versions had been released.
 */
function releaseRepo(tagged: boolean): string {
  const repo = workspaceCopy('core-release-');
  if (tagged) for (const project of PACKAGES) git(repo, 'tag', `${project}@${versionOf(repo, project)}`);
  return repo;
}

const repos: string[] = [];
afterAll(() => {
  for (const repo of repos) fs.rmSync(repo, { recursive: true, force: true });
});

describe('nx release with the npm version actions', () => {
  let repo: string;
  const before = {} as Record<Project, string>;

  beforeAll(() => {
    repo = releaseRepo(true);
    repos.push(repo);
    for (const project of PACKAGES) before[project] = versionOf(repo, project);
  });

  test('the release tooling type-checks (it runs as plain JavaScript, outside the projects Nx type-checks)', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tools/release/tsconfig.json')], { cwd: root, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('a commit with no releasable type (docs, chore, test) releases nothing', () => {
    commitChange(repo, 'packages/constructs/src/index.ts', 'docs(constructs): explain the tiers');
    const { code, output } = release(repo, '--dry-run');
    expect(code).toBe(0);
    expect(output).toContain('Nothing to release');
    expect(plannedPublishes(output)).toEqual([]);
  });

  test('dry run of a fix(constructs) commit: constructs gets a patch, its dependent environments follows, the changelog entry is printed, nothing changes', () => {
    commitChange(repo, 'packages/constructs/src/security/encryption-key.ts', 'fix(constructs): rotate encryption keys every year');
    const head = git(repo, 'rev-parse', 'HEAD');
    const tags = git(repo, 'tag', '--list');

    const { code, output } = release(repo, '--dry-run');

    expect(code).toBe(0);
    expect(output).toMatch(new RegExp(`constructs .*Applied semver relative bump "patch", derived from conventional commits.* ${bump(before.constructs, 'patch').replace(/\./g, '\\.')}`));
    expect(output).toMatch(/policies .*No changes were detected/);
    expect(output).toMatch(/testing .*No changes were detected/);
    // The entry Nx would prepend to packages/constructs/CHANGELOG.md.
    expect(output).toContain(`Previewing an entry in packages/constructs/CHANGELOG.md for constructs@${bump(before.constructs, 'patch')}`);
    expect(output).toMatch(/\+ ### 🩹 Fixes\s+\+\s+\+ - \*\*constructs:\*\* rotate encryption keys every year/);
    expect(output).toMatch(new RegExp(`\\+ - Updated constructs to ${bump(before.constructs, 'patch').replace(/\./g, '\\.')}`));
    expect(plannedPublishes(output)).toEqual([
      `@core-infra/constructs@${bump(before.constructs, 'patch')}`,
      `@core-infra/environments@${bump(before.environments, 'patch')}`,
    ]);

    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'tag', '--list')).toBe(tags);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  test('the release itself (without publishing) writes versions, ranges, changelogs and the lock file, commits and tags', () => {
    const { code, output } = release(repo, '--skip-publish');
    expect(code).toBe(0);

    const constructs = bump(before.constructs, 'patch');
    const environments = bump(before.environments, 'patch');
    expect(versionOf(repo, 'constructs')).toBe(constructs);
    expect(versionOf(repo, 'environments')).toBe(environments);
    expect(versionOf(repo, 'policies')).toBe(before.policies);
    expect(versionOf(repo, 'testing')).toBe(before.testing);
    expect(manifestOf(repo, 'packages/environments').dependencies?.['@core-infra/constructs']).toBe(`^${constructs}`);

    const changelog = fs.readFileSync(path.join(repo, 'packages/constructs/CHANGELOG.md'), 'utf8');
    expect(changelog.startsWith(`## ${constructs} (`)).toBe(true);
    expect(changelog).toContain('- **constructs:** rotate encryption keys every year');
    expect(changelog).not.toContain('explain the tiers');
    expect(changelog).toContain(`## ${before.constructs} (`);

    expect(lockEntryOf(repo, 'packages/constructs').version).toBe(constructs);
    expect(lockEntryOf(repo, 'packages/environments').version).toBe(environments);
    expect(lockEntryOf(repo, 'packages/environments').dependencies?.['@core-infra/constructs']).toBe(`^${constructs}`);

    expect(git(repo, 'log', '-1', '--format=%s')).toBe('chore(release): publish');
    expect(git(repo, 'tag', '--points-at', 'HEAD').split('\n').sort()).toEqual([`constructs@${constructs}`, `environments@${environments}`]);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(output).toContain(`Versioned without publishing: @core-infra/constructs@${constructs}, @core-infra/environments@${environments}`);
  });

  test('feat(testing) is a minor release; every workspace range that no longer accepts it is widened, the private apps included, and the lock file follows', () => {
    expect(manifestOf(repo, 'apps/dev').devDependencies?.['@core-infra/testing']).toBe(`^${before.testing}`);
    commitChange(repo, 'packages/testing/src/stacks.ts', 'feat(testing): test stacks in any region');

    const { code } = release(repo, '--skip-publish');
    expect(code).toBe(0);

    const testing = bump(before.testing, 'minor');
    expect(versionOf(repo, 'testing')).toBe(testing);
    expect(versionOf(repo, 'policies')).toBe(before.policies);
    for (const dir of ['packages/constructs', 'packages/environments', 'apps/meta', 'apps/dev', 'apps/staging', 'apps/production']) {
      expect(manifestOf(repo, dir).devDependencies?.['@core-infra/testing']).toBe(`^${testing}`);
      expect(lockEntryOf(repo, dir).devDependencies?.['@core-infra/testing']).toBe(`^${testing}`);
    }
    expect(git(repo, 'tag', '--points-at', 'HEAD')).toContain(`testing@${testing}`);
    expect(fs.readFileSync(path.join(repo, 'packages/testing/CHANGELOG.md'), 'utf8')).toMatch(new RegExp(`^## ${testing.replace(/\./g, '\\.')} \\(.*\\n\\n### 🚀 Features\\n\\n- \\*\\*testing:\\*\\* test stacks in any region`));
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  test('refuses to release from a working tree with uncommitted changes', () => {
    fs.appendFileSync(path.join(repo, 'packages/policies/src/index.ts'), '\n// not committed\n');
    const { code, output } = release(repo, '--skip-publish');
    expect(code).toBe(1);
    expect(output).toContain('release: the working tree has uncommitted changes');
    git(repo, 'checkout', '--', 'packages/policies/src/index.ts');
  });
});

describe('the first release', () => {
  test('with no release tags yet, the dry run plans the versions already in package.json and keeps their changelog entries', () => {
    const repo = releaseRepo(false);
    repos.push(repo);
    const version = versionOf(repo, 'constructs');

    const { code, output } = release(repo, '--dry-run');

    expect(code).toBe(0);
    expect(output).toContain(`this is the first release. It tags and publishes the versions already in package.json (${version})`);
    expect(output).toContain('No changes detected for changelogs');
    expect(plannedPublishes(output)).toEqual(PACKAGES.map((project) => `@core-infra/${project}@${version}`).sort());
  });
});

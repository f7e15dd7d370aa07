#!/usr/bin/env node
// @ts-check
/**
 * Releases the packages under `packages/`: `npm run release` / `npm run release:dry-run`.
 *
 *   node tools/release/release.js [specifier] [--dry-run] [--first-release] [--skip-publish]
 *                                 [--projects a,b] [--registry <url>] [--tag <dist-tag>] [--preid <id>] [--verbose]
 *
 * 1. `nx release` (programmatic API, configuration in `nx.json` `release`) versions every package
 *    independently from its conventional commits since its last `<project>@<version>` tag —
 *    `fix` → patch, `feat` → minor, `!`/`BREAKING CHANGE` → major — bumps the packages that
 *    depend on a bumped one, prepends the entry to each package's CHANGELOG.md, commits
 *    `chore(release): publish` and tags `<project>@<version>`. Nothing is pushed.
 * 2. The released packages are built and published with npm in dependency order (publish.js).
 *    Push the commit and tags afterwards (`git push --follow-tags`); the release workflow does.
 *
 * `--dry-run` prints the version bumps, manifest diffs, changelog entries and the publish plan
 * and changes nothing; it needs no network. An explicit specifier (`patch`, `1.2.0`) overrides
 * the conventional commits. When no package has a release tag yet, the release is the first one:
 * it tags and publishes the versions already in package.json, with the changelog entries
 * already written for them.
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { planPublish, publishPackages } = require('./publish');

const WORKSPACE_ROOT = path.resolve(__dirname, '..', '..');
const USAGE = `Usage: npm run release -- [<specifier>] [options]
       npm run release:dry-run

  <specifier>        patch | minor | major | an exact version (default: from conventional commits)
  --dry-run, -d      print bumps, changelog entries and the publish plan; change nothing
  --first-release    first release of packages that have no tag yet
  --skip-publish     version, changelog, commit and tag only
  --projects, -p     comma-separated projects to release (dependents follow)
  --registry <url>   publish to this registry instead of npm's configured one
  --tag <dist-tag>   npm dist-tag (default: latest)
  --preid <id>       prerelease identifier, e.g. rc
  --verbose          more output from nx release`;

/**
 * Refuses to release from a working tree with uncommitted changes: the published files would
 * not match the tagged commit.
 *
 * @param {string} root
 */
function assertCleanWorkingTree(root) {
  const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' });
  if (status.trim() !== '') {
    throw new Error(`the working tree has uncommitted changes; commit or stash them first (or use --dry-run):\n${status}`);
  }
}

/**
 * When none of the packages has ever been tagged, the version of the first release: the one
 * already in every package.json. (Otherwise Nx would bump it from every commit since the
 * package was created.) Undefined once any package has a tag.
 *
 * @param {string} root
 * @param {string[] | undefined} projects selected projects; all publishable packages when undefined
 * @returns {string | undefined}
 */
function firstReleaseVersion(root, projects) {
  const packages = planPublish(root, projects ?? []);
  const tagged = packages.filter((pkg) => execFileSync('git', ['tag', '--list', `${pkg.project}@*`], { cwd: root, encoding: 'utf8' }).trim() !== '');
  if (tagged.length > 0) return undefined;
  const versions = [...new Set(packages.map((pkg) => pkg.version))];
  if (versions.length !== 1) {
    throw new Error(
      `first release, but the packages have different versions (${packages.map((pkg) => `${pkg.project} ${pkg.version}`).join(', ')}): ` +
        'release each with `npm run release -- <version> --first-release --projects <project>`',
    );
  }
  return versions[0];
}

/** @param {string[]} argv */
async function main(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', short: 'd', default: false },
      'first-release': { type: 'boolean', default: false },
      'skip-publish': { type: 'boolean', default: false },
      projects: { type: 'string', short: 'p' },
      registry: { type: 'string' },
      tag: { type: 'string', default: 'latest' },
      preid: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 1) throw new Error(`expected at most one version specifier, got: ${positionals.join(' ')}`);
  const dryRun = values['dry-run'];
  if (!dryRun) assertCleanWorkingTree(WORKSPACE_ROOT);

  const projects = values.projects ? values.projects.split(',').map((project) => project.trim()).filter(Boolean) : undefined;
  let specifier = positionals[0];
  let firstRelease = values['first-release'];
  const firstVersion = specifier === undefined ? firstReleaseVersion(WORKSPACE_ROOT, projects) : undefined;
  if (firstVersion !== undefined) {
    console.log(`No package has a release tag yet: this is the first release. It tags and publishes the versions already in package.json (${firstVersion}); the changelogs keep their ${firstVersion} entries.\n`);
    specifier = firstVersion;
    firstRelease = true;
  }

  // A one-off command: no Nx daemon left behind, plain output for CI logs. Nx works on the
  // workspace this script belongs to, whatever the caller's directory or environment says.
  process.env.NX_DAEMON ??= 'false';
  process.env.NX_TUI ??= 'false';
  process.env.NX_WORKSPACE_ROOT_PATH = WORKSPACE_ROOT;
  process.chdir(WORKSPACE_ROOT);
  const { release } = require('nx/release');
  const { projectsVersionData } = await release({
    specifier,
    dryRun,
    verbose: values.verbose,
    firstRelease,
    projects,
    preid: values.preid,
    // Publishing is done below: Nx's own publish step needs the `@nx/js` plugin.
    skipPublish: true,
    yes: true,
  });

  const released = Object.entries(projectsVersionData)
    .filter(([, data]) => data.newVersion !== null)
    .map(([project]) => project);
  if (released.length === 0) {
    console.log('\nNothing to release: no package has a releasable change since its last tag.');
    return 0;
  }
  const plan = planPublish(WORKSPACE_ROOT, released);
  const versionOf = (/** @type {string} */ project) => projectsVersionData[project]?.newVersion;
  if (dryRun) {
    console.log(`\nWould build and publish, in this order (dist-tag ${values.tag}${values.registry ? `, registry ${values.registry}` : ''}):`);
    for (const pkg of plan) console.log(`  ${pkg.name}@${versionOf(pkg.project)}`);
    return 0;
  }
  if (values['skip-publish']) {
    console.log(`\nVersioned without publishing: ${plan.map((pkg) => `${pkg.name}@${pkg.version}`).join(', ')}`);
    console.log('Publish with `node tools/release/publish.js <project ...>`, then push: git push --follow-tags');
    return 0;
  }
  publishPackages({ root: WORKSPACE_ROOT, projects: released, registry: values.registry, tag: values.tag });
  console.log('\nPublished. Push the release commit and tags: git push --follow-tags');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`release: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);

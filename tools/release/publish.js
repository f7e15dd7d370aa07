#!/usr/bin/env node
// @ts-check
/**
 * Builds and publishes the workspace's npm packages (`packages/*`) at the versions in their
 * package.json, in dependency order.
 *
 * `nx release` would run an `nx-release-publish` target for this, which only `@nx/js` provides
 * (see version-actions.js for why it is not installed). `release.js` calls this after versioning;
 * run it directly to publish again after a failed publish, or to publish into another registry:
 *
 *   node tools/release/publish.js [--registry <url>] [--tag <dist-tag>] [--dry-run] [--no-build] [project ...]
 *
 * Projects are Nx project names (`constructs`) or package names (`@core-infra/constructs`);
 * none means every publishable package. Registry credentials come from npm's own configuration
 * (`.npmrc`, `NODE_AUTH_TOKEN` through setup-node), never from arguments.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { packProblems } = require('./check-packable');
const { listWorkspacePackages } = require('./workspace-ranges');

const WORKSPACE_ROOT = path.resolve(__dirname, '..', '..');
/** Only these directories hold packages meant for a registry; the apps are private CDK apps. */
const PACKAGES_DIR = 'packages/';
const RUNTIME_COLLECTIONS = /** @type {const} */ (['dependencies', 'peerDependencies', 'optionalDependencies']);

/**
 * @typedef {object} PublishablePackage
 * @property {string} project Nx project name
 * @property {string} name npm package name
 * @property {string} version version in package.json
 * @property {string} dir directory relative to the workspace root
 * @property {Record<string, any>} manifest parsed package.json
 */

/**
 * Every non-private package under `packages/`, keyed by both project and package name.
 *
 * @param {string} root
 * @returns {PublishablePackage[]}
 */
function listPublishablePackages(root) {
  return listWorkspacePackages(root)
    .filter(({ dir, manifest }) => dir.startsWith(PACKAGES_DIR) && manifest.private !== true)
    .map(({ dir, manifest }) => {
      if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string') {
        throw new Error(`${dir}/package.json needs a "name" and a "version" to be published`);
      }
      return { project: manifest.nx?.name ?? manifest.name, name: manifest.name, version: manifest.version, dir, manifest };
    });
}

/**
 * The selected packages in publish order: every package after the workspace packages it needs
 * at runtime, so a consumer never sees a version whose dependency is not there yet.
 *
 * @param {string} root
 * @param {readonly string[]} selection project or package names; empty selects all
 * @returns {PublishablePackage[]}
 */
function planPublish(root, selection = []) {
  const all = listPublishablePackages(root);
  const selected = selection.length === 0 ? all : selection.map((wanted) => {
    const found = all.find((pkg) => pkg.project === wanted || pkg.name === wanted);
    if (!found) {
      throw new Error(`"${wanted}" is not a publishable package; choose from: ${all.map((pkg) => pkg.project).join(', ')}`);
    }
    return found;
  });
  const byName = new Map(selected.map((pkg) => [pkg.name, pkg]));
  /** @type {PublishablePackage[]} */
  const ordered = [];
  /** @type {Set<string>} */
  const visiting = new Set();
  /** @param {PublishablePackage} pkg */
  const visit = (pkg) => {
    if (ordered.includes(pkg)) return;
    if (visiting.has(pkg.name)) throw new Error(`runtime dependency cycle through ${pkg.name}: packages cannot be published in order`);
    visiting.add(pkg.name);
    const needs = RUNTIME_COLLECTIONS.flatMap((collection) => Object.keys(pkg.manifest[collection] ?? {})).sort();
    for (const name of needs) {
      const dependency = byName.get(name);
      if (dependency) visit(dependency);
    }
    visiting.delete(pkg.name);
    ordered.push(pkg);
  };
  [...selected].sort((a, b) => a.name.localeCompare(b.name)).forEach(visit);
  return ordered;
}

/**
 * Command and leading arguments that run npm: the npm running this script when started through
 * `npm run`, so the same npm version publishes, or `npm` from PATH.
 *
 * @returns {[string, string[]]}
 */
function npmCommand() {
  const execPath = process.env.npm_execpath;
  if (execPath && /npm-cli\.js$/.test(execPath)) return [process.execPath, [execPath]];
  return [process.platform === 'win32' ? 'npm.cmd' : 'npm', []];
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd
 * @param {string} what shown in the error when the command fails
 */
function run(command, args, cwd, what) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: process.env });
  if (result.error) throw new Error(`${what}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${what} failed (exit code ${result.status ?? result.signal})`);
}

/**
 * Compiles the packages from scratch with their `tsconfig.lib.json` (tsc -b also builds the
 * workspace packages they reference) and checks that everything package.json points at exists
 * and is newer than its sources (the same check each package's `prepack` runs), so a half-built
 * package is never published.
 *
 * From scratch because incremental output can be stale: a dist keeps the compiled files of
 * deleted sources, and tsc -b takes a project whose build info is newer than every source as up
 * to date, even when a source appeared while it was compiling.
 *
 * @param {string} root
 * @param {readonly PublishablePackage[]} packages
 */
function buildPackages(root, packages) {
  const configs = packages.map((pkg) => {
    const config = path.join(pkg.dir, 'tsconfig.lib.json');
    if (!fs.existsSync(path.join(root, config))) throw new Error(`${config} does not exist: cannot build ${pkg.name}`);
    return config;
  });
  for (const pkg of packages) fs.rmSync(path.join(root, pkg.dir, 'dist'), { recursive: true, force: true });
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  run(process.execPath, [tsc, '-b', '--force', ...configs], root, `building ${packages.map((pkg) => pkg.name).join(', ')}`);
  for (const pkg of packages) {
    const problems = packProblems(path.join(root, pkg.dir));
    if (problems.length > 0) throw new Error(`${pkg.name} after the build: ${problems.join('; ')}`);
  }
}

/**
 * @typedef {object} PublishOptions
 * @property {string} [root] workspace root
 * @property {readonly string[]} [projects] project or package names; empty publishes every package
 * @property {string} [registry] registry URL; default: npm's configured registry
 * @property {string} [tag] npm dist-tag
 * @property {boolean} [dryRun] run `npm publish --dry-run` (npm may still contact the registry)
 * @property {boolean} [build] compile before publishing (default true)
 * @property {(message: string) => void} [log]
 */

/**
 * Builds and publishes packages in dependency order; stops at the first failure.
 *
 * @param {PublishOptions} options
 * @returns {PublishablePackage[]} what was published
 */
function publishPackages({ root = WORKSPACE_ROOT, projects = [], registry, tag = 'latest', dryRun = false, build = true, log = console.log } = {}) {
  const packages = planPublish(root, projects);
  if (build) buildPackages(root, packages);
  const [npm, npmArgs] = npmCommand();
  for (const pkg of packages) {
    log(`${dryRun ? 'Checking' : 'Publishing'} ${pkg.name}@${pkg.version} (dist-tag ${tag})${registry ? ` to ${registry}` : ''}`);
    // An absolute path: npm reads `packages/x` as a GitHub `owner/repo` shorthand.
    const args = [...npmArgs, 'publish', path.join(root, pkg.dir), '--access', 'public', '--tag', tag];
    if (registry) args.push('--registry', registry);
    if (dryRun) args.push('--dry-run');
    run(npm, args, root, `npm publish of ${pkg.name}@${pkg.version}`);
  }
  return packages;
}

/** @param {string[]} argv */
function main(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      registry: { type: 'string' },
      tag: { type: 'string', default: 'latest' },
      'dry-run': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: node tools/release/publish.js [--registry <url>] [--tag <dist-tag>] [--dry-run] [--no-build] [project ...]');
    return;
  }
  const published = publishPackages({ projects: positionals, registry: values.registry, tag: values.tag, dryRun: values['dry-run'], build: !values['no-build'] });
  console.log(`${values['dry-run'] ? 'Checked' : 'Published'}: ${published.map((pkg) => `${pkg.name}@${pkg.version}`).join(', ')}`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`publish: ${/** @type {Error} */ (error).message}`);
    process.exitCode = 1;
  }
}

module.exports = { buildPackages, listPublishablePackages, planPublish, publishPackages };

// @ts-check
/**
 * `nx release` version actions for the npm packages of this workspace.
 *
 * Nx core resolves versions (git tags, conventional commits), writes changelogs and tags; the
 * per-ecosystem part — reading and writing manifests — normally comes from `@nx/js`. Every
 * `@nx/*` package must match the `nx` version exactly and the registry this workspace builds
 * from serves no `@nx/js` 24, so this module is the npm implementation, built on the public
 * `VersionActions` base class that `nx/release` exports. Configured in `nx.json` as
 * `release.version.versionActions`.
 *
 * What it does beyond reading and writing `version`:
 * - Dependency ranges on released workspace packages are rewritten to the new version, keeping
 *   the `^`/`~` prefix, so a dependent released because of a fix requires that fix. (Ranges
 *   that already match are kept only where `preserveMatchingDependencyRanges` asks for it;
 *   `nx.json` turns it off.)
 * - After versioning, every workspace manifest (the private apps included, which Nx does not
 *   version) whose `@core-infra/*` range no longer accepts the local version is widened to it,
 *   and `package-lock.json` is brought in line. Without that, npm would try to fetch the
 *   out-of-range version from the registry instead of linking the workspace package, and
 *   `npm ci` would refuse the stale lock file.
 * - Current versions never come from a registry: they come from git tags (falling back to
 *   package.json for a package that was never released), so versioning works offline.
 *
 * Plain CommonJS with JSDoc types (checked by `tsconfig.json` next to it): Nx loads this file
 * with `require`, on any supported Node.js version, without a build step.
 */
const path = require('node:path');
const { VersionActions } = require('nx/release');
const { semver, syncWorkspaceDependencyRanges } = require('./workspace-ranges');

/** @typedef {import('nx/src/generators/tree').Tree} Tree */
/** @typedef {import('nx/src/config/project-graph').ProjectGraph} ProjectGraph */
/** @typedef {import('nx/release').AfterAllProjectsVersioned} AfterAllProjectsVersioned */

/** Every manifest collection that can name a workspace package. */
const ALL_COLLECTIONS = /** @type {const} */ (['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']);

/**
 * Reads a JSON file from the Nx virtual tree, with the file named in the error.
 *
 * @param {Tree} tree
 * @param {string} file path relative to the workspace root
 * @returns {Record<string, any>}
 */
function readJson(tree, file) {
  const text = tree.read(file, 'utf-8');
  if (text === null) throw new Error(`${file} does not exist`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${/** @type {Error} */ (error).message}`, { cause: error });
  }
}

/**
 * Writes JSON the way npm does (two-space indent, trailing newline), so release commits only
 * show the changed values.
 *
 * @param {Tree} tree
 * @param {string} file
 * @param {unknown} value
 */
function writeJson(tree, file, value) {
  tree.write(file, `${JSON.stringify(value, null, 2)}\n`);
}

class NpmVersionActions extends VersionActions {
  /** @type {string[]} */
  validManifestFilenames = ['package.json'];

  /** @returns {string} */
  get manifestPath() {
    return path.posix.join(this.projectGraphNode.data.root, 'package.json');
  }

  /**
   * npm package name of a workspace project. Nx core records it in the project metadata when it
   * reads the project's package.json.
   *
   * @param {ProjectGraph} projectGraph
   * @param {string} projectName
   * @returns {string}
   */
  static packageNameOf(projectGraph, projectName) {
    const packageName = projectGraph.nodes[projectName]?.data.metadata?.js?.packageName;
    if (!packageName) {
      throw new Error(`Project "${projectName}" has no npm package name in the project graph: is it missing a package.json with a "name"?`);
    }
    return packageName;
  }

  /**
   * @param {Tree} tree
   * @returns {Promise<{ currentVersion: string, manifestPath: string }>}
   */
  async readCurrentVersionFromSourceManifest(tree) {
    const manifest = readJson(tree, this.manifestPath);
    if (typeof manifest.version !== 'string' || manifest.version === '') {
      throw new Error(`${this.manifestPath} has no "version": project "${this.projectGraphNode.name}" cannot be released without one`);
    }
    return { currentVersion: manifest.version, manifestPath: this.manifestPath };
  }

  /**
   * Not supported: versions come from git tags (falling back to package.json for a package that
   * was never released), so a release never depends on a registry being reachable.
   *
   * @returns {Promise<null>}
   */
  async readCurrentVersionFromRegistry() {
    return null;
  }

  /**
   * @param {Tree} tree
   * @param {ProjectGraph} projectGraph
   * @param {string} dependencyProjectName
   * @returns {Promise<{ currentVersion: string | null, dependencyCollection: string | null }>}
   */
  async readCurrentVersionOfDependency(tree, projectGraph, dependencyProjectName) {
    const manifest = readJson(tree, this.manifestPath);
    const packageName = NpmVersionActions.packageNameOf(projectGraph, dependencyProjectName);
    for (const collection of ALL_COLLECTIONS) {
      const spec = manifest[collection]?.[packageName];
      if (typeof spec === 'string') return { currentVersion: spec, dependencyCollection: collection };
    }
    return { currentVersion: null, dependencyCollection: null };
  }

  /**
   * @param {Tree} tree
   * @param {string} newVersion
   * @returns {Promise<string[]>}
   */
  async updateProjectVersion(tree, newVersion) {
    const messages = [];
    for (const { manifestPath } of this.manifestsToUpdate) {
      const manifest = readJson(tree, manifestPath);
      manifest.version = newVersion;
      writeJson(tree, manifestPath, manifest);
      messages.push(`✍️  New version ${newVersion} written to manifest: ${manifestPath}`);
    }
    return messages;
  }

  /**
   * @param {Tree} tree
   * @param {ProjectGraph} projectGraph
   * @param {Record<string, string>} dependenciesToUpdate new version spec by dependency project name
   * @returns {Promise<string[]>}
   */
  async updateProjectDependencies(tree, projectGraph, dependenciesToUpdate) {
    const preserve = this.finalConfigForProject.preserveMatchingDependencyRanges;
    /** @type {readonly string[]} */
    const preserveIn = preserve === true ? ALL_COLLECTIONS : Array.isArray(preserve) ? preserve : [];
    const messages = [];
    for (const { manifestPath, preserveLocalDependencyProtocols } of this.manifestsToUpdate) {
      const manifest = readJson(tree, manifestPath);
      let updated = 0;
      for (const [dependencyProject, spec] of Object.entries(dependenciesToUpdate)) {
        const packageName = NpmVersionActions.packageNameOf(projectGraph, dependencyProject);
        const newVersion = spec.replace(/^[~^=]/, '');
        for (const collection of ALL_COLLECTIONS) {
          const current = manifest[collection]?.[packageName];
          if (typeof current !== 'string' || current === spec) continue;
          if (/^(file|link|workspace):/.test(current)) {
            if (preserveLocalDependencyProtocols) continue;
            throw new Error(`${manifestPath} names ${packageName} as "${current}": npm cannot publish local protocols, use a semver range`);
          }
          if (preserveIn.includes(collection) && semver.validRange(current) && semver.satisfies(newVersion, current)) continue;
          manifest[collection][packageName] = spec;
          updated += 1;
        }
      }
      if (updated > 0) {
        writeJson(tree, manifestPath, manifest);
        messages.push(`✍️  Updated ${updated} ${updated === 1 ? 'dependency' : 'dependencies'} in manifest: ${manifestPath}`);
      }
    }
    return messages;
  }
}

/**
 * Runs once after every project is versioned and written to disk: widens stale
 * `@core-infra/*` ranges anywhere in the workspace and syncs package-lock.json. Returns the
 * files it changed so `nx release` stages them into the release commit.
 *
 * @type {AfterAllProjectsVersioned}
 */
const afterAllProjectsVersioned = async (cwd, { dryRun }) => {
  // A dry run wrote nothing: the manifests on disk still hold the old versions.
  if (dryRun) return { changedFiles: [], deletedFiles: [] };
  return { changedFiles: syncWorkspaceDependencyRanges(cwd, { log: console.log }), deletedFiles: [] };
};

module.exports = NpmVersionActions;
module.exports.default = NpmVersionActions;
module.exports.NpmVersionActions = NpmVersionActions;
module.exports.afterAllProjectsVersioned = afterAllProjectsVersioned;

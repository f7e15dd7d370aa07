// @ts-check
/**
 * Keeps the npm workspace consistent after a release changed package versions.
 *
 * npm links a workspace package into `node_modules` only while the dependent's range accepts
 * the local version; otherwise it tries to download that range from the registry. And `npm ci`
 * refuses a `package-lock.json` whose workspace entries disagree with the manifests. `nx
 * release` only rewrites manifests of the projects it releases, so the private apps (and
 * dev-only edges, which do not bump their dependent) are handled here.
 */
const fs = require('node:fs');
const path = require('node:path');

/** Declared by the workspace (a devDependency), not borrowed from another package's node_modules. */
const semver = require('semver');

const COLLECTIONS = /** @type {const} */ (['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']);

/**
 * @typedef {object} WorkspacePackage
 * @property {string} dir directory relative to the workspace root, `/`-separated
 * @property {string} manifestPath absolute path of its package.json
 * @property {Record<string, any>} manifest parsed package.json
 */

/**
 * @param {string} file
 * @returns {Record<string, any>}
 */
function readJsonFile(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${/** @type {Error} */ (error).message}`, { cause: error });
  }
}

/**
 * Workspace packages named by the root package.json `workspaces`. Supports the patterns this
 * repository uses: a directory, or a directory followed by a single `*`.
 *
 * @param {string} root workspace root
 * @returns {WorkspacePackage[]}
 */
function listWorkspacePackages(root) {
  const rootManifest = readJsonFile(path.join(root, 'package.json'));
  const patterns = Array.isArray(rootManifest.workspaces) ? rootManifest.workspaces : (rootManifest.workspaces?.packages ?? []);
  /** @type {WorkspacePackage[]} */
  const packages = [];
  for (const pattern of patterns) {
    if (typeof pattern !== 'string') continue;
    const normalized = pattern.replace(/\/+$/, '');
    /** @type {string[]} */
    let dirs;
    if (normalized.endsWith('/*') && !normalized.slice(0, -2).includes('*')) {
      const parent = normalized.slice(0, -2);
      const parentAbs = path.join(root, parent);
      dirs = fs.existsSync(parentAbs)
        ? fs.readdirSync(parentAbs, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => `${parent}/${entry.name}`).sort()
        : [];
    } else if (!normalized.includes('*')) {
      dirs = [normalized];
    } else {
      throw new Error(`workspaces pattern "${pattern}" is not supported by the release tooling: use "dir" or "dir/*"`);
    }
    for (const dir of dirs) {
      const manifestPath = path.join(root, dir, 'package.json');
      if (fs.existsSync(manifestPath)) packages.push({ dir, manifestPath, manifest: readJsonFile(manifestPath) });
    }
  }
  return packages;
}

/**
 * The range to write when `spec` no longer accepts `version`: same operator (`^`, `~` or
 * exact), new version.
 *
 * @param {string} spec
 * @param {string} version
 * @returns {string}
 */
function widenRange(spec, version) {
  const prefix = /^\s*([~^])/.exec(spec)?.[1] ?? (semver.valid(spec.trim()) ? '' : '^');
  return `${prefix}${version}`;
}

/**
 * Widens every workspace-internal dependency range that no longer accepts the local version,
 * then makes `package-lock.json` agree with the manifests (workspace versions and their
 * workspace-internal ranges). Only entries for workspace packages are touched.
 *
 * @param {string} root workspace root
 * @param {{ log: (message: string) => void }} options
 * @returns {string[]} changed files, relative to `root`
 */
function syncWorkspaceDependencyRanges(root, { log }) {
  const packages = listWorkspacePackages(root);
  /** @type {Map<string, string>} */
  const localVersions = new Map();
  for (const { manifest } of packages) {
    if (typeof manifest.name === 'string' && typeof manifest.version === 'string') localVersions.set(manifest.name, manifest.version);
  }

  /** @type {string[]} */
  const changed = [];
  for (const pkg of packages) {
    let dirty = false;
    for (const collection of COLLECTIONS) {
      const deps = pkg.manifest[collection];
      if (!deps) continue;
      for (const [name, spec] of Object.entries(deps)) {
        const local = localVersions.get(name);
        if (local === undefined || typeof spec !== 'string') continue;
        if (/^(file|link|workspace):/.test(spec) || spec === '*') continue;
        if (!semver.validRange(spec)) {
          throw new Error(`${pkg.dir}/package.json: ${collection}.${name} is "${spec}", which is not a semver range`);
        }
        if (semver.satisfies(local, spec, { includePrerelease: true })) continue;
        const widened = widenRange(spec, local);
        log(`Updated ${pkg.dir}/package.json ${collection}.${name}: ${spec} -> ${widened}`);
        deps[name] = widened;
        dirty = true;
      }
    }
    if (dirty) {
      changed.push(`${pkg.dir}/package.json`);
      fs.writeFileSync(pkg.manifestPath, `${JSON.stringify(pkg.manifest, null, 2)}\n`);
    }
  }

  const lockPath = path.join(root, 'package-lock.json');
  if (!fs.existsSync(lockPath)) return changed;
  const lock = readJsonFile(lockPath);
  let lockDirty = false;
  for (const pkg of packages) {
    const entry = lock.packages?.[pkg.dir];
    if (!entry) {
      throw new Error(`package-lock.json has no entry for workspace ${pkg.dir}: run "npm install" and commit the lock file before releasing`);
    }
    if (typeof pkg.manifest.version === 'string' && entry.version !== pkg.manifest.version) {
      log(`Set package-lock.json ${pkg.dir} version: ${entry.version} -> ${pkg.manifest.version}`);
      entry.version = pkg.manifest.version;
      lockDirty = true;
    }
    for (const collection of COLLECTIONS) {
      for (const [name, spec] of Object.entries(pkg.manifest[collection] ?? {})) {
        if (!localVersions.has(name)) continue;
        if (entry[collection]?.[name] === spec) continue;
        entry[collection] = { ...(entry[collection] ?? {}), [name]: spec };
        lockDirty = true;
      }
    }
  }
  if (lockDirty) {
    changed.push('package-lock.json');
    fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
  }
  return changed;
}

module.exports = { listWorkspacePackages, semver, syncWorkspaceDependencyRanges, widenRange };

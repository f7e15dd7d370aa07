#!/usr/bin/env node
// @ts-check
/**
 * Refuses to pack a package whose compiled output is missing or older than its sources, so
 * `npm pack` and `npm publish` can never ship a tarball without `dist/` (or with yesterday's).
 * Each package runs it as its `prepack` script, with the package folder as the working directory:
 *
 *   node ../../tools/release/check-packable.js
 *
 * Exit 0 when packable; exit 1 with what is wrong and the command that fixes it.
 */
const fs = require('node:fs');
const path = require('node:path');

/** The export condition that points the workspace at TypeScript sources; never packed. */
const SOURCE_CONDITION = '@core-infra/source';

/**
 * Every file path a package.json points consumers at: `main`, `types`, `bin` and each `exports`
 * target except the workspace-only source condition.
 *
 * @param {Record<string, any>} manifest parsed package.json
 * @returns {{ field: string, file: string }[]}
 */
function entryPoints(manifest) {
  /** @type {{ field: string, file: string }[]} */
  const entries = [];
  for (const field of ['main', 'types']) {
    if (typeof manifest[field] === 'string') entries.push({ field, file: manifest[field] });
  }
  const bin = typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {});
  for (const [name, file] of Object.entries(bin)) entries.push({ field: `bin.${name}`, file: String(file) });
  /** @type {(value: unknown, field: string) => void} */
  const walk = (value, field) => {
    if (typeof value === 'string') entries.push({ field, file: value });
    else if (value && typeof value === 'object') {
      for (const [key, nested] of Object.entries(value)) if (key !== SOURCE_CONDITION) walk(nested, `${field}["${key}"]`);
    }
  };
  walk(manifest.exports, 'exports');
  return entries.filter(({ file }) => !file.endsWith('package.json'));
}

/**
 * The newest file under `dir` (recursively), or undefined when there is none.
 *
 * @param {string} dir
 * @param {(file: string) => boolean} [include]
 * @returns {{ file: string, mtimeMs: number } | undefined}
 */
function newestFile(dir, include = () => true) {
  if (!fs.existsSync(dir)) return undefined;
  /** @type {{ file: string, mtimeMs: number } | undefined} */
  let newest;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (!include(file)) continue;
    const { mtimeMs } = fs.statSync(file);
    if (!newest || mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  }
  return newest;
}

/**
 * What stops the package in `packageDir` from being packed: entry points that do not exist, or
 * a source file newer than everything compiled into `dist/`. Empty when it can be packed.
 *
 * @param {string} packageDir folder holding package.json
 * @returns {string[]}
 */
function packProblems(packageDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const problems = entryPoints(manifest)
    .filter(({ file }) => !fs.existsSync(path.join(packageDir, file)))
    .map(({ field, file }) => `${file} (package.json "${field}") does not exist`);
  const source = newestFile(path.join(packageDir, 'src'), (file) => !/\.test\.tsx?$/.test(file));
  const compiled = newestFile(path.join(packageDir, 'dist'));
  if (source && compiled && source.mtimeMs > compiled.mtimeMs) {
    problems.push(`${path.relative(packageDir, source.file)} changed after the last build (dist/ is older than its sources)`);
  }
  return problems;
}

/**
 * Runs the check for the package in `packageDir` and reports like a CLI.
 *
 * @param {string} packageDir
 * @returns {number} exit code
 */
function main(packageDir) {
  let problems;
  try {
    problems = packProblems(packageDir);
  } catch (error) {
    console.error(`cannot check ${path.join(packageDir, 'package.json')}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  if (problems.length === 0) return 0;
  const name = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')).name;
  console.error(
    [`${name} cannot be packed:`, ...problems.map((problem) => `  - ${problem}`), 'Build it first: npm run build (from the repository root), then pack or publish again.'].join('\n'),
  );
  return 1;
}

if (require.main === module) process.exitCode = main(process.cwd());

module.exports = { entryPoints, packProblems };

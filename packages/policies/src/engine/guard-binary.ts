import { accessSync, constants, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** Error raised when the policy engine cannot run as configured; it always fails the check. */
export class PolicyEngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyEngineError';
  }
}

/**
 * Raised when an input cannot be used: a path, a file's content, or a setting such as
 * `CORE_POLICIES_GUARD_BINARY`. The message names the file or setting and the fix; the CLI prints
 * it as one line and exits 2.
 *
 * It extends {@link PolicyEngineError} because nothing can be checked without the input, and so
 * callers that already turn engine errors of `listAssemblyStacks` into their own input
 * errors (the destructive-change gate, the deploy CLI) keep doing so.
 */
export class TemplateInputError extends PolicyEngineError {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateInputError';
  }
}

/** Environment variable that replaces the bundled cfn-guard binary with another one. */
export const GUARD_BINARY_ENV = 'CORE_POLICIES_GUARD_BINARY';

/** The cfn-guard major version the rules are written for; other majors parse them differently. */
export const SUPPORTED_GUARD_MAJOR_VERSION = 3;

/** Which cfn-guard binary runs, for reports and diagnostics. */
export interface GuardBinaryInfo {
  /** Path of the binary. */
  readonly path: string;
  /** Version the binary reports, e.g. `3.1.1`. */
  readonly version: string;
  /** `bundled` for the binary of `@cdklabs/cdk-validator-cfnguard`, `override` for an explicit path or `CORE_POLICIES_GUARD_BINARY`. */
  readonly source: 'bundled' | 'override';
}

/** Where a binary path came from; decides which fix an error message suggests. */
type BinaryOrigin = 'option' | 'environment' | 'bundled';

/**
 * Folder of the `@cdklabs/cdk-validator-cfnguard` package, which ships the cfn-guard binary
 * and the Control Tower rules.
 */
export function cfnGuardPackageDir(): string {
  return path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
}

/**
 * Finds the cfn-guard binary for this platform and proves it can be executed and is a supported
 * version.
 *
 * @param override an explicit binary path (tests use this for fault injection); the
 *   `CORE_POLICIES_GUARD_BINARY` environment variable is the next choice, then the binary
 *   bundled with `@cdklabs/cdk-validator-cfnguard`
 * @returns the path of the binary
 * @throws TemplateInputError when the override or `CORE_POLICIES_GUARD_BINARY` is empty
 * @throws PolicyEngineError when the platform is unsupported, or the file is missing, not
 *   executable or not cfn-guard {@link SUPPORTED_GUARD_MAJOR_VERSION}.x
 */
export function resolveGuardBinary(override?: string): string {
  return guardBinaryInfo(override).path;
}

/**
 * Describes the cfn-guard binary that runs: its path, the version it reports and whether it is
 * the bundled one. The version is read once per path (`<binary> --version`) and cached.
 *
 * @param override an explicit binary path; see {@link resolveGuardBinary} for the order of choices
 * @throws TemplateInputError when the override or `CORE_POLICIES_GUARD_BINARY` is empty
 * @throws PolicyEngineError when the binary is missing, not executable or not cfn-guard
 *   {@link SUPPORTED_GUARD_MAJOR_VERSION}.x
 */
export function guardBinaryInfo(override?: string): GuardBinaryInfo {
  const { binary, origin } = chooseBinary(override);
  requireExecutable(binary, origin);
  return { path: binary, version: supportedVersion(binary, origin), source: origin === 'bundled' ? 'bundled' : 'override' };
}

function chooseBinary(override: string | undefined): { binary: string; origin: BinaryOrigin } {
  if (override !== undefined) {
    if (override.trim() === '') {
      throw new TemplateInputError('the cfn-guard binary path is empty: pass the path of a cfn-guard 3.x binary, or leave it unset to use the bundled cfn-guard');
    }
    return { binary: override, origin: 'option' };
  }
  const fromEnv = process.env[GUARD_BINARY_ENV];
  if (fromEnv !== undefined) {
    // An empty value usually comes from a CI variable that was declared but not filled in;
    // falling back to the bundled binary would hide that the override did not take effect.
    if (fromEnv.trim() === '') {
      throw new TemplateInputError(`${GUARD_BINARY_ENV} is set but empty: unset it to use the bundled cfn-guard, or set it to the path of a cfn-guard 3.x binary`);
    }
    return { binary: fromEnv, origin: 'environment' };
  }
  return { binary: bundledGuardBinary(), origin: 'bundled' };
}

function requireExecutable(binary: string, origin: BinaryOrigin): void {
  if (!existsSync(binary)) {
    throw new PolicyEngineError(`cfn-guard binary not found at ${binary}: ${fixFor(origin)}`);
  }
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new PolicyEngineError(`cfn-guard binary at ${binary} is not executable: run chmod +x on it or reinstall dependencies (npm ci)`);
  }
}

function fixFor(origin: BinaryOrigin): string {
  switch (origin) {
    case 'option':
      return `pass the path of a cfn-guard ${SUPPORTED_GUARD_MAJOR_VERSION}.x binary`;
    case 'environment':
      return `set ${GUARD_BINARY_ENV} to the path of a cfn-guard ${SUPPORTED_GUARD_MAJOR_VERSION}.x binary, or unset it to use the bundled cfn-guard`;
    case 'bundled':
      return `reinstall dependencies (npm ci) or set ${GUARD_BINARY_ENV} to a cfn-guard ${SUPPORTED_GUARD_MAJOR_VERSION}.x binary`;
  }
}

// Rules written for one cfn-guard major can parse differently (or not at all) under another, so
// an unsupported binary would silently check less. Only successes are cached: a failure is
// reported again on the next call with the same path.
const verifiedVersions = new Map<string, string>();

// A binary that hangs on --version must not hang the check.
const VERSION_TIMEOUT_MS = 30_000;

function supportedVersion(binary: string, origin: BinaryOrigin): string {
  const cached = verifiedVersions.get(binary);
  if (cached !== undefined) return cached;
  const version = reportedVersion(binary, origin);
  const major = Number(version.split('.')[0]);
  if (major !== SUPPORTED_GUARD_MAJOR_VERSION) {
    throw new PolicyEngineError(`cfn-guard binary ${binary} is version ${version}, but the rules need cfn-guard ${SUPPORTED_GUARD_MAJOR_VERSION}.x: ${fixFor(origin)}`);
  }
  verifiedVersions.set(binary, version);
  return version;
}

function reportedVersion(binary: string, origin: BinaryOrigin): string {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: VERSION_TIMEOUT_MS });
  if (result.error) {
    throw new PolicyEngineError(`cfn-guard binary ${binary} could not be run to read its version (${result.error.message}): ${fixFor(origin)}`);
  }
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  const match = /^cfn-guard (\d+\.\d+\.\d+)\b/m.exec(output);
  if (result.status !== 0 || !match) {
    const printed = JSON.stringify(output.split('\n')[0].slice(0, 200));
    throw new PolicyEngineError(
      `cfn-guard binary ${binary} does not report a cfn-guard version: \`--version\` exited ${result.status ?? result.signal} and printed ${printed} instead of "cfn-guard X.Y.Z": ${fixFor(origin)}`,
    );
  }
  return match[1];
}

function bundledGuardBinary(): string {
  const platform = { linux: 'ubuntu', darwin: 'macos' }[process.platform as string];
  const arch = { x64: 'x86_64', arm64: 'aarch64' }[process.arch as string];
  if (!platform || !arch) {
    throw new PolicyEngineError(`cfn-guard is not bundled for ${process.platform}/${process.arch}: run the policy checks on Linux or macOS (x64 or arm64), or set ${GUARD_BINARY_ENV}`);
  }
  return path.join(cfnGuardPackageDir(), 'bin', platform, arch, 'cfn-guard');
}

import { accessSync, constants, existsSync } from 'node:fs';
import * as path from 'node:path';

/** Error raised when the policy engine cannot run as configured; it always fails the check. */
export class PolicyEngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyEngineError';
  }
}

/**
 * Folder of the `@cdklabs/cdk-validator-cfnguard` package, which ships the cfn-guard binary
 * and the Control Tower rules.
 */
export function cfnGuardPackageDir(): string {
  return path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
}

/**
 * Finds the cfn-guard binary for this platform and proves it can be executed.
 *
 * @param override an explicit binary path (tests use this for fault injection); the
 *   `CORE_POLICIES_GUARD_BINARY` environment variable is the next choice, then the binary
 *   bundled with `@cdklabs/cdk-validator-cfnguard`
 * @throws PolicyEngineError when the platform is unsupported or the file is missing or not executable
 */
export function resolveGuardBinary(override?: string): string {
  const binary = override ?? process.env.CORE_POLICIES_GUARD_BINARY ?? bundledGuardBinary();
  if (!existsSync(binary)) {
    throw new PolicyEngineError(`cfn-guard binary not found at ${binary}: reinstall dependencies (npm ci) or set CORE_POLICIES_GUARD_BINARY to a cfn-guard 3.x binary`);
  }
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new PolicyEngineError(`cfn-guard binary at ${binary} is not executable: run chmod +x on it or reinstall dependencies (npm ci)`);
  }
  return binary;
}

function bundledGuardBinary(): string {
  const platform = { linux: 'ubuntu', darwin: 'macos' }[process.platform as string];
  const arch = { x64: 'x86_64', arm64: 'aarch64' }[process.arch as string];
  if (!platform || !arch) {
    throw new PolicyEngineError(`cfn-guard is not bundled for ${process.platform}/${process.arch}: run the policy checks on Linux or macOS (x64 or arm64), or set CORE_POLICIES_GUARD_BINARY`);
  }
  return path.join(cfnGuardPackageDir(), 'bin', platform, arch, 'cfn-guard');
}

import { readFileSync } from 'node:fs';

/**
 * The feature flags every CORE app synthesizes with: aws-cdk-lib's recommended flags for
 * new projects, which include `@aws-cdk/core:validateAgainstDefaultRules` (CDK's built-in
 * CloudFormation validation fails synth instead of warning).
 *
 * Read once per process from the installed aws-cdk-lib, so a CDK upgrade brings its new
 * recommended flags with it and the snapshot tests show what they change.
 *
 * @returns a fresh copy of the context object, safe to mutate
 */
export function coreAppContext(): Record<string, unknown> {
  recommendedFlags ??= JSON.parse(readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf8')) as Record<string, unknown>;
  return { ...recommendedFlags, '@aws-cdk/core:validateAgainstDefaultRules': true };
}

let recommendedFlags: Record<string, unknown> | undefined;

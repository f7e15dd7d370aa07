import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The committed flag file at the package root, next to `src/` and `dist/`. */
const FEATURE_FLAGS_FILE = path.join(__dirname, '..', 'feature-flags.json');

/** The shape of `feature-flags.json`. */
export interface PinnedFeatureFlags {
  /** Every CDK feature flag CORE sets, by name. */
  readonly flags: Record<string, unknown>;
  /** Why a flag differs from aws-cdk-lib's recommended value, by flag name. */
  readonly divergences: Record<string, string>;
}

/**
 * The pinned feature flags, as committed in the package's `feature-flags.json`.
 *
 * @returns the parsed file; a fresh object on every call
 */
export function pinnedFeatureFlags(): PinnedFeatureFlags {
  return JSON.parse(readFileSync(FEATURE_FLAGS_FILE, 'utf8')) as PinnedFeatureFlags;
}

/**
 * The feature flags every CORE app synthesizes with, as an `App` context:
 * `new App({ context: coreAppContext() })`.
 *
 * The flags are pinned in the package's committed `feature-flags.json` (aws-cdk-lib's recommended
 * flags, including `@aws-cdk/core:validateAgainstDefaultRules`, when they were last reviewed), so
 * upgrading aws-cdk-lib never changes a flag on its own: a test fails when an upgrade recommends
 * a flag the file does not decide. Setting every flag also silences the CDK CLI's "feature flags
 * are not configured" notices.
 *
 * @returns a fresh copy of the context object, safe to mutate
 */
export function coreAppContext(): Record<string, unknown> {
  pinned ??= pinnedFeatureFlags().flags;
  return { ...pinned };
}

let pinned: Record<string, unknown> | undefined;

// The pinned feature flags are a decision, not a copy: an aws-cdk-lib upgrade that adds or
// changes a recommended flag fails here until someone records the value in feature-flags.json.
import { readFileSync } from 'node:fs';
import { App, FeatureFlags, cx_api } from 'aws-cdk-lib';
import { coreAppContext, pinnedFeatureFlags } from '../src';

const recommended = JSON.parse(readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf8')) as Record<string, unknown>;
const cdkVersion = (JSON.parse(readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')) as { version: string }).version;

describe('feature-flags.json', () => {
  const { flags, divergences } = pinnedFeatureFlags();

  test('decides every flag the installed aws-cdk-lib recommends', () => {
    const undecided = Object.keys(recommended).filter((flag) => !(flag in flags));
    if (undecided.length > 0) {
      throw new Error(
        `aws-cdk-lib ${cdkVersion} recommends flags that packages/policies/feature-flags.json does not set: ${undecided.join(', ')}. ` +
          'Read each in aws-cdk-lib/FEATURE_FLAGS.md, then add it with the recommended value, or with another value and a reason under "divergences".',
      );
    }
  });

  test('holds the recommended value of every flag, unless a divergence says why', () => {
    const unexplained = Object.entries(recommended)
      .filter(([flag, value]) => flag in flags && JSON.stringify(flags[flag]) !== JSON.stringify(value) && !divergences[flag])
      .map(([flag, value]) => `${flag}: pinned ${JSON.stringify(flags[flag])}, recommended ${JSON.stringify(value)}`);
    expect(unexplained).toEqual([]);
  });

  test('explains each divergence in a sentence, and only for flags that diverge', () => {
    for (const [flag, reason] of Object.entries(divergences)) {
      expect({ flag, pinned: flag in flags, diverges: JSON.stringify(flags[flag]) !== JSON.stringify(recommended[flag]), reason: reason.length >= 20 }).toEqual({
        flag,
        pinned: true,
        diverges: true,
        reason: true,
      });
    }
  });

  test('sets no flag aws-cdk-lib does not know, so a typo cannot pass as a decision', () => {
    const unknown = Object.keys(flags).filter((flag) => !(flag in cx_api.FLAGS));
    expect(unknown).toEqual([]);
  });
});

describe('coreAppContext()', () => {
  test('gives an App exactly the pinned flags, including CDK validation against its default rules', () => {
    const app = new App({ context: coreAppContext() });
    expect(FeatureFlags.of(app).isEnabled('@aws-cdk/core:validateAgainstDefaultRules')).toBe(true);
    for (const [flag, value] of Object.entries(pinnedFeatureFlags().flags)) {
      expect([flag, app.node.tryGetContext(flag)]).toEqual([flag, value]);
    }
  });

  test('returns a fresh object, so one app changing its context does not change the next', () => {
    const first = coreAppContext();
    first['@aws-cdk/core:validateAgainstDefaultRules'] = false;
    expect(coreAppContext()['@aws-cdk/core:validateAgainstDefaultRules']).toBe(true);
  });
});

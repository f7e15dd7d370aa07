// Dangerous configs that used to synthesize and pass the production profile: each is now refused
// with the config path, the value and the fix. One environment's own checks first, then those
// between environments, which only hold when the configs load together.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildEnvironmentApp, environmentSetProblems, loadEnvironmentConfig, loadEnvironmentSet, loadMetaConfig, parseReviewApps, type EnvironmentSet, type WorkloadEnvironmentName } from '../../src';
import { problemsOf } from './problems-of';

const NO_EXCEPTIONS = { profileExceptions: { geoRestriction: undefined } };

describe('one environment: refused with the path, the value and the fix', () => {
  const cases: [string, WorkloadEnvironmentName, Record<string, unknown>, RegExp][] = [
    ['production on the meta (registry) account', 'production', { account: '100000000001' }, /^account: is the registry's \(meta\) account: production needs an account of its own.*\(got "100000000001"\)$/],
    ['production without geo restriction and no written reason', 'production', NO_EXCEPTIONS, /^edge\.geoRestriction: the production profile requires it: set edge\.geoRestriction to true, or write the reason in profileExceptions\.geoRestriction \(got false\)$/],
    ['production without Shield', 'production', { edge: { shield: false } }, /^edge\.shield: the production profile requires it: set edge\.shield to true/],
    ['production flow logs kept one day', 'production', { network: { flowLogRetentionDays: 1 } }, /^network\.flowLogRetentionDays: the production profile requires it: keep flow logs at least 60 days.*\(got 1\)$/],
    ['production behind a single NAT gateway', 'production', { network: { natGateways: 1 } }, /^network\.natGateways: the production profile requires it: run one NAT gateway per zone \(natGateways: 3\).*\(got 1\)$/],
    ['production without VPC endpoints', 'production', { network: { vpcEndpoints: false } }, /^network\.vpcEndpoints: the production profile requires it/],
    ['an exception with nothing to excuse', 'production', { profileExceptions: { shield: 'Shield is paid for by another team this year' } }, /^profileExceptions\.shield: nothing to excuse: edge\.shield meets the production profile; remove the exception/],
    ['an exception outside the production profile', 'staging', { profileExceptions: { shield: 'Staging has no Shield subscription at all' } }, /^profileExceptions\.shield: only the production profile takes exceptions: remove it/],
    ['an exception without a reason', 'production', { profileExceptions: { geoRestriction: 'public' } }, /^profileExceptions\.geoRestriction: say why, in at least 20 characters \(got "public"\)$/],
    ['a VPC in public address space', 'staging', { network: { cidr: '8.8.0.0/16' } }, /^network\.cidr: is not a private range: a VPC must use RFC 1918 space.*\(got "8\.8\.0\.0\/16"\)$/],
    ['a VPC CIDR with host bits set', 'staging', { network: { cidr: '10.0.1.0/16' } }, /^network\.cidr: has host bits set: the block starting there is "10\.0\.0\.0\/16" \(got "10\.0\.1\.0\/16"\)$/],
    ['a VPC larger than AWS allows', 'staging', { network: { cidr: '10.0.0.0/8' } }, /^network\.cidr: has a \/8 prefix: a VPC takes \/16 .* to \/24/],
    ['flow-log retention CloudWatch does not accept', 'staging', { network: { flowLogRetentionDays: 45 } }, /^network\.flowLogRetentionDays: must be a retention CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90.*\(got 45\)$/],
    ['more NAT gateways than zones can hold', 'staging', { network: { natGateways: 4 } }, /^network\.natGateways: must be at most 3, one per zone \(got 4\)$/],
    ['an aws:-prefixed tag key', 'staging', { tags: { 'aws:owner': 'core' } }, /^tags\.aws:owner: tag keys starting with "aws:" are reserved for AWS: choose another prefix/],
    ['an over-long tag key', 'staging', { tags: { ['k'.repeat(129)]: 'v' } }, /^tags\.k{129}: tag keys are at most 128 characters/],
    ['an over-long tag value', 'staging', { tags: { owner: 'v'.repeat(257) } }, /^tags\.owner: tag values are at most 256 characters/],
    ['a tag value with characters AWS refuses', 'staging', { tags: { owner: 'core;drop' } }, /^tags\.owner: tag values may hold letters, digits, spaces and _ \. : \/ = \+ - @ only \(got "core;drop"\)$/],
    ['a review app sampled twice', 'dev', { reviewApps: { sample: [1234, 1250, 1234] } }, /^reviewApps\.sample\[2\]: review app 1234 is listed twice: name each review app once \(got 1234\)$/],
    ['an unbounded budget', 'staging', { monitoring: { budgetUsd: 1e9 } }, /^monitoring\.budgetUsd: must be at most 1000000: a budget is a monthly amount in USD \(got 1000000000\)$/],
    ['the whole internet on the allowlist', 'staging', { edge: { allowlist: ['0.0.0.0/0'] } }, /^edge\.allowlist\[0\]: admits too much of the internet to be an allowlist entry.*\(got "0\.0\.0\.0\/0"\)$/],
    ['an allowlist entry with host bits set', 'staging', { edge: { allowlist: ['203.0.113.7/24'] } }, /^edge\.allowlist\[0\]: has host bits set: the block starting there is "203\.0\.113\.0\/24"/],
  ];

  test.each(cases)('%s', (_label, name, overrides, expected) => {
    expect(problemsOf(() => loadEnvironmentConfig(name, { overrides }))).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  test("production's committed exception is the only one, and it carries its reason", () => {
    expect(loadEnvironmentConfig('production').profileExceptions).toEqual({ geoRestriction: expect.stringMatching(/public service/) });
  });
});

describe('meta: refused with the path, the value and the fix', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['the dev workload on the production account', { workloads: { dev: { account: '100000000004' } } }, /^workloads\.production\.account: is also the dev account; .*would land in production \(got "100000000004"\)$/],
    ['a workload on the meta account', { workloads: { staging: { account: '100000000001' } } }, /^workloads\.staging\.account: is also the meta account; every environment needs an account of its own/],
    ['a wildcard GitHub production environment', { github: { productionEnvironments: ['prod*'] } }, /^github\.productionEnvironments\[0\]: must be a GitHub environment name without wildcards \(got "prod\*"\)$/],
    ['an unbounded cache expiry', { nxCache: { expirationDays: 10_000 } }, /^nxCache\.expirationDays: must be at most 365 \(got 10000\)$/],
    ['an aws:-prefixed tag', { tags: { 'AWS:cost': 'x' } }, /^tags\.AWS:cost: tag keys starting with "aws:" are reserved/],
  ])('%s', (_label, overrides, expected) => {
    expect(problemsOf(() => loadMetaConfig({ overrides }))).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });
});

describe('review-app lists', () => {
  test.each([
    ['', /^reviewApps: the list is empty, which would synthesize no review app at all: name at least one \(e\.g\. 1234,1250\)/],
    [' , ', /^reviewApps: the list is empty/],
    ['1234,', /^reviewApps: "1234," has an empty entry: separate review app numbers with single commas/],
    ['1234,,1250', /^reviewApps: "1234,,1250" has an empty entry/],
  ])('%j is an error, never "no review apps"', (value, expected) => {
    expect(problemsOf(() => parseReviewApps(value))).toEqual([expect.stringMatching(expected)]);
  });
});

describe('between environments', () => {
  const committed = (): EnvironmentSet => loadEnvironmentSet();
  const withWorkload = (set: EnvironmentSet, name: WorkloadEnvironmentName, change: Record<string, unknown>): EnvironmentSet => ({
    ...set,
    workloads: { ...set.workloads, [name]: { ...set.workloads[name], ...change } },
  });

  test('the committed configs fit together', () => {
    expect(environmentSetProblems(committed())).toEqual([]);
  });

  test('production on the staging account is refused, both ways round', () => {
    const set = committed();
    const production = withWorkload(set, 'production', { account: set.workloads.staging.account });
    expect(environmentSetProblems(production)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^production\.account: is also the staging account; every environment needs an account of its own: a deploy meant for one would land in production/)]),
    );
    const dev = withWorkload(set, 'dev', { account: set.workloads.production.account });
    expect(environmentSetProblems(dev)).toEqual(expect.arrayContaining([expect.stringMatching(/^production\.account: is also the dev account; .*land in production \(got "100000000004"\)$/)]));
  });

  test("a workload whose account or prefix meta does not know is refused at meta's path", () => {
    const set = committed();
    const moved = withWorkload(set, 'staging', { account: '210987654321', prefix: 'core-stg' });
    expect(environmentSetProblems(moved)).toEqual([
      expect.stringMatching(/^meta\.workloads\.staging\.account: is not staging's account "210987654321": meta would grant CI access to the wrong account; make them equal \(got "100000000003"\)$/),
      expect.stringMatching(/^meta\.workloads\.staging\.prefix: is not staging's prefix "core-stg"/),
    ]);
  });

  test("a workload pulling images from another account than meta's registry is refused", () => {
    const set = committed();
    const elsewhere = withWorkload(set, 'dev', { registry: { ...set.workloads.dev.registry, account: '210987654321' } });
    expect(environmentSetProblems(elsewhere)).toEqual([expect.stringMatching(/^dev\.registry\.account: is not the meta account "100000000001", which holds the registry/)]);
  });

  test('loadEnvironmentSet reads a file per environment and throws one ConfigError listing every problem between them', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'set-')), 'staging.yaml');
    writeFileSync(file, 'account: "100000000004"\n');
    expect(() => loadEnvironmentSet({ staging: file })).toThrow(/^the environments do not fit together:\n {2}✖ /);
    expect(problemsOf(() => loadEnvironmentSet({ staging: file }))).toEqual([
      expect.stringMatching(/^meta\.workloads\.staging\.account: is not staging's account "100000000004"/),
      expect.stringMatching(/^production\.account: is also the staging account/),
    ]);
    expect(problemsOf(() => loadEnvironmentSet({ staging: '/nope/staging.yaml' }))).toEqual([expect.stringMatching(/no file at \/nope\/staging\.yaml/)]);
  });
});

describe('the dev app', () => {
  test.each([['CORE_REVIEW_APPS', ''], ['CORE_REVIEW_APPS', '1234,']])('refuses %s=%j before building anything', (variable, value) => {
    process.env[variable] = value;
    try {
      expect(problemsOf(() => buildEnvironmentApp('dev'))).toEqual([expect.stringMatching(/^reviewApps: /)]);
    } finally {
      delete process.env[variable];
    }
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadEnvironmentConfig, loadMetaConfig, parseReviewApps, type WorkloadEnvironmentName } from '../../src/config/load';
import { problemsOf } from './problems-of';
import { buildEnvironmentApp } from '../../src/app';

describe('embedded configs', () => {
  test.each<WorkloadEnvironmentName>(['dev', 'staging', 'production'])('%s is valid', (name) => {
    expect(loadEnvironmentConfig(name).stage).toBe(name);
  });

  test('meta is valid and pins CI trust to refs and environments', () => {
    const meta = loadMetaConfig();
    expect(meta.github.repositories.every((r) => r.refs.length + r.environments.length > 0)).toBe(true);
  });

  test('defaults fill what the embedded config leaves out', () => {
    const dev = loadEnvironmentConfig('dev');
    expect(dev.database.removal).toBe('snapshot');
    expect(dev.app.cpuTargetTracking.enabled).toBe(false);
    expect(dev.policyProfile).toBe('baseline');
    expect(loadEnvironmentConfig('production').policyProfile).toBe('production');
  });
});

describe('malformed configs are rejected with the field, the value and the fix', () => {
  const cases: [string, WorkloadEnvironmentName, Record<string, unknown>, RegExp][] = [
    ['account of the wrong length', 'staging', { account: '12345' }, /^account: must be a 12-digit AWS account id.*\(got "12345"\)$/],
    ['account as a number', 'staging', { account: 123456789012 }, /^account: /],
    ['region that is not a region', 'staging', { region: 'london' }, /^region: must be an AWS region code/],
    ['bad CIDR', 'staging', { network: { cidr: '10.0.0/16' } }, /^network\.cidr: must be an IPv4 CIDR block.*\(got "10\.0\.0\/16"\)$/],
    ['one AZ', 'staging', { network: { azCount: 1 } }, /^network\.azCount: must be at least 2/],
    ['more NAT gateways than AZs', 'staging', { network: { azCount: 2, natGateways: 3 } }, /^network\.natGateways: 3 NAT gateways need as many AZs, but azCount is 2/],
    ['unknown top-level key', 'staging', { acount: '123456789012' }, /^\(top level\): unknown key "acount": remove it or check the spelling$/],
    ['unknown nested key', 'staging', { database: { multiAZ: true } }, /^database: unknown key "multiAZ"/],
    ['wrong type for a flag', 'staging', { database: { multiAz: 'yes' } }, /^database\.multiAz: .*\(got "yes"\)$/],
    ['invalid Fargate pair', 'staging', { app: { web: { cpu: 1024, memoryMiB: 512, desiredCount: 2 } } }, /^app\.web\.memoryMiB: cpu 1024 with memoryMiB 512 is not a Fargate task size: memoryMiB must be 2048 to 8192 in steps of 1024/],
    ['CPU size Fargate does not offer', 'staging', { app: { adHoc: { cpu: 300, memoryMiB: 1024 } } }, /^app\.adHoc\.memoryMiB: .*cpu must be one of 256, 512/],
    ['off-hours web count above working hours', 'staging', { app: { outOfHours: { webCount: 6 } } }, /^app\.outOfHours\.webCount: off-hours count 6 is above the working-hours count 4/],
    ['off-hours worker count above working hours', 'staging', { app: { outOfHours: { workerCount: 3 } } }, /^app\.outOfHours\.workerCount: off-hours count 3 is above the working-hours count 2/],
    ['workday ending before it starts', 'staging', { app: { outOfHours: { workdayStart: '19:00', workdayEnd: '07:00' } } }, /^app\.outOfHours\.workdayEnd: must be later than workdayStart/],
    ['clock time out of range', 'staging', { app: { outOfHours: { workdayStart: '25:00' } } }, /^app\.outOfHours\.workdayStart: must be a 24-hour time/],
    ['production without Multi-AZ', 'production', { database: { multiAz: false } }, /^database\.multiAz: production must run Multi-AZ/],
    ['production with 3 days of backups', 'production', { database: { backupRetentionDays: 3 } }, /^database\.backupRetentionDays: production must keep at least 7 days of backups, got 3/],
    ['production without deletion protection', 'production', { database: { deletionProtection: false } }, /^database\.deletionProtection: production must enable deletion protection/],
    ['production with the baseline policy profile', 'production', { policyProfile: 'baseline' }, /^policyProfile: production must be validated with the production policy profile/],
    ['production Redis without failover', 'production', { redis: { highlyAvailable: false } }, /^redis\.highlyAvailable: production Redis must be highly available/],
    ['backup retention above 35 days', 'staging', { database: { backupRetentionDays: 40 } }, /^database\.backupRetentionDays: must be 0–35 \(got 40\)$/],
    ['storage ceiling below allocation', 'staging', { database: { maxAllocatedStorageGiB: 50 } }, /^database\.maxAllocatedStorageGiB: must be at least allocatedStorageGiB \(100\)/],
    ['read replica without backups', 'staging', { database: { readReplica: true, backupRetentionDays: 0 } }, /^database\.readReplica: a read replica needs automated backups/],
    ['bad hostname', 'staging', { hostnames: { app: 'Staging_Host' } }, /^hostnames\.app: must be a lower-case DNS hostname/],
    ['bad CDS role ARN', 'staging', { storage: { cdsConsumerRoleArns: ['arn:aws:iam::1:user/x'] } }, /^storage\.cdsConsumerRoleArns\[0\]: must be an IAM role ARN/],
    ['bad allowlist CIDR', 'staging', { edge: { allowlist: ['203.0.113.300/32'] } }, /^edge\.allowlist\[0\]: must be an IPv4 CIDR block/],
    ['allowlist without geo restriction', 'production', { edge: { allowlist: ['203.0.113.7/32'] } }, /^edge\.allowlist: the allowlist only takes effect with geoRestriction/],
    ['bad alert email', 'staging', { monitoring: { alertEmail: 'not-an-email' } }, /^monitoring\.alertEmail: must be an email address/],
    ['review apps outside dev', 'staging', { reviewApps: { sample: [1] } }, /^reviewApps: review apps run only in the dev environment, not in staging/],
    ['review app number that is not positive', 'dev', { reviewApps: { sample: [0] } }, /^reviewApps\.sample\[0\]: /],
    ['bad prefix', 'staging', { prefix: 'Core_Staging' }, /^prefix: must be lower-case letters/],
  ];

  test.each(cases)('%s', (_label, name, overrides, expected) => {
    const problems = problemsOf(() => loadEnvironmentConfig(name, { overrides }));
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  test('the error message names the environment and lists every problem', () => {
    expect(() => loadEnvironmentConfig('staging', { overrides: { account: '1', region: 'x' } })).toThrow(
      /^invalid configuration for staging \(from \.\.\/\.\.\/apps\/staging\/config\.yaml\):\n {2}✖ account: .*\n {2}✖ region: /,
    );
  });

  test('meta refuses wildcard refs and malformed GitHub names', () => {
    const problems = problemsOf(() => loadMetaConfig({ overrides: { github: { owner: 'org/*', repositories: [{ name: 'repo', deploys: 'application', refs: ['refs/heads/*'] }] } } }));
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^github\.owner: must be a GitHub owner/), expect.stringMatching(/^github\.repositories\[0\]\.refs\[0\]: must be a full git ref without wildcards/)]));
  });
});

describe('config files', () => {
  const write = (name: string, content: string): string => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'config-')), name);
    writeFileSync(file, content);
    return file;
  };

  test('a YAML file overrides the embedded config, lists replace lists', () => {
    const file = write('staging.yaml', 'account: "210987654321"\nedge:\n  allowlist: ["198.51.100.1/32"]\n');
    const config = loadEnvironmentConfig('staging', { configFile: file });
    expect(config.account).toBe('210987654321');
    expect(config.edge.allowlist).toEqual(['198.51.100.1/32']);
    expect(config.app.web.desiredCount).toBe(4);
  });

  test('the file named by CORE_CONFIG_FILE is used when none is passed', () => {
    const file = write('prod.json', JSON.stringify({ account: '210987654321' }));
    process.env.CORE_CONFIG_FILE = file;
    try {
      expect(loadEnvironmentConfig('production').account).toBe('210987654321');
    } finally {
      delete process.env.CORE_CONFIG_FILE;
    }
  });

  test('a file for another environment is refused', () => {
    const file = write('staging.json', JSON.stringify({ stage: 'staging' }));
    expect(problemsOf(() => loadEnvironmentConfig('production', { configFile: file }))).toEqual([expect.stringMatching(/^stage: the file is for "staging", not "production"/)]);
  });

  test('a missing file, an unparsable file and a list are refused', () => {
    expect(problemsOf(() => loadEnvironmentConfig('dev', { configFile: '/nope/dev.yaml' }))).toEqual([expect.stringMatching(/no file at \/nope\/dev\.yaml/)]);
    expect(problemsOf(() => loadEnvironmentConfig('dev', { configFile: write('bad.json', '{ nope') }))).toEqual([expect.stringMatching(/^bad\.json: /)]);
    expect(problemsOf(() => loadEnvironmentConfig('dev', { configFile: write('list.yaml', '- a\n- b\n') }))).toEqual([expect.stringMatching(/expected keys such as "account"/)]);
  });

  test('file values are validated like the committed ones, naming both files', () => {
    const file = write('dev.yaml', 'network:\n  cidr: 300.0.0.0/16\n');
    expect(() => loadEnvironmentConfig('dev', { configFile: file })).toThrow(new RegExp(`from \\.\\./\\.\\./apps/dev/config\\.yaml \\+ ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
  });
});

describe('review app names', () => {
  test('parses a comma-separated list of pull request numbers', () => {
    expect(parseReviewApps('1234, 1250')).toEqual([1234, 1250]);
  });

  test.each([
    ['abc', /"abc" is not a review app name: use the pull request number/],
    ['-4', /"-4" is not a review app name/],
    ['0', /"0" is not a review app name/],
    ['12.5', /"12\.5" is not a review app name/],
    ['50000', /50000 is above 49999: the number is the review app's listener rule priority/],
    ['7,7', /7 is listed twice/],
  ])('refuses %s', (value, expected) => {
    expect(problemsOf(() => parseReviewApps(value))).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  test('refuses more review apps than the listener rule quota', () => {
    const many = Array.from({ length: 101 }, (_, i) => i + 1).join(',');
    expect(problemsOf(() => parseReviewApps(many))).toEqual([expect.stringMatching(/101 review apps exceed the shared load balancer listener's quota of 100 rules/)]);
  });
});

describe('the committed config file', () => {
  test('buildEnvironmentApp and loadEnvironmentConfig read the one given, not the app folder', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'app-config-')), 'staging.yaml');
    const committed = readFileSync(path.resolve(__dirname, '../../../../apps/staging/config.yaml'), 'utf8');
    writeFileSync(file, committed.replace(/^prefix: core-staging$/m, 'prefix: core-stg'));
    expect(loadEnvironmentConfig('staging', { appConfigFile: file }).prefix).toBe('core-stg');
    expect(buildEnvironmentApp('staging', { appConfigFile: file }).node.children.map((child) => child.node.id)).toEqual(['core-stg']);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadEnvironmentConfig, loadMetaConfig, PLACEHOLDER_ACCOUNTS, trustedAccountsOf } from '../../src';
import { runDeploy } from '../support/deploy-cli';

const cli = (args: string[]) => runDeploy(args);

describe('trustedAccountsOf', () => {
  test('a workload trusts its own account, the meta account and its CDS consumers’ account', () => {
    const production = loadEnvironmentConfig('production');
    expect(trustedAccountsOf(production)).toEqual(
      [...new Set([PLACEHOLDER_ACCOUNTS.production, PLACEHOLDER_ACCOUNTS.meta, ...production.storage.cdsConsumerRoleArns.map((arn) => arn.split(':')[4])])].sort(),
    );
  });

  test('meta trusts its own and the three workload accounts', () => {
    expect(trustedAccountsOf(loadMetaConfig())).toEqual([PLACEHOLDER_ACCOUNTS.meta, PLACEHOLDER_ACCOUNTS.dev, PLACEHOLDER_ACCOUNTS.staging, PLACEHOLDER_ACCOUNTS.production].sort());
  });

  test('trustedAccounts adds an account, which needs a reason', () => {
    const config = loadEnvironmentConfig('staging', { overrides: { trustedAccounts: [{ account: '222222222222', reason: 'the security team’s audit account reads exports' }] } });
    expect(trustedAccountsOf(config)).toContain('222222222222');
    expect(() => loadEnvironmentConfig('staging', { overrides: { trustedAccounts: [{ account: '222222222222', reason: 'audit' }] } })).toThrow(/trustedAccounts\[0\]\.reason: say why, in at least 20 characters/);
  });
});

describe('core-deploy trusted-accounts', () => {
  test('prints the accounts comma-separated for core-policies check --trusted-accounts', async () => {
    const { code, stdout } = await cli(['trusted-accounts', '--env', 'meta']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${trustedAccountsOf(loadMetaConfig()).join(',')}\n`);
  });

  test('reads the override file', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'trusted-')), 'dev.json');
    writeFileSync(file, JSON.stringify({ trustedAccounts: [{ account: '333333333333', reason: 'a partner’s log-archive account receives the logs' }] }));
    const { stdout } = await cli(['trusted-accounts', '--env', 'dev', '--config-file', file]);
    expect(stdout.trim().split(',')).toContain('333333333333');
  });

  test('an invalid config exits 2 naming the field, printing nothing to use', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'trusted-')), 'dev.json');
    writeFileSync(file, JSON.stringify({ trustedAccounts: [{ account: '12', reason: 'a partner’s log-archive account receives the logs' }] }));
    const { code, stdout, stderr } = await cli(['trusted-accounts', '--env', 'dev', '--config-file', file]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(/trustedAccounts\[0\]\.account/);
  });
});

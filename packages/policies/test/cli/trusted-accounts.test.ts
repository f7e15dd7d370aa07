import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cli } from './helpers';

// A bucket policy granting another account: only --trusted-accounts can make it pass.
const template = path.join(mkdtempSync(path.join(tmpdir(), 'trusted-cli-')), 'grant.json');
writeFileSync(
  template,
  JSON.stringify({
    Resources: {
      Grant: {
        Type: 'AWS::SNS::TopicPolicy',
        Properties: { Topics: ['arn:aws:sns:eu-west-2:111111111111:t'], PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'sns:Publish', Resource: '*' }] } },
      },
    },
  }),
);

describe('check --trusted-accounts', () => {
  test('without it, a principal of another account is CORE.RESPOL.2 on the policy', async () => {
    const result = await cli('check', template, '--format', 'json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings).toEqual([expect.objectContaining({ ruleId: 'CORE.RESPOL.2', logicalId: 'Grant' })]);
  });

  test('with the account listed, the policy passes', async () => {
    expect((await cli('check', template, '--trusted-accounts', '333333333333,222222222222')).code).toBe(0);
  });

  test('an entry that is not an account id is a usage error naming it, exit 2', async () => {
    const result = await cli('check', template, '--trusted-accounts', '222222222222,22222');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"22222" is not a 12-digit AWS account id/);
  });
});

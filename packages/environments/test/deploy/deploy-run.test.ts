import { ConditionalCheckFailedException, DeleteItemCommand, DynamoDBClient, PutItemCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { runDeployCli, type CdkRunner, type DeploymentRecord } from '../../src';
import { removeFakeApps, stagingLikeStacks, writeConfigFile, writeFakeApp } from './fake-assembly';
import { runDeploy, type DeployCliRun } from '../support/deploy-cli';

// Real (not dry) runs against mocked DynamoDB and S3 clients and a fake CDK CLI: the lock is
// taken before and released after `cdk deploy`, whatever happens; the assembly is archived with
// deployment.json last; a held lock stops everything.

const SHA = 'fedcba9876543210fedcba9876543210fedcba98';
const STAGING_ACCOUNT = '123456789012';
const DEV_ACCOUNT = '123456789013';
const META_ACCOUNT = '210987654321';
const NOW = new Date('2026-03-02T10:45:12.000Z');
const PREFIX = `assemblies/staging/20260302T104512Z-${SHA}/`;

const dynamo = mockClient(DynamoDBClient);
const s3 = mockClient(S3Client);
const sts = mockClient(STSClient);

let events: string[];
let cdkCalls: (readonly string[])[];
let cdkExitCode: number;
/** The access key the CDK CLI was given, per call (undefined: the credentials in use). */
let cdkAccessKeys: (string | undefined)[];
const fakeCdk: CdkRunner = async (args, options) => {
  events.push(`cdk ${args[0]}`);
  cdkCalls.push(args);
  cdkAccessKeys.push(options.env?.AWS_ACCESS_KEY_ID);
  return cdkExitCode;
};

afterAll(() => {
  removeFakeApps();
});

beforeEach(() => {
  events = [];
  cdkCalls = [];
  cdkExitCode = 0;
  cdkAccessKeys = [];
  dynamo.reset();
  s3.reset();
  sts.reset();
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'ASIAINFRAROLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(NOW.getTime() + 3600_000) } });
  dynamo.on(PutItemCommand).callsFake(() => {
    events.push('lock');
    return {};
  });
  dynamo.on(DeleteItemCommand).callsFake(() => {
    events.push('release');
    return {};
  });
  s3.on(PutObjectCommand).callsFake((input: { Key: string }) => {
    events.push(`put ${input.Key}`);
    return {};
  });
});

async function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<DeployCliRun> {
  return runDeploy(args, {
    env,
    runCdk: fakeCdk,
    dynamoDb: new DynamoDBClient({ region: 'eu-west-2' }),
    s3: new S3Client({ region: 'eu-west-2' }),
    sts: new STSClient({ region: 'eu-west-2' }),
    clock: () => NOW,
  });
}

function stagingDeployArgs(): string[] {
  const config = writeConfigFile({ account: STAGING_ACCOUNT, registry: { account: META_ACCOUNT } });
  const { assembly } = writeFakeApp([{ name: 'core-staging', stacks: stagingLikeStacks(STAGING_ACCOUNT) }], { report: true });
  return ['deploy', '--env', 'staging', '--assembly', assembly, '--config-file', config, '--git-sha', SHA, '--holder', 'github-actions:deploy-staging', '--run-id', '987654'];
}

describe('core-deploy deploy', () => {
  test('takes the lock, runs cdk deploy of the planned stacks, archives with deployment.json last, then releases the lock', async () => {
    const args = stagingDeployArgs();
    const assembly = args[args.indexOf('--assembly') + 1];

    const result = await cli(args);

    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(cdkCalls).toEqual([
      [
        'deploy',
        '--app',
        assembly,
        '--require-approval',
        'broadening',
        '--concurrency',
        '1',
        '--exclusively',
        'core-staging/deployment-access',
        'core-staging/monitoring',
        'core-staging/network',
        'core-staging/data',
        'core-staging/app',
        'core-staging/edge',
      ],
    ]);
    expect(events[0]).toBe('lock');
    expect(events[1]).toBe('cdk deploy');
    expect(events.at(-2)).toBe(`put ${PREFIX}deployment.json`);
    expect(events.at(-1)).toBe('release');

    expect(dynamo.commandCalls(PutItemCommand)[0].args[0].input).toMatchObject({
      TableName: 'core-non-prod-deployment-lock',
      Item: { lockId: { S: 'locks/staging' }, holder: { S: 'github-actions:deploy-staging' }, runId: { S: '987654' }, expiresAt: { N: String(NOW.getTime() / 1000 + 180 * 60) } },
    });
    expect(dynamo.commandCalls(DeleteItemCommand)[0].args[0].input).toMatchObject({
      TableName: 'core-non-prod-deployment-lock',
      Key: { lockId: { S: 'locks/staging' } },
      ExpressionAttributeValues: { ':holder': { S: 'github-actions:deploy-staging' } },
    });
  });

  test('archives every assembly file and the policy report under assemblies/<env>/<timestamp>-<sha>/ in the meta account bucket', async () => {
    await cli(stagingDeployArgs());

    const puts = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    const keys = puts.map((input) => input.Key as string);
    expect(keys.every((key) => key.startsWith(PREFIX))).toBe(true);
    expect(keys).toEqual(
      expect.arrayContaining([
        `${PREFIX}manifest.json`,
        `${PREFIX}core-policies-run.json`,
        `${PREFIX}assembly-core-staging/manifest.json`,
        `${PREFIX}assembly-core-staging/corestagingdataAB12CD34.template.json`,
        `${PREFIX}policy-report.json`,
      ]),
    );
    expect(keys.at(-1)).toBe(`${PREFIX}deployment.json`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const input of puts) expect(input).toMatchObject({ Bucket: `core-non-prod-deployment-state-${META_ACCOUNT}`, ExpectedBucketOwner: META_ACCOUNT });

    const record = JSON.parse(String(puts.at(-1)?.Body)) as DeploymentRecord;
    expect(record).toEqual({
      environment: 'staging',
      gitSha: SHA,
      runId: '987654',
      holder: 'github-actions:deploy-staging',
      startedAt: NOW.toISOString(),
      finishedAt: NOW.toISOString(),
      stacks: ['core-staging-deployment-access', 'core-staging-monitoring', 'core-staging-network', 'core-staging-data', 'core-staging-app', 'core-staging-edge'],
      requireApproval: 'broadening',
    });
  });

  test('a held lock exits 1 naming the holder and its age, and deploys nothing', async () => {
    const acquiredAt = new Date(NOW.getTime() - (12 * 60 + 5) * 1000);
    dynamo.on(PutItemCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: {
          lockId: { S: 'locks/staging' },
          environment: { S: 'staging' },
          holder: { S: 'github-actions:release-v1.4.0' },
          acquiredAt: { S: acquiredAt.toISOString() },
          expiresAt: { N: String(NOW.getTime() / 1000 + 1075) },
          runId: { S: '555' },
        },
      }),
    );

    const result = await cli(stagingDeployArgs());

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/core-deploy: staging was not deployed: the deployment lock for staging is held by github-actions:release-v1\.4\.0 for 12m 5s \(run 555\); it expires at .*wait or release it with: aws dynamodb delete-item --table-name core-non-prod-deployment-lock/);
    expect(cdkCalls).toEqual([]);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(DeleteItemCommand)).toHaveLength(0);
  });

  test('a failed cdk deploy exits 1, archives nothing and still releases the lock', async () => {
    cdkExitCode = 1;

    const result = await cli(stagingDeployArgs());

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/core-deploy: cdk deploy exited with code 1: some stacks of staging may be updated or rolled back and nothing was archived/);
    expect(events).toEqual(['lock', 'cdk deploy', 'release']);
  });

  test('a CDK CLI that cannot start still releases the lock', async () => {
    const result = await runDeployCli(stagingDeployArgs(), { stdout: () => undefined, stderr: () => undefined }, {
      env: {},
      runCdk: async () => {
        events.push('cdk');
        throw new Error('spawn ENOENT');
      },
      dynamoDb: new DynamoDBClient({ region: 'eu-west-2' }),
      s3: new S3Client({ region: 'eu-west-2' }),
      clock: () => NOW,
    });
    expect(result).toBe(1);
    expect(events).toEqual(['lock', 'cdk', 'release']);
  });

  test('a failed upload exits 1 without deployment.json, and releases the lock', async () => {
    s3.on(PutObjectCommand, { Key: `${PREFIX}manifest.json` }).rejects(new Error('AccessDenied'));

    const result = await cli(stagingDeployArgs());

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the stacks are deployed, but archiving the assembly to s3:\/\/core-non-prod-deployment-state-210987654321\/assemblies\/staging\/20260302T104512Z-.*AccessDenied.*without deployment\.json the archive is ignored/);
    expect(events).not.toContain(`put ${PREFIX}deployment.json`);
    expect(events.at(-1)).toBe('release');
  });

  test('a lock that cannot be released fails the run with the reason', async () => {
    dynamo.on(DeleteItemCommand).rejects(new Error('throttled'));
    const result = await cli(stagingDeployArgs());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the deploy lock locks\/staging was not released \(could not release the deployment lock for staging in table core-non-prod-deployment-lock: Error: throttled\)/);
  });

  test('in GitHub Actions the holder, run and commit come from the workflow environment', async () => {
    const args = stagingDeployArgs().filter((_arg, index, all) => !['--git-sha', '--holder', '--run-id'].includes(all[index]) && !['--git-sha', '--holder', '--run-id'].includes(all[index - 1]));
    const result = await cli(args, { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'communitiesuk/core-infra', GITHUB_JOB: 'deploy', GITHUB_RUN_ID: '4242', GITHUB_SHA: SHA });
    expect(result.code).toBe(0);
    expect(dynamo.commandCalls(PutItemCommand)[0].args[0].input.Item).toMatchObject({ holder: { S: 'github-actions:communitiesuk/core-infra/deploy' }, runId: { S: '4242' } });
    expect(events.at(-2)).toBe(`put ${PREFIX}deployment.json`);
  });

  test('a real run without a known commit is refused before the lock', async () => {
    const args = stagingDeployArgs().filter((_arg, index, all) => all[index] !== '--git-sha' && all[index - 1] !== '--git-sha');
    const result = await cli([...args]);
    // The temp assembly is outside any git checkout, so git rev-parse finds nothing.
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refused: no commit is known for the archive name: pass --git-sha <40-character sha> \(CI sets GITHUB_SHA\)/);
    expect(events).toEqual([]);
  });

  test("meta's first deployment, before its lock table exists, is told how to bootstrap", async () => {
    dynamo.on(PutItemCommand).rejects(new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }));
    const config = writeConfigFile({ account: META_ACCOUNT, workloads: { dev: { account: DEV_ACCOUNT }, staging: { account: STAGING_ACCOUNT }, production: { account: '123456789014' } } });
    const { assembly } = writeFakeApp([{ name: 'core-meta', stacks: [{ name: 'state' }] }], { account: META_ACCOUNT });
    const result = await cli(['deploy', '--env', 'meta', '--assembly', assembly, '--config-file', config, '--git-sha', SHA]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/meta was not deployed: could not acquire the deployment lock for meta in table core-prod-deployment-lock: ResourceNotFoundException.*on the first deployment of meta, deploy its state stacks once by hand/);
    expect(cdkCalls).toEqual([]);
  });
});

describe("the CDK CLI runs as the environment's infrastructure deployment role", () => {
  test('assumed after the lock is taken, with the credentials in use, for an hour, under a session name CloudTrail shows', async () => {
    const result = await cli(stagingDeployArgs());

    expect(result.code).toBe(0);
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      { RoleArn: `arn:aws:iam::${STAGING_ACCOUNT}:role/core-staging-infrastructure-deployment`, RoleSessionName: 'core-deploy-staging-987654', DurationSeconds: 3600 },
    ]);
    expect(cdkAccessKeys).toEqual(['ASIAINFRAROLE']);
    expect(result.stderr).toContain(`core-deploy: the CDK CLI runs as arn:aws:iam::${STAGING_ACCOUNT}:role/core-staging-infrastructure-deployment (session core-deploy-staging-987654)`);
  });

  test('a role that cannot be assumed stops the run before cdk, names the role and the break-glass flag, and releases the lock', async () => {
    sts.on(AssumeRoleCommand).rejects(new Error('User: arn:aws:sts::210987654321:assumed-role/laptop is not authorized to perform: sts:AssumeRole'));

    const result = await cli(stagingDeployArgs());

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`could not assume arn:aws:iam::${STAGING_ACCOUNT}:role/core-staging-infrastructure-deployment with the credentials in use (User: arn:aws:sts::210987654321:assumed-role/laptop is not authorized`);
    expect(result.stderr).toContain('--no-assume-role');
    expect(events).toEqual(['lock', 'release']);
  });

  test('--no-assume-role (break-glass) runs the CLI with the credentials in use, and the plan says so', async () => {
    const dryRun = await cli([...stagingDeployArgs(), '--no-assume-role', '--dry-run']);
    expect(dryRun.stdout).toContain('cdk runs as:  the credentials in use (--no-assume-role: break-glass)');

    const result = await cli([...stagingDeployArgs(), '--no-assume-role']);

    expect(result.code).toBe(0);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(cdkAccessKeys).toEqual([undefined]);
  });
});

describe('core-deploy teardown-review-app', () => {
  test('destroys only the review app stacks under the review app lock, and archives nothing', async () => {
    const config = writeConfigFile({ account: DEV_ACCOUNT, registry: { account: META_ACCOUNT } });
    const { assembly } = writeFakeApp(
      [
        { name: 'core-dev', stacks: stagingLikeStacks(DEV_ACCOUNT) },
        { name: 'core-review-1234', stacks: [{ name: 'app', account: DEV_ACCOUNT }] },
      ],
      { account: DEV_ACCOUNT },
    );

    const result = await cli(['teardown-review-app', '--review-app', '1234', '--assembly', assembly, '--config-file', config, '--holder', 'github-actions:review-app']);

    expect(result.code).toBe(0);
    expect(cdkCalls).toEqual([['destroy', '--app', assembly, '--force', '--exclusively', 'core-review-1234/app']]);
    expect(events).toEqual(['lock', 'cdk destroy', 'release']);
    expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input.RoleArn).toBe(`arn:aws:iam::${DEV_ACCOUNT}:role/core-dev-infrastructure-deployment`);
    expect(dynamo.commandCalls(PutItemCommand)[0].args[0].input.Item?.lockId).toEqual({ S: 'locks/review-1234' });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});

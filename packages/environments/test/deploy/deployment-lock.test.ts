import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { deploymentLockId } from '@core-infra/constructs';
import { DeploymentLock, DeploymentLockError, DeploymentLockHeldError, formatDuration } from '../../src/deploy/deployment-lock';

const TABLE = 'core-non-prod-deployment-lock';
const NOW = new Date('2026-03-02T10:30:00.000Z');
const NOW_SECONDS = NOW.getTime() / 1000;

const dynamo = mockClient(DynamoDBClient);

function newLock(): DeploymentLock {
  return new DeploymentLock({ tableName: TABLE, client: new DynamoDBClient({ region: 'eu-west-2' }), clock: () => NOW });
}

function conditionFailed(item?: Record<string, unknown>): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: item as never });
}

type Item = Record<string, { S?: string; N?: string }>;

/**
 * A one-item stand-in for the lock table that evaluates the client's condition
 * expressions the way DynamoDB does, so expiry and ownership rules are exercised for real.
 */
function fakeLockTable(initial?: Item): { item: () => Item | undefined } {
  let stored = initial;
  const clauses: Record<string, (item: Item | undefined, values: Item) => boolean> = {
    'attribute_not_exists(lockId)': (item) => item === undefined,
    'attribute_exists(lockId)': (item) => item !== undefined,
    'expiresAt <= :now': (item, values) => item !== undefined && Number(item.expiresAt.N) <= Number(values[':now'].N),
    'holder = :holder': (item, values) => item?.holder?.S === values[':holder'].S,
    '(holder = :holder AND runId = :runId)': (item, values) => item?.holder?.S === values[':holder'].S && item?.runId?.S === values[':runId'].S,
  };
  const evaluate = (expression: string, values: Item): boolean =>
    expression.split(' OR ').some((disjunct) =>
      (disjunct.startsWith('(') ? [disjunct] : disjunct.split(' AND ')).every((clause) => {
        const check = clauses[clause];
        if (!check) throw new Error(`the fake lock table does not understand "${clause}"`);
        return check(stored, values);
      }),
    );
  dynamo.on(PutItemCommand).callsFake((input) => {
    if (!evaluate(input.ConditionExpression, input.ExpressionAttributeValues)) throw conditionFailed(stored);
    stored = input.Item;
    return {};
  });
  dynamo.on(DeleteItemCommand).callsFake((input) => {
    if (!evaluate(input.ConditionExpression, input.ExpressionAttributeValues)) throw conditionFailed(stored);
    stored = undefined;
    return {};
  });
  return { item: () => stored };
}

const heldByRelease = {
  lockId: { S: 'locks/staging' },
  environment: { S: 'staging' },
  holder: { S: 'github-actions:release-v1.4.0' },
  acquiredAt: { S: '2026-03-02T10:17:55.000Z' },
  expiresAt: { N: String(NOW_SECONDS + 17 * 60 + 55) },
  runId: { S: '987654' },
};

describe('DeploymentLock', () => {
  beforeEach(() => dynamo.reset());

  describe('GIVEN the lock of the environment is free', () => {
    test('THEN acquire writes the lock item with a conditional put and returns it', async () => {
      dynamo.on(PutItemCommand).resolves({});

      const lock = await newLock().acquire({ environment: 'staging', holder: 'github-actions:deploy-staging', ttlSeconds: 3600, runId: '123456' });

      expect(lock).toEqual({
        lockId: 'locks/staging',
        environment: 'staging',
        holder: 'github-actions:deploy-staging',
        acquiredAt: NOW,
        expiresAt: new Date('2026-03-02T11:30:00.000Z'),
        runId: '123456',
      });
      const [call] = dynamo.commandCalls(PutItemCommand);
      expect(call.args[0].input).toEqual({
        TableName: TABLE,
        Item: {
          lockId: { S: 'locks/staging' },
          environment: { S: 'staging' },
          holder: { S: 'github-actions:deploy-staging' },
          acquiredAt: { S: '2026-03-02T10:30:00.000Z' },
          expiresAt: { N: String(NOW_SECONDS + 3600) },
          runId: { S: '123456' },
        },
        ConditionExpression: 'attribute_not_exists(lockId) OR expiresAt <= :now OR (holder = :holder AND runId = :runId)',
        ExpressionAttributeValues: { ':now': { N: String(NOW_SECONDS) }, ':holder': { S: 'github-actions:deploy-staging' }, ':runId': { S: '123456' } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
    });

    test('THEN without a run id only a free or lapsed lock can be taken', async () => {
      dynamo.on(PutItemCommand).resolves({});

      const lock = await newLock().acquire({ environment: 'production', holder: 'jane.doe', ttlSeconds: 600 });

      expect(lock.runId).toBeUndefined();
      const input = dynamo.commandCalls(PutItemCommand)[0].args[0].input;
      expect(input.ConditionExpression).toBe('attribute_not_exists(lockId) OR expiresAt <= :now');
      expect(input.ExpressionAttributeValues).toEqual({ ':now': { N: String(NOW_SECONDS) } });
      expect(input.Item).not.toHaveProperty('runId');
    });
  });

  describe('GIVEN the lock has lapsed but TTL has not deleted it yet', () => {
    test('THEN acquire takes it over', async () => {
      const table = fakeLockTable({ ...heldByRelease, expiresAt: { N: String(NOW_SECONDS - 1) } });

      const lock = await newLock().acquire({ environment: 'staging', holder: 'github-actions:deploy-staging', ttlSeconds: 60 });

      expect(lock.expiresAt).toEqual(new Date(NOW.getTime() + 60_000));
      expect(table.item()?.holder).toEqual({ S: 'github-actions:deploy-staging' });
    });

    test('THEN a lock expiring this very second counts as lapsed, one expiring later does not', async () => {
      fakeLockTable({ ...heldByRelease, expiresAt: { N: String(NOW_SECONDS) } });
      await expect(newLock().acquire({ environment: 'staging', holder: 'a', ttlSeconds: 60 })).resolves.toMatchObject({ holder: 'a' });

      fakeLockTable({ ...heldByRelease, expiresAt: { N: String(NOW_SECONDS + 1) } });
      await expect(newLock().acquire({ environment: 'staging', holder: 'a', ttlSeconds: 60 })).rejects.toThrow(DeploymentLockHeldError);
    });
  });

  describe('GIVEN the same holder and run already hold the lock', () => {
    test('THEN a retried acquire renews it', async () => {
      const table = fakeLockTable(heldByRelease);

      await newLock().acquire({ environment: 'staging', holder: 'github-actions:release-v1.4.0', runId: '987654', ttlSeconds: 120 });

      expect(table.item()?.expiresAt).toEqual({ N: String(NOW_SECONDS + 120) });
    });

    test('THEN the same holder from another run is refused', async () => {
      fakeLockTable(heldByRelease);

      await expect(newLock().acquire({ environment: 'staging', holder: 'github-actions:release-v1.4.0', runId: '111', ttlSeconds: 120 })).rejects.toThrow(
        DeploymentLockHeldError,
      );
    });
  });

  describe('GIVEN another holder has the lock', () => {
    test('THEN acquire is refused with a message naming the holder, its age, run, expiry and how to release it', async () => {
      dynamo.on(PutItemCommand).rejects(conditionFailed(heldByRelease));

      const attempt = newLock().acquire({ environment: 'staging', holder: 'github-actions:deploy-staging', ttlSeconds: 3600 });

      await expect(attempt).rejects.toThrow(DeploymentLockHeldError);
      await expect(attempt).rejects.toThrow(
        'the deployment lock for staging is held by github-actions:release-v1.4.0 for 12m 5s (run 987654); ' +
          'it expires at 2026-03-02T10:47:55.000Z (in 17m 55s); ' +
          `wait or release it with: aws dynamodb delete-item --table-name ${TABLE} --key '{"lockId":{"S":"locks/staging"}}'`,
      );
    });

    test('THEN the error carries the lock and its age for callers that report it', async () => {
      dynamo.on(PutItemCommand).rejects(conditionFailed(heldByRelease));

      const error = await newLock()
        .acquire({ environment: 'staging', holder: 'someone-else', ttlSeconds: 3600 })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(DeploymentLockHeldError);
      expect((error as DeploymentLockHeldError).ageSeconds).toBe(725);
      expect((error as DeploymentLockHeldError).lock.holder).toBe('github-actions:release-v1.4.0');
    });

    test('THEN the holder is read back when DynamoDB does not return the old item', async () => {
      dynamo.on(PutItemCommand).rejects(conditionFailed());
      dynamo.on(GetItemCommand).resolves({ Item: heldByRelease });

      await expect(newLock().acquire({ environment: 'staging', holder: 'x', ttlSeconds: 60 })).rejects.toThrow(/held by github-actions:release-v1\.4\.0 for 12m 5s/);
      expect(dynamo.commandCalls(GetItemCommand)[0].args[0].input).toEqual({ TableName: TABLE, Key: { lockId: { S: 'locks/staging' } }, ConsistentRead: true });
    });
  });

  describe('GIVEN the caller holds the lock', () => {
    test('THEN release deletes it only on condition that the caller is the holder', async () => {
      dynamo.on(DeleteItemCommand).resolves({});

      await expect(newLock().release({ environment: 'staging', holder: 'github-actions:release-v1.4.0' })).resolves.toBe(true);

      expect(dynamo.commandCalls(DeleteItemCommand)[0].args[0].input).toEqual({
        TableName: TABLE,
        Key: { lockId: { S: 'locks/staging' } },
        ConditionExpression: 'attribute_exists(lockId) AND holder = :holder',
        ExpressionAttributeValues: { ':holder': { S: 'github-actions:release-v1.4.0' } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
    });
  });

  describe('GIVEN there is no lock to release', () => {
    test('THEN release reports false instead of failing', async () => {
      dynamo.on(DeleteItemCommand).rejects(conditionFailed());

      await expect(newLock().release({ environment: 'staging', holder: 'github-actions:deploy-staging' })).resolves.toBe(false);
    });
  });

  describe('GIVEN another holder has the lock being released', () => {
    test('THEN release is refused with a message naming the holder', async () => {
      dynamo.on(DeleteItemCommand).rejects(conditionFailed(heldByRelease));

      await expect(newLock().release({ environment: 'staging', holder: 'github-actions:deploy-staging' })).rejects.toThrow(
        /^github-actions:deploy-staging cannot release the deployment lock for staging: it is held by github-actions:release-v1\.4\.0 for 12m 5s \(run 987654\)/,
      );
    });
  });

  describe('GIVEN DynamoDB fails', () => {
    test('THEN acquire fails with the table, environment and SDK error, keeping the cause', async () => {
      const denied = Object.assign(new Error('User is not authorized to perform: dynamodb:PutItem'), { name: 'AccessDeniedException' });
      dynamo.on(PutItemCommand).rejects(denied);

      const error = await newLock()
        .acquire({ environment: 'staging', holder: 'ci', ttlSeconds: 60 })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(DeploymentLockError);
      expect((error as Error).message).toBe(
        `could not acquire the deployment lock for staging in table ${TABLE}: AccessDeniedException: User is not authorized to perform: dynamodb:PutItem`,
      );
      expect((error as Error).cause).toBe(denied);
    });

    test('THEN release fails with context too', async () => {
      dynamo.on(DeleteItemCommand).rejects(Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }));

      await expect(newLock().release({ environment: 'staging', holder: 'ci' })).rejects.toThrow(
        `could not release the deployment lock for staging in table ${TABLE}: ResourceNotFoundException: Requested resource not found`,
      );
    });
  });

  describe('GIVEN a lock has been held for a while', () => {
    test('THEN describe reads it back with its dates', async () => {
      dynamo.on(GetItemCommand).resolves({ Item: heldByRelease });

      await expect(newLock().describe('staging')).resolves.toEqual({
        lockId: 'locks/staging',
        environment: 'staging',
        holder: 'github-actions:release-v1.4.0',
        acquiredAt: new Date('2026-03-02T10:17:55.000Z'),
        expiresAt: new Date('2026-03-02T10:47:55.000Z'),
        runId: '987654',
      });
    });
  });

  test('THEN durations read as hours, minutes and seconds', () => {
    expect(formatDuration(5)).toBe('5s');
    expect(formatDuration(725)).toBe('12m 5s');
    expect(formatDuration(3603)).toBe('1h 0m 3s');
    expect(deploymentLockId('review-1234')).toBe('locks/review-1234');
  });

  test('fails when ttlSeconds is not a positive whole number', async () => {
    await expect(newLock().acquire({ environment: 'staging', holder: 'ci', ttlSeconds: 0 })).rejects.toThrow(
      'ttlSeconds must be a positive whole number of seconds, got 0',
    );
    expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  test('fails when the environment name could escape the locks/ prefix', async () => {
    await expect(newLock().acquire({ environment: '../production', holder: 'ci', ttlSeconds: 60 })).rejects.toThrow(
      'environment must be a name of letters, digits, ".", "_" or "-" (at most 128 characters), got "../production"',
    );
  });

  test('fails when the holder is empty', async () => {
    await expect(newLock().release({ environment: 'staging', holder: ' ' })).rejects.toThrow('holder must not be empty');
  });

  test('fails when the table name is empty', () => {
    expect(() => new DeploymentLock({ tableName: '' })).toThrow('tableName must not be empty');
  });
});

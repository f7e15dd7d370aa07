import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DEPLOYMENT_LOCK_PARTITION_KEY, deploymentLockId } from '@core-infra/constructs';

// The client of the deployment state store's lock table (its schema is in @core-infra/constructs,
// beside the store): an AWS SDK client, so it lives with its only caller, core-deploy.

const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A deploy lock as stored in the lock table. */
export interface DeploymentLockRecord {
  /** Item key, `locks/<environment>`. */
  readonly lockId: string;
  /** Environment the lock protects. */
  readonly environment: string;
  /** Who holds the lock, e.g. `github-actions:deploy-staging` or a person's name. */
  readonly holder: string;
  /** When the lock was taken. */
  readonly acquiredAt: Date;
  /** When the lock lapses and anyone may take it. */
  readonly expiresAt: Date;
  /** CI run (or other correlation id) that took the lock, when given. */
  readonly runId?: string;
}

/** Request to take the deploy lock of an environment. */
export interface AcquireDeploymentLockRequest {
  /** Environment to lock, e.g. `staging`. */
  readonly environment: string;
  /** Who is taking the lock; shown to anyone who finds it held. */
  readonly holder: string;
  /** How long the lock lasts unless released first, in whole seconds. */
  readonly ttlSeconds: number;
  /**
   * CI run that takes the lock. With a run id, the same holder and run may acquire again
   * (a retried step renews its own lock instead of being refused).
   *
   * @default - none; a held lock is refused even to its own holder
   */
  readonly runId?: string;
}

/** Request to release the deploy lock of an environment. */
export interface ReleaseDeploymentLockRequest {
  /** Environment to unlock. */
  readonly environment: string;
  /** Who is releasing; must be the holder. */
  readonly holder: string;
}

/** Options for {@link DeploymentLock}. */
export interface DeploymentLockOptions {
  /** Name of the lock table of the deployment state store. */
  readonly tableName: string;
  /**
   * DynamoDB client to use.
   *
   * @default - a client for the default credential chain and region
   */
  readonly client?: DynamoDBClient;
  /**
   * Source of the current time; tests inject a fixed clock.
   *
   * @default - the system clock
   */
  readonly clock?: () => Date;
}

/** Raised when a deploy lock cannot be taken or released because someone else holds it. */
export class DeploymentLockHeldError extends Error {
  /** The lock as found in the table. */
  public readonly lock: DeploymentLockRecord;
  /** How long the lock has been held, in seconds. */
  public readonly ageSeconds: number;

  /**
   * @param message what was refused and who holds the lock
   * @param lock the lock as found in the table
   * @param ageSeconds how long the lock has been held
   */
  constructor(message: string, lock: DeploymentLockRecord, ageSeconds: number) {
    super(message);
    this.name = 'DeploymentLockHeldError';
    this.lock = lock;
    this.ageSeconds = ageSeconds;
  }
}

/** Raised when the lock table cannot be read or written; `cause` holds the SDK error. */
export class DeploymentLockError extends Error {
  /**
   * @param message the operation, environment and table, and the SDK's reason
   * @param options `cause`: the SDK error
   */
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'DeploymentLockError';
  }
}

/**
 * Client for the deploy lock of the deployment state store: one item per environment,
 * `locks/<environment>`, taken and released with conditional writes so that two
 * deployments of the same environment never run at once. A lock lapses at `expiresAt`
 * (epoch seconds, also the table's TTL attribute), so a crashed run blocks others only
 * until then; lapsed locks may be taken before TTL has deleted them.
 */
export class DeploymentLock {
  /** Lock table in use. */
  public readonly tableName: string;

  private readonly client: DynamoDBClient;
  private readonly clock: () => Date;

  /**
   * @param options the lock table, and optionally the DynamoDB client and clock to use
   */
  constructor(options: DeploymentLockOptions) {
    if (options.tableName.trim() === '') {
      throw new Error('tableName must not be empty: pass the lock table name of the deployment state store');
    }
    this.tableName = options.tableName;
    this.client = options.client ?? new DynamoDBClient({});
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Takes the lock of an environment when it is free, has lapsed, or is already held by the
   * same holder and run.
   *
   * @param request environment, holder, lifetime and optional run id
   * @returns the lock as written
   * @throws DeploymentLockHeldError when another holder has the lock, naming them and the lock's age
   * @throws DeploymentLockError when DynamoDB cannot be reached or refuses the request
   */
  public async acquire(request: AcquireDeploymentLockRequest): Promise<DeploymentLockRecord> {
    assertEnvironment(request.environment);
    assertHolder(request.holder);
    if (!Number.isInteger(request.ttlSeconds) || request.ttlSeconds <= 0) {
      throw new Error(`ttlSeconds must be a positive whole number of seconds, got ${request.ttlSeconds}: pass how long the deployment may hold the lock, e.g. 3600`);
    }

    const now = this.clock();
    const nowSeconds = epochSeconds(now);
    const lock: DeploymentLockRecord = {
      lockId: deploymentLockId(request.environment),
      environment: request.environment,
      holder: request.holder,
      acquiredAt: new Date(nowSeconds * 1000),
      expiresAt: new Date((nowSeconds + request.ttlSeconds) * 1000),
      runId: request.runId,
    };

    const sameRun = request.runId === undefined ? '' : ' OR (holder = :holder AND runId = :runId)';
    const values: Record<string, AttributeValue> = { ':now': { N: String(nowSeconds) } };
    if (request.runId !== undefined) {
      values[':holder'] = { S: request.holder };
      values[':runId'] = { S: request.runId };
    }

    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem(lock),
          ConditionExpression: `attribute_not_exists(lockId) OR expiresAt <= :now${sameRun}`,
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return lock;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const held = error.Item ? fromItem(error.Item) : await this.current(request.environment, 'acquire');
        if (held === undefined) {
          throw new DeploymentLockError(
            `could not acquire the deployment lock for ${request.environment} in table ${this.tableName}: the write was refused but no lock was found; try again`,
            { cause: error },
          );
        }
        throw this.heldError(`the deployment lock for ${request.environment} is`, held, now);
      }
      throw this.sdkError('acquire', request.environment, error);
    }
  }

  /**
   * Releases the lock of an environment if the caller holds it.
   *
   * @param request environment and the caller's holder name
   * @returns true when the lock was released, false when there was no lock to release
   * @throws DeploymentLockHeldError when another holder has the lock
   * @throws DeploymentLockError when DynamoDB cannot be reached or refuses the request
   */
  public async release(request: ReleaseDeploymentLockRequest): Promise<boolean> {
    assertEnvironment(request.environment);
    assertHolder(request.holder);
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { [DEPLOYMENT_LOCK_PARTITION_KEY]: { S: deploymentLockId(request.environment) } },
          ConditionExpression: 'attribute_exists(lockId) AND holder = :holder',
          ExpressionAttributeValues: { ':holder': { S: request.holder } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        if (!error.Item) return false;
        const held = fromItem(error.Item);
        throw this.heldError(`${request.holder} cannot release the deployment lock for ${request.environment}: it is`, held, this.clock());
      }
      throw this.sdkError('release', request.environment, error);
    }
  }

  /**
   * Reads the lock of an environment (strongly consistent), whether or not it has lapsed.
   *
   * @param environment environment name, e.g. `staging`
   * @returns the lock, or undefined when there is none
   */
  public async describe(environment: string): Promise<DeploymentLockRecord | undefined> {
    assertEnvironment(environment);
    return this.current(environment, 'read');
  }

  private async current(environment: string, operation: string): Promise<DeploymentLockRecord | undefined> {
    try {
      const result = await this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { [DEPLOYMENT_LOCK_PARTITION_KEY]: { S: deploymentLockId(environment) } },
          ConsistentRead: true,
        }),
      );
      return result.Item ? fromItem(result.Item) : undefined;
    } catch (error) {
      throw this.sdkError(operation, environment, error);
    }
  }

  private heldError(subject: string, held: DeploymentLockRecord, now: Date): DeploymentLockHeldError {
    const ageSeconds = Math.max(0, Math.floor((now.getTime() - held.acquiredAt.getTime()) / 1000));
    const remainingSeconds = Math.max(0, Math.ceil((held.expiresAt.getTime() - now.getTime()) / 1000));
    const run = held.runId === undefined ? '' : ` (run ${held.runId})`;
    const key = JSON.stringify({ [DEPLOYMENT_LOCK_PARTITION_KEY]: { S: held.lockId } });
    const message =
      `${subject} held by ${held.holder} for ${formatDuration(ageSeconds)}${run}; ` +
      `it expires at ${held.expiresAt.toISOString()} (in ${formatDuration(remainingSeconds)}); ` +
      `wait or release it with: aws dynamodb delete-item --table-name ${this.tableName} --key '${key}'`;
    return new DeploymentLockHeldError(message, held, ageSeconds);
  }

  private sdkError(operation: string, environment: string, error: unknown): DeploymentLockError {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new DeploymentLockError(`could not ${operation} the deployment lock for ${environment} in table ${this.tableName}: ${reason}`, { cause: error });
  }
}

/**
 * Renders a duration the way the lock messages show it, e.g. `12m 5s` or `1h 0m 3s`.
 *
 * @param totalSeconds whole seconds, not negative
 */
export function formatDuration(totalSeconds: number): string {
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${minutes}m ${seconds}s`;
  if (minutes > 0) return `${minutes}m ${seconds}s`;
  return `${seconds}s`;
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function toItem(lock: DeploymentLockRecord): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    lockId: { S: lock.lockId },
    environment: { S: lock.environment },
    holder: { S: lock.holder },
    acquiredAt: { S: lock.acquiredAt.toISOString() },
    expiresAt: { N: String(epochSeconds(lock.expiresAt)) },
  };
  if (lock.runId !== undefined) item.runId = { S: lock.runId };
  return item;
}

function fromItem(item: Record<string, AttributeValue>): DeploymentLockRecord {
  const lockId = item.lockId?.S ?? '';
  return {
    lockId,
    environment: item.environment?.S ?? lockId.replace(/^locks\//, ''),
    holder: item.holder?.S ?? 'an unknown holder',
    acquiredAt: new Date(item.acquiredAt?.S ?? 0),
    expiresAt: new Date(Number(item.expiresAt?.N ?? 0) * 1000),
    runId: item.runId?.S,
  };
}

function assertEnvironment(environment: string): void {
  if (!ENVIRONMENT_NAME.test(environment)) {
    throw new Error(`environment must be a name of letters, digits, ".", "_" or "-" (at most 128 characters), got "${environment}": pass the environment name, e.g. "staging" or "review-1234"`);
  }
}

function assertHolder(holder: string): void {
  if (holder.trim() === '') {
    throw new Error('holder must not be empty: say who takes the lock, e.g. "github-actions:deploy-staging"');
  }
}

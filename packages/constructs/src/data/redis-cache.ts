import { Duration, Names, RemovalPolicy, SecretValue, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, type IConstruct } from 'constructs';
import { EncryptionKey } from '../security/encryption-key';
import { propsError } from '../shared/errors';
import { retainUnlessEphemeral } from '../shared/removal';

/** In-memory engines {@link RedisCache} can run. */
export enum CacheEngine {
  /** Valkey, the open-source fork of Redis OSS 7.2 that ElastiCache prices lower; protocol-compatible with Sidekiq and Rack::Attack. */
  VALKEY = 'valkey',
  /** Redis OSS. */
  REDIS = 'redis',
}

/** Props for {@link RedisCache}. */
export interface RedisCacheProps {
  /** VPC the cache lives in. */
  readonly vpc: ec2.IVpc;

  /**
   * Subnets of the cache subnet group.
   *
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Engine.
   *
   * @default CacheEngine.VALKEY
   */
  readonly engine?: CacheEngine;

  /**
   * Engine version (`major.minor`). The parameter group family follows from it.
   *
   * @default - "8.2" for Valkey, "7.1" for Redis OSS
   */
  readonly engineVersion?: string;

  /**
   * Node type.
   *
   * @default "cache.t4g.micro"
   */
  readonly cacheNodeType?: string;

  /**
   * Number of nodes (1 to 6): one primary and the rest replicas.
   *
   * @default 2
   */
  readonly numCacheClusters?: number;

  /**
   * Spread nodes over availability zones with automatic failover to a replica. Needs at
   * least 2 nodes and subnets in at least 2 zones.
   *
   * @default - true when there are 2 or more nodes
   */
  readonly multiAz?: boolean;

  /**
   * How long daily snapshots are kept (0 to 35 days; 0 turns them off).
   *
   * @default - 5 days
   */
  readonly snapshotRetention?: Duration;

  /**
   * Daily snapshot window in UTC (`hh24:mi-hh24:mi`).
   *
   * @default "02:30-03:30"
   */
  readonly snapshotWindow?: string;

  /**
   * Weekly maintenance window in UTC (`ddd:hh24:mi-ddd:hh24:mi`).
   *
   * @default "sun:23:00-mon:01:30"
   */
  readonly preferredMaintenanceWindow?: string;

  /**
   * What happens to the replication group when it leaves the stack.
   *
   * @default RemovalPolicy.SNAPSHOT - a final snapshot is taken
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Key encrypting data at rest, snapshots and the AUTH token secret.
   *
   * @default - a new rotating {@link EncryptionKey}
   */
  readonly encryptionKey?: EncryptionKey;

  /**
   * Topic ElastiCache sends cluster events (failover, maintenance) to.
   *
   * @default - no event notifications
   */
  readonly notificationTopic?: sns.ITopic;

  /**
   * Name of the replication group (at most 40 characters).
   *
   * @default - derived from the construct path
   */
  readonly replicationGroupId?: string;
}

/**
 * CORE's Redis-compatible cache (Sidekiq queues, Rack::Attack throttling) on an ElastiCache
 * replication group.
 *
 * Valkey by default; at-rest encryption with a customer-managed key; in-transit encryption
 * required (TLS only, hence `rediss://`); an AUTH token generated in Secrets Manager under the
 * same key; Multi-AZ with automatic failover when there are two or more nodes; daily snapshots
 * (5 days) and a final snapshot on removal; a parameter group with
 * `maxmemory-policy volatile-lru`; private subnets; and a security group with no egress that
 * admits only what the caller allows ({@link allowFrom}).
 *
 * AUTH uses the token rather than RBAC users: it needs no user or user-group resources, works
 * with every Redis client through the URL's password, and the template carries only a
 * `{{resolve:secretsmanager:...}}` dynamic reference that CloudFormation resolves at deploy
 * time. The app reads {@link connectionUrl} (no secret in it) plus {@link authSecret}, or the
 * complete URL from {@link connectionUrlSecret}.
 *
 * @example
 * const redis = new RedisCache(stack, 'Redis', { vpc: network.vpc, numCacheClusters: 2, multiAz: true });
 * redis.allowFrom(application);
 * // redis.connectionUrl holds no secret; the AUTH token is in redis.authSecret
 */
export class RedisCache extends Construct implements ec2.IConnectable {
  /** Port the cache listens on. */
  public static readonly PORT = 6379;

  /** The replication group. */
  public readonly replicationGroup: elasticache.CfnReplicationGroup;

  /** Address of the primary endpoint. */
  public readonly primaryEndpointAddress: string;

  /** `rediss://<primary endpoint>:6379`, without credentials. */
  public readonly connectionUrl: string;

  /** AUTH token (the whole secret string). */
  public readonly authSecret: secretsmanager.ISecret;

  /** `rediss://:<AUTH token>@<primary endpoint>:6379`, for clients that take a single URL. */
  public readonly connectionUrlSecret: secretsmanager.ISecret;

  /** Security group of the nodes. */
  public readonly securityGroup: ec2.ISecurityGroup;

  /** Network access to the cache; use `allowDefaultPortFrom` to admit a client. */
  public readonly connections: ec2.Connections;

  /** Key encrypting the cache and its secrets. */
  public readonly encryptionKey: EncryptionKey;

  /** Engine in use. */
  public readonly engine: CacheEngine;

  /** Engine version in use. */
  public readonly engineVersion: string;

  /** Parameter group family matching the engine version. */
  public readonly parameterGroupFamily: string;

  /** Number of nodes. */
  public readonly numCacheClusters: number;

  /** Whether Multi-AZ with automatic failover is on. */
  public readonly multiAz: boolean;

  /** Snapshot retention. */
  public readonly snapshotRetention: Duration;

  /** Removal policy of the replication group. */
  public readonly removalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    super(scope, id);

    this.engine = props.engine ?? CacheEngine.VALKEY;
    this.engineVersion = props.engineVersion ?? (this.engine === CacheEngine.VALKEY ? '8.2' : '7.1');
    this.parameterGroupFamily = parameterGroupFamily(this, this.engine, this.engineVersion);
    this.numCacheClusters = props.numCacheClusters ?? 2;
    this.multiAz = props.multiAz ?? this.numCacheClusters >= 2;
    this.snapshotRetention = props.snapshotRetention ?? Duration.days(5);
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.SNAPSHOT;
    const vpcSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    const subnets = props.vpc.selectSubnets(vpcSubnets);
    const replicationGroupId = props.replicationGroupId ?? Names.uniqueResourceName(this, { maxLength: 40, separator: '-' }).toLowerCase();

    if (!Number.isInteger(this.numCacheClusters) || this.numCacheClusters < 1 || this.numCacheClusters > 6) {
      throw propsError(this, `numCacheClusters must be a whole number from 1 to 6, got ${this.numCacheClusters}`);
    }
    if (this.multiAz && this.numCacheClusters < 2) {
      throw propsError(this, `multiAz needs at least 2 nodes for automatic failover but numCacheClusters is ${this.numCacheClusters}: set numCacheClusters to 2 or more, or multiAz to false`);
    }
    const azCount = new Set(subnets.availabilityZones).size;
    if (this.multiAz && azCount < 2) {
      throw propsError(this, `multiAz needs subnets in at least 2 availability zones but vpcSubnets cover ${azCount}: select subnets in two or more zones, or set multiAz to false`);
    }
    const retentionDays = this.snapshotRetention.toDays({ integral: false });
    if (!Number.isInteger(retentionDays) || retentionDays < 0 || retentionDays > 35) {
      throw propsError(this, `snapshotRetention must be a whole number of days between 0 and 35, got ${this.snapshotRetention.toHumanString()}`);
    }
    if (!Token.isUnresolved(replicationGroupId) && (!/^[a-z](?!.*--)[a-z0-9-]{0,39}$/.test(replicationGroupId) || replicationGroupId.endsWith('-'))) {
      throw propsError(this, `replicationGroupId must be 1 to 40 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen, got "${replicationGroupId}"`);
    }

    const keyRemoval = retainUnlessEphemeral(this.removalPolicy);
    this.encryptionKey =
      props.encryptionKey ??
      new EncryptionKey(this, 'Key', {
        description: `Encrypts the ${this.engine} cache ${this.node.path}: data at rest, snapshots and the AUTH token`,
        removalPolicy: keyRemoval,
      });

    const authSecret = new secretsmanager.Secret(this, 'AuthToken', {
      description: `AUTH token of the ${this.engine} cache ${this.node.path}`,
      encryptionKey: this.encryptionKey.key,
      // Letters and digits only: valid for ElastiCache and safe unescaped in a URL.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: keyRemoval,
    });
    this.authSecret = authSecret;

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${this.engine} cache ${this.node.path}: ingress only from granted clients, no egress`,
      allowAllOutbound: false,
    });
    this.securityGroup = securityGroup;
    this.connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(RedisCache.PORT) });

    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'SubnetGroup', {
      description: `${this.engine} cache ${this.node.path} private subnets`,
      subnetIds: subnets.subnetIds,
    });
    const parameterGroup = new elasticache.CfnParameterGroup(this, 'Parameters', {
      cacheParameterGroupFamily: this.parameterGroupFamily,
      description: `${this.engine} cache ${this.node.path}: evict least-recently-used keys that have an expiry`,
      properties: { 'maxmemory-policy': 'volatile-lru' },
    });

    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupId,
      replicationGroupDescription: `CORE ${this.engine} cache ${this.node.path}`,
      engine: this.engine,
      engineVersion: this.engineVersion,
      cacheNodeType: props.cacheNodeType ?? 'cache.t4g.micro',
      numCacheClusters: this.numCacheClusters,
      multiAzEnabled: this.multiAz,
      automaticFailoverEnabled: this.multiAz,
      cacheParameterGroupName: parameterGroup.ref,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [securityGroup.securityGroupId],
      port: RedisCache.PORT,
      atRestEncryptionEnabled: true,
      kmsKeyId: this.encryptionKey.keyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      authToken: SecretValue.secretsManager(authSecret.secretArn).unsafeUnwrap(),
      autoMinorVersionUpgrade: true,
      snapshotRetentionLimit: retentionDays,
      snapshotWindow: retentionDays > 0 ? (props.snapshotWindow ?? '02:30-03:30') : undefined,
      preferredMaintenanceWindow: props.preferredMaintenanceWindow ?? 'sun:23:00-mon:01:30',
      notificationTopicArn: props.notificationTopic?.topicArn,
    });
    this.replicationGroup.applyRemovalPolicy(this.removalPolicy);

    this.primaryEndpointAddress = this.replicationGroup.attrPrimaryEndPointAddress;
    this.connectionUrl = `rediss://${this.primaryEndpointAddress}:${RedisCache.PORT}`;
    const token = SecretValue.secretsManager(authSecret.secretArn).unsafeUnwrap();
    this.connectionUrlSecret = new secretsmanager.Secret(this, 'ConnectionUrl', {
      description: `Connection URL (with AUTH token) of the ${this.engine} cache ${this.node.path}`,
      encryptionKey: this.encryptionKey.key,
      // Only a dynamic reference reaches the template; CloudFormation substitutes the token.
      secretStringValue: SecretValue.unsafePlainText(`rediss://:${token}@${this.primaryEndpointAddress}:${RedisCache.PORT}`),
      // Secrets are retained like every stateful resource unless the cache itself is disposable.
      removalPolicy: retainUnlessEphemeral(this.removalPolicy),
    });
  }

  /**
   * Admits connections from a security group owner (an ECS service).
   *
   * @param client the connectable allowed to reach port 6379
   * @param description why the client needs access
   */
  public allowFrom(client: ec2.IConnectable, description = `${this.engine} client`): void {
    this.connections.allowDefaultPortFrom(client, description);
  }

  /**
   * Lets the grantee read the AUTH token and the connection-URL secret (and decrypt them
   * through Secrets Manager).
   *
   * @param grantee usually the ECS task execution role
   */
  public grantReadAuth(grantee: iam.IGrantable): iam.Grant {
    return this.authSecret
      .grantRead(grantee)
      .combine(this.connectionUrlSecret.grantRead(grantee))
      .combine(this.encryptionKey.grantDecrypt(grantee, { viaServices: [`secretsmanager.${Stack.of(this).region}.amazonaws.com`] }));
  }
}

function parameterGroupFamily(scope: IConstruct, engine: CacheEngine, version: string): string {
  const match = /^(\d+)\.(\d+)$/.exec(version);
  if (match === null) {
    throw propsError(scope, `engineVersion must be "major.minor", got "${version}": use e.g. "8.2"`);
  }
  const major = Number(match[1]);
  if (engine === CacheEngine.VALKEY && major >= 7 && major <= 9) {
    return `valkey${major}`;
  }
  if (engine === CacheEngine.REDIS && major === 7) {
    return 'redis7';
  }
  if (engine === CacheEngine.REDIS && major === 6) {
    return 'redis6.x';
  }
  throw propsError(
    scope,
    `engineVersion ${version} is not supported for ${engine}: use Valkey 7 to 9 or Redis OSS 6 or 7 (older engines lack the required in-transit encryption mode)`,
  );
}

import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { RedisCacheProps } from '@core-infra/constructs';

/** What decides a Redis cache's shape in CORE. */
export interface RedisSettings {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** Resource-name prefix, used as the replication group id. */
  readonly prefix: string;
  /** Node type, e.g. `cache.t4g.micro`. */
  readonly nodeType: string;
  /** Two nodes with Multi-AZ failover, or one. */
  readonly highlyAvailable: boolean;
  /** Days of snapshots kept (0: none, and no final snapshot). */
  readonly snapshotRetentionDays: number;
  /** Topic for ElastiCache events, when wanted. */
  readonly notificationTopic?: sns.ITopic;
}

/**
 * Props of a CORE Redis cache, shared by environments and review apps so both get the same shape
 * from the same few settings.
 */
export function redisProps(settings: RedisSettings): RedisCacheProps {
  return {
    vpc: settings.vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    cacheNodeType: settings.nodeType,
    numCacheClusters: settings.highlyAvailable ? 2 : 1,
    multiAz: settings.highlyAvailable,
    snapshotRetention: Duration.days(settings.snapshotRetentionDays),
    removalPolicy: settings.snapshotRetentionDays > 0 ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
    replicationGroupId: settings.prefix,
    notificationTopic: settings.notificationTopic,
  };
}

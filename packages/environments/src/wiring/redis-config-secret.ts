import { RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { RedisCache } from '@core-infra/constructs';
import type { Construct } from 'constructs';

/**
 * The application's `REDIS_CONFIG` document (`[{"instance_name":"","credentials":{"uri":…}}]`) as a
 * secret, because its URI carries the AUTH token. Only a dynamic reference to the token reaches
 * the template; CloudFormation substitutes it at deploy time.
 *
 * @param scope where the secret lives
 * @param id construct id
 * @param redis the cache
 */
export function redisConfigSecret(scope: Construct, id: string, redis: RedisCache): secretsmanager.Secret {
  const token = SecretValue.secretsManager(redis.authSecret.secretArn).unsafeUnwrap();
  const uri = `rediss://:${token}@${redis.primaryEndpointAddress}:${RedisCache.PORT}`;
  return new secretsmanager.Secret(scope, id, {
    description: `REDIS_CONFIG of the CORE application (${Stack.of(scope).stackName})`,
    encryptionKey: redis.encryptionKey.key,
    secretStringValue: SecretValue.unsafePlainText(Stack.of(scope).toJsonString([{ instance_name: '', credentials: { uri } }])),
    // Retained like every secret (the policy rules insist); a replaced copy is orphaned, not lost.
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

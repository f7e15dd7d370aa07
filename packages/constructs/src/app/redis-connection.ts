import type * as ecs from 'aws-cdk-lib/aws-ecs';

/**
 * How the Rails app reaches Redis: the `REDIS_CONFIG` document, either built from a `rediss://`
 * URL into the plain environment or injected whole from a secret. One of the two, never both,
 * which is why it is one value with two factories rather than two props.
 *
 * @example
 * // A cluster without an AUTH token: the URL may sit in the task definition.
 * RedisConnection.fromUrl(redis.url);
 * // A URL with an AUTH token: the REDIS_CONFIG document stays in Secrets Manager.
 * RedisConnection.fromSecret(ecs.Secret.fromSecretsManager(redisConfigSecret));
 */
export class RedisConnection {
  /**
   * Redis reached by a `rediss://` URL without credentials, written into `REDIS_CONFIG` in the
   * containers' plain environment. {@link WebApplication} refuses a URL without TLS or with
   * credentials: a URL with an AUTH token belongs in {@link fromSecret}.
   *
   * @param url the `rediss://host:6379` URL
   */
  public static fromUrl(url: string): RedisConnection {
    return new RedisConnection(url, undefined);
  }

  /**
   * Redis reached through a secret holding the whole `REDIS_CONFIG` document, injected by ECS
   * at task start; the execution role is granted read access to it.
   *
   * @param secret the secret (Secrets Manager or SSM SecureString) holding `REDIS_CONFIG`
   */
  public static fromSecret(secret: ecs.Secret): RedisConnection {
    return new RedisConnection(undefined, secret);
  }

  private constructor(
    /** The `rediss://` URL, when Redis is reached {@link fromUrl | by URL}. */
    public readonly url: string | undefined,
    /** The `REDIS_CONFIG` secret, when Redis is reached {@link fromSecret | through a secret}. */
    public readonly secret: ecs.Secret | undefined,
  ) {}
}

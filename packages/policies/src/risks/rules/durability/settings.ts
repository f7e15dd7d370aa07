import type { RiskResource } from '../../risk-rule';
import { isObject, renderString } from '../../values';

/** What a numeric setting is in a template: a number, absent, or known only at deploy time. */
export type NumericSetting = { readonly kind: 'number'; readonly value: number } | { readonly kind: 'absent' } | { readonly kind: 'deploy-time' };

/** Reads a numeric setting written as a number or a numeric string (CDK writes both). */
export function numericSetting(value: unknown): NumericSetting {
  if (value === undefined || value === null) return { kind: 'absent' };
  const text = renderString(value)?.trim();
  return text !== undefined && /^-?\d+$/.test(text) ? { kind: 'number', value: Number(text) } : { kind: 'deploy-time' };
}

/**
 * Whether a value is, or can become at deploy time, the given literal: the value itself, or
 * either branch of an `Fn::If` (a condition that can switch a protection off is a way to switch it off).
 */
export function canBe(value: unknown, literal: string): boolean {
  if (renderString(value) === literal) return true;
  if (!isObject(value) || !Array.isArray(value['Fn::If'])) return false;
  return value['Fn::If'].slice(1).some((branch) => canBe(branch, literal));
}

/** Whether a boolean setting is true, written as `true` or `"true"`. */
export function isTrue(value: unknown): boolean {
  return renderString(value)?.toLowerCase() === 'true';
}

/**
 * Whether a cache-type resource holds data of its own: Memcached (node-based or serverless) holds
 * only recomputable cache entries, and a cache cluster that is a member of a replication group
 * holds the group's data, which the group's own settings protect.
 */
export function holdsData(resource: RiskResource): boolean {
  if (renderString(resource.properties.Engine)?.toLowerCase() === 'memcached') return false;
  return resource.type !== 'AWS::ElastiCache::CacheCluster' || resource.properties.ReplicationGroupId === undefined;
}

/**
 * Normalizes a synthesized CloudFormation template so that snapshots change only when the
 * infrastructure does: asset hashes, CDK version metadata and bootstrap references are
 * replaced by stable placeholders.
 *
 * - 64-character hex asset hashes (S3 keys, Docker tags, custom-resource hashes) → `[ASSET_HASH]`
 * - the bootstrap qualifier in role, bucket and SSM names (`cdk-hnb659fds-…`, `/cdk-bootstrap/hnb659fds/`) → `[QUALIFIER]`
 * - the `BootstrapVersion` parameter, the `CheckBootstrapVersion` rule, the `CDKMetadata`
 *   resource and its condition (they carry CDK version data) are removed
 *
 * @param template a template object; it is not modified
 * @returns a normalized deep copy
 */
export function normalizeTemplate<T>(template: T): T {
  const copy = normalizeValue(template) as Record<string, Record<string, unknown> | undefined>;
  if (isRecord(copy)) {
    delete copy.Parameters?.BootstrapVersion;
    delete copy.Rules?.CheckBootstrapVersion;
    delete copy.Resources?.CDKMetadata;
    delete copy.Conditions?.CDKMetadataAvailable;
    for (const section of ['Parameters', 'Rules', 'Conditions'] as const) {
      if (isRecord(copy[section]) && Object.keys(copy[section]!).length === 0) delete copy[section];
    }
  }
  return copy as T;
}

/**
 * Replaces hashes and bootstrap qualifiers in one string (see {@link normalizeTemplate}).
 *
 * @param value any string from a template
 */
export function normalizeString(value: string): string {
  return value
    .replace(/\b[a-f0-9]{64}\b/g, '[ASSET_HASH]')
    .replace(/cdk-[a-z0-9]{9}-(assets|container-assets|deploy-role|cfn-exec-role|file-publishing-role|image-publishing-role|lookup-role)/g, 'cdk-[QUALIFIER]-$1')
    .replace(/\/cdk-bootstrap\/[a-z0-9]{9}\//g, '/cdk-bootstrap/[QUALIFIER]/');
}

function normalizeValue(value: unknown): unknown {
  if (typeof value === 'string') return normalizeString(value);
  if (Array.isArray(value)) return value.map(normalizeValue);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[normalizeString(key)] = normalizeValue(item);
    return out;
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const normalized = new WeakSet<object>();

/**
 * Jest snapshot serializer for CloudFormation templates (objects with a `Resources` map): prints
 * them through {@link normalizeTemplate}. Register it with `expect.addSnapshotSerializer` or
 * `snapshotSerializers: ['@core-infra/testing/snapshot-serializer']` in jest config.
 */
export const templateSnapshotSerializer: Parameters<typeof expect.addSnapshotSerializer>[0] = {
  test(value: unknown): boolean {
    return isRecord(value) && isRecord(value.Resources) && !normalized.has(value);
  },
  serialize(value, config, indentation, depth, refs, printer): string {
    const result = normalizeTemplate(value) as object;
    normalized.add(result);
    return printer(result, config, indentation, depth, refs);
  },
};

import type { TerraformResource } from './terraform-state';
import { referencedLogicalId } from './cdk-resources';
import type { ResourcePair } from './match';
import { propertyAt, type PropertyCheck } from './property-checks';
import type { PropertyDifference } from './types';

/** A KMS key as one side names it: an identity to compare and a label for the report. */
interface KeyIdentity {
  readonly id: string;
  readonly label: string;
}

const AWS_MANAGED: KeyIdentity = { id: 'aws-managed', label: 'AWS managed key' };

/**
 * Compares each matched pair on the properties its type checks, and returns the differences
 * per pair (same order). KMS key properties compare keys, not text: a CDK key that imports the
 * Terraform key the resource uses is the same key.
 *
 * @param pairs the matched resources
 * @param terraform every managed resource of the state, to look KMS keys and aliases up
 */
export function compareProperties(pairs: readonly ResourcePair[], terraform: readonly TerraformResource[]): PropertyDifference[][] {
  const keys = new KeyLookup(pairs, terraform);
  return pairs.map((pair) => (pair.terraform.adoptable.checks ?? []).flatMap((check) => differenceOf(check, pair, keys) ?? []));
}

function differenceOf(check: PropertyCheck, pair: ResourcePair, keys: KeyLookup): PropertyDifference | undefined {
  const terraform = check.terraform(pair.terraform.resource.values);
  if (terraform === undefined || terraform === null) return undefined;
  const templateValue = check.cdk ? check.cdk(pair.cdk.properties) : propertyAt(pair.cdk.properties, check.property);
  const cdk = templateValue ?? check.cdkDefault;
  if (check.comparison === 'key') {
    const [tfKey, cdkKey] = [keys.ofTerraform(terraform), keys.ofCdk(cdk, pair)];
    return tfKey.id === cdkKey.id ? undefined : { property: check.property, terraform: tfKey.label, cdk: cdkKey.label, effect: check.effect };
  }
  if (cdk === undefined) return undefined;
  const difference = { property: check.property, terraform: text(terraform), cdk: text(cdk) };
  switch (check.comparison) {
    case 'version': {
      const order = compareVersions(text(cdk), text(terraform));
      return order === 0 ? undefined : { ...difference, effect: order < 0 ? 'update-fails' : check.effect };
    }
    case 'size': {
      const order = Number(cdk) - Number(terraform);
      return order === 0 ? undefined : { ...difference, effect: order < 0 ? 'update-fails' : check.effect };
    }
    default:
      return text(cdk).toLowerCase() === text(terraform).toLowerCase() ? undefined : { ...difference, effect: check.effect };
  }
}

/**
 * Compares dotted versions; a shorter CDK version (`18`) matches every version it prefixes (`18.3`).
 *
 * @returns negative when `cdk` is lower, 0 when it matches, positive when higher
 */
function compareVersions(cdk: string, terraform: string): number {
  const [a, b] = [cdk.split('.'), terraform.split('.')];
  for (let i = 0; i < a.length && i < b.length; i++) {
    const order = Number.isNaN(Number(a[i])) || Number.isNaN(Number(b[i])) ? a[i].localeCompare(b[i]) : Number(a[i]) - Number(b[i]);
    if (order !== 0) return order;
  }
  return 0;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** Names KMS keys on both sides the same way, through the adopted key pairs and the state's aliases. */
class KeyLookup {
  private readonly adoptedBy = new Map<string, string>();
  private readonly keyByReference = new Map<string, TerraformResource>();

  constructor(pairs: readonly ResourcePair[], terraform: readonly TerraformResource[]) {
    for (const pair of pairs) {
      if (pair.cdk.type === 'AWS::KMS::Key') this.adoptedBy.set(`${pair.cdk.stack.id}\u0000${pair.cdk.logicalId}`, String(pair.terraform.resource.values.key_id));
    }
    const keys = terraform.filter((resource) => resource.type === 'aws_kms_key');
    for (const key of keys) {
      for (const reference of [key.values.key_id, key.values.arn]) if (typeof reference === 'string') this.keyByReference.set(reference, key);
    }
    for (const alias of terraform.filter((resource) => resource.type === 'aws_kms_alias')) {
      const key = this.keyByReference.get(String(alias.values.target_key_id));
      if (key === undefined) continue;
      for (const reference of [alias.values.name, alias.values.arn]) if (typeof reference === 'string') this.keyByReference.set(reference, key);
    }
  }

  ofTerraform(value: unknown): KeyIdentity {
    if (typeof value !== 'string' || value === '' || /(^|:)alias\/aws\//.test(value)) return AWS_MANAGED;
    const key = this.keyByReference.get(value) ?? this.keyByReference.get(value.replace(/^arn:[^:]+:kms:[^:]*:\d*:key\//, ''));
    if (key === undefined) return { id: value, label: `key ${value}` };
    return { id: `key:${String(key.values.key_id)}`, label: `key ${String(key.values.key_id)} (${key.address})` };
  }

  ofCdk(value: unknown, pair: ResourcePair): KeyIdentity {
    if (value === undefined || value === null || value === '') return AWS_MANAGED;
    const logicalId = referencedLogicalId(value);
    if (logicalId === undefined) return typeof value === 'string' ? this.ofTerraform(value) : { id: JSON.stringify(value), label: JSON.stringify(value) };
    const adopted = this.adoptedBy.get(`${pair.cdk.stack.id}\u0000${logicalId}`);
    return adopted === undefined ? { id: `new:${logicalId}`, label: `new key ${logicalId}` } : { id: `key:${adopted}`, label: `key ${adopted} (imported into ${logicalId})` };
  }
}

import { type DestructiveChangeCause } from './types';

/**
 * A property whose change makes CloudFormation write a new value into a resource it keeps:
 * nothing is replaced, yet the stored value is gone for everything that reads the current one.
 */
export interface ValueRewritingProperty {
  /** CloudFormation resource type. */
  readonly resourceType: string;
  /** Top-level property name. */
  readonly property: string;
  /** `value-regenerated` when a new random value is generated, `value-overwritten` when the template's value is written. */
  readonly cause: Extract<DestructiveChangeCause, 'value-regenerated' | 'value-overwritten'>;
}

/**
 * The properties whose change rewrites a stored value, which the gate reports as `regenerate`.
 *
 * - `GenerateSecretString`: "When you make a change to this property, a new secret version is
 *   created" (AWS::SecretsManager::Secret). The new version is a freshly generated value, so a
 *   value an operator put in by hand (a Rails master key, a third-party API key) is lost to every
 *   reader of `AWSCURRENT`, even when the change only tweaks the generator's options.
 * - `SecretString`: a changed value is written over the current one. The template cannot say
 *   whether the stored value is still the one it wrote or was set by hand since (the usual way
 *   to keep a real value out of the template is a placeholder), so the gate assumes the latter:
 *   a reviewer acknowledges an intended change in one line, while a lost value cannot be
 *   recovered once `AWSPREVIOUS` moves on.
 */
export const VALUE_REWRITING_PROPERTIES: readonly ValueRewritingProperty[] = [
  { resourceType: 'AWS::SecretsManager::Secret', property: 'GenerateSecretString', cause: 'value-regenerated' },
  { resourceType: 'AWS::SecretsManager::Secret', property: 'SecretString', cause: 'value-overwritten' },
];

/**
 * Finds the entry for a property whose change rewrites a stored value.
 *
 * @param resourceType CloudFormation resource type
 * @param property top-level property name
 * @returns the entry, or `undefined` when a change of the property leaves stored values alone
 */
export function findValueRewritingProperty(resourceType: string, property: string): ValueRewritingProperty | undefined {
  return VALUE_REWRITING_PROPERTIES.find((entry) => entry.resourceType === resourceType && entry.property === property);
}

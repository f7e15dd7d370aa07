/**
 * Reading the values the secret rules inspect: walking property paths through lists and
 * conditions, and telling a reference to a secret from a secret typed into the template.
 */
import { DEPLOY_TIME, isObject, isSecretReference, renderString } from '../../values';
import { preview } from './credential-patterns';

/** One value found at a property path. */
export interface PropertyValue {
  /** The value (a string, an intrinsic function, …). */
  readonly value: unknown;
  /** Where it is, e.g. `Properties.Users[1].Password`. */
  readonly location: string;
  /** Set when a list or map on the path is an intrinsic function the check cannot read: its name. */
  readonly unreadable?: string;
}

/** The intrinsic function a value is (`Fn::Join`, `Ref`, …), if it is one. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::')) ? keys[0] : undefined;
}

/**
 * The values a property can take at deploy time where it picks one of its own literal inputs:
 * both branches of `Fn::If`, every item `Fn::Select` picks from, the text `Fn::Base64` encodes.
 * Without this a condition could hide a typed-in password behind a function the renderer
 * treats as deploy-time.
 */
export function alternatives(value: unknown): readonly unknown[] {
  const fn = intrinsicName(value);
  if (fn === undefined || !isObject(value)) return [value];
  const arg = value[fn];
  if (fn === 'Ref' && arg === 'AWS::NoValue') return [];
  if (fn === 'Fn::If' && Array.isArray(arg) && arg.length === 3) return [...alternatives(arg[1]), ...alternatives(arg[2])];
  if (fn === 'Fn::Select' && Array.isArray(arg) && Array.isArray(arg[1])) return arg[1].flatMap(alternatives);
  if (fn === 'Fn::Base64') return alternatives(arg);
  return [value];
}

/**
 * Every value at a dotted path below `Properties`, where `Name[]` steps into each item of a list,
 * e.g. `Users[].Password` or `Stages[].Actions[].Configuration.OAuthToken`.
 */
export function valuesAt(properties: Readonly<Record<string, unknown>>, path: string): readonly PropertyValue[] {
  return walk(properties, 'Properties', path.split('.'));
}

function walk(node: unknown, location: string, steps: readonly string[]): PropertyValue[] {
  if (steps.length === 0) return alternatives(node).filter((value) => value !== undefined).map((value) => ({ value, location }));
  const [step, ...rest] = steps;
  const key = step.replace(/\[\]$/, '');
  return alternatives(node).flatMap((value): PropertyValue[] => {
    const fn = intrinsicName(value);
    if (fn !== undefined) return [{ value, location, unreadable: fn }];
    if (!isObject(value)) return [];
    const at = `${location}.${key}`;
    if (key === step) return walk(value[key], at, rest);
    return alternatives(value[key]).flatMap((items): PropertyValue[] => {
      if (Array.isArray(items)) return items.flatMap((item, i) => walk(item, `${at}[${i}]`, rest));
      const listFn = intrinsicName(items);
      return listFn ? [{ value: items, location: at, unreadable: listFn }] : [];
    });
  });
}

/** A text with each `{{resolve:…}}` dynamic reference replaced by the deploy-time marker. */
export function maskDynamicReferences(text: string): string {
  return text.replace(/\{\{resolve:[^}]*\}\}/g, DEPLOY_TIME);
}

/** The literal parts of a rendered text, with references and deploy-time parts removed. */
export function literalParts(text: string): string {
  return maskDynamicReferences(text).split(DEPLOY_TIME).join('').trim();
}

/**
 * Why a value of a secret-bearing property is a plaintext secret, or `undefined` when it is a
 * reference (a dynamic reference alone, or a `Ref`/`GetAtt` with no literal text) or absent.
 */
export function plaintextProblem(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (intrinsicName(value) === 'Fn::FindInMap') return 'comes from Fn::FindInMap, i.e. a literal in the template’s Mappings';
  const text = renderString(value);
  if (text === undefined) return `is ${intrinsicName(value) ?? 'a value'} the check cannot evaluate, so it may hold a literal`;
  const literal = literalParts(text);
  if (literal === '') return isSecretReference(value) ? undefined : 'is blank';
  return text.includes('{{resolve:') ? `mixes literal text (${preview(literal)}) into its dynamic reference` : `holds literal text (${preview(literal)})`;
}

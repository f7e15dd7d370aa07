import { isJsonObject } from '../change-summary/json-files';

/**
 * A physical name as a template states it: a plain value, none (CloudFormation generates the
 * name at creation), or an expression this command cannot work out before deployment.
 */
export type TemplateName =
  | {
      /** The template states the name. */
      readonly kind: 'named';
      /** The name. */
      readonly value: string;
    }
  | {
      /** The template leaves the name to CloudFormation. */
      readonly kind: 'generated';
    }
  | {
      /** The name is known only at deployment. */
      readonly kind: 'unresolved';
      /** Why, e.g. `Fn::ImportValue is known only at deployment`. */
      readonly reason: string;
    };

/** The stack's environment, which the pseudo parameters stand for. */
export interface PseudoParameters {
  /** `AWS::AccountId`; undefined for an environment-agnostic stack. */
  readonly account?: string;
  /** `AWS::Region`; undefined for an environment-agnostic stack. */
  readonly region?: string;
}

/**
 * Works out a string property of a template: a literal, a `Ref` to a pseudo parameter
 * (`AWS::AccountId`, `AWS::Region`, `AWS::Partition`, `AWS::URLSuffix`), and `Fn::Join` or
 * `Fn::Sub` over those. Anything else (a `Ref` to a resource or parameter, `Fn::GetAtt`, an
 * import) is known only at deployment and is reported as unresolved, with the reason.
 *
 * @param value the property value, e.g. `{"Fn::Join": ["", ["core-", {"Ref": "AWS::AccountId"}]]}`
 * @param pseudo the stack's account and region
 * @returns the name, `generated` when the property is absent, or why it cannot be worked out
 */
export function resolveTemplateName(value: unknown, pseudo: PseudoParameters): TemplateName {
  if (value === undefined || value === null) return { kind: 'generated' };
  const resolved = resolveString(value, pseudo);
  return typeof resolved === 'string' ? { kind: 'named', value: resolved } : { kind: 'unresolved', reason: resolved.reason };
}

function resolveString(value: unknown, pseudo: PseudoParameters): string | { reason: string } {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (!isJsonObject(value) || Object.keys(value).length !== 1) return { reason: `${JSON.stringify(value)} is not a string or an intrinsic function` };
  if (typeof value.Ref === 'string') return pseudoParameter(value.Ref, pseudo) ?? { reason: `{"Ref": "${value.Ref}"} is known only at deployment` };
  if ('Fn::Join' in value) return join(value['Fn::Join'], pseudo);
  if ('Fn::Sub' in value) return substitute(value['Fn::Sub'], pseudo);
  return { reason: `${Object.keys(value)[0]} is known only at deployment` };
}

function join(args: unknown, pseudo: PseudoParameters): string | { reason: string } {
  if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string' || !Array.isArray(args[1])) return { reason: 'Fn::Join is not [separator, [parts]]' };
  const parts: string[] = [];
  for (const part of args[1] as unknown[]) {
    const resolved = resolveString(part, pseudo);
    if (typeof resolved !== 'string') return resolved;
    parts.push(resolved);
  }
  return parts.join(args[0]);
}

function substitute(args: unknown, pseudo: PseudoParameters): string | { reason: string } {
  const text = typeof args === 'string' ? args : Array.isArray(args) && args.length === 2 && typeof args[0] === 'string' && isJsonObject(args[1]) && Object.keys(args[1]).length === 0 ? args[0] : undefined;
  if (text === undefined) return { reason: 'Fn::Sub with variables is known only at deployment' };
  let unresolved: string | undefined;
  const result = text.replace(/\$\{([^!}][^}]*)\}/g, (whole, name: string) => {
    const known = pseudoParameter(name, pseudo);
    if (known === undefined) unresolved ??= name;
    return known ?? whole;
  });
  return unresolved === undefined ? result.replace(/\$\{!/g, '${') : { reason: `\${${unresolved}} in Fn::Sub is known only at deployment` };
}

function pseudoParameter(name: string, pseudo: PseudoParameters): string | undefined {
  switch (name) {
    case 'AWS::AccountId':
      return pseudo.account;
    case 'AWS::Region':
      return pseudo.region;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    default:
      return undefined;
  }
}

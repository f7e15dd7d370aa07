import { asList, isObject, renderString, type JsonObject } from './values';

/** One principal of a statement: its kind (`AWS`, `Service`, `Federated`, `CanonicalUser` or `*`) and value. */
export interface Principal {
  /** The principal kind, `*` for the bare `"Principal": "*"`. */
  readonly kind: string;
  /** The principal value as written. */
  readonly value: unknown;
}

/** The principals a statement names in `Principal` (not `NotPrincipal`). */
export function principalsOf(statement: JsonObject): Principal[] {
  const principal = statement.Principal;
  if (principal === undefined) return [];
  if (!isObject(principal)) return [{ kind: '*', value: principal }];
  return Object.entries(principal).flatMap(([kind, value]) => asList(value).map((v) => ({ kind, value: v })));
}

/** Whether a principal is anyone at all: `*`, `{"AWS": "*"}`, `{"AWS": ["*"]}` or the anonymous user. */
export function isUnrestrictedPrincipal(principal: Principal): boolean {
  const text = renderString(principal.value);
  return text === '*' || text === 'arn:aws:iam::*:root' || (principal.kind === 'AWS' && text !== undefined && /^arn:[^:]*:(iam|sts)::\*:/.test(text));
}

/**
 * Condition keys that pin an otherwise unrestricted principal to known callers: the source
 * resource or account, the caller's organization or account, the network path. Compared
 * case-insensitively, as IAM does.
 */
export const PINNING_CONDITION_KEYS: readonly string[] = [
  'aws:SourceArn',
  'aws:SourceAccount',
  'aws:SourceOwner',
  'aws:SourceOrgID',
  'aws:SourceOrgPaths',
  'aws:PrincipalOrgID',
  'aws:PrincipalOrgPaths',
  'aws:PrincipalAccount',
  'aws:PrincipalArn',
  'aws:SourceVpce',
  'aws:SourceVpc',
  'kms:CallerAccount',
  'lambda:FunctionArn',
].map((key) => key.toLowerCase());

/** Condition operators that restrict (an allow-list); `Not…` operators and `Null` do not pin anything. */
const RESTRICTING_OPERATOR = /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)(IfExists)?$/;

/**
 * The pinning condition key of a statement, if it has one whose values are all specific (a
 * condition that matches `*` pins nothing).
 */
export function pinningCondition(statement: JsonObject): string | undefined {
  const condition = statement.Condition;
  if (!isObject(condition)) return undefined;
  for (const [operator, entries] of Object.entries(condition)) {
    if (!RESTRICTING_OPERATOR.test(operator) || operator.endsWith('IfExists') || !isObject(entries)) continue;
    for (const [key, value] of Object.entries(entries)) {
      if (!PINNING_CONDITION_KEYS.includes(key.toLowerCase())) continue;
      const values = asList(value).map(renderString);
      if (values.length > 0 && values.every((v) => v !== undefined && v.replace(/[*?]/g, '').replace(/arn:[^:]*:[^:]*:[^:]*:[^:]*:/, '').length > 0)) return key;
    }
  }
  return undefined;
}

/**
 * Reading CloudFormation values that may be intrinsic functions, as the risk rules need them:
 * what a value can be at deploy time, never what it happens to be in one example.
 */

/** A JSON object, as templates hold them. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Whether a value is a plain object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as a list: arrays as they are, a single value as a one-element list, absent as empty. */
export function asList(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Marker for a part of a string that is only known at deploy time (a `Ref`, `GetAtt`, …). */
export const DEPLOY_TIME = '\u0000';

/** How the template's own account (`Ref: AWS::AccountId`) renders: no colon, so ARNs still split. */
export const SELF_ACCOUNT = '{self}';

// Pseudo parameters render to what they stand for where that matters (an ARN's partition and
// account fields); the rest are only known at deploy time.
function pseudoParameter(name: string): string {
  if (name === 'AWS::AccountId') return SELF_ACCOUNT;
  if (name === 'AWS::Partition') return 'aws';
  if (name === 'AWS::URLSuffix') return 'amazonaws.com';
  return DEPLOY_TIME;
}

/**
 * The text a value renders to, with every part only known at deploy time replaced by
 * {@link DEPLOY_TIME} and the template's own account by {@link SELF_ACCOUNT}. `undefined` for a
 * value that is not string-like.
 */
export function renderString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const [fn] = keys;
  const arg = value[fn];
  if (fn === 'Ref') return typeof arg === 'string' && arg.startsWith('AWS::') ? pseudoParameter(arg) : DEPLOY_TIME;
  if (fn === 'Fn::Join' && Array.isArray(arg) && arg.length === 2 && Array.isArray(arg[1])) {
    const separator = typeof arg[0] === 'string' ? arg[0] : DEPLOY_TIME;
    return arg[1].map((part) => renderString(part) ?? DEPLOY_TIME).join(separator);
  }
  if (fn === 'Fn::Sub') {
    const text = typeof arg === 'string' ? arg : Array.isArray(arg) && typeof arg[0] === 'string' ? arg[0] : undefined;
    return text?.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => (name.startsWith('AWS::') ? pseudoParameter(name) : DEPLOY_TIME));
  }
  return DEPLOY_TIME;
}

/** Whether a value is a dynamic reference or intrinsic that resolves a secret at deploy time. */
export function isSecretReference(value: unknown): boolean {
  const text = renderString(value);
  if (text === undefined) return false;
  if (/\{\{resolve:(secretsmanager|ssm-secure):/.test(text)) return true;
  // A value built only from deploy-time parts (a Ref to a NoEcho parameter, a GetAtt) holds no literal.
  return text.length > 0 && text.split(DEPLOY_TIME).join('').trim() === '';
}

/** Whether a value holds literal text typed into the template (not only references). */
export function hasLiteralText(value: unknown): boolean {
  const text = renderString(value);
  if (text === undefined) return false;
  return !isSecretReference(value) && text.split(DEPLOY_TIME).join('').trim().length > 0;
}

/**
 * The 12-digit AWS account ids a value names literally: a bare id, an ARN's account field
 * (`arn:aws:iam::123456789012:root`), whether written out or built with `Fn::Join`/`Fn::Sub`.
 * The template's own account (`Ref: AWS::AccountId`) is reported as `self`.
 */
export function accountsNamed(value: unknown): readonly string[] {
  const text = renderString(value);
  if (text === undefined) return [];
  if (/^\d{12}$/.test(text)) return [text];
  const arn = /^arn:[^:]*:[^:]*:[^:]*:([^:]*):/.exec(text);
  if (!arn) return [];
  const account = arn[1];
  if (account === SELF_ACCOUNT) return ['self'];
  if (/^\d{12}$/.test(account)) return [account];
  // An account field known only at deploy time is not a literal account; '' is a service ARN.
  return [];
}

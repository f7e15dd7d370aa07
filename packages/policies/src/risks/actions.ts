import { renderString } from './values';

/**
 * Whether an IAM action pattern as written in a statement (`iam:Pass*`, `*`, `sts:AssumeRole`)
 * matches a concrete action, case-insensitively, as IAM evaluates it.
 */
export function actionMatches(pattern: unknown, action: string): boolean {
  const text = renderString(pattern);
  if (text === undefined) return false;
  const regex = new RegExp(`^${text.split('*').map(escape).join('.*').replace(/\\\?/g, '.')}$`, 'i');
  return regex.test(action);
}

function escape(part: string): string {
  return part.replace(/[.+^${}()|[\]\\?]/g, '\\$&');
}

/** Whether a resource as written in a statement is every resource (`*`, or an ARN of nothing but wildcards). */
export function isEveryResource(resource: unknown): boolean {
  const text = renderString(resource);
  if (text === undefined) return false;
  return text === '*' || /^arn:(\*|aws[\w-]*):\*?:[^:]*:\*?:\*$/.test(text) || /^arn:(\*|aws[\w-]*):iam::\*?:role\/\*$/.test(text);
}

/**
 * What a credential looks like, by its value (well-known token formats) and by the name it is
 * stored under. Shared by the SSM parameter rule (CORE.SECRET.2) and the environment variable rule
 * (CORE.SECRET.3) so both recognise the same secrets.
 */

import { DEPLOY_TIME } from '../../values';

/** A credential format recognisable from the value alone, whatever it is called. */
export interface CredentialPattern {
  /** What the value is, as messages name it, e.g. `a GitHub token`. */
  readonly label: string;
  /** Matches the credential anywhere in a value. */
  readonly pattern: RegExp;
}

/**
 * Formats with a fixed prefix or structure, so a match is almost never a false positive. Generic
 * high-entropy strings are left out on purpose: too many hashes, ids and digests look the same.
 */
export const CREDENTIAL_PATTERNS: readonly CredentialPattern[] = [
  { label: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { label: 'a GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}/ },
  { label: 'a GitHub fine-grained token', pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}/ },
  { label: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { label: 'a Slack webhook URL', pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]+/ },
  { label: 'a private key block', pattern: /-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/ },
  { label: 'a Stripe live secret key', pattern: /\b[sr]k_live_[A-Za-z0-9]{16,}/ },
  // OpenAI keys embed base64("OpenAI"); CORE holds one (OPENAI_API_KEY).
  { label: 'an OpenAI API key', pattern: /\bsk-[A-Za-z0-9_-]*T3BlbkFJ[A-Za-z0-9_-]*/ },
  { label: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  // Header and payload of a JWT both start with base64('{"'): a signed bearer token, e.g. a service-role key.
  { label: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  // A password typed into a connection URL; a password that is a deploy-time part is a reference.
  { label: 'a URL with a password', pattern: new RegExp(String.raw`\b[a-z][a-z0-9+.-]*://[^\s/:@${DEPLOY_TIME}]*:[^\s/@${DEPLOY_TIME}]+@`, 'i') },
];

/** A credential found in a value: its format and a preview that is safe to print. */
export interface CredentialMatch {
  /** The format, e.g. `a GitHub token`. */
  readonly label: string;
  /** At most the first four characters of the match, then `…`. */
  readonly preview: string;
}

/** The first well-known credential format a text contains, if any. */
export function findCredential(text: string): CredentialMatch | undefined {
  for (const { label, pattern } of CREDENTIAL_PATTERNS) {
    const match = pattern.exec(text);
    if (match) return { label, preview: `${match[0].slice(0, 4)}…` };
  }
  return undefined;
}

/**
 * A safe hint of a literal for a message: never more than four characters, and never more than a
 * quarter of the value, so a short password is not half printed.
 */
export function preview(text: string): string {
  return `${text.slice(0, Math.min(4, Math.floor(text.length / 4)))}…`;
}

// Words that mark a name as holding a secret, matched inside the normalised name (DB_PASSWORD,
// DBPASSWORD and dbPassword alike). DSN and CONNECTION_STRING carry credentials in CORE (SENTRY_DSN,
// database URLs) and are in the guard rule CORE.ECS.3 too.
const SECRET_WORDS = /PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIAL|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|WEBHOOK|CONNECTION_STRING|(?:^|_)DSN(?:_|$)/g;

// `AUTH` only marks parameter names (`/app/redis-auth`): as a variable name it is mostly a switch (AUTH_MODE).
const AUTH_WORD = /(?:^|_)AUTH(?:_|$)/g;

/**
 * Names ending in `_KEY` are secret unless the word before `KEY` says otherwise; each of these
 * is public by design or not a credential at all.
 */
const NON_SECRET_KEYS: ReadonlySet<string> = new Set([
  'PUBLIC', // the public half of a key pair
  'PUBLISHABLE', // Stripe publishable keys are meant for browsers
  'SITE', // reCAPTCHA/hCaptcha site keys are embedded in pages
  'KMS', // a KMS key id or ARN names the key, it is not key material
  'S3', // an S3 object key is a path
  'OBJECT', // likewise
  'CACHE', // cache, partition, sort and idempotency keys index data
  'PARTITION',
  'SORT',
  'IDEMPOTENCY',
]);

/**
 * Words after the secret word that make the name a pointer to a secret or a setting about it, not
 * the secret: DB_SECRET_ARN, SLACK_WEBHOOK_SECRET_ARN, AWS_ACCESS_KEY_ID, TOKEN_FILE, PASSWORD_LENGTH.
 * A secret-looking word after them (SECRET_NAME_TOKEN) makes the name secret again.
 */
const QUALIFIERS: ReadonlySet<string> = new Set(['ARN', 'ID', 'NAME', 'PATH', 'FILE', 'PARAM', 'PARAMETER', 'ENDPOINT', 'TTL', 'LENGTH', 'ENABLED']);

/** A name in UPPER_SNAKE, whatever its style: `dbPassword`, `db-password`, `/core/db/password`. */
export function normaliseName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .toUpperCase();
}

/**
 * Whether a variable or parameter name says it holds a secret.
 *
 * @param name the name as written
 * @param authIsSecret whether `AUTH` alone marks a secret (parameter names)
 */
export function isSecretLookingName(name: string, authIsSecret = false): boolean {
  const normalised = normaliseName(name);
  const ends = [...normalised.matchAll(SECRET_WORDS), ...(authIsSecret ? normalised.matchAll(AUTH_WORD) : [])].map((m) => m.index + m[0].length);
  const words = normalised.split('_');
  if (words.length > 1 && words[words.length - 1] === 'KEY' && !NON_SECRET_KEYS.has(words[words.length - 2])) ends.push(normalised.length);
  if (ends.length === 0) return false;
  const after = normalised.slice(Math.max(...ends)).split('_');
  return !after.some((word) => QUALIFIERS.has(word));
}

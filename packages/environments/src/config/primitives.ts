import { z } from 'zod';
import { writtenReason } from './fields';

// The small field schemas the config sections share. Only environmentNameSchema is public (through
// schema.ts); fields.ts holds the field schemas the package exports.

/** A 12-digit AWS account id. */
export const accountId = z.string().regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id, e.g. "123456789012"' });

/** An AWS region code. */
export const region = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: 'must be an AWS region code, e.g. "eu-west-2"' });

/** A lower-case DNS hostname. */
export const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { error: 'must be a lower-case DNS hostname, e.g. "staging.example.gov.uk"' });

/** A CDK bootstrap qualifier, as `cdk bootstrap --qualifier` takes it. */
export const bootstrapQualifier = z
  .string()
  .regex(/^[a-z0-9]{1,10}$/, { error: 'must be 1 to 10 lower-case letters or digits, as cdk bootstrap --qualifier takes it; leave it out for CDK\'s default "hnb659fds"' })
  .describe("qualifier of the CDK bootstrap stacks of the environment's accounts (default: CDK's hnb659fds)");

/** A 24-hour `HH:MM` time of day. */
export const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a 24-hour time "HH:MM", e.g. "07:30"' });

/** An IAM role ARN. */
export const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, { error: 'must be an IAM role ARN, e.g. "arn:aws:iam::123456789012:role/reader"' });

/** A whole number of tasks (or anything counted) from 0 to `max`. */
export const count = (max: number) => z.number().int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 or more' }).max(max, { error: `must be at most ${max}` });

/** Prefix of the resource names of a workload environment, e.g. `core-staging`. */
export const resourcePrefix = z.string().regex(/^[a-z][a-z0-9-]{1,20}$/, { error: 'must be lower-case letters, digits and "-", 2–21 characters, e.g. "core-staging"' });

/** Name of an environment: its Nx project, app folder and GitHub environment. */
export const environmentNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]{1,15}$/, { error: 'must be 2–16 lower-case letters and digits, starting with a letter, e.g. "preprod"' })
  .refine((name) => name !== 'meta', { error: '"meta" is the meta account, not a workload environment' });

/** A GitHub owner or repository name. */
export const githubName = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, { error: 'must be a GitHub owner or repository name (letters, digits, "-", "_", "."; no wildcards)' });

/** A full git ref without wildcards, e.g. `refs/heads/main`. */
export const gitRef = z.string().regex(/^refs\/(heads|tags)\/[A-Za-z0-9._/-]+$/, { error: 'must be a full git ref without wildcards, e.g. "refs/heads/main"' });

/** A GitHub environment name without wildcards. */
export const githubEnvironmentName = z.string().regex(/^[A-Za-z0-9._-]{1,255}$/, { error: 'must be a GitHub environment name without wildcards' });

/** Accounts beyond those a config names that resource policies may name, each with the reason. */
export const trustedAccountsSchema = z
  .array(
    z.strictObject({
      /** Account id. */
      account: accountId,
      /** Why principals of that account may be granted access, as long as a policy acknowledgement's reason. */
      reason: writtenReason,
    }),
  )
  .default([])
  .describe('further AWS accounts resource policies may name, each with the reason');

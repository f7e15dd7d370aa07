import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { DeployFailedError } from './errors';

/**
 * How long the CDK CLI's credentials last: an hour, the most AWS allows for a role assumed with
 * another role's session (CI's meta role), and what the CLI's own deploy-role sessions last.
 */
export const CDK_SESSION_SECONDS = 3600;

/** What {@link cdkCredentialsEnv} needs. */
export interface CdkCredentialsOptions {
  /** The environment's infrastructure deployment role, which alone may assume its CDK roles. */
  readonly roleArn: string;
  /** Session name CloudTrail records, e.g. `core-deploy-staging-987654`. */
  readonly sessionName: string;
  /** Environment of the CDK CLI before the credentials are added. */
  readonly env: NodeJS.ProcessEnv;
  /**
   * STS client, with the credentials in use (CI's meta role).
   *
   * @default - a client for the default credential chain
   */
  readonly sts?: STSClient;
}

/**
 * Assumes the environment's infrastructure deployment role with the credentials in use and
 * returns the CDK CLI's environment with that role's temporary credentials, so the CLI can
 * assume the CDK bootstrap roles, which trust that role only. The deploy lock and the archive
 * keep the credentials in use: they live in the meta account.
 *
 * @param options the role, the session name, the CLI's environment and the STS client
 * @throws DeployFailedError naming the role when it cannot be assumed
 */
export async function cdkCredentialsEnv(options: CdkCredentialsOptions): Promise<NodeJS.ProcessEnv> {
  const sts = options.sts ?? new STSClient({});
  let credentials;
  try {
    ({ Credentials: credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: options.roleArn, RoleSessionName: sessionNameOf(options.sessionName), DurationSeconds: CDK_SESSION_SECONDS })));
  } catch (error) {
    throw new DeployFailedError(
      `could not assume ${options.roleArn} with the credentials in use (${(error as Error).message}): deploy from CI's meta role, which that role trusts, or for break-glass pass --no-assume-role with an administrator session of the account`,
      { cause: error },
    );
  }
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) {
    throw new DeployFailedError(`STS returned no credentials for ${options.roleArn}: nothing was deployed; run again`);
  }
  // A profile would take precedence over the credentials in the environment.
  const { AWS_PROFILE: _profile, AWS_DEFAULT_PROFILE: _defaultProfile, ...rest } = options.env;
  return { ...rest, AWS_ACCESS_KEY_ID: credentials.AccessKeyId, AWS_SECRET_ACCESS_KEY: credentials.SecretAccessKey, AWS_SESSION_TOKEN: credentials.SessionToken };
}

// STS session names: 2–64 characters of [\w+=,.@-].
function sessionNameOf(name: string): string {
  return name.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

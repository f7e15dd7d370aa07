import { RegionInfo } from 'aws-cdk-lib/region-info';

/** An AWS-owned account that a resource policy may name, and the service it belongs to. */
export interface AwsServiceAccount {
  /** The 12-digit account id. */
  readonly account: string;
  /** The AWS service that acts from it. */
  readonly service: string;
  /** The region it serves. */
  readonly region: string;
}

/**
 * AWS-owned accounts that resource policies legitimately name, read from CDK's region facts (the
 * same table CDK uses when it writes the grant). Elastic Load Balancing delivers access logs from
 * one account per region in regions that predate its log-delivery service principal, and CDK
 * grants that account on the log bucket.
 */
export const AWS_SERVICE_ACCOUNTS: readonly AwsServiceAccount[] = RegionInfo.regions.flatMap((info) => {
  const account = info.elbv2Account;
  return account ? [{ account, service: 'Elastic Load Balancing access logs', region: info.name }] : [];
});

/** The AWS service an account belongs to, when it is one of {@link AWS_SERVICE_ACCOUNTS}. */
export function awsServiceAccount(account: string): AwsServiceAccount | undefined {
  return AWS_SERVICE_ACCOUNTS.find((entry) => entry.account === account);
}

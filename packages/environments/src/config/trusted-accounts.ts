import type { EnvironmentConfig, MetaConfig } from './schema';

/**
 * The AWS accounts an environment's resource policies and role trusts may name (CORE.RESPOL.2):
 * its own account, the other accounts its config names (the meta account of a workload, the
 * accounts of its CDS consumer roles; the workload accounts of meta) and its `trustedAccounts`,
 * sorted and each once.
 *
 * @param config a validated workload or meta config
 */
export function trustedAccountsOf(config: EnvironmentConfig | MetaConfig): string[] {
  const named =
    'workloads' in config
      ? [config.account, ...Object.values(config.workloads).map((workload) => workload.account)]
      : [config.account, config.registry.account, ...config.storage.cdsConsumerRoleArns.map(accountOfArn)];
  return [...new Set([...named, ...config.trustedAccounts.map((entry) => entry.account)])].sort();
}

// Role ARNs in the config are validated, so the account field is always a 12-digit id.
function accountOfArn(arn: string): string {
  return arn.split(':')[4];
}

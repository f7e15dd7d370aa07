import type { EnvironmentConfig } from './schema';

/** Reports one problem of a config: where it is, what is wrong and the value found. */
export type IssueReporter = (path: (string | number)[], message: string, input: unknown) => void;

/** Minimum days of VPC flow logs in the production profile: what the real service keeps. */
export const PRODUCTION_FLOW_LOG_DAYS = 60;

/**
 * The production profile's settings, each of which the config may waive with a written reason
 * in `profileExceptions`; an exception without a shortfall is reported too, so none outlives
 * the reason it was written for.
 */
export function checkProfileExceptions(c: EnvironmentConfig, issue: IssueReporter): void {
  const production = c.policyProfile === 'production';
  const shortfalls = {
    geoRestriction: { path: ['edge', 'geoRestriction'], short: !c.edge.geoRestriction, value: c.edge.geoRestriction, fix: 'set edge.geoRestriction to true' },
    shield: { path: ['edge', 'shield'], short: !c.edge.shield, value: c.edge.shield, fix: 'set edge.shield to true (the account needs a Shield Advanced subscription)' },
    natPerAz: { path: ['network', 'natGateways'], short: c.network.natGateways < c.network.azCount, value: c.network.natGateways, fix: `run one NAT gateway per zone (natGateways: ${c.network.azCount})` },
    vpcEndpoints: { path: ['network', 'vpcEndpoints'], short: !c.network.vpcEndpoints, value: c.network.vpcEndpoints, fix: 'set network.vpcEndpoints to true' },
    flowLogRetention: {
      path: ['network', 'flowLogRetentionDays'],
      short: c.network.flowLogRetentionDays < PRODUCTION_FLOW_LOG_DAYS,
      value: c.network.flowLogRetentionDays,
      fix: `keep flow logs at least ${PRODUCTION_FLOW_LOG_DAYS} days`,
    },
  } as const;
  for (const [key, { path, short, value, fix }] of Object.entries(shortfalls)) {
    const reason = c.profileExceptions[key as keyof typeof shortfalls];
    if (production && short && !reason) {
      issue([...path], `the production profile requires it: ${fix}, or write the reason in profileExceptions.${key}`, value);
    } else if (reason && !(production && short)) {
      issue(['profileExceptions', key], production ? `nothing to excuse: ${path.join('.')} meets the production profile; remove the exception` : 'only the production profile takes exceptions: remove it', reason);
    }
  }
}

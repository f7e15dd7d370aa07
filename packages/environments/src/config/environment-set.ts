import { ConfigError, loadEnvironmentConfig, loadMetaConfig, type EnvironmentName, type WorkloadEnvironmentName } from './load';
import type { EnvironmentConfig, MetaConfig } from './schema';

/** The configs of every environment, loaded together. */
export interface EnvironmentSet {
  /** The meta account's config. */
  readonly meta: MetaConfig;
  /** The workload environments' configs, by name. */
  readonly workloads: Readonly<Record<WorkloadEnvironmentName, EnvironmentConfig>>;
}

/**
 * What is wrong between the configs, which no config can see on its own: every environment on an
 * account of its own (production above all), meta's view of each workload matching the
 * workload's own config, and every workload pulling images from the meta account's registry.
 *
 * @returns one line per problem, `<environment>.<path>: message (got value)`; empty when consistent
 */
export function environmentSetProblems(set: EnvironmentSet): string[] {
  const problems: string[] = [];
  const owners = new Map<string, EnvironmentName>([[set.meta.account, 'meta']]);
  for (const [name, config] of Object.entries(set.workloads) as [WorkloadEnvironmentName, EnvironmentConfig][]) {
    const owner = owners.get(config.account);
    if (owner) {
      const intoProduction = name === 'production' || owner === 'production' ? ': a deploy meant for one would land in production' : '';
      problems.push(`${name}.account: is also the ${owner} account; every environment needs an account of its own${intoProduction} (got "${config.account}")`);
    } else {
      owners.set(config.account, name);
    }
    const seenByMeta = set.meta.workloads[name];
    if (seenByMeta.account !== config.account) {
      problems.push(`meta.workloads.${name}.account: is not ${name}'s account "${config.account}": meta would grant CI access to the wrong account; make them equal (got "${seenByMeta.account}")`);
    }
    if (seenByMeta.prefix !== config.prefix) {
      problems.push(`meta.workloads.${name}.prefix: is not ${name}'s prefix "${config.prefix}": the deployment roles meta trusts would not match ${name}'s names; make them equal (got "${seenByMeta.prefix}")`);
    }
    if (config.registry.account !== set.meta.account) {
      problems.push(`${name}.registry.account: is not the meta account "${set.meta.account}", which holds the registry; set it to the meta account (got "${config.registry.account}")`);
    }
  }
  return problems;
}

/** Where {@link loadEnvironmentSet} finds each environment's config file, if anywhere. */
export type EnvironmentConfigFiles = Partial<Record<EnvironmentName, string>>;

/**
 * Loads every environment's config (each validated on its own first) and checks them together
 * with {@link environmentSetProblems}.
 *
 * @param configFiles an override file per environment, as `CORE_CONFIG_FILE` would give each app
 * @throws ConfigError naming every problem, in one environment or between them
 */
export function loadEnvironmentSet(configFiles: EnvironmentConfigFiles = {}): EnvironmentSet {
  const set: EnvironmentSet = {
    meta: loadMetaConfig({ configFile: configFiles.meta ?? '' }),
    workloads: {
      dev: loadEnvironmentConfig('dev', { configFile: configFiles.dev ?? '' }),
      staging: loadEnvironmentConfig('staging', { configFile: configFiles.staging ?? '' }),
      production: loadEnvironmentConfig('production', { configFile: configFiles.production ?? '' }),
    },
  };
  const problems = environmentSetProblems(set);
  if (problems.length > 0) throw new ConfigError('the environments do not fit together:', problems);
  return set;
}

import { InvalidArgumentError } from 'commander';
import { ConfigError, loadEnvironmentConfig, loadMetaConfig, type EnvironmentName, type WorkloadEnvironmentName } from './load';
import type { EnvironmentConfig, MetaConfig } from './schema';

/** The configs of every environment, loaded together. */
export interface EnvironmentSet {
  /** The meta account's config. */
  readonly meta: MetaConfig;
  /** The workload environments' configs, by name, in the meta config's order. */
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
  for (const name of Object.keys(set.meta.workloads).filter((workload) => !(workload in set.workloads))) {
    problems.push(`meta.workloads.${name}: has no config of its own: add apps/${name}/config.yaml (nx g @core-infra/environments:environment ${name}) or remove the entry`);
  }
  for (const [name, config] of Object.entries(set.workloads)) {
    const owner = owners.get(config.account);
    if (owner) {
      const intoProduction = name === 'production' || owner === 'production' ? ': a deploy meant for one would land in production' : '';
      problems.push(`${name}.account: is also the ${owner} account; every environment needs an account of its own${intoProduction} (got "${config.account}")`);
    } else {
      owners.set(config.account, name);
    }
    const seenByMeta = set.meta.workloads[name];
    if (!seenByMeta) {
      problems.push(`${name}: is not in meta.workloads, so meta grants it no CI role, registry access or state store: add it there`);
      continue;
    }
    if (seenByMeta.account !== config.account) {
      problems.push(`meta.workloads.${name}.account: is not ${name}'s account "${config.account}": meta would grant CI access to the wrong account; make them equal (got "${seenByMeta.account}")`);
    }
    if (seenByMeta.prefix !== config.prefix) {
      problems.push(`meta.workloads.${name}.prefix: is not ${name}'s prefix "${config.prefix}": the deployment roles meta trusts would not match ${name}'s names; make them equal (got "${seenByMeta.prefix}")`);
    }
    if (seenByMeta.scope !== config.ci.scope) {
      problems.push(`meta.workloads.${name}.scope: is not ${name}'s ci.scope "${config.ci.scope}": the CI role meta grants and the one ${name} trusts would differ; make them equal (got "${seenByMeta.scope}")`);
    }
    if (config.registry.account !== set.meta.account) {
      problems.push(`${name}.registry.account: is not the meta account "${set.meta.account}", which holds the registry; set it to the meta account (got "${config.registry.account}")`);
    }
  }
  return problems;
}

/** Where {@link loadEnvironmentSet} finds each environment's config file, if anywhere. */
export type EnvironmentConfigFiles = Readonly<Record<EnvironmentName, string>>;

/**
 * Reads `--config <environment>=<file>` values, as `core-deploy check-configs` and `first-deploy`
 * take them.
 *
 * @param pairs the option's values
 * @throws InvalidArgumentError (a usage error) naming a value that is not `<environment>=<file>`
 */
export function parseConfigFiles(pairs: readonly string[]): EnvironmentConfigFiles {
  const files: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([a-z][a-z0-9]*)=(.+)$/.exec(pair);
    if (!match) throw new InvalidArgumentError(`--config "${pair}" is not <environment>=<file>: write e.g. --config production=prod.yaml`);
    files[match[1]] = match[2];
  }
  return files;
}

/**
 * Loads every environment's config (each validated on its own first) and checks them together
 * with {@link environmentSetProblems}.
 *
 * @param configFiles an override file per environment, as `CORE_CONFIG_FILE` would give each app
 * @throws ConfigError naming every problem, in one environment or between them
 */
export function loadEnvironmentSet(configFiles: EnvironmentConfigFiles = {}): EnvironmentSet {
  const meta = loadMetaConfig({ configFile: configFiles.meta ?? '' });
  const names = Object.keys(meta.workloads);
  const unknown = Object.keys(configFiles).filter((name) => name !== 'meta' && !names.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError('override files for unknown environments:', unknown.map((name) => `${name}: not an environment of this workspace; choose from meta, ${names.join(', ')}`));
  }
  const set: EnvironmentSet = {
    meta,
    workloads: Object.fromEntries(names.map((name) => [name, loadEnvironmentConfig(name, { configFile: configFiles[name] ?? '' })])),
  };
  const problems = environmentSetProblems(set);
  if (problems.length > 0) throw new ConfigError('the environments do not fit together:', problems);
  return set;
}

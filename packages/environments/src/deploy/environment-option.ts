import { InvalidArgumentError, Option } from 'commander';
import { environmentNames } from '../config/load';

/**
 * The `--env <environment>` option of `core-deploy`: mandatory unless said otherwise, and checked
 * against the workspace's environments ({@link environmentNames}) only when given, so `--help`
 * works anywhere.
 *
 * @param cwd where to look for the workspace's meta config
 * @param mandatory whether the command needs it
 */
export function environmentOption(cwd?: string, mandatory = true): Option {
  return new Option('--env <environment>', 'the environment: meta or a workload named in the meta config')
    .argParser((value: string) => {
      const names = environmentNames(cwd);
      if (!names.includes(value)) throw new InvalidArgumentError(`"${value}" is not an environment of this workspace; choose from ${names.join(', ')}`);
      return value;
    })
    .makeOptionMandatory(mandatory);
}

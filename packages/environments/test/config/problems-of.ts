import { ConfigError } from '../../src/config/load';

/** The problem lines of the ConfigError that `run` throws; fails the test when it throws none. */
export function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

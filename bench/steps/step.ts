import { type CommandRunner } from '../lib/runner';
import { type Options, type Step } from '../options';
import { type Results } from '../results';

/** What a step works with: the options, a command runner and the results of the steps before it. */
export interface StepContext {
  readonly options: Options;
  readonly runner: CommandRunner;
  readonly results: Readonly<Results>;
}

/** One step: measures and returns its section of results.json. */
export type StepRun<S extends Step> = (context: StepContext) => Promise<NonNullable<Results[S]>>;

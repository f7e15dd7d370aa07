import { type Step } from '../options';
import { affectedStep } from './affected';
import { coldStep } from './cold';
import { growthStep } from './growth';
import { overheadStep } from './overhead';
import { peersStep } from './peers';
import { type StepRun } from './step';
import { testsStep } from './tests';
import { warmStep } from './warm';

export { type StepContext } from './step';

/** The function of each step (they run in the order of STEPS). */
export const STEP_RUNS: { readonly [S in Step]: StepRun<S> } = {
  cold: coldStep,
  warm: warmStep,
  affected: affectedStep,
  overhead: overheadStep,
  peers: peersStep,
  growth: growthStep,
  tests: testsStep,
};

import { App, Stack, type StackProps } from 'aws-cdk-lib';
import { coreAppContext } from '@core-infra/policies';

/** The account and region every test stack uses unless told otherwise. */
export const TEST_ENV = {
  /** Account id of test stacks. */
  account: '123456789012',
  /** Region of test stacks. */
  region: 'eu-west-2',
} as const;

/**
 * Creates an App with the same feature flags as CORE's environment apps, so a construct
 * behaves in tests exactly as it does in an environment.
 *
 * @param context extra context values, e.g. `{ reviewApps: '1234' }`
 */
export function createTestApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...coreAppContext(), ...context } });
}

/**
 * Creates a stack in {@link TEST_ENV} inside a fresh test App.
 *
 * @param id stack id
 * @param props stack props; `env` defaults to {@link TEST_ENV}
 */
export function createTestStack(id = 'TestStack', props: StackProps = {}): Stack {
  return new Stack(createTestApp(), id, { env: TEST_ENV, ...props });
}

// The testing README's smallest working example, as a constructs test writes it.
// What the README's setupFilesAfterEnv line does for a whole project:
import '@core-infra/testing/setup';
import { createTestStack } from '@core-infra/testing';
import { SecureBucket } from '../src';

test('a SecureBucket passes the CORE policies', () => {
  const stack = createTestStack();
  new SecureBucket(stack, 'Documents');
  expect(stack).toPassPolicies();
});

/**
 * Jest setup for CDK tests: registers {@link coreMatchers} and the template snapshot serializer.
 * Add `'@core-infra/testing/setup'` to `setupFilesAfterEnv` in your jest config.
 *
 * @packageDocumentation
 */
import { coreMatchers } from './matchers';
import { templateSnapshotSerializer } from './snapshot-serializer';

expect.extend(coreMatchers);
expect.addSnapshotSerializer(templateSnapshotSerializer);

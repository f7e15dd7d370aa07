/**
 * Jest helpers for testing CDK constructs, stacks, stages and apps the way CORE tests its own:
 * synthesis through the policy plugin, policy and security matchers, a snapshot serializer that
 * ignores asset hashes and CDK versions, and a runner for guard rule tests.
 *
 * @packageDocumentation
 */
export * from './environment-templates';
export * from './guard-rule-tests';
export * from './matchers';
export * from './snapshot-serializer';
export * from './stacks';
export * from './synth';

/**
 * Jest helpers for testing CDK constructs, stacks, stages and apps the way CORE tests its own.
 *
 * @packageDocumentation
 */
export * from './stacks';
